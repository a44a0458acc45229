"""Reads for the course, lesson and quiz pages and the API. Each runs a fixed number of
queries, whatever the size of the course: the templates never query.

The revision's outline, texts and quizzes come from `courses.selectors.outlines`, where they
are kept; what belongs to a learner (enrolment, progress, attempts) is read on every request
by `courses.selectors.page_query` and never cached, so it is current the moment it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from courses.content import pick_text
from courses.models import (
    Certificate,
    Course,
    CourseRevision,
    Enrollment,
    ItemText,
    QuizAttempt,
    RevisionItem,
)
from courses.rules import Requirements, requirements_for
from courses.selectors.labs import lab_with_key
from courses.selectors.outlines import (
    DONE_STATES,
    OutlineEntry,
    OutlineItem,
    OutlineModule,
    Progress,
    RevisionOutline,
    item_state,
    item_text,
    quiz_with_key,
    revision_outline,
)
from courses.selectors.page_query import course_locate
from lms.models import User


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
        return item_state(entry.type, self.progress_by_item.get(entry.item_id))

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
                state=item_state(entry.type, progress),
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
            and item_state(entries[index_of[item_id]].type, progress) in DONE_STATES
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
            certificate=self.revision.certificate,
            progress=self.progress_by_item,
            items=list(self.outline.entries),
        )

    @property
    def fallback_used(self) -> bool:
        return not self.revision.is_complete_in(self.language)

    @property
    def minutes(self) -> int:
        return self.revision.estimated_minutes


def course_view(
    *,
    slug: str,
    language: str,
    user: User | AnonymousUser | None = None,
    revision_id: int | None = None,
) -> CourseView:
    """The course page: outline with per-item state, progress and certificate distance."""
    located = course_locate(slug, revision_id, user)
    course, enrollment = located.course, located.enrollment
    outline = revision_outline(located.revision_key, language)
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
    attempt_count: int = 0  # the learner's attempts at this quiz or lab, from their progress

    @cached_property
    def attempts(self) -> list[QuizAttempt]:
        """The learner's attempts at this quiz or lab, newest first (read when asked for: a
        page that shows none needs only `attempt_count`)."""
        enrollment = self.course.enrollment
        if not self.current.is_graded or enrollment is None:
            return []
        return list(
            QuizAttempt.objects.filter(enrollment=enrollment, item_id=self.current.item.pk)
            .order_by("-number")
        )  # fmt: skip

    @property
    def quiz(self) -> dict | None:
        return self.current.revision_item.quiz

    @property
    def lab(self) -> dict | None:
        return self.current.revision_item.lab

    @property
    def fallback(self) -> bool:
        return self.text_language is not None and self.text_language != self.course.language


def item_view(
    *,
    slug: str,
    key: str,
    language: str,
    user: User | AnonymousUser | None = None,
    revision_id: int | None = None,
) -> ItemView:
    """A lesson, quiz or lab page: its text (with fallback), neighbours and the outline."""
    view = course_view(slug=slug, language=language, user=user, revision_id=revision_id)
    outline = view.outline
    index = outline.positions.get(key)
    if index is None:
        raise Http404
    current = view.item_at(index)
    text, used = item_text(outline, current.entry)
    if current.is_graded:
        current.revision_item = RevisionItem(
            pk=current.entry.revision_item_id, revision_id=view.revision.pk, item=current.item,
            minutes=current.minutes,
            quiz=quiz_with_key(outline, current.entry) if current.is_quiz else None,
            lab=lab_with_key(outline, current.entry) if current.is_lab else None,
        )  # fmt: skip
    progress = view.progress_by_item.get(current.item.pk) if current.is_graded else None
    return ItemView(
        course=view,
        current=current,
        text=text,
        text_language=used,
        previous=view.item_at(index - 1) if index > 0 else None,
        next=view.item_at(index + 1) if index + 1 < len(outline.entries) else None,
        attempt_count=progress.attempt_count if progress else 0,
    )
