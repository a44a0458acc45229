"""A learner's whole journey in a real browser, in Kyrgyz: sign up, enrol, read every lesson,
fail the quiz, read the explanations, pass it, switch to Russian mid-course and back, finish.

Clicks use stable hooks (form actions, input names, classes, roles) rather than interface
texts, which translators may still change; course texts come from the demo repository."""

import re

import pytest

from courses.models import Course, Enrollment
from courses.services.publishing import import_run_create, import_run_execute
from lms.models import User
from tests.gitrepo import make_repo
from tests.mailbox import sent_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "тоо-суу-2026-bilim"
EMAIL = "bakyt@example.org"


@pytest.fixture
def course(tmp_path) -> Course:
    """The demo course of tests/content/helpers.py, imported from a real Git repository."""
    repo = make_repo(tmp_path / "repo")
    import_run_execute(run=import_run_create(location=str(repo.path)))
    return Course.objects.get(slug="demo")


def outline_states(page) -> dict[str, str]:
    """Item key → state (not_started, done, failed, passed) from the course outline."""
    states = {}
    for entry in page.locator(".outline-items > li").all():
        key = entry.locator("a").get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
        states[key] = re.search(r"state-(\w+)", entry.get_attribute("class")).group(1)
    return states


def outline_progress(page) -> str:
    return re.search(r"(\d+)\s*%", page.locator("details.outline > summary").inner_text()).group(1)


