"""Reads for the learning pages and the API. Each runs a fixed number of queries, whatever
the size of the course: the templates never query.

A revision never changes once written, so what the pages show of it (modules, items and
their titles in a language, a lesson's text, a quiz) is read once and then kept: in the
cache, shared by every process, and in a small memo in this process. The keys name the
revision by its random ``uid``, never by a database id alone (ids recur after a rollback, a
restore or a flush), so a re-import, which makes a new revision, is seen at once. What belongs to a learner (enrolment, progress, attempts) is read
on every request and never cached, so it is current the moment it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, NamedTuple
from uuid import UUID

from django.core.cache import cache
from django.db import connection
from django.db.models import DEFERRED
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.content import fallback_chain, pick_text
from courses.models import (
    Certificate,
    CohortMembership,
    Course,
    CourseRevision,
    Enrollment,
    GlossaryTerm,
    Item,
    ItemProgress,
    ItemText,
    ItemType,
    Module,
    QuizAttempt,
    RevisionItem,
)
from courses.models.catalog import revision_text_fields
from courses.selectors.certificates import certificates_for_learner
from courses.services.learning import Requirements, requirements_for

CACHE_SECONDS = 24 * 3600
CACHE_VERSION = 2  # part of every key: change it when the shape of a cached value changes
MEMO_SIZE = 256  # outlines and texts of revisions kept in each process (a few MB at most)
_memo: dict[str, Any] = {}

DONE_STATES = ("done", "passed")


class Progress(NamedTuple):
    """A learner's progress on one item: the values of its ItemProgress row."""

    completed_at: datetime | None
    passed: bool
    best_score: int | None
    attempt_count: int


@dataclass(frozen=True)
class OutlineEntry:
    """An item in a revision, with its title in one language: the same for every learner."""

    index: int  # position in the course, from 0
    module: int  # index of its module
    revision_item_id: int
    item_id: int
    key: str
    type: str
    title: str
    title_language: str | None
    minutes: int | None

    @property
    def pk(self) -> int:
        """The item's id: `requirements_for` reads items by ``pk`` and ``type``."""
        return self.item_id

    @property
    def is_quiz(self) -> bool:
        return self.type == ItemType.QUIZ


@dataclass(frozen=True)
class RevisionOutline:
    """A revision's modules and items in one language; cached, so plain values only."""

    key: str  # "<revision id>.<revision uid>": names the revision in cache keys
    revision: CourseRevision
    language: str
    modules: tuple[tuple[str, str], ...]  # (key, title)
    entries: tuple[OutlineEntry, ...]
    positions: dict[str, int]  # item key -> index in entries

    @cached_property
    def index_of_item(self) -> dict[int, int]:
        """Item id -> index in entries."""
        return {entry.item_id: entry.index for entry in self.entries}


def _state(item_type: str, progress: Progress | None) -> str:
    if progress is None:
        return "not_started"
    if item_type == ItemType.QUIZ:
        if progress.passed:
            return "passed"
        return "failed" if progress.attempt_count else "not_started"
    return "done" if progress.completed_at else "not_started"


@dataclass
class OutlineItem:
    """An item as one learner sees it: the shared entry and the learner's state."""

    entry: OutlineEntry
    course_id: int
    revision_id: int
    state: str  # not_started | done | passed | failed
    best_score: int | None
    url: str = ""

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def title_language(self) -> str | None:
        return self.entry.title_language

    @property
    def minutes(self) -> int | None:
        return self.entry.minutes

    @property
    def is_quiz(self) -> bool:
        return self.entry.is_quiz

    @cached_property
    def item(self) -> Item:
        entry = self.entry
        return Item(pk=entry.item_id, course_id=self.course_id, key=entry.key, type=entry.type)

    @cached_property
    def revision_item(self) -> RevisionItem:
        """Without the quiz: `item_view` sets the whole row on a quiz's page."""
        return RevisionItem(
            pk=self.entry.revision_item_id, revision_id=self.revision_id, item=self.item,
            minutes=self.entry.minutes,
        )  # fmt: skip


@dataclass
class OutlineModule:
    key: str
    title: str
    items: list[OutlineItem] = field(default_factory=list)


