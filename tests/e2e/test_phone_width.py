"""On a 360 px phone no page of the learner's own scrolls sideways: the dashboard (courses,
a completed course with its certificate, quiz results), a new learner's dashboard, the
glossary, the verify page and the account pages, in Kyrgyz, Russian and English, in light
and dark. The quiz results were a table 489 px wide on a 390 px phone; they are a list now."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from courses.models import Enrollment, RevisionItem
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.learning import enrollment_create, lesson_complete, quiz_attempt_submit
from lms.services import api_token_create
from tests.e2e.axe import assert_styled
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WRONG = {"block-stores": "password", "properties": ["owned"], "hash-changes": False,
         "sha-length": "32", "term": "сыр"}  # fmt: skip


@pytest.fixture
def learners(demo_course):
    """A learner part-way through the demo course, with a failed quiz attempt and an API
    token with a long name; a graduate with a certificate; a brand-new learner."""
    busy = UserFactory(name="Айгүл Өмүрбекова-Токтогулова", language="ky")
    enrollment, _created = enrollment_create(user=busy, course=demo_course)
    lesson_complete(enrollment=enrollment, item=demo_course.items.get(key="what-is"))
    quiz = RevisionItem.objects.select_related("item").get(
        revision=demo_course.live_revision, item__key="check"
    )
    quiz_attempt_submit(enrollment=enrollment, revision_item=quiz, answers=WRONG, language="ky")
    api_token_create(user=busy, name="Университеттин окуу башкаруу системасы үчүн токен")
    graduate = UserFactory(name="Нурлан Асанов", language="ky")
    done = Enrollment.objects.create(user=graduate, course=demo_course, completed_at=timezone.now())
    certificate = certificate_issue(certificate_id=certificate_request(enrollment=done).pk)
    return {"busy": busy, "graduate": graduate, "new": UserFactory(name="Бакыт"),
            "certificate": certificate}  # fmt: skip


def _context(browser, live_server, user, *, dark: bool):
    context = browser.new_context(viewport=PHONE, color_scheme="dark" if dark else "light")
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": client.cookies[name].value,
                              "url": live_server.url}])  # fmt: skip
    return context


def _overflowing(page, url: str) -> str | None:
    page.goto(url)
    assert page.locator("main").count() == 1, f"{url} did not render a page"
    assert_styled(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return None
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll("main *")]
            .filter((el) => el.getBoundingClientRect().right > limit + 1)
            .slice(0, 3).map((el) => el.outerHTML.slice(0, 120))""",
        PHONE["width"],
    )
    return f"{url}: {width} px wide; {wide}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_page_of_the_learner_scrolls_sideways_at_360_px(live_server, browser, learners, dark):
    base = live_server.url
    certificate = learners["certificate"].public_id
    visits = {
        None: ["/glossary/", f"/verify/{certificate}/", "/accounts/login/", "/accounts/signup/",
               "/accounts/password/reset/", "/courses/demo/glossary/", "/no-such-page/"],
        "busy": ["/dashboard/", "/accounts/profile/", "/accounts/tokens/",
                 "/accounts/password/change/", "/accounts/email/"],
        "graduate": ["/dashboard/", f"/verify/{certificate}/"],
        "new": ["/dashboard/"],
    }  # fmt: skip
    found = []
    for who, paths in visits.items():
        context = _context(browser, live_server, learners[who] if who else None, dark=dark)
        page = context.new_page()
        page.set_default_timeout(10_000)
        for lang in ("ky", "ru", "en"):
            for path in paths:
                if problem := _overflowing(page, f"{base}/{lang}{path}"):
                    found.append(f"[{who or 'visitor'}] {problem}")
        context.close()
    assert not found, "\n".join(found)


def test_the_dashboard_shows_quiz_results_as_a_list_on_a_phone(live_server, browser, learners):
    context = _context(browser, live_server, learners["busy"], dark=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/ky/dashboard/")
    assert page.locator("main table").count() == 0
    result = page.locator(".result-list .result").first
    box = result.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    text = result.inner_text()
    assert "Текшерүү" in text and "Демо курс" in text and "%" in text
    context.close()
