"""The Content-Security-Policy in a real browser: a lesson, a quiz and the dashboard load with
no violation reported, and the site's JavaScript (static/js/site.js) still does its work."""

import pytest

from courses.models import Course
from courses.services.publishing import import_run_create, import_run_execute
from tests.factories import PASSWORD, UserFactory
from tests.gitrepo import make_repo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs; records what the browser refused and why.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
});
"""


@pytest.fixture
def course(tmp_path) -> Course:
    repo = make_repo(tmp_path / "repo")
    import_run_execute(run=import_run_create(location=str(repo.path)))
    return Course.objects.get(slug="demo")


@pytest.fixture
def wide_page(live_server, browser):
    """A learner's page at 1280 px (the outline beside a lesson opens from 60rem), listening
    for violations both as events and as the console messages Chromium writes for them."""
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_violations = []

    def heard(message) -> None:
        if "Content Security Policy" in message.text:
            page.console_violations.append(message.text)

    page.on("console", heard)
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.console_violations


def test_lesson_quiz_and_dashboard_load_without_violations_and_their_script_works(
    live_server, wide_page, course
):
    page, url = wide_page, live_server.url
    UserFactory(email="aida@example.org", language="en")
    page.goto(f"{url}/en/accounts/login/")
    page.locator("input[name=login]").fill("aida@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/en/")

    page.goto(f"{url}/en/courses/demo/hashes/")
    assert page.locator("article img").count() >= 1  # the lesson's own image is let in
    assert page.locator("article img").first.evaluate("img => img.naturalWidth") > 0
    # site.js opened the outline, as it does on wide screens only.
    assert page.locator("details.outline[data-open-wide]").evaluate("d => d.open") is True
    assert page.evaluate("[...document.styleSheets].every(sheet => sheet.cssRules.length)")
    assert violations(page) == []

    page.locator("form.complete").first.locator("button[type=submit]").click()  # enrol
    page.goto(f"{url}/en/courses/demo/check/")
    quiz = page.locator("form.quiz")
    quiz.locator("input[name=q-block-stores][value=prev-hash]").check()
    quiz.locator("input[name=q-properties][value=open]").check()
    quiz.locator("input[name=q-hash-changes][value=true]").check()
    quiz.locator("input[name=q-sha-length]").fill("64")
    quiz.locator("input[name=q-term]").fill("hash")
    quiz.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/en/courses/demo/check/?attempt=1#result")
    assert "passed" in page.locator("section.quiz-result").get_attribute("class")
    # site.js moved keyboard and screen-reader focus to the result.
    assert page.evaluate("document.activeElement.id") == "result"
    assert violations(page) == []

    page.goto(f"{url}/en/dashboard/")
    assert page.locator("main h1").count() == 1
    assert violations(page) == []


def test_an_inline_script_would_be_reported(live_server, wide_page, course):
    """The listeners hear a violation when there is one: the policy is really enforced."""
    page = wide_page
    page.goto(f"{live_server.url}/en/courses/demo/what-is/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in violations(page))
