"""What pages show of a revision, read once and then kept.

A revision never changes once written, so its outline (modules, items and their titles in a
language), a lesson's text and a quiz are read once and then kept: in the cache, shared by
every process, and in a small memo in this process. The keys name the revision by its random
``uid``, never by a database id alone (ids recur after a rollback, a restore or a flush), so
a re-import, which makes a new revision, is seen at once. Nothing here belongs to a learner.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, NamedTuple

from django.core.cache import cache

from courses.content import fallback_chain, pick_text
from courses.models import CourseRevision, Item, ItemText, ItemType, Module, RevisionItem

CACHE_SECONDS = 24 * 3600
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

    @property
    def is_lab(self) -> bool:
        return self.type == ItemType.LAB

    @property
    def is_graded(self) -> bool:
        """A quiz or a lab: graded per learner, so its page is rendered per request."""
        return self.type in (ItemType.QUIZ, ItemType.LAB)


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


def item_state(item_type: str, progress: Progress | None) -> str:
    if progress is None:
        return "not_started"
    if item_type in (ItemType.QUIZ, ItemType.LAB):
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

    @property
    def is_lab(self) -> bool:
        return self.entry.is_lab

    @property
    def is_graded(self) -> bool:
        return self.entry.is_graded

    @cached_property
    def item(self) -> Item:
        entry = self.entry
        return Item(pk=entry.item_id, course_id=self.course_id, key=entry.key, type=entry.type)

    @cached_property
    def revision_item(self) -> RevisionItem:
        """Without the quiz or lab: `item_view` sets the whole row on their pages."""
        return RevisionItem(
            pk=self.entry.revision_item_id, revision_id=self.revision_id, item=self.item,
            minutes=self.entry.minutes,
        )  # fmt: skip


@dataclass
class OutlineModule:
    key: str
    title: str
    items: list[OutlineItem] = field(default_factory=list)


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


@functools.cache
def cache_version() -> str:
    """Part of every key: a digest of the shape of what is kept (the dataclasses' fields and
    the columns of the rows inside them), so a deployment that changes a shape never reads a
    value of the old one from the shared cache."""
    shapes = [
        f"{cls.__qualname__}({','.join(f'{f.name}:{f.type}' for f in dataclasses.fields(cls))})"
        for cls in (RevisionOutline, OutlineEntry)
    ]
    shapes += [
        f"{model.__name__}({','.join(f.attname for f in model._meta.concrete_fields)})"
        for model in (CourseRevision, ItemText, RevisionItem)
    ]
    return hashlib.sha256(";".join(shapes).encode()).hexdigest()[:12]


def kept(key: str, read: Callable[[], Any], *, memo: bool = True) -> Any:
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


def revision_outline(revision_key: str, language: str) -> RevisionOutline:
    """The outline of a revision in ``language``."""
    key = f"learning:{cache_version()}:outline:{revision_key}:{language}"
    return kept(key, lambda: _outline_read(revision_key, language))


def item_text(outline: RevisionOutline, entry: OutlineEntry) -> tuple[ItemText | None, str | None]:
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

    key = (
        f"learning:{cache_version()}:text:{outline.key}:{entry.revision_item_id}:{outline.language}"
    )
    return kept(key, read)


def quiz_with_key(outline: RevisionOutline, entry: OutlineEntry) -> dict:
    """A quiz with its answer key, for grading and for the review after an attempt. It never
    reaches a page before the learner submits: pages show `quiz_questions_public`."""
    key = f"learning:{cache_version()}:quiz:{outline.key}:{entry.revision_item_id}"
    read = RevisionItem.objects.values_list("quiz", flat=True).filter(pk=entry.revision_item_id)
    return kept(key, read.get, memo=False)  # a fresh copy each time: grading may change it