@dataclass
class CourseView:
    """A course (or a preview of one of its revisions) as one learner, or a visitor, sees it.

    The outline is shared and cached; ``progress_by_item`` is the learner's, read for this
    request. Per-item objects (`items`, `modules`) are made only when asked for: a page
    renders its outline from the shared entries (see the ``outline`` template tag)."""

    course: Course
    revision: CourseRevision
    language: str
    outline: RevisionOutline
    enrollment: Enrollment | None
    progress_by_item: dict[int, Progress]
    base_url: str  # the course's address (or its preview's); items are at base_url + key/
    preview: bool = False
    certificate: Certificate | None = None
    _items: dict[int, OutlineItem] = field(default_factory=dict, repr=False)

    @cached_property
    def _title(self) -> tuple[str, str | None]:
        return self.revision.title_in(self.language)

    @property
    def title(self) -> str:
        return self._title[0]

    @property
    def title_language(self) -> str | None:
        return self._title[1]

    @cached_property
    def _description(self) -> tuple[str, str | None]:
        text, used = pick_text(self.revision.description_html, self.language)
        return text or "", used

    @property
    def description_html(self) -> str:
        return self._description[0]

    @property
    def description_language(self) -> str | None:
        return self._description[1]

    def state_of(self, entry: OutlineEntry) -> str:
        return _state(entry.type, self.progress_by_item.get(entry.item_id))

    def item_at(self, index: int) -> OutlineItem:
        """The learner's view of the item at ``index`` (made once per request)."""
        found = self._items.get(index)
        if found is None:
            entry = self.outline.entries[index]
            progress = self.progress_by_item.get(entry.item_id)
            found = self._items[index] = OutlineItem(
                entry=entry,
                course_id=self.course.pk,
                revision_id=self.revision.pk,
                state=_state(entry.type, progress),
                best_score=progress.best_score if progress else None,
                url=f"{self.base_url}{entry.key}/",
            )
        return found

    @cached_property
    def modules(self) -> list[OutlineModule]:
        modules = [OutlineModule(key=key, title=title) for key, title in self.outline.modules]
        for entry in self.outline.entries:
            modules[entry.module].items.append(self.item_at(entry.index))
        return modules

    @property
    def items(self) -> list[OutlineItem]:
        return [self.item_at(entry.index) for entry in self.outline.entries]

    @cached_property
    def progress(self) -> int:
        """Per cent of the revision's items done (progress on items no longer in the course
        counts for nothing)."""
        entries, index_of = self.outline.entries, self.outline.index_of_item
        done = sum(
            1
            for item_id, progress in self.progress_by_item.items()
            if item_id in index_of
            and _state(entries[index_of[item_id]].type, progress) in DONE_STATES
        )
        return int(100 * done / len(entries)) if entries else 0

    @property
    def completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @cached_property
    def next_item(self) -> OutlineItem | None:
        """Where "continue" leads: the first item not done, else the last one visited."""
        entries = self.outline.entries
        for entry in entries:
            if self.state_of(entry) not in DONE_STATES:
                return self.item_at(entry.index)
        if not entries:
            return None
        last = self.enrollment.last_item_id if self.enrollment else None
        found = next((entry for entry in entries if entry.item_id == last), entries[0])
        return self.item_at(found.index)

    @cached_property
    def requirements(self) -> Requirements:
        return requirements_for(
            revision=self.revision,
            progress=self.progress_by_item,  # type: ignore[arg-type]  # the fields it reads
            items=list(self.outline.entries),  # type: ignore[arg-type]  # pk and type
        )

    @property
    def fallback_used(self) -> bool:
        return not self.revision.is_complete_in(self.language)

    @property
    def minutes(self) -> int:
        return self.revision.estimated_minutes


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


def _titles(revision_id: int) -> dict[int, dict[str, str]]:
    titles: dict[int, dict[str, str]] = {}
    rows = ItemText.objects.filter(revision_item__revision_id=revision_id).values_list(
        "revision_item_id", "language", "title"
    )
    for revision_item_id, language, title in rows:
        titles.setdefault(revision_item_id, {})[language] = title
    return titles


