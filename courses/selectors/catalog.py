"""Reads for the catalogue and the glossary."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from courses.models import Course, CourseRevision, Enrollment, GlossaryTerm, ItemProgress
from lms.models import User


@dataclass
class CourseCard:
    course: Course
    revision: CourseRevision
    title: str
    summary: str
    complete_in_language: bool
    progress: int | None  # None when not enrolled
    completed: bool


def course_live(*, slug: str) -> Course:
    """The course ``slug`` if it has a live revision; 404 otherwise."""
    course = Course.objects.filter(slug=slug, live_revision__isnull=False).first()
    if course is None:
        raise Http404
    return course


def catalog(
    *,
    language: str,
    user: User | AnonymousUser | None = None,
    level: str = "",
    tag: str = "",
    query: str = "",
) -> list[CourseCard]:
    """Live courses whose title exists in ``language``, filtered and with the learner's progress."""
    courses = list(
        Course.objects.filter(live_revision__isnull=False)
        .select_related("live_revision")
        .order_by("slug")
    )
    needle = query.strip().casefold()
    cards: list[CourseCard] = []
    for course in courses:
        revision = course.live_revision
        assert revision is not None  # only live courses are read
        if language not in revision.title:
            continue
        if level and revision.level != level:
            continue
        if tag and tag not in revision.tags:
            continue
        if needle and needle not in revision.search_text.get(language, ""):
            continue
        cards.append(
            CourseCard(
                course=course,
                revision=revision,
                title=revision.title[language],
                summary=revision.search_text.get(language, ""),
                complete_in_language=revision.is_complete_in(language),
                progress=None,
                completed=False,
            )
        )
    if user is not None and user.is_authenticated and cards:
        enrollments = {
            e.course_id: e
            for e in Enrollment.objects.filter(user=user, course__in=[c.course for c in cards])
        }
        done = done_counts(list(enrollments.values()))
        for card in cards:
            enrollment = enrollments.get(card.course.pk)
            if enrollment:
                total = card.revision.item_count
                card.progress = int(100 * done.get(enrollment.pk, 0) / total) if total else 0
                card.completed = enrollment.completed_at is not None
    return cards


def done_counts(enrollments: list[Enrollment]) -> dict[int, int]:
    """Items done (lessons completed, quizzes passed) per enrolment, in live revisions."""
    if not enrollments:
        return {}
    counts: dict[int, int] = {}
    rows = ItemProgress.objects.filter(
        enrollment__in=enrollments,
        item__archived_at__isnull=True,
        completed_at__isnull=False,
    ).values_list("enrollment_id", flat=True)
    for enrollment_id in rows:
        counts[enrollment_id] = counts.get(enrollment_id, 0) + 1
    return counts


def _revision(slug: str, revision_id: int | None) -> tuple[Course, CourseRevision]:
    course = Course.objects.select_related("live_revision").filter(slug=slug).first()
    if course is None:
        raise Http404
    if revision_id is None:
        if course.live_revision is None:
            raise Http404
        return course, course.live_revision
    revision = CourseRevision.objects.filter(course=course, pk=revision_id).first()
    if revision is None:
        raise Http404
    return course, revision


def glossary_term(
    *, slug: str, key: str, revision_id: int | None = None
) -> tuple[CourseRevision, GlossaryTerm]:
    _course, revision = _revision(slug, revision_id)
    term = GlossaryTerm.objects.filter(revision=revision, key=key).first()
    if term is None:
        raise Http404
    return revision, term


def glossary_list(
    *, slug: str, revision_id: int | None = None
) -> tuple[CourseRevision, list[GlossaryTerm]]:
    _course, revision = _revision(slug, revision_id)
    return revision, list(GlossaryTerm.objects.filter(revision=revision).order_by("key"))