def test_kyrgyz_learner_signs_up_fails_then_passes_the_quiz_and_completes_the_course(
    live_server, page, course, tmp_path
):
    url = live_server.url
    shot = iter(range(1, 100))

    def screenshot(name: str) -> None:
        page.screenshot(path=str(tmp_path / f"{next(shot):02d}-{name}.png"), full_page=True)

    # Sign up with the real form, confirm the address from the email, log in.
    page.goto(f"{url}/ky/")
    assert page.locator("html").get_attribute("lang") == "ky"
    page.locator(".site-menu summary").click()  # a phone: the account links are in the menu
    page.locator(".site-menu a[href^='/ky/accounts/signup/']").click()
    page.wait_for_url(re.compile(r"/ky/accounts/signup/"))
    page.locator("input[name=name]").fill("Бакыт Токтогулов")
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    screenshot("signup")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ky/accounts/confirm-email/$"))
    assert User.objects.get(email=EMAIL).language == "ky"

    link = re.search(r"https?://\S+/confirm-email/\S+", sent_mail()[-1].body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ky/accounts/login/"))
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/ky/")
    assert page.locator(".site-menu summary .menu-user").inner_text() == "Бакыт"

    # The catalogue lists the course; its page offers enrolment.
    page.locator(".main-nav a[href='/ky/courses/']").click()
    page.wait_for_url(f"{url}/ky/courses/")
    card = page.locator(".cards .card").filter(has_text="Демо курс")
    screenshot("catalogue")
    card.get_by_role("link", name="Демо курс").click()
    page.wait_for_url(f"{url}/ky/courses/demo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Демо курс"
    assert page.get_by_role("button", name="Курска жазылуу").is_visible()
    screenshot("course")

    # Enrolling opens the first lesson.
    page.locator("main form[action='/ky/courses/demo/enroll/'] button").click()
    page.wait_for_url(f"{url}/ky/courses/demo/what-is/")
    assert page.locator(".messages .message-success").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Блокчейн деген эмне?"
    assert outline_states(page) == {"what-is": "not_started", "hashes": "not_started",
                                    "check": "not_started"}  # fmt: skip
    assert outline_progress(page) == "0"
    screenshot("lesson-1")

    # "Complete and continue" records the lesson and opens the next one.
    next_button = page.locator(".item-nav form button.next")
    assert next_button.inner_text().startswith("Аяктап, улантуу")
    next_button.click()
    page.wait_for_url(f"{url}/ky/courses/demo/hashes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Хештер"
    assert outline_states(page)["what-is"] == "done"
    assert outline_progress(page) == "33"

    # Mid-course the learner switches to Russian: the same lesson, progress kept.
    page.locator(".site-menu summary").click()
    page.locator(".language-switcher button[value=ru]").click()
    page.wait_for_url(f"{url}/ru/courses/demo/hashes/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "Хеши"
    assert "Каждый блок хранит хеш предыдущего блока." in page.locator(".lesson-body").inner_text()
    assert outline_states(page)["what-is"] == "done"
    assert outline_progress(page) == "33"
    screenshot("lesson-2-ru")

    # "Mark as complete" in Russian counts for the course in every language.
    page.locator("main form.complete button").click()
    page.wait_for_url(f"{url}/ru/courses/demo/hashes/")
    assert outline_states(page) == {"what-is": "done", "hashes": "done", "check": "not_started"}
    assert outline_progress(page) == "66"
    assert page.locator("main form.complete").count() == 0

    page.locator(".site-menu summary").click()
    page.locator(".language-switcher button[value=ky]").click()
    page.wait_for_url(f"{url}/ky/courses/demo/hashes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Хештер"
    assert outline_progress(page) == "66"
    page.locator(".item-nav a.next").click()
    page.wait_for_url(f"{url}/ky/courses/demo/check/")
    quiz = page.locator("form.quiz")
    assert quiz.locator("fieldset.question").count() == 5
    screenshot("quiz")

    # Wrong answers: the quiz is failed and every answer is explained.
    quiz.locator("input[name=q-block-stores][value=password]").check()
    quiz.locator("input[name=q-properties][value=owned]").check()
    quiz.locator("input[name=q-hash-changes][value=false]").check()
    quiz.locator("input[name=q-sha-length]").fill("32")
    quiz.locator("input[name=q-term]").fill("сыр сөз")
    quiz.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/ky/courses/demo/check/?attempt=1#result")
    result = page.locator("section.quiz-result")
    assert "failed" in result.get_attribute("class")
    assert "0%" in result.get_by_role("heading", level=2).inner_text()
    assert result.locator(".review > li.wrong").count() == 5
    assert "256 / 4 = 64" in result.locator(".explanation").inner_text()
    assert result.locator(".review-options .is-correct").first.is_visible()
    assert page.evaluate("document.activeElement.id") == "result"  # focus moved to the result
    assert outline_states(page)["check"] == "failed"
    screenshot("quiz-failed")

    # The second attempt, below the result, passes.
    quiz = page.locator("form.quiz")
    quiz.locator("input[name=q-block-stores][value=prev-hash]").check()
    quiz.locator("input[name=q-properties][value=open]").check()
    quiz.locator("input[name=q-hash-changes][value=true]").check()
    quiz.locator("input[name=q-sha-length]").fill("64")
    quiz.locator("input[name=q-term]").fill("хеш")
    quiz.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/ky/courses/demo/check/?attempt=2#result")
    result = page.locator("section.quiz-result.passed")
    assert "100%" in result.get_by_role("heading", level=2).inner_text()
    assert result.locator(".review > li.right").count() == 5
    assert outline_states(page) == {"what-is": "done", "hashes": "done", "check": "passed"}
    assert outline_progress(page) == "100"
    screenshot("quiz-passed")

    # The dashboard shows the finished course and both attempts; the course page shows 100%.
    page.locator(".site-menu summary").click()
    page.locator(".site-menu a[href='/ky/dashboard/']").click()
    page.wait_for_url(f"{url}/ky/dashboard/")
    screenshot("dashboard")
    completed = page.locator("section[aria-labelledby=done-title]")
    finished = completed.locator(".card").filter(has_text="Демо курс")
    assert finished.locator(".badge.ok").is_visible()  # "Completed"
    scores = page.locator(".result-list .result-score strong").all_inner_texts()
    assert [s.split("%")[0] for s in scores] == ["100", "0"]
    finished.get_by_role("link", name="Демо курс").click()
    page.wait_for_url(f"{url}/ky/courses/demo/")
    assert page.locator("main .progress progress").get_attribute("value") == "100"
    assert page.locator("main .celebrate .done-note").is_visible()
    assert page.locator("main .side-card").count() == 0  # no "continue" at 100%
    screenshot("course-done")

    enrollment = Enrollment.objects.get(user__email=EMAIL, course=course)
    assert enrollment.completed_at is not None
