"""One service per learner's act, the same for the quiz page and the API: `quiz_submit` and
`lesson_mark_done` decide the rate limit, enrolment, attempts, answers and completion, and
refuse with errors that carry a code and a message in the active language."""

import contextlib

import pytest
from django.utils import translation

from courses.models import Enrollment, ItemProgress, QuizAttempt, RevisionItem
from courses.services.learner_actions import (
    QUIZ_SUBMISSIONS_PER_MINUTE,
    ActionRefused,
    InvalidAnswers,
    NoAttemptsLeft,
    NotALesson,
    NotAQuiz,
    SubmissionRateLimited,
    lesson_mark_done,
    quiz_submit,
)
from courses.services.learning import enrollment_create
from tests.content.helpers import ALL_RIGHT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def live(course, key: str) -> RevisionItem:
    course.refresh_from_db()
    return RevisionItem.objects.select_related("item").get(
        revision=course.live_revision_id, item__key=key
    )


def submit(user, course, answers: dict, *, enrollment=None, key: str = "check"):
    return quiz_submit(user=user, revision_item=live(course, key), enrollment=enrollment,
                       answers=answers, language="en")  # fmt: skip


def test_a_first_submission_enrols_grades_and_stores_the_attempt(demo_course):
    user = UserFactory()
    outcome = submit(user, demo_course, ALL_RIGHT)
    assert (outcome.grade.score, outcome.attempt.number, outcome.attempts_left) == (100, 1, 2)
    assert outcome.course_completed is False  # the lessons are not done yet
    assert Enrollment.objects.get(user=user).pk == outcome.attempt.enrollment_id


def test_the_submission_that_meets_the_requirements_reports_the_course_completed(demo_course):
    user = UserFactory()
    enrollment = enrollment_create(user=user, course=demo_course)[0]
    for key in ("what-is", "hashes"):
        lesson_mark_done(user=user, revision_item=live(demo_course, key), enrollment=enrollment)
    outcome = submit(user, demo_course, ALL_RIGHT, enrollment=enrollment)
    assert outcome.course_completed is True


def test_invalid_answers_store_nothing_not_even_the_enrolment(demo_course):
    with pytest.raises(InvalidAnswers) as refused:
        submit(UserFactory(), demo_course, {"term": "ha\x00sh"})
    assert refused.value.code == "invalid_answers"
    assert not Enrollment.objects.exists()
    assert not QuizAttempt.objects.exists()
    assert not ItemProgress.objects.exists()


def test_a_refusal_speaks_the_active_language(demo_course):
    with translation.override("ru"), pytest.raises(InvalidAnswers) as refused:
        submit(UserFactory(), demo_course, {"sha-length": float("nan")})
    with translation.override("ru"):
        assert refused.value.message == (
            "Ответ на вопрос «sha-length» должен быть конечным числом не длиннее 100 цифр."
        )
    with translation.override("en"):
        assert refused.value.message == (
            "The answer to question “sha-length” must be a finite number of at most 100 digits."
        )


def test_attempts_run_out(demo_course):
    user = UserFactory()
    for _ in range(3):
        submit(user, demo_course, {})
    with pytest.raises(NoAttemptsLeft) as refused:
        submit(user, demo_course, ALL_RIGHT)
    with translation.override("en"):
        assert (refused.value.code, refused.value.message) == (
            "no_attempts_left", "You have used all your attempts for this quiz.",
        )  # fmt: skip
    assert QuizAttempt.objects.count() == 3


def test_every_submission_counts_against_the_rate_limit_even_a_refused_one(demo_course):
    user = UserFactory()
    for _ in range(QUIZ_SUBMISSIONS_PER_MINUTE):
        with contextlib.suppress(InvalidAnswers):
            submit(user, demo_course, {"term": "\x00"})
    with pytest.raises(SubmissionRateLimited) as refused:
        submit(user, demo_course, ALL_RIGHT)
    assert refused.value.code == "too_many_requests"
    assert not QuizAttempt.objects.exists()
    submit(UserFactory(), demo_course, ALL_RIGHT)  # another learner is not held back


def test_a_lesson_takes_no_answers_and_a_quiz_is_not_marked_done(demo_course):
    user = UserFactory()
    with pytest.raises(NotAQuiz):
        submit(user, demo_course, {}, key="what-is")
    with pytest.raises(NotALesson) as refused:
        lesson_mark_done(user=user, revision_item=live(demo_course, "check"), enrollment=None)
    with translation.override("ky"):
        assert refused.value.message == "Аткарылды деп сабакты гана белгилөөгө болот."
    assert not Enrollment.objects.exists()


def test_marking_a_lesson_done_enrols_once_and_is_idempotent(demo_course):
    user = UserFactory()
    lesson = live(demo_course, "what-is")
    first = lesson_mark_done(user=user, revision_item=lesson, enrollment=None)
    again = lesson_mark_done(user=user, revision_item=lesson,
                             enrollment=Enrollment.objects.get(user=user))  # fmt: skip
    assert first.pk == again.pk
    assert first.completed_at == again.completed_at
    assert Enrollment.objects.filter(user=user).count() == 1


def test_someone_elses_enrolment_is_never_used(demo_course):
    other = enrollment_create(user=UserFactory(), course=demo_course)[0]
    with pytest.raises(ValueError):
        submit(UserFactory(), demo_course, ALL_RIGHT, enrollment=other)
    assert not QuizAttempt.objects.exists()


def test_every_refusal_is_an_action_refused_with_a_code_and_a_message():
    for error in (NoAttemptsLeft, NotAQuiz, NotALesson, SubmissionRateLimited):
        assert issubclass(error, ActionRefused)
        assert error().code and error().message