def _outline_read(revision_key: str, language: str) -> RevisionOutline:
    revision_id = int(revision_key.split(".")[0])
    revision = CourseRevision.objects.defer("search_text").get(pk=revision_id)
    titles = _titles(revision_id)
    modules: list[tuple[str, str]] = []
    module_index: dict[int, int] = {}
    for pk, key, title_map in (
        Module.objects.filter(revision_id=revision_id)
        .order_by("position")
        .values_list("pk", "key", "title")
    ):
        title, _used = pick_text(title_map, language)
        module_index[pk] = len(modules)
        modules.append((key, title or key))
    entries: list[OutlineEntry] = []
    rows = (
        RevisionItem.objects.filter(revision_id=revision_id)
        .order_by("position")
        .values_list("pk", "module_id", "minutes", "item_id", "item__key", "item__type")
    )
    for pk, module_id, minutes, item_id, item_key, item_type in rows:
        title, used = pick_text(titles.get(pk, {}), language)
        entries.append(
            OutlineEntry(
                index=len(entries), module=module_index[module_id], revision_item_id=pk,
                item_id=item_id, key=item_key, type=item_type, title=title or item_key,
                title_language=used, minutes=minutes,
            )
        )  # fmt: skip
    return RevisionOutline(
        key=revision_key,
        revision=revision,
        language=language,
        modules=tuple(modules),
        entries=tuple(entries),
        positions={entry.key: entry.index for entry in entries},
    )


def _kept(key: str, read: Callable[[], Any], *, memo: bool = True) -> Any:
    """``read()`` of a revision (never None), from this process's memo, else the cache, else
    read and kept in both. Values in the memo are shared by requests: only for values that
    nobody changes."""
    value = _memo.get(key) if memo else None
    if value is None:
        value = cache.get(key)
        if value is None:
            value = read()
            cache.set(key, value, timeout=CACHE_SECONDS)
        if memo:
            if len(_memo) >= MEMO_SIZE:
                _memo.clear()
            _memo[key] = value
    return value


def _outline(revision_key: str, language: str) -> RevisionOutline:
    """The outline of a revision in ``language``."""
    key = f"learning:{CACHE_VERSION}:outline:{revision_key}:{language}"
    return _kept(key, lambda: _outline_read(revision_key, language))


# The one query of every course, lesson and quiz page: the course, the revision shown (the
# live one, or a preview of one of its revisions) and, for a learner, the enrolment and the
# progress on every item (one row per item with progress). Written out because building it
# with the ORM costs three times as long as running it. The revision's row is joined for its
# uid, which names the revision in every cache key.
def _course_sql(*, preview: bool, learner: bool) -> str:
    sql = ["SELECT c.id, r.id, r.uid"]
    if learner:
        sql.append(
            ", e.id, e.created_at, e.last_item_id, e.last_activity_at, e.completed_at"
            ", p.item_id, p.completed_at, p.passed, p.best_score, p.attempt_count"
        )
    sql.append(" FROM courses_course c")
    if preview:
        sql.append(" LEFT JOIN courses_courserevision r ON r.course_id = c.id AND r.id = %s")
    else:
        sql.append(" LEFT JOIN courses_courserevision r ON r.id = c.live_revision_id")
    if learner:
        sql.append(
            " LEFT JOIN courses_enrollment e ON e.course_id = c.id AND e.user_id = %s"
            " LEFT JOIN courses_itemprogress p ON p.enrollment_id = e.id"
        )
    sql.append(" WHERE c.slug = %s")
    return "".join(sql)


_COURSE_SQL = {
    (preview, learner): _course_sql(preview=preview, learner=learner)
    for preview in (False, True)
    for learner in (False, True)
}


def _datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp read with a cursor: a datetime from PostgreSQL, a string in UTC from
    SQLite."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    return timezone.make_aware(parsed, UTC) if parsed and timezone.is_naive(parsed) else parsed


@dataclass(frozen=True)
class _Located:
    course: Course
    revision_key: str  # "<revision id>.<revision uid>": names it in cache keys
    enrollment: Enrollment | None
    progress: dict[int, Progress]


def _prepared_rows(sql: str, params: list) -> list[tuple]:
    """The rows of ``sql``; on PostgreSQL as a prepared statement of the connection, so that
    the server plans it once instead of on every page (planning the learner's query takes
    four times as long as running it). Django's cursors bind parameters on the client and
    cannot prepare; this one cursor binds them on the server, and goes through Django's
    wrappers like any other query."""
    with connection.cursor() as cursor:  # the health check and the connection, as for any query
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        import psycopg

        raw = connection.connection
        raw.prepare_threshold = 0  # only server-binding cursors prepare: this one
        server = psycopg.Cursor(raw)
        wrapped = (
            connection.make_debug_cursor(server)
            if connection.queries_logged
            else connection.make_cursor(server)
        )
        with wrapped:
            wrapped.execute(sql, params)
            return wrapped.fetchall()


