"""The learner's dashboard: their courses, certificates and recent quiz results."""

from __future__ import annotations

from dataclasses import dataclass, field

from courses.content import pick_text
from courses.models import Certificate, CohortMembership, Enrollment, ItemText, QuizAttempt
from courses.models.catalog import revision_text_fields
from courses.selectors.catalog import CourseCard, done_counts
from courses.selectors.certificates import certificates_for_learner
from lms.models import User


@dataclass
class DashboardEntry:
    enrollment: Enrollment
    card: CourseCard
    cohorts: list[CohortMembership] = field(default_factory=list)  # the learner's current ones


@dataclass
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]
    recent_attempts: list[QuizAttempt]
    certificates: list[Certificate] = field(default_factory=list)


def dashboard(*, user: User, language: str) -> Dashboard:
    enrollments = list(
        Enrollment.objects.filter(user=user, course__live_revision__isnull=False)
        .select_related("course__live_revision")
        .defer(*revision_text_fields("course__live_revision"))
        .order_by("-last_activity_at", "-created_at")
    )
    done = done_counts(enrollments)
    cohorts: dict[int, list[CohortMembership]] = {}
    for membership in (
        CohortMembership.objects.filter(user=user, removed_at__isnull=True)
        .select_related("cohort__organization")
        .defer("cohort__organization__logo")
    ):
        cohorts.setdefault(membership.enrollment_id, []).append(membership)
    entries: list[DashboardEntry] = []
    for enrollment in enrollments:
        revision = enrollment.course.live_revision
        assert revision is not None  # only enrolments in live courses are read
        title, _used = revision.title_in(language)
        total = revision.item_count
        entries.append(
            DashboardEntry(
                enrollment=enrollment,
                card=CourseCard(
                    course=enrollment.course,
                    revision=revision,
                    title=title,
                    summary="",
                    complete_in_language=revision.is_complete_in(language),
                    progress=int(100 * done.get(enrollment.pk, 0) / total) if total else 0,
                    completed=enrollment.completed_at is not None,
                ),
                cohorts=cohorts.get(enrollment.pk, []),
            )
        )
    attempts = list(
        QuizAttempt.objects.filter(enrollment__user=user)
        .select_related("enrollment__course__live_revision", "item")
        .defer("answers", "results", *revision_text_fields("enrollment__course__live_revision"))
        .order_by("-created_at")[:10]
    )
    _attach_quiz_titles(attempts, language)
    return Dashboard(
        in_progress=[e for e in entries if not e.card.completed],
        completed=[e for e in entries if e.card.completed],
        recent_attempts=attempts,
        certificates=certificates_for_learner(user=user),
    )


def _attach_quiz_titles(attempts: list[QuizAttempt], language: str) -> None:
    """Set ``quiz_title`` on each attempt: the quiz's title in the course's live revision, in
    ``language`` with fallback (its id when the quiz is no longer in the course). One query."""
    if not attempts:
        return
    titles: dict[tuple[int | None, int], dict[str, str]] = {}  # (revision id, item id)
    rows = ItemText.objects.filter(
        revision_item__revision_id__in={a.enrollment.course.live_revision_id for a in attempts},
        revision_item__item_id__in={a.item_id for a in attempts},
    ).values_list("revision_item__revision_id", "revision_item__item_id", "language", "title")
    for revision_id, item_id, text_language, title in rows:
        titles.setdefault((revision_id, item_id), {})[text_language] = title
    for attempt in attempts:
        key = (attempt.enrollment.course.live_revision_id, attempt.item_id)
        quiz_title, _used = pick_text(titles.get(key, {}), language)
        attempt.quiz_title = quiz_title or attempt.item.key
