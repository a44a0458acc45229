"""Writes of a learner's journey: enrol, record progress, submit quiz attempts, complete.

Lab attempts (`courses.services.labs`) are stored and counted by the same `attempt_slot` and
`attempt_record` as quiz attempts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.content.answers import AnswerShapeError, answers_clean
from courses.content.labgrading import LabGrade
from courses.models import (
    Course,
    Enrollment,
    Item,
    ItemProgress,
    ItemType,
    QuizAttempt,
    RevisionItem,
)
from courses.rules import attempts_left, requirements_for
from courses.services.grading import Grade, grade
from courses.signals import course_completed
from lms.models import User


class ActionRefused(Exception):
    """A learner's act that the rules refuse. ``code`` names it for the API; ``message``
    says it to a person, in the active language. Pages and the API only translate these
    into a message or a status."""

    code = "refused"
    default_message: str | Promise = ""

    @property
    def message(self) -> str:
        return str(self.default_message)


class NoAttemptsLeft(ActionRefused):
    """The quiz or lab allows ``max_attempts`` attempts and all were used."""

    code = "no_attempts_left"
    default_message = _("You have used all your attempts for this quiz.")


class NoLabAttemptsLeft(NoAttemptsLeft):
    default_message = _("You have used all your attempts for this lab.")


class NotAQuiz(ActionRefused):
    code = "not_a_quiz"
    default_message = _("Only a quiz or a lab takes answers.")


class NotALesson(ActionRefused, ValueError):
    code = "not_a_lesson"
    default_message = _("Only a lesson can be marked as done.")


class InvalidAnswers(ActionRefused):
    """The answers' shape or size is not one the quiz takes (see `answers_clean`)."""

    code = "invalid_answers"

    def __init__(self, problem: AnswerShapeError) -> None:
        super().__init__(str(problem))
        self.problem = problem

    @property
    def message(self) -> str:
        return gettext(self.problem.template) % self.problem.params


class NotEnrolled(Exception):
    pass


@dataclass(frozen=True)
class AttemptOutcome:
    attempt: QuizAttempt
    grade: Grade | LabGrade
    attempts_left: int | None  # None: unlimited
    best_score: int
    course_completed: bool


def enrollment_create(*, user: User, course: Course) -> tuple[Enrollment, bool]:
    """Enrol ``user``; idempotent (a double click or a parallel request enrols once)."""
    try:
        with transaction.atomic():
            return Enrollment.objects.get_or_create(user=user, course=course)
    except IntegrityError:
        return Enrollment.objects.get(user=user, course=course), False


def enrollment_touch(*, enrollment: Enrollment, item: Item) -> None:
    """Remember where the learner is, for "continue where you left off"."""
    if enrollment.last_item_id != item.pk:
        Enrollment.objects.filter(pk=enrollment.pk).update(
            last_item=item, last_activity_at=timezone.now()
        )
        enrollment.last_item = item


def _progress(enrollment: Enrollment, item: Item) -> ItemProgress:
    try:
        with transaction.atomic():
            progress, _ = ItemProgress.objects.get_or_create(enrollment=enrollment, item=item)
    except IntegrityError:
        progress = ItemProgress.objects.get(enrollment=enrollment, item=item)
    return progress


@transaction.atomic
def lesson_complete(*, enrollment: Enrollment, item: Item) -> ItemProgress:
    """Record a lesson as done; doing it twice changes nothing."""
    if item.type != ItemType.LESSON:
        raise NotALesson
    if item.course_id != enrollment.course_id:
        raise ValueError("only a lesson of the enrolled course can be completed")
    progress = _progress(enrollment, item)
    now = timezone.now()
    if progress.completed_at is None:
        ItemProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        progress.completed_at = now
    Enrollment.objects.filter(pk=enrollment.pk).update(last_item=item, last_activity_at=now)
    enrollment_check_completion(enrollment=enrollment)
    return progress