def _locate(slug: str, revision_id: int | None, user) -> _Located:
    """The course ``slug``, the key of its live revision (or of the preview ``revision_id``)
    and, for a signed-in ``user``, their enrolment and progress: one query."""
    learner = user is not None and user.is_authenticated
    preview = revision_id is not None
    params = [*([revision_id] if preview else []), *([user.pk] if learner else []), slug]
    rows = _prepared_rows(_COURSE_SQL[preview, learner], params)
    if not rows or rows[0][1] is None:
        raise Http404
    course_id, shown_id, uid = rows[0][:3]
    # Revisions never change, so their random uid names them in the cache: an id can name
    # other content after a rollback, a restored backup or a database made anew.
    uid = uid.hex if isinstance(uid, UUID) else str(uid).replace("-", "")
    course = Course.from_db(
        connection.alias, ["id", "slug", "live_revision_id"],
        [course_id, slug, shown_id if revision_id is None else DEFERRED],
    )  # fmt: skip
    enrollment = None
    progress: dict[int, Progress] = {}
    if learner and rows[0][3] is not None:
        pk, enrolled_at, last_item_id, last_activity_at, completed_at = rows[0][3:8]
        enrollment = Enrollment.from_db(
            connection.alias,
            ["id", "user_id", "course_id", "created_at", "last_item_id", "last_activity_at",
             "completed_at"],
            [pk, user.pk, course_id, _datetime(enrolled_at), last_item_id,
             _datetime(last_activity_at), _datetime(completed_at)],
        )  # fmt: skip
        for item_id, done_at, passed, best_score, attempt_count in (row[8:] for row in rows):
            if item_id is not None:
                progress[item_id] = Progress(
                    completed_at=_datetime(done_at), passed=bool(passed), best_score=best_score,
                    attempt_count=attempt_count,
                )  # fmt: skip
    return _Located(
        course=course,
        revision_key=f"{shown_id}.{uid}",
        enrollment=enrollment,
        progress=progress,
    )


def course_view(
    *, slug: str, language: str, user=None, revision_id: int | None = None
) -> CourseView:
    """The course page: outline with per-item state, progress and certificate distance."""
    located = _locate(slug, revision_id, user)
    course, enrollment = located.course, located.enrollment
    outline = _outline(located.revision_key, language)
    base_url = (
        reverse("courses:preview-course", kwargs={"slug": slug, "revision": revision_id})
        if revision_id is not None
        else reverse("courses:course-detail", kwargs={"slug": slug})
    )
    certificate = None
    if enrollment and enrollment.completed_at:
        certificate = (
            Certificate.objects.filter(enrollment=enrollment).defer("pdf", "credential").first()
        )
    return CourseView(
        course=course,
        revision=outline.revision,
        language=language,
        outline=outline,
        enrollment=enrollment,
        progress_by_item=located.progress,
        base_url=base_url,
        preview=revision_id is not None,
        certificate=certificate,
    )


@dataclass
class ItemView:
    course: CourseView
    current: OutlineItem
    text: ItemText | None
    text_language: str | None
    previous: OutlineItem | None
    next: OutlineItem | None
    attempts: list[QuizAttempt]

    @property
    def quiz(self) -> dict | None:
        return self.current.revision_item.quiz

    @property
    def fallback(self) -> bool:
        return self.text_language is not None and self.text_language != self.course.language


def _item_text(outline: RevisionOutline, entry: OutlineEntry) -> tuple[ItemText | None, str | None]:
    """The item's text in the outline's language, or along its fallback chain."""

    def read() -> tuple[ItemText | None, str | None]:
        texts = {
            text.language: text
            for text in ItemText.objects.filter(
                revision_item_id=entry.revision_item_id,
                language__in=fallback_chain(outline.language),
            )
        }
        return pick_text(texts, outline.language)

    key = f"learning:{CACHE_VERSION}:text:{outline.key}:{entry.revision_item_id}:{outline.language}"
    return _kept(key, read)


