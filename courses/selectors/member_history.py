"""One cohort member's item-by-item record, for their instructors (removed members too:
their history stays). Who may read it is decided first, in `courses.selectors.cohort_access`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from courses.models import (
    Certificate,
    Cohort,
    CohortMembership,
    ItemProgress,
    ItemType,
    QuizAttempt,
)
from courses.selectors.cohort_reports import ItemColumn, cohort_items


@dataclass
class HistoryItem:
    column: ItemColumn
    progress: ItemProgress | None
    attempts: list[QuizAttempt]

    @property
    def state(self) -> str:
        if self.progress is None:
            return "not_started"
        if self.column.type in (ItemType.QUIZ, ItemType.LAB):  # graded: passed or not
            if self.progress.passed:
                return "passed"
            return "failed" if self.progress.attempt_count else "not_started"
        return "done" if self.progress.completed_at else "not_started"


@dataclass
class MemberHistory:
    cohort: Cohort
    membership: CohortMembership
    items: list[HistoryItem]
    certificate: Certificate | None

    @property
    def progress(self) -> int:
        done = sum(1 for i in self.items if i.progress and i.progress.completed_at)
        return int(100 * done / len(self.items)) if self.items else 0


def member_history(*, cohort: Cohort, user_id: int, language: str) -> MemberHistory:
    """One member's item-by-item record (removed members too: their history stays)."""
    membership = (
        CohortMembership.objects.filter(cohort=cohort, user_id=user_id)
        .select_related("user", "enrollment")
        .first()
    )
    if membership is None:
        raise Http404
    columns = cohort_items(cohort, language)
    progress = {
        p.item_id: p for p in ItemProgress.objects.filter(enrollment_id=membership.enrollment_id)
    }
    attempts: dict[int, list[QuizAttempt]] = {}
    for attempt in QuizAttempt.objects.filter(enrollment_id=membership.enrollment_id).order_by(
        "created_at"
    ):
        attempts.setdefault(attempt.item_id, []).append(attempt)
    certificate = Certificate.objects.filter(course_id=cohort.course_id, user_id=user_id).first()
    return MemberHistory(
        cohort=cohort,
        membership=membership,
        items=[
            HistoryItem(c, progress.get(c.item_id), attempts.get(c.item_id, [])) for c in columns
        ],
        certificate=certificate,
    )
