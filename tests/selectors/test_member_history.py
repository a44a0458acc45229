"""A member's history states: quizzes and labs are graded (passed, or tried and not passed
yet), lessons are done or not."""

import pytest

from courses.models import ItemProgress, ItemType
from courses.selectors.cohort_reports import ItemColumn
from courses.selectors.member_history import HistoryItem


def state(kind: str, **progress) -> str:
    found = ItemProgress(**progress) if progress else None
    return HistoryItem(column=ItemColumn(1, "x", kind, "X"), progress=found, attempts=[]).state


@pytest.mark.parametrize("kind", [ItemType.QUIZ, ItemType.LAB])
def test_a_graded_item_is_passed_failed_or_not_started(kind):
    assert state(kind, passed=True, attempt_count=1) == "passed"
    assert state(kind, passed=False, attempt_count=2) == "failed"
    assert state(kind, passed=False, attempt_count=0) == "not_started"
    assert state(kind) == "not_started"


def test_a_lesson_is_done_or_not():
    from django.utils import timezone

    assert state(ItemType.LESSON, completed_at=timezone.now()) == "done"
    assert state(ItemType.LESSON, attempt_count=0) == "not_started"