def _quiz(outline: RevisionOutline, entry: OutlineEntry) -> dict:
    """A quiz with its answer key, for grading and for the review after an attempt. It never
    reaches a page before the learner submits: pages show `quiz_questions_public`."""
    key = f"learning:{CACHE_VERSION}:quiz:{outline.key}:{entry.revision_item_id}"
    read = RevisionItem.objects.values_list("quiz", flat=True).filter(pk=entry.revision_item_id)
    return _kept(key, read.get, memo=False)  # a fresh copy each time: grading may change it


def item_view(
    *, slug: str, key: str, language: str, user=None, revision_id: int | None = None
) -> ItemView:
    """A lesson or quiz page: its text (with fallback), neighbours and the outline."""
    view = course_view(slug=slug, language=language, user=user, revision_id=revision_id)
    outline = view.outline
    index = outline.positions.get(key)
    if index is None:
        raise Http404
    current = view.item_at(index)
    text, used = _item_text(outline, current.entry)
    if current.is_quiz:
        current.revision_item = RevisionItem(
            pk=current.entry.revision_item_id, revision_id=view.revision.pk, item=current.item,
            minutes=current.minutes, quiz=_quiz(outline, current.entry),
        )  # fmt: skip
    attempts: list[QuizAttempt] = []
    if current.is_quiz and view.enrollment:
        attempts = list(
            QuizAttempt.objects.filter(enrollment=view.enrollment, item_id=current.item.pk)
            .order_by("-number")
        )  # fmt: skip
    return ItemView(
        course=view,
        current=current,
        text=text,
        text_language=used,
        previous=view.item_at(index - 1) if index > 0 else None,
        next=view.item_at(index + 1) if index + 1 < len(outline.entries) else None,
        attempts=attempts,
    )


@dataclass
class CourseCard:
    course: Course
    revision: CourseRevision
    title: str
    summary: str
    complete_in_language: bool
    progress: int | None  # None when not enrolled
    completed: bool


def catalog(
    *,
    language: str,
    user=None,
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
        done = _done_counts(list(enrollments.values()))
        for card in cards:
            enrollment = enrollments.get(card.course.pk)
            if enrollment:
                total = card.revision.item_count
                card.progress = int(100 * done.get(enrollment.pk, 0) / total) if total else 0
                card.completed = enrollment.completed_at is not None
    return cards


def _done_counts(enrollments: list[Enrollment]) -> dict[int, int]:
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


@dataclass
class DashboardEntry:
    enrollment: Enrollment
    card: CourseCard
    cohorts: list = field(default_factory=list)  # the learner's current CohortMemberships


@dataclass
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]
    recent_attempts: list[QuizAttempt]
    certificates: list[Certificate] = field(default_factory=list)


def dashboard(*, user, language: str) -> Dashboard:
    enrollments = list(
        Enrollment.objects.filter(user=user, course__live_revision__isnull=False)
        .select_related("course__live_revision")
        .defer(*revision_text_fields("course__live_revision"))
        .order_by("-last_activity_at", "-created_at")
    )
    done = _done_counts(enrollments)
    cohorts: dict[int, list] = {}
    for membership in (
        CohortMembership.objects.filter(user=user, removed_at__isnull=True)
        .select_related("cohort__organization")
        .defer("cohort__organization__logo")
    ):
        cohorts.setdefault(membership.enrollment_id, []).append(membership)
    entries: list[DashboardEntry] = []
    for enrollment in enrollments:
        revision = enrollment.course.live_revision
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
    titles: dict[tuple[int, int], dict[str, str]] = {}
    rows = ItemText.objects.filter(
        revision_item__revision_id__in={a.enrollment.course.live_revision_id for a in attempts},
        revision_item__item_id__in={a.item_id for a in attempts},
    ).values_list("revision_item__revision_id", "revision_item__item_id", "language", "title")
    for revision_id, item_id, text_language, title in rows:
        titles.setdefault((revision_id, item_id), {})[text_language] = title
    for attempt in attempts:
        key = (attempt.enrollment.course.live_revision_id, attempt.item_id)
        title, _used = pick_text(titles.get(key, {}), language)
        attempt.quiz_title = title or attempt.item.key
