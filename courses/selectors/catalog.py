"""Reads for the catalogue and the glossary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import DEFERRED, Model
from django.http import Http404
from django.urls import reverse

from courses.content.searchtext import summary_text
from courses.models import Course, CourseRevision, Enrollment, GlossaryTerm, ItemProgress
from courses.models.catalog import revision_text_fields
from courses.selectors.prepared import prepared_rows
from courses.selectors.search import LessonHit, search_memo
from lms.models import User

M = TypeVar("M", bound=Model)


@dataclass
class CourseCard:
    """A course as the catalogue (and the dashboard) shows it, in one language."""

    course: Course
    revision: CourseRevision
    title: str
    summary: str  # plain text, at most ~200 characters
    complete_in_language: bool
    progress: int | None  # percent of items done; None when not enrolled
    completed: bool
    topics: list[tuple[str, str]] = field(default_factory=list)  # (tag, name in the language)

    @property
    def started(self) -> bool:
        """Enrolled in the course."""
        return self.progress is not None

    @property
    def cover_url(self) -> str | None:
        sha256 = self.revision.cover_id
        if not sha256:
            return None
        return reverse("asset", kwargs={"sha256": sha256, "filename": "cover"})

    @property
    def minutes(self) -> int:
        return self.revision.estimated_minutes

    @property
    def lesson_count(self) -> int:
        return self.revision.lesson_count

    @property
    def quiz_count(self) -> int:
        return self.revision.quiz_count

    @property
    def languages(self) -> list[str]:
        return list(self.revision.languages)

    @property
    def level_label(self) -> str:
        return str(self.revision.get_level_display())


@dataclass
class CatalogView:
    cards: list[CourseCard]
    topics: list[tuple[str, str]]  # every topic of the live courses in the language, by name
    lesson_hits: list[LessonHit]


def course_live(*, slug: str) -> Course:
    """The course ``slug`` if it has a live revision; 404 otherwise."""
    course = Course.objects.filter(slug=slug, live_revision__isnull=False).first()
    if course is None:
        raise Http404
    return course


def topic_name(revision: CourseRevision, tag: str, language: str) -> str:
    """The topic's name in ``language`` as the author wrote it, or its id."""
    names = revision.topic_names if isinstance(revision.topic_names, dict) else {}
    by_language = names.get(tag)
    name = by_language.get(language) if isinstance(by_language, dict) else None
    return name if isinstance(name, str) and name.strip() else tag


# The catalogue's query: every live course with the fields of its revision that cards show
# and, from the search index, the beginning of its description in the page's language. Written
# out and prepared (see prepared.prepared_rows): planning the ORM's version of it took ten
# times as long as running it, on a page that must stay nearly as fast as a static one.
_REVISION_FIELDS = (
    "id", "course_id", "languages", "default_language", "title", "level",
    "estimated_minutes", "tags", "topic_names", "cover_id", "coverage", "lesson_count",
    "quiz_count", "lab_count", "uid",
)  # fmt: skip
_JSON_FIELDS = {"languages", "title", "tags", "topic_names", "coverage"}
_COURSES_SQL = """
    SELECT c.slug, r.id, r.course_id, r.languages, r.default_language, r.title, r.level,
           r.estimated_minutes, r.tags, r.topic_names, r.cover_id, r.coverage, r.lesson_count,
           r.quiz_count, r.lab_count, r.uid,
           (SELECT substr(e.body, 1, 400) FROM courses_searchentry e
            WHERE e.revision_id = r.id AND e.item_id IS NULL AND e.language = %s LIMIT 1)
    FROM courses_course c JOIN courses_courserevision r ON r.id = c.live_revision_id
    ORDER BY c.slug
"""
# Items done (lessons completed, quizzes passed, in items not archived) per enrolment.
_PROGRESS_SQL = (
    "SELECT e.course_id, e.completed_at,"
    " SUM(CASE WHEN p.completed_at IS NOT NULL AND i.archived_at IS NULL THEN 1 ELSE 0 END)"
    " FROM courses_enrollment e"
    " LEFT JOIN courses_itemprogress p ON p.enrollment_id = e.id"
    " LEFT JOIN courses_item i ON i.id = p.item_id"
    " WHERE e.user_id = %s GROUP BY e.id, e.course_id, e.completed_at"
)


