"""Every kind of page passes axe-core's WCAG 2 A/AA rules (no serious or critical finding) on a
phone and on a desktop, in Kyrgyz and Russian, and keyboard focus is always visible."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from courses.models import Course
from courses.services.learning import enrollment_create, lesson_complete, quiz_attempt_submit
from courses.services.publishing import import_run_create, import_run_execute
from tests.e2e.axe import assert_styled, describe, preload_axe, run_axe
from tests.factories import UserFactory
from tests.gitrepo import make_repo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

WRONG = {"block-stores": "password", "properties": ["owned"], "hash-changes": False,
         "sha-length": "32", "term": "сыр"}  # fmt: skip
RIGHT = {"block-stores": "prev-hash", "properties": ["open"], "hash-changes": True,
         "sha-length": "64", "term": "хеш"}  # fmt: skip


@pytest.fixture
def course(tmp_path) -> Course:
    """The demo course of tests/content/helpers.py, imported from a real Git repository."""
    repo = make_repo(tmp_path / "repo")
    import_run_execute(run=import_run_create(location=str(repo.path)))
    return Course.objects.get(slug="demo")


@pytest.fixture
def learner(course):
    """Enrolled, the first lesson read, the quiz failed once and then passed."""
    user = UserFactory(name="Айпери Асанова")
    enrollment, _created = enrollment_create(user=user, course=course)
    revision = course.live_revision
    lesson_complete(enrollment=enrollment, item=course.items.get(key="what-is"))
    quiz = revision.revision_items.select_related("item").get(item__key="check")
    for answers in (WRONG, RIGHT):
        quiz_attempt_submit(enrollment=enrollment, revision_item=quiz, answers=answers,
                            language="ky")  # fmt: skip
    return user


def log_in(context, live_server, user) -> None:
    """Give the browser the session cookie of a logged-in ``user``."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value,
                          "url": live_server.url}])  # fmt: skip


def visitor_pages(lang: str) -> dict[str, str]:
    """Pages a visitor sees differently from a learner (invitations instead of progress)."""
    return {
        "home": f"/{lang}/",
        "course": f"/{lang}/courses/demo/",
        "lesson": f"/{lang}/courses/demo/what-is/",
        "quiz": f"/{lang}/courses/demo/check/",
        "login": f"/{lang}/accounts/login/",
        "signup": f"/{lang}/accounts/signup/",
    }


def learner_pages(lang: str) -> dict[str, str]:
    return {
        "home": f"/{lang}/",
        "catalogue": f"/{lang}/courses/",
        "course": f"/{lang}/courses/demo/",
        "lesson": f"/{lang}/courses/demo/hashes/",
        "quiz": f"/{lang}/courses/demo/check/",
        "quiz result, failed": f"/{lang}/courses/demo/check/?attempt=1#result",
        "quiz result, passed": f"/{lang}/courses/demo/check/?attempt=2#result",
        "dashboard": f"/{lang}/dashboard/",
        "profile": f"/{lang}/accounts/profile/",
        "glossary term": f"/{lang}/courses/demo/glossary/hash/",
        "404": f"/{lang}/no-such-page/",
    }


def axe_findings(page, url: str, pages: dict[str, str], who: str) -> list[str]:
    """Each page loaded on a desktop, then narrowed to a phone: the layout reflows, as it does
    when a phone turns, without a second load. (On a phone the course outline beside a lesson
    then stays open, as after a tap, so both of its states are checked.)"""
    findings = []
    for name, path in pages.items():
        page.set_viewport_size(VIEWPORTS["desktop"])
        page.goto(url + path)
        assert page.locator("main").count() == 1, f"{path} did not render a page"
        for viewport_name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            if violations := run_axe(page):
                where = f"[{who}, {viewport_name}] {name} ({path}): "
                findings.append(describe(violations, where=where))
    return findings


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_page_has_no_serious_accessibility_violation(
    live_server, browser, learner, lang, tmp_path
):
    """Visitor and learner pages, on a phone and a desktop: axe finds nothing serious."""
    context = browser.new_context(locale=f"{lang}-KG")
    preload_axe(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    url = live_server.url

    findings = axe_findings(page, url, visitor_pages(lang), "visitor")
    # A rejected log-in shows its error beside the form.
    page.goto(f"{url}/{lang}/accounts/login/")  # still the phone's viewport
    page.locator("input[name=login]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert re.search(rf"/{lang}/accounts/login/", page.url)
    if violations := run_axe(page):
        findings.append(describe(violations, where="[visitor, phone] rejected log-in: "))

    log_in(context, live_server, learner)
    findings += axe_findings(page, url, learner_pages(lang), "learner")
    page.screenshot(path=str(tmp_path / f"dashboard-{lang}.png"), full_page=True)
    context.close()
    assert not findings, "\n".join(findings)


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let background = "rgb(255, 255, 255)";
  for (let node = el.parentElement; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color && color !== "transparent" && !/rgba\\(.*, 0\\)$/.test(color)) {
      background = color;
      break;
    }
  }
  const box = el.getBoundingClientRect();
  return {
    element: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (typeof el.className === "string" && el.className ? "." + el.className : "")
      + " " + JSON.stringify((el.innerText || el.name || "").trim().slice(0, 30)),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    background: background,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def _luminance(color: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"[\d.]+", color)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_problems(page, stops: int = 30) -> list[str]:
    """Tab through the page; every focused element must be on screen with an outline at least
    2px wide whose colour has 3:1 contrast with what surrounds it (WCAG 1.4.11, 2.4.7)."""
    page.locator("body").focus()
    problems, seen = [], []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["element"] in seen[:1]:
            break  # focus left the document or came round again
        seen.append(focused["element"])
        if not focused["onScreen"]:
            problems.append(f"{focused['element']} is focused off screen")
        elif focused["outlineStyle"] == "none" or focused["outlineWidth"] < 2:
            problems.append(f"{focused['element']} shows no focus outline")
        elif (ratio := contrast(focused["outlineColor"], focused["background"])) < 3:
            problems.append(
                f"{focused['element']}: focus outline {focused['outlineColor']} on "
                f"{focused['background']} has contrast {ratio:.2f}:1, under 3:1"
            )
    assert len(seen) > 5, f"Tab reached only {seen}"
    return problems


def test_keyboard_focus_is_always_visible(live_server, browser, learner):
    """Tabbing through the header, a lesson, the quiz and a form shows where focus is."""
    context = browser.new_context(locale="ky-KG", viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    url = live_server.url

    page.goto(f"{url}/ky/accounts/signup/")
    assert_styled(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    problems = focus_problems(page)

    log_in(context, live_server, learner)
    for path in ("/ky/courses/demo/hashes/", "/ky/courses/demo/check/", "/ky/accounts/profile/"):
        page.goto(url + path)
        problems += [f"{path}: {problem}" for problem in focus_problems(page)]
    context.close()
    assert not problems, "\n".join(problems)