@transaction.atomic
def quiz_attempt_submit(
    *,
    enrollment: Enrollment,
    revision_item: RevisionItem,
    answers: Mapping[str, Any],
    language: str,
) -> AttemptOutcome:
    """Grade on the server, store the attempt and keep the best score.

    Answers of a shape or size the quiz does not take raise `InvalidAnswers` and nothing is
    stored. The enrolment row is locked, so parallel submissions by one learner are counted
    one after the other; the attempt's number and limit are also checked by the database.
    """
    quiz = revision_item.quiz
    item = revision_item.item
    if item.type != ItemType.QUIZ or not quiz:
        raise NotAQuiz
    try:
        clean_answers = answers_clean(quiz=quiz, answers=answers)
    except AnswerShapeError as problem:
        raise InvalidAnswers(problem) from problem
    max_attempts = int(quiz.get("max_attempts", 0))
    locked, used = attempt_slot(enrollment=enrollment, item=item, max_attempts=max_attempts)
    result = grade(
        quiz, clean_answers, language=language, pass_threshold=int(quiz["pass_threshold"])
    )
    return attempt_record(
        enrollment=locked, revision_item=revision_item, used=used, max_attempts=max_attempts,
        answers=clean_answers, graded=result,
        results={r.id: {"correct": r.correct, "earned": r.earned} for r in result.results},
    )  # fmt: skip


def attempt_slot(*, enrollment: Enrollment, item: Item, max_attempts: int) -> (
    tuple[Enrollment, int]
):  # fmt: skip
    """Lock the learner's enrolment (parallel submissions are counted one after the other)
    and count their attempts at ``item``; `NoAttemptsLeft` when ``max_attempts`` are used."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    used = QuizAttempt.objects.filter(enrollment=locked, item=item).count()
    if max_attempts and used >= max_attempts:
        raise _no_attempts_left(item)
    return locked, used


def _no_attempts_left(item: Item) -> NoAttemptsLeft:
    return NoLabAttemptsLeft() if item.type == ItemType.LAB else NoAttemptsLeft()


def attempt_record(
    *,
    enrollment: Enrollment,
    revision_item: RevisionItem,
    used: int,
    max_attempts: int,
    answers: dict[str, Any],
    graded: Grade | LabGrade,
    results: dict[str, Any],
) -> AttemptOutcome:
    """Store a graded attempt at a quiz or lab (in the enrolment locked by `attempt_slot`),
    keep the best score, mark the item passed and the course complete when they are."""
    item = revision_item.item
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrollment=enrollment,
                item=item,
                revision_id=revision_item.revision_id,
                number=used + 1,
                max_attempts=max_attempts,
                answers=answers,
                results=results,
                score=graded.score,
                passed=graded.passed,
            )
    except IntegrityError as exc:
        raise _no_attempts_left(item) from exc
    progress = _progress(enrollment, item)
    progress.attempt_count = used + 1
    progress.best_score = max(progress.best_score or 0, graded.score)
    progress.passed = progress.passed or graded.passed
    if graded.passed and progress.completed_at is None:
        progress.completed_at = timezone.now()
    progress.save(
        update_fields=["attempt_count", "best_score", "passed", "completed_at", "updated_at"]
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        last_item=item, last_activity_at=timezone.now()
    )
    completed = enrollment_check_completion(enrollment=enrollment)
    left = attempts_left(max_attempts=max_attempts, used=used + 1)
    return AttemptOutcome(
        attempt=attempt, grade=graded, attempts_left=left, best_score=progress.best_score,
        course_completed=completed,
    )  # fmt: skip


def enrollment_check_completion(*, enrollment: Enrollment) -> bool:
    """Mark the enrolment complete when the live revision's requirements are met, and send
    `course_completed` once, after the transaction commits."""
    if enrollment.completed_at:
        return True
    course = Course.objects.select_related("live_revision").get(pk=enrollment.course_id)
    revision = course.live_revision
    if revision is None:
        return False
    items = [ri.item for ri in revision.revision_items.select_related("item")]
    progress = {p.item_id: p for p in ItemProgress.objects.filter(enrollment=enrollment)}
    if not requirements_for(certificate=revision.certificate, progress=progress, items=items).met:
        return False
    updated = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    if updated:
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrollment, enrollment=enrollment)
        )
    return True