def _json(value: object) -> object:
    """A JSON column read with a cursor: text on both databases."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _instance(model: type[M], values: dict[str, object]) -> M:
    """A ``model`` instance as if read from the database, with only ``values`` loaded."""
    fields = model._meta.concrete_fields
    return model.from_db(
        connection.alias,
        [f.attname for f in fields],
        [values.get(f.attname, DEFERRED) for f in fields],
    )


@dataclass(frozen=True)
class _Live:
    course: Course
    revision: CourseRevision
    summary: str  # the beginning of the description in the page's language


def _live_courses(language: str) -> list[_Live]:
    """Every live course with its live revision (only the fields cards show; the rest
    deferred) and the beginning of its description in ``language``: one query."""
    found: list[_Live] = []
    for slug, *values, summary in prepared_rows(_COURSES_SQL, [language]):
        fields = {
            name: _json(value) if name in _JSON_FIELDS else value
            for name, value in zip(_REVISION_FIELDS, values, strict=True)
        }
        revision = _instance(CourseRevision, fields)
        course = _instance(
            Course, {"id": revision.course_id, "slug": slug, "live_revision_id": revision.pk}
        )
        course.live_revision = revision
        found.append(_Live(course=course, revision=revision, summary=summary or ""))
    return found


def _progress(user: User, cards: list[CourseCard]) -> None:
    """The learner's progress on each card: one query."""
    found = {
        course_id: (done or 0, completed_at)
        for course_id, completed_at, done in prepared_rows(_PROGRESS_SQL, [user.pk])
    }
    for card in cards:
        if card.course.pk not in found:
            continue
        done, completed_at = found[card.course.pk]
        total = card.revision.item_count
        card.progress = int(100 * done / total) if total else 0
        card.completed = completed_at is not None


def catalog_view(
    *,
    language: str,
    user: User | AnonymousUser | None = None,
    level: str = "",
    tag: str = "",
    query: str = "",
) -> CatalogView:
    """The live courses offered in ``language`` (a title in it), filtered by level and topic,
    searched (best first) when ``query`` has words, with the learner's progress; the topics
    of all of them; the lessons the search found. One query, one more for a search not made
    since the live courses last changed (`search.search_memo`), one more for a signed-in
    learner."""
    live_courses = _live_courses(language)
    results = None
    if query.strip():
        revisions = tuple((live.course.pk, str(live.revision.uid)) for live in live_courses)
        results = search_memo(language, query, level=level, tag=tag, revisions=revisions)
    offered = [live for live in live_courses if language in live.revision.title]
    topics: dict[str, str] = {}
    for live in offered:
        for topic in live.revision.tags:
            topics.setdefault(topic, topic_name(live.revision, topic, language))
    if results is not None:
        rank = {course_id: n for n, course_id in enumerate(results.course_ids)}
        offered = sorted(
            (live for live in offered if live.course.pk in rank),
            key=lambda live: rank[live.course.pk],
        )
    cards = [
        CourseCard(
            course=live.course,
            revision=live.revision,
            title=live.revision.title[language],
            summary=summary_text(live.summary),
            complete_in_language=live.revision.is_complete_in(language),
            progress=None,
            completed=False,
            topics=[(t, topics[t]) for t in live.revision.tags],
        )
        for live in offered
        if not (level and live.revision.level != level)
        and not (tag and tag not in live.revision.tags)
    ]
    if user is not None and user.is_authenticated and cards:
        _progress(user, cards)
    return CatalogView(
        cards=cards,
        topics=sorted(topics.items(), key=lambda topic: (topic[1].casefold(), topic[0])),
        lesson_hits=results.lesson_hits if results else [],
    )


def catalog(
    *,
    language: str,
    user: User | AnonymousUser | None = None,
    level: str = "",
    tag: str = "",
    query: str = "",
) -> list[CourseCard]:
    """The cards of ``catalog_view``: the catalogue as the API lists it."""
    return catalog_view(language=language, user=user, level=level, tag=tag, query=query).cards


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
    course = (
        Course.objects.select_related("live_revision")
        .defer(*revision_text_fields("live_revision"))
        .filter(slug=slug)
        .first()
    )
    if course is None:
        raise Http404
    if revision_id is None:
        if course.live_revision is None:
            raise Http404
        return course, course.live_revision
    revision = (
        CourseRevision.objects.defer("description_html", "search_text")
        .filter(course=course, pk=revision_id)
        .first()
    )
    if revision is None:
        raise Http404
    return course, revision


def glossary_revision(*, slug: str, revision_id: int | None = None) -> CourseRevision:
    """The revision whose glossary a course's glossary pages show: the live one, or
    ``revision_id`` of that course (a preview); 404 when there is none."""
    return _revision(slug, revision_id)[1]


def glossary_term(*, revision: CourseRevision, key: str) -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(revision=revision, key=key).first()
    if term is None:
        raise Http404
    return term


def glossary_list(*, revision: CourseRevision) -> list[GlossaryTerm]:
    return list(GlossaryTerm.objects.filter(revision=revision).order_by("key"))
