"""A learner on a phone saves a course, rides out of coverage and keeps learning, in Kyrgyz, in
Chromium: every lesson, quiz and lab opens from the outline without a connection; two lessons
marked done, a quiz and a lab answered offline wait on the phone and are recorded once when the
connection returns (and still once when the queue is sent again); an attempt over the lab's
limit is refused with the server's message; a new revision of the course refreshes the saved
copy; logging out removes everything saved.

The course is the demo course with its labs (tests/labfiles.py). Clicks use stable hooks
(data-offline, form actions, input names), not interface texts."""

from __future__ import annotations

import contextlib
import json
import re
import time

import pytest
from django.conf import settings
from django.utils.translation import gettext, override
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from courses.models import Course, IdempotentRequest, ItemProgress, QuizAttempt
from courses.services.learning import enrollment_create
from tests.conftest import publish
from tests.content.helpers import ALL_RIGHT, COURSE_DIR, LESSON_KY
from tests.e2e.test_accessibility import log_in
from tests.factories import UserFactory
from tests.labfiles import lab_repo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUEUE = """async () => {
  if (!(await caches.has("bilim-queue"))) return [];
  const cache = await caches.open("bilim-queue");
  const found = await Promise.all((await cache.keys()).map((key) => cache.match(key)));
  return Promise.all(found.filter(Boolean).map((r) => r.json()));  // skip entries sent meanwhile
}"""
REQUEUE = """async (entries) => {
  const cache = await caches.open("bilim-queue");
  for (const entry of entries)
    await cache.put(`/offline/queue/${entry.key}`, new Response(JSON.stringify(entry)));
  (await navigator.serviceWorker.ready).active.postMessage({ type: "back" });
}"""
CONTROLLED = "navigator.serviceWorker.controller !== null"
META = """async () => {
  if (!(await caches.has("bilim-meta"))) return [];
  const cache = await caches.open("bilim-meta");
  const found = await Promise.all((await cache.keys()).map((key) => cache.match(key)));
  return Promise.all(found.filter(Boolean).map((r) => r.json()));  // skip entries sent meanwhile
}"""


def api_attempt(page, url: str, answers: dict) -> int:
    """An attempt sent online through the API, as the learner's browser session."""
    return page.evaluate(
        """async ([url, answers]) => {
          const csrf = (await (await fetch("/api/v1/offline/session")).json()).csrf;
          const response = await fetch(url, {method: "POST", body: JSON.stringify({answers}),
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}});
          return response.status;
        }""",
        [url, answers],
    )


def wait_until(page, script: str, done, timeout: float = 30) -> None:
    """Evaluate ``script`` (awaiting its promise) until ``done(value)``. (Playwright's
    wait_for_function evaluates its polls with eval, which the site's policy refuses.)"""
    end = time.monotonic() + timeout
    while not done(value := page.evaluate(script)):
        assert time.monotonic() < end, value
        time.sleep(0.2)


def outline_links(page) -> list[str]:
    return page.eval_on_selector_all(".outline-items a", "links => links.map(a => a.href)")


