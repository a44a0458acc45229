"""The learning rules that pages, the API and the services share (courses/rules.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from courses.rules import attempts_left, requirements_for


@dataclass(frozen=True)
class _Item:
    pk: int
    type: str


@dataclass(frozen=True)
class _Progress:
    completed_at: datetime | None = None
    passed: bool = False
    best_score: int | None = None


ITEMS = [_Item(1, "lesson"), _Item(2, "lesson"), _Item(3, "quiz")]
DONE = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_course_that_names_no_requirements_requires_every_lesson_and_quiz():
    progress = {1: _Progress(completed_at=DONE), 3: _Progress(passed=True, best_score=90)}
    standing = requirements_for(certificate={}, progress=progress, items=ITEMS)
    assert (standing.lessons_done, standing.quizzes_passed) == (1, 1)
    assert not standing.met
    progress[2] = _Progress(completed_at=DONE)
    assert requirements_for(certificate=None, progress=progress, items=ITEMS).met


def test_an_empty_require_list_means_no_lesson_or_quiz_is_required():
    """`require: []` in course.yaml is taken at its word (it used to mean "everything")."""
    standing = requirements_for(certificate={"require": []}, progress={}, items=ITEMS)
    assert standing.require == () and standing.met


def test_a_minimum_average_score_counts_quizzes_not_taken_as_zero():
    certificate = {"require": ["all_lessons"], "min_average_score": 50}
    lessons = {1: _Progress(completed_at=DONE), 2: _Progress(completed_at=DONE)}
    assert not requirements_for(certificate=certificate, progress=lessons, items=ITEMS).met
    passed = {**lessons, 3: _Progress(passed=True, best_score=50)}
    assert requirements_for(certificate=certificate, progress=passed, items=ITEMS).met


def test_attempts_left_never_goes_below_zero_and_unlimited_quizzes_have_no_count():
    assert attempts_left(max_attempts=3, used=1) == 2
    assert attempts_left(max_attempts=3, used=5) == 0
    assert attempts_left(max_attempts=0, used=9) is None
