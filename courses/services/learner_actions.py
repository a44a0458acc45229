"""A learner's acts on an item, the same for the page and the API: submitting a quiz or a
lab, asking a keys lab for a challenge, and marking a lesson done.

Each is one function that decides everything (rate limit, enrolment, attempts left, the
answers' shape, grading, completion) and raises an `ActionRefused` the caller turns into a
message on the page or a status with ``{"code", "message"}`` in the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courses.models import Enrollment, ItemProgress, ItemType, LabChallenge, RevisionItem
from courses.services.labs import (
    ChallengeExpired,
    ChallengeUsed,
    NoChallenge,
    NotAKeysLab,
    lab_attempt_submit,
    lab_challenge_issue,
)
from courses.services.learning import (
    ActionRefused,
    AttemptOutcome,
    InvalidAnswers,
    NoAttemptsLeft,
    NotALesson,
    NotAQuiz,
    enrollment_create,
    lesson_complete,
    quiz_attempt_submit,
)
from lms.models import User
from lms.ratelimit import rate_limit_exceeded

__all__ = [
    "QUIZ_SUBMISSIONS_PER_MINUTE", "ActionRefused", "ChallengeExpired", "ChallengeUsed",
    "InvalidAnswers", "NoAttemptsLeft", "NoChallenge", "NotAKeysLab", "NotALesson", "NotAQuiz",
    "SubmissionRateLimited", "attempt_submit", "lab_challenge_request", "lesson_mark_done",
    "quiz_submit",
]  # fmt: skip

QUIZ_SUBMISSIONS_PER_MINUTE = 10


class SubmissionRateLimited(ActionRefused):
    code = "too_many_requests"
    default_message = _("You are submitting too fast. Wait a minute and try again.")


def _learner_enrollment(*, user: User, revision_item: RevisionItem,
                        enrollment: Enrollment | None) -> Enrollment:  # fmt: skip
    """The learner's enrolment in the item's course; enrols them when they are not yet."""
    item = revision_item.item
    if enrollment is None:
        return enrollment_create(user=user, course=item.course)[0]
    if enrollment.user_id != user.pk or enrollment.course_id != item.course_id:
        raise ValueError("the enrolment is not this learner's in this item's course")
    return enrollment


@transaction.atomic
def attempt_submit(
    *,
    user: User,
    revision_item: RevisionItem,
    enrollment: Enrollment | None,
    answers: Mapping[str, Any],
    language: str,
) -> AttemptOutcome:
    """Grade and store one attempt at the quiz or lab ``revision_item`` by ``user``.

    ``enrollment`` is the learner's enrolment in the course when the caller has it already
    (None: enrol them). Refusals, in the order they are checked: `NotAQuiz` (neither a quiz
    nor a lab), `SubmissionRateLimited` (every call counts, quizzes and labs together),
    `InvalidAnswers`, `NoAttemptsLeft`, and for a keys lab `NoChallenge`, `ChallengeUsed`,
    `ChallengeExpired`. A refused submission stores nothing, not even the enrolment it would
    have made.
    """
    kind = revision_item.item.type
    if not (kind == ItemType.QUIZ and revision_item.quiz) and not (
        kind == ItemType.LAB and revision_item.lab
    ):
        raise NotAQuiz
    if rate_limit_exceeded(
        scope="quiz", key=str(user.pk), limit=QUIZ_SUBMISSIONS_PER_MINUTE, period=60
    ):
        raise SubmissionRateLimited
    submit = lab_attempt_submit if kind == ItemType.LAB else quiz_attempt_submit
    return submit(
        enrollment=_learner_enrollment(user=user, revision_item=revision_item,
                                       enrollment=enrollment),
        revision_item=revision_item,
        answers=answers,
        language=language,
    )  # fmt: skip


quiz_submit = attempt_submit  # the name the quiz page has always called


@transaction.atomic
def lab_challenge_request(*, user: User, revision_item: RevisionItem,
                          enrollment: Enrollment | None) -> LabChallenge:  # fmt: skip
    """The challenge ``user`` signs in the keys lab ``revision_item``, enrolling them if
    needed: their open one, else a new one. `NotAKeysLab` (and no enrolment) for any other
    item."""
    if revision_item.item.type != ItemType.LAB or (revision_item.lab or {}).get("kind") != "keys":
        raise NotAKeysLab
    return lab_challenge_issue(
        enrollment=_learner_enrollment(user=user, revision_item=revision_item,
                                       enrollment=enrollment),
        revision_item=revision_item,
    )  # fmt: skip


def lesson_mark_done(*, user: User, revision_item: RevisionItem,
                     enrollment: Enrollment | None) -> ItemProgress:  # fmt: skip
    """Record the lesson ``revision_item`` as done by ``user``, enrolling them if needed;
    idempotent. Raises `NotALesson` (and enrols no one) for any other item."""
    if revision_item.item.type != ItemType.LESSON:
        raise NotALesson
    return lesson_complete(
        enrollment=_learner_enrollment(user=user, revision_item=revision_item,
                                       enrollment=enrollment),
        item=revision_item.item,
    )  # fmt: skip
