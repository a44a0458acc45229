"""Reads for the learning pages and the API. Each runs a fixed number of queries, whatever
the size of the course: the templates never query."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import Http404
from django.urls import reverse

from courses.content import fallback_chain, pick_text
from courses.models import (
    Certificate,
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
from courses.selectors.certificates import certificates_for_learner
from courses.services.learning import Requirements, requirements_for

OUTLINE_CACHE_SECONDS = 24 * 3600


@dataclass
class OutlineItem:
    item: Item
    revision_item: RevisionItem
    title: str
    title_language: str | None
    minutes: int | None
    state: str  # not_started | done | passed | failed
    best_score: int | None
    url: str = ""

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def is_quiz(self) -> bool:
        return self.item.type == ItemType.QUIZ


@dataclass
class OutlineModule:
    key: str
    title: str
    items: list[OutlineItem] = field(default_factory=list)


@dataclass
class CourseView:
    course: Course
    revision: CourseRevision
    language: str
    title: str
    title_language: str | None
    description_html: str
    description_language: str | None
    modules: list[OutlineModule]
    enrollment: Enrollment | None
    requirements: Requirements
    preview: bool = False
    certificate: Certificate | None = None

    @property
    def items(self) -> list[OutlineItem]:
        return [item for module in self.modules for item in module.items]

    @property
    def progress(self) -> int:
        items = self.items
        done = sum(1 for i in items if i.state in ("done", "passed"))
        return int(100 * done / len(items)) if items else 0

    @property
    def completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def next_item(self) -> OutlineItem | None:
        """Where "continue" leads: the first item not done, else the last one visited."""
        items = self.items
        for item in items:
            if item.state not in ("done", "passed"):
                return item
        last = self.enrollment.last_item_id if self.enrollment else None
        return next((i for i in items if i.item.pk == last), items[0] if items else None)

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


def _titles(revision: CourseRevision) -> dict[int, dict[str, str]]:
    titles: dict[int, dict[str, str]] = {}
    rows = ItemText.objects.filter(revision_item__revision=revision).values_list(
        "revision_item_id", "language", "title"
    )
    for revision_item_id, language, title in rows:
        titles.setdefault(revision_item_id, {})[language] = title
    return titles


def _state(item: Item, progress: ItemProgress | None) -> str:
    if progress is None:
        return "not_started"
    if item.type == ItemType.QUIZ:
        if progress.passed:
            return "passed"
        return "failed" if progress.attempt_count else "not_started"
    return "done" if progress.completed_at else "not_started"


def _outline_skeleton(revision: CourseRevision, language: str) -> list[dict]:
    """Modules and items of a revision with their titles in ``language``. A revision never
    changes, so this is computed once per revision and language and then kept in the cache."""
    key = f"outline:{revision.pk}:{language}"
    skeleton = cache.get(key)
    if skeleton is not None:
        return skeleton
    titles = _titles(revision)
    skeleton = []
    by_module: dict[int, dict] = {}
    for module in Module.objects.filter(revision=revision).order_by("position"):
        title, _used = pick_text(module.title, language)
        by_module[module.pk] = {"key": module.key, "title": title or module.key, "items": []}
        skeleton.append(by_module[module.pk])
    rows = (
        RevisionItem.objects.filter(revision=revision)
        .order_by("position")
        .values_list("pk", "module_id", "minutes", "item_id", "item__key", "item__type")
    )
    for pk, module_id, minutes, item_id, item_key, item_type in rows:
        title, used = pick_text(titles.get(pk, {}), language)
        by_module[module_id]["items"].append(
            {"revision_item_id": pk, "item_id": item_id, "key": item_key, "type": item_type,
             "title": title or item_key, "title_language": used, "minutes": minutes}
        )  # fmt: skip
    cache.set(key, skeleton, timeout=OUTLINE_CACHE_SECONDS)
    return skeleton


def course_view(
    *, slug: str, language: str, user=None, revision_id: int | None = None
) -> CourseView:
    """The course page: outline with per-item state, progress and certificate distance."""
    course, revision = _revision(slug, revision_id)
    skeleton = _outline_skeleton(revision, language)
    base_url = (
        reverse("courses:preview-course", kwargs={"slug": slug, "revision": revision.pk})
        if revision_id is not None
        else reverse("courses:course-detail", kwargs={"slug": slug})
    )
    enrollment = None
    certificate = None
    progress: dict[int, ItemProgress] = {}
    if user is not None and user.is_authenticated:
        enrollment = Enrollment.objects.filter(user=user, course=course).first()
        if enrollment:
            progress = {p.item_id: p for p in ItemProgress.objects.filter(enrollment=enrollment)}
            if enrollment.completed_at:
                certificate = (
                    Certificate.objects.filter(enrollment=enrollment)
                    .defer("pdf", "credential")
                    .first()
                )
    outline: list[OutlineModule] = []
    items: list[Item] = []
    for module in skeleton:
        entry = OutlineModule(key=module["key"], title=module["title"])
        outline.append(entry)
        for row in module["items"]:
            item = Item(pk=row["item_id"], course_id=course.pk, key=row["key"], type=row["type"])
            items.append(item)
            entry.items.append(
                OutlineItem(
                    item=item,
                    revision_item=RevisionItem(
                        pk=row["revision_item_id"], revision_id=revision.pk, item=item,
                        minutes=row["minutes"],
                    ),
                    title=row["title"],
                    title_language=row["title_language"],
                    minutes=row["minutes"],
                    state=_state(item, progress.get(item.pk)),
                    best_score=progress[item.pk].best_score if item.pk in progress else None,
                    url=f"{base_url}{row['key']}/",
                )
            )  # fmt: skip
    course_title, title_language = revision.title_in(language)
    description, description_language = pick_text(revision.description_html, language)
    return CourseView(
        course=course,
        revision=revision,
        language=language,
        title=course_title,
        title_language=title_language,
        description_html=description or "",
        description_language=description_language,
        modules=outline,
        enrollment=enrollment,
        requirements=requirements_for(revision=revision, progress=progress, items=items),
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


def item_view(
    *, slug: str, key: str, language: str, user=None, revision_id: int | None = None
) -> ItemView:
    """A lesson or quiz page: its text (with fallback), neighbours and the outline."""
    view = course_view(slug=slug, language=language, user=user, revision_id=revision_id)
    items = view.items
    index = next((i for i, entry in enumerate(items) if entry.key == key), None)
    if index is None:
        raise Http404
    current = items[index]
    texts = {
        text.language: text
        for text in ItemText.objects.filter(
            revision_item=current.revision_item, language__in=fallback_chain(language)
        )
    }
    text, used = pick_text(texts, language)
    if current.is_quiz:
        current.revision_item = RevisionItem.objects.get(pk=current.revision_item.pk)
    attempts: list[QuizAttempt] = []
    if current.is_quiz and view.enrollment:
        attempts = list(
            QuizAttempt.objects.filter(enrollment=view.enrollment, item=current.item).order_by(
                "-number"
            )
        )
    return ItemView(
        course=view,
        current=current,
        text=text,
        text_language=used,
        previous=items[index - 1] if index > 0 else None,
        next=items[index + 1] if index + 1 < len(items) else None,
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


@dataclass
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]
    recent_attempts: list[QuizAttempt]
    certificates: list[Certificate] = field(default_factory=list)


def dashboard(*, user, language: str) -> Dashboard:
    enrollments = list(
        Enrollment.objects.filter(user=user, course__live_revision__isnull=False)
        .select_related("course__live_revision", "last_item")
        .order_by("-last_activity_at", "-created_at")
    )
    done = _done_counts(enrollments)
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
            )
        )
    attempts = list(
        QuizAttempt.objects.filter(enrollment__user=user)
        .select_related("enrollment__course__live_revision", "item")
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