def test_a_learner_saves_a_course_learns_offline_and_everything_is_recorded_once(
    live_server, browser, tmp_path
):
    repo = lab_repo(tmp_path / "repo")
    publish(repo.path)
    course = Course.objects.get(slug="demo")
    learner = UserFactory(language="ky")
    enrollment, _created = enrollment_create(user=learner, course=course)
    context = browser.new_context(locale="ky-KG", viewport={"width": 390, "height": 844})
    log_in(context, live_server, learner)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    url = live_server.url

    # Two wrong attempts at the hash lab (3 allowed) while online: one is left.
    page.goto(f"{url}/ky/courses/demo/")
    lab_api = "/api/v1/courses/demo/items/find-text/attempts?lang=ky"
    assert [api_attempt(page, lab_api, {"text_index": "0"}) for _ in range(2)] == [201, 201]

    # Save: the size first, then the progress, then "saved".
    page.reload()
    wait_until(page, CONTROLLED, bool)
    save = page.locator('[data-offline="save"]')
    expect(save).to_be_visible()
    expect(page.locator("[data-offline-size]")).to_contain_text(re.compile(r"\d [КМ]Б"))
    page.evaluate(
        """() => navigator.serviceWorker.addEventListener("message", ({data}) => {
             if (data.type === "progress") (window.progressSeen ||= []).push(data.done); })"""
    )
    save.click()
    expect(page.locator("html")).to_have_attribute("data-offline-state", "saved")
    seen = page.evaluate("window.progressSeen")
    assert seen[0] == 0 and seen[-1] > 10, seen
    (meta,) = page.evaluate(META)
    assert meta["revision"] == str(course.live_revision.uid) and meta["size"] > 0
    expect(page.locator('[data-offline="remove"]')).to_be_visible()
    links = outline_links(page)
    assert len(links) == 9  # 2 lessons, 1 quiz, 6 labs

    page.goto(f"{url}/ky/dashboard/")
    saved_row = page.locator("[data-offline-list] .offline-courses li")
    expect(saved_row).to_have_count(1)
    expect(saved_row).to_contain_text(re.compile(r"KY · \d+ [КМ]Б"))

    # No connection: a small note says so; every item of the outline opens, whole.
    context.set_offline(True)
    page.goto(f"{url}/ky/courses/demo/")
    expect(page.locator("#offline-note > span")).to_be_visible()
    failed: list[str] = []
    # (The tab's icon is fetched by the browser itself, past the service worker: not counted.)
    page.on("requestfailed", lambda r: "favicon" not in r.url and failed.append(r.url))
    for link in links:
        page.goto(link)
        expect(page.locator("main h1")).to_be_visible()
    glossary = page.goto(f"{url}/ky/courses/demo/glossary/hash/")
    assert glossary.ok
    expect(page.locator("main")).to_contain_text("Хеш")
    assert failed == [], failed

    # A page that was not saved: the offline page, which lists what is.
    page.goto(f"{url}/ky/about/")
    expect(page.locator("[data-offline-list] .offline-courses li")).to_have_count(1)

    # Two lessons marked done, the quiz and the lab answered, all offline.
    page.goto(f"{url}/ky/courses/demo/what-is/")
    page.locator("form.complete button").click()
    expect(page.locator(".offline-kept")).to_be_visible()
    expect(page.locator("form.complete")).to_be_hidden()
    page.goto(f"{url}/ky/courses/demo/hashes/")
    page.locator(".item-nav form[action$='/complete/'] button").click()  # and continue
    page.wait_for_url(f"{url}/ky/courses/demo/check/")
    page.locator('input[name="q-block-stores"][value="prev-hash"]').check()
    page.locator('input[name="q-properties"][value="open"]').check()
    page.locator("#q-hash-changes-true").check()
    page.locator("#q-sha-length").fill(str(ALL_RIGHT["sha-length"]))
    page.locator("#q-term").fill("хеш")
    page.locator("form.quiz button[type=submit]").click()
    expect(page.locator("form.quiz .offline-kept")).to_be_visible()
    for _attempt in range(2):  # the third attempt, then one over the limit
        page.goto(f"{url}/ky/courses/demo/find-text/")
        page.locator('input[name="text_index"][value="1"]').check()
        page.locator("#lab-answer button[type=submit]").click()
        expect(page.locator("#lab-answer .offline-kept")).to_be_visible()
    page.goto(f"{url}/ky/courses/demo/")
    expect(page.locator("#offline-queue li")).to_have_count(5)
    queued = page.evaluate(QUEUE)
    assert len(queued) == 5 and len({entry["key"] for entry in queued}) == 5
    assert not ItemProgress.objects.filter(completed_at__isnull=False).exists()

    # Back online: everything is sent, and the attempt over the limit is refused, in Kyrgyz.
    context.set_offline(False)
    expect(page.locator("#offline-queue .note-refused")).to_have_count(1, timeout=30_000)
    expect(page.locator("#offline-queue .note-sent")).to_have_count(4)
    with override("ky"):
        refusal = gettext("You have used all your attempts for this lab.")
    expect(page.locator("#offline-queue .note-refused")).to_contain_text(refusal)
    assert page.evaluate(QUEUE) == []

    def recorded() -> tuple:
        done = ItemProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False)
        return (
            sorted(done.values_list("item__key", flat=True)),
            QuizAttempt.objects.filter(enrollment=enrollment, item__key="check").count(),
            QuizAttempt.objects.filter(enrollment=enrollment, item__key="find-text").count(),
            IdempotentRequest.objects.filter(user=learner).count(),
        )

    # The quiz was graded on the server when it arrived: all right.
    assert QuizAttempt.objects.get(enrollment=enrollment, item__key="check").score == 100
    first = recorded()
    assert first[:3] == (["check", "find-text", "hashes", "what-is"], 1, 3), first
    assert first[3] == 5  # four accepted, one refused: each answer kept under its key

    # The same queue sent again: the same answers, nothing recorded twice.
    page.evaluate(REQUEUE, queued)
    wait_until(page, QUEUE, lambda entries: entries == [])
    expect(page.locator("#offline-queue .note-refused")).to_have_count(1)
    assert recorded() == first

    # The saved lesson page shows the progress the server recorded.
    context.set_offline(True)
    page.goto(f"{url}/ky/courses/demo/what-is/")
    expect(page.locator("form.complete")).to_have_count(0)
    context.set_offline(False)

    # The author publishes a new revision: the saved course is refreshed on the next connection.
    new_text = "Жаңы редакция: блокчейн — бөлүштүрүлгөн реестр."
    repo.commit({f"{COURSE_DIR}/lessons/01-what-is/ky.md": LESSON_KY + f"\n{new_text}\n"})
    publish(repo.path)
    new_revision = Course.objects.get(slug="demo").live_revision.uid
    assert new_revision != course.live_revision.uid
    page.goto(f"{url}/ky/courses/demo/")
    context.set_offline(True)
    context.set_offline(False)  # the connection returns
    wait_until(page, META, lambda metas: [m["revision"] for m in metas] == [str(new_revision)])
    context.set_offline(True)
    page.goto(f"{url}/ky/courses/demo/what-is/")
    expect(page.locator(".lesson-body")).to_contain_text(new_text)
    assert recorded() == first  # progress survives the new revision
    context.set_offline(False)

    # Logging out removes everything saved for this learner.
    page.goto(f"{url}/ky/courses/demo/")
    page.locator(".site-menu summary").click()
    with page.expect_navigation():
        page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    wait_until(page, "caches.keys()", lambda names: not any(n.startswith("bilim-") for n in names))
    context.set_offline(True)
    response = None
    with contextlib.suppress(PlaywrightError):  # the browser's own "no connection" page
        response = page.goto(f"{url}/ky/courses/demo/what-is/")
    assert response is None or not response.ok
    expect(page.locator(".lesson-body")).to_have_count(0)
    assert problems == [], problems
    context.close()


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_site_is_installable_with_its_name_in_the_pages_language(live_server, page, lang):
    """Chromium's own check (the one behind "Install app" on Android): a valid manifest with
    icons and a service worker controlling the page, and no installability error but the
    test browser's private window."""
    page.goto(f"{live_server.url}/{lang}/")
    wait_until(page, CONTROLLED, bool)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith(f"/{lang}/manifest.webmanifest")
    assert manifest["errors"] == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are private windows, where nothing installs: the one error left.
    assert [error["errorId"] for error in errors] == ["in-incognito"]
    with override(lang):
        name = gettext("%(site)s: blockchain courses") % {"site": settings.SITE_NAME}
    assert json.loads(manifest["data"])["name"] == name
