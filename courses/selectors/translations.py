"""The translation status page of a course: every lesson, quiz and lab of its live revision in
every language of the course, as the import worked it out from Git (`ItemText.translation`,
written from `courses.content.translations`). Two queries and the kept outline, whatever the
size of the course.

Who may see it: staff, and the maintainers of the course's source. For anyone else the page
does not exist (404), as a cohort does not exist for a learner.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.http import Http404

from courses.content.languages import LANGUAGES, fallback_language
from courses.models import Course, CourseRevision, CourseSource, ItemText, ItemType
from courses.models.catalog import revision_text_fields
from courses.selectors.outlines import revision_outline
from lms.models import User

STATES = ("current", "stale", "missing", "present")  # present: imported before statuses were


@dataclass(frozen=True)
class Change:
    sha: str
    author: str
    date: dt.datetime | None
    message: str

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # added | removed | same | part (``text`` is the line number where it starts)
    text: str


@dataclass(frozen=True)
class Cell:
    """One item in one language."""

    language: str
    state: str  # one of STATES
    path: str
    title: str = ""
    change: Change | None = None
    source: Change | None = None  # the default language's change the translation lacks
    checked: Change | None = None  # a current text: the sign-off that keeps it current
    source_path: str = ""
    fallback: str | None = None
    diff: tuple[DiffLine, ...] = ()
    diff_truncated: bool = False
    is_default: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    type: str
    title: str
    title_language: str | None
    module: str
    cells: tuple[Cell, ...]

    @property
    def stale(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.state == "stale"]


@dataclass
class LanguageSummary:
    language: str
    is_default: bool
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))


@dataclass(frozen=True)
class TranslationsView:
    course: Course
    revision: CourseRevision
    title: str
    default_language: str
    languages: tuple[str, ...]
    rows: tuple[Row, ...]
    summary: tuple[LanguageSummary, ...]

    @property
    def checked(self) -> bool:
        """Whether the import recorded statuses (revisions imported before did not)."""
        return not any(cell.state == "present" for row in self.rows for cell in row.cells)

    @property
    def to_update(self) -> list[Row]:
        """The items with a translation older than the default language's."""
        return [row for row in self.rows if row.stale]


def course_for_translations(*, slug: str, user: User | AnonymousUser) -> Course:
    """The course with its live revision if ``user`` may see its translations; else 404."""
    if not user.is_authenticated:
        raise Http404
    maintains = CourseSource.maintainers.through.objects.filter(
        coursesource_id=OuterRef("source_id"), user_id=user.pk
    )
    course = (
        Course.objects.select_related("live_revision")
        .defer(*revision_text_fields("live_revision"))
        .annotate(viewer_maintains=Exists(maintains))
        .filter(slug=slug)
        .first()
    )
    if course is None or course.live_revision is None:
        raise Http404
    if not (user.is_staff or course.viewer_maintains):
        raise Http404
    return course


def _change(data: dict | None) -> Change | None:
    if not data or not data.get("sha"):
        return None
    try:
        date = dt.datetime.fromisoformat(data.get("date", ""))
    except ValueError:
        date = None
    return Change(sha=data["sha"], author=data.get("author", ""), date=date,
                  message=data.get("message", ""))  # fmt: skip


_KINDS = {"+": "added", "-": "removed", " ": "same", "@": "part"}


def _cell(language: str, title: str, data: dict, *, is_default: bool) -> Cell:
    state = str(data.get("state")) if data.get("state") in ("current", "stale") else "present"
    source = data.get("source") or {}
    return Cell(
        language=language, state=state, path=data.get("path", ""), title=title,
        change=_change(data.get("commit")),
        source=_change(source.get("commit")) if state == "stale" else None,
        checked=_change(data.get("checked")) if state == "current" else None,
        source_path=source.get("path", ""),
        diff=tuple(
            DiffLine(_KINDS[line[0]], str(line[1]))
            for line in data.get("diff", ()) if len(line) == 2 and line[0] in _KINDS
        ),
        diff_truncated=bool(data.get("diff_truncated")), is_default=is_default,
    )  # fmt: skip


def _missing_path(item_type: str, default: Cell | None, language: str) -> str:
    if default is None or not default.path:
        return ""
    if item_type == ItemType.LESSON:
        return posixpath.join(posixpath.dirname(default.path), f"{language}.md")
    return default.path


def _rank(code: str) -> int:
    return LANGUAGES.index(code) if code in LANGUAGES else len(LANGUAGES)


def translations_view(*, slug: str, user: User | AnonymousUser, language: str) -> TranslationsView:
    """Each item of the live revision in each of its languages; titles in ``language``."""
    course = course_for_translations(slug=slug, user=user)
    revision = course.live_revision
    assert revision is not None  # checked by course_for_translations
    outline = revision_outline(f"{revision.pk}.{revision.uid}", language)
    texts: dict[int, dict[str, tuple[str, dict]]] = {}
    rows = ItemText.objects.filter(revision_item__revision_id=revision.pk).values_list(
        "revision_item_id", "language", "title", "translation"
    )
    for revision_item_id, text_language, title, data in rows:
        texts.setdefault(revision_item_id, {})[text_language] = (title, data or {})
    default = revision.default_language
    languages = tuple(sorted(revision.languages, key=lambda code: (code != default, _rank(code))))
    summary = {code: LanguageSummary(code, code == default) for code in languages}
    result: list[Row] = []
    for entry in outline.entries:
        found = texts.get(entry.revision_item_id, {})
        present = {code: _cell(code, *found[code], is_default=code == default) for code in found}
        cells = []
        for code in languages:
            cell = present.get(code) or Cell(
                language=code, state="missing", is_default=code == default,
                path=_missing_path(entry.type, present.get(default), code),
                fallback=fallback_language(code, set(present)),
            )  # fmt: skip
            summary[code].counts[cell.state] += 1
            cells.append(cell)
        result.append(
            Row(key=entry.key, type=entry.type, title=entry.title,
                title_language=entry.title_language,
                module=outline.modules[entry.module][1], cells=tuple(cells))
        )  # fmt: skip
    title, _used = revision.title_in(language)
    return TranslationsView(
        course=course, revision=revision, title=title or course.slug, default_language=default,
        languages=languages, rows=tuple(result), summary=tuple(summary.values()),
    )  # fmt: skip
