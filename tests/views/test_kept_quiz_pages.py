"""A quiz's page is kept whole per kind of reader and order of options
(`courses.templatetags.quiz_pages`): each learner still sees their own order, attempts left,
best score and CSRF token, and the page never holds an answer."""

import re

import pytest

from courses.services.learning import enrollment_create, quiz_attempt_submit
from tests.content.helpers import QUIZ_RIGHT_ANSWERS
from tests.factories import UserFactory
from tests.views.test_page_caching import page, plain, publish, without_tokens

pytestmark = pytest.mark.django_db

QUIZ = "/en/courses/demo/check/"


@pytest.fixture
def course(repo):
    return publish(repo)


def attempt(course, user, answers) -> None:
    enrollment, _created = enrollment_create(user=user, course=course)
    quiz = course.live_revision.revision_items.get(item__key="check")
    quiz_attempt_submit(enrollment=enrollment, revision_item=quiz, answers=answers, language="en")


def facts(html: str) -> list[str]:
    """The texts of the quiz's facts row (questions, pass mark, attempts, best score)."""
    row = re.search(r'<ul class="facts-row">(.*?)</ul>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", row)]


def option_order(html: str) -> list[str]:
    return re.findall(r'name="q-(?:block-stores|properties)" id="q-[a-z-]+-([a-z-]+)"', html)


@pytest.mark.parametrize("reader", ["visitor", "signed in", "enrolled", "tried", "exhausted"])
@pytest.mark.parametrize("path", [QUIZ, "/ky/courses/demo/check/"])
def test_a_kept_quiz_page_is_the_page_the_templates_render(client, course, reader, path,
                                                           monkeypatch):  # fmt: skip
    if reader != "visitor":
        user = UserFactory(name="Ann")
        if reader == "enrolled":
            enrollment_create(user=user, course=course)
        for _ in range({"tried": 1, "exhausted": 3}.get(reader, 0)):
            attempt(course, user, {"term": "no"})
        client.force_login(user)
    first, again = page(client, path), page(client, path)
    assert (
        without_tokens(first)
        == without_tokens(again)
        == without_tokens(plain(client, path, monkeypatch))
    )


def test_each_learner_sees_their_own_attempts_and_best_score(client, course):
    ann, bob = UserFactory(), UserFactory()
    attempt(course, ann, QUIZ_RIGHT_ANSWERS)
    attempt(course, bob, {"term": "no"})
    attempt(course, bob, {"term": "hash"})
    client.force_login(ann)
    assert facts(page(client, QUIZ))[2:] == ["2 attempts left", "Best score 100%"]
    client.force_login(bob)
    assert facts(page(client, QUIZ))[2:] == ["1 attempt left", "Best score 20%"]
    attempt(course, bob, {"term": "no"})
    html = page(client, QUIZ)
    assert facts(html)[2:] == ["0 attempts left", "Best score 20%"]
    assert "You have used all your attempts for this quiz." in html
    assert 'class="quiz"' not in html
    client.force_login(ann)
    assert 'class="quiz"' in page(client, QUIZ)


def test_each_learner_and_attempt_gets_its_own_order_of_options(client, course, monkeypatch):
    """Options are shuffled per learner and attempt; a kept page never hands one learner's
    order to another."""
    orders = {}
    for number in range(8):
        user = UserFactory()
        enrollment_create(user=user, course=course)
        client.force_login(user)
        expected = option_order(plain(client, QUIZ, monkeypatch))
        assert option_order(page(client, QUIZ)) == expected
        orders[number] = tuple(expected)
    assert len(set(orders.values())) > 1  # the options are shuffled at all
    attempt(course, user, {"term": "no"})
    after = option_order(page(client, QUIZ))
    assert after == option_order(plain(client, QUIZ, monkeypatch))


def test_a_kept_quiz_page_holds_no_answer(client, course):
    client.force_login(UserFactory())
    html = page(client, QUIZ)
    assert "256 / 4 = 64" not in html  # an explanation
    assert "correct" not in html.lower()
    assert 'value="prev-hash"' in html  # the options are there, not which is right


def test_only_a_page_that_reviews_an_attempt_reads_the_attempts(client, course):
    """The attempts left come from the learner's progress; the attempts themselves (with
    their answers) are read only to show one of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    attempt(course, user, {"term": "no"})
    client.force_login(user)
    page(client, QUIZ)
    with CaptureQueriesContext(connection) as queries:
        assert facts(page(client, QUIZ))[2:] == ["2 attempts left", "Best score 0%"]
    assert not [q for q in queries if "courses_quizattempt" in (q["sql"] or "")]
    with CaptureQueriesContext(connection) as queries:
        assert "Not passed: 0%" in page(client, QUIZ + "?attempt=1")
    assert [q for q in queries if "courses_quizattempt" in (q["sql"] or "")]
