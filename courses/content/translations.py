"""Translation status: every lesson, quiz and lab of a course in every language of the course,
present and up to date, *stale* (older than the default language's text) or missing (learners
see another language).

Older is decided by commits, never by dates. A translation is up to date when the last commit
that changed the default language's text is the translation's own last change or one of its
ancestors. Otherwise the default text changed in a commit the translation did not build on
(later, or on another branch), and the translation is stale. A lesson's text is its file
(``ru.md``); a quiz's or lab's is every text of that language in its YAML file, so a commit
that changes only the Russian prompts is a Russian change. For a stale text, a short diff of
the default language's text since the translation's last change shows what to bring over.

A commit with a ``Translations-Checked: ru, en`` trailer signs those translations off as of
that commit (`courses.content.signoffs`): for the items it covers it counts as their last
change, so a default-language change it builds on leaves them current.

Git is read through a `FileHistory` (`courses.content.git.History`); this module compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

from courses.content.diagnostics import Report
from courses.content.git import WORKTREE, Commit
from courses.content.languages import LANGUAGES, fallback_language
from courses.content.parsed import Lesson, ParsedCourse
from courses.content.textdiff import clean_line, decode_text, text_diff
from courses.content.yamlsrc import UTF8_BOM, YMap, YNode, YScalar, YSeq, load_yaml

State = Literal["current", "stale", "missing"]

_PREFETCH = 24  # versions of a YAML file read at once, with their parents


class FileHistory(Protocol):
    """What the comparison needs of Git (`courses.content.git.History` provides it)."""

    def changes(self, path: str) -> list[str]: ...
    def commit(self, sha: str) -> Commit | None: ...
    def parents(self, sha: str) -> tuple[str, ...]: ...
    def is_ancestor(self, older: str, newer: str) -> bool: ...
    def newest(self, shas: Iterable[str]) -> str: ...
    def checked(self, root: str, language: str) -> list[str]: ...
    def read(self, sha: str, path: str) -> bytes | None: ...
    def prefetch(self, wanted: Iterable[tuple[str, str]]) -> None: ...


@dataclass(frozen=True)
class TextChange:
    """The commit that last changed a text (`WORKTREE`: uncommitted changes on disk)."""

    sha: str
    author: str
    date: str  # ISO 8601, UTC
    message: str

    @property
    def uncommitted(self) -> bool:
        return self.sha == WORKTREE

    @property
    def short(self) -> str:
        return self.sha[:10]

    def as_json(self) -> dict[str, str]:
        return {"sha": self.sha, "author": self.author, "date": self.date, "message": self.message}


@dataclass(frozen=True)
class TextStatus:
    item: str
    type: str  # lesson | quiz | lab
    language: str
    path: str  # the file the text is (or would be) in
    state: State
    change: TextChange | None = None  # this language's last change (None: history not read)
    source: TextChange | None = None  # the default language's last change, for a stale text
    checked: TextChange | None = None  # the sign-off that keeps a current text current
    source_language: str = ""
    source_path: str = ""
    fallback: str | None = None  # a missing text: the language learners see instead
    line: int = 1  # where the language's texts start in a YAML file
    col: int = 1
    diff: tuple[tuple[str, str], ...] = ()  # (marker, text): "+", "-", " ", "@" (line number)
    diff_truncated: bool = False

    def as_json(self) -> dict[str, Any]:
        """What a revision keeps of a present text, for the status page and the stale note."""
        data: dict[str, Any] = {"state": self.state, "path": self.path}
        if self.change is not None:
            data["commit"] = self.change.as_json()
        if self.checked is not None:
            data["checked"] = self.checked.as_json()
        if self.state == "stale" and self.source is not None:
            data["source"] = {
                "language": self.source_language,
                "path": self.source_path,
                "commit": self.source.as_json(),
            }
            data["diff"] = [list(line) for line in self.diff]
            data["diff_truncated"] = self.diff_truncated
        return data


@dataclass(frozen=True)
class CourseTranslations:
    slug: str
    default_language: str
    checked: bool  # False: no Git history was read, so nothing can be stale
    texts: tuple[TextStatus, ...]

    def stale(self) -> list[TextStatus]:
        return [text for text in self.texts if text.state == "stale"]

    @cached_property
    def _present(self) -> dict[tuple[str, str], TextStatus]:
        return {(t.item, t.language): t for t in self.texts if t.state != "missing"}

    def as_json(self, item: str, language: str) -> dict[str, Any]:
        """What the revision keeps of ``item``'s text in ``language`` ({} for none)."""
        found = self._present.get((item, language))
        return found.as_json() if found else {}


def paths_root(path: str | Path) -> Path:
    """The folder that a repository's paths are relative to, as `read_repository` shows them:
    ``path`` itself, or for one course's folder the folder that holds ``courses/``."""
    base = Path(path).absolute()
    if (base / "course.yaml").exists() or (base / "course.yml").exists():
        return base.parent.parent if base.parent.name == "courses" else base.parent
    return base


def course_translations(
    *, course: ParsedCourse, history: FileHistory | None, diffs: bool = True
) -> CourseTranslations:
    """The status of every item of ``course`` in each of its languages. Without ``history``
    texts are present or missing, never stale; ``diffs=False`` skips reading old versions
    for the diffs (the linter needs none)."""
    texts: list[TextStatus] = []
    for item in course.items:
        if item.type == "lesson" and item.id in course.lessons:
            texts += _lesson(course, course.lessons[item.id], history, diffs)
        elif item.type in ("quiz", "lab"):
            graded = (course.quizzes if item.type == "quiz" else course.labs).get(item.id)
            if graded is not None:
                texts += _yaml_item(course, item.id, item.type, graded.path, set(graded.title),
                                    history, diffs)  # fmt: skip
    return CourseTranslations(
        slug=course.slug, default_language=course.default_language,
        checked=history is not None, texts=tuple(texts),
    )  # fmt: skip


def _change(history: FileHistory | None, sha: str | None) -> TextChange | None:
    commit = history.commit(sha) if history is not None and sha else None
    if commit is None:
        return None
    date = commit.committed_at.isoformat(timespec="seconds")
    return TextChange(sha=commit.sha, author=clean_line(commit.author), date=date,
                      message=clean_line(commit.message))  # fmt: skip


@dataclass(frozen=True)
class _Compared:
    stale: bool
    since: str | None = None  # a stale text: the commit its default text was last seen at
    checked: str | None = None  # a current text: the sign-off that keeps it so


def _compare(
    history: FileHistory | None, root: str, language: str, own: str | None, source: str | None
) -> _Compared:
    """Whether the text of the item at ``root`` in ``language``, last changed in ``own``, is
    older than the default language's last change ``source``. A sign-off that builds on
    ``source`` keeps it current; for a stale text, the newest sign-off after ``own`` is where
    the translator last saw the default text (the diff starts there)."""
    if not (history and own and source) or history.is_ancestor(source, own):
        return _Compared(stale=False)
    signoffs = history.checked(root, language)
    for sha in signoffs:
        if history.is_ancestor(source, sha):
            return _Compared(stale=False, checked=sha)
    later = [sha for sha in signoffs if history.is_ancestor(own, sha)]
    return _Compared(stale=True, since=history.newest([own, *later]))


def _lesson(
    course: ParsedCourse, lesson: Lesson, history: FileHistory | None, diffs: bool
) -> Iterator[TextStatus]:
    default = course.default_language
    source = lesson.texts.get(default)
    source_sha = _last(history, source.path) if source else None
    for language in course.languages:
        text = lesson.texts.get(language)
        if text is None:
            fallback = lesson.fallbacks.get(language) or fallback_language(
                language, set(lesson.texts)
            )
            yield TextStatus(lesson.id, "lesson", language, f"{lesson.path}/{language}.md",
                             "missing", fallback=fallback)  # fmt: skip
            continue
        sha = _last(history, text.path)
        found = _compare(history, lesson.path, language, sha, source_sha)
        if language == default or source is None or not found.stale:
            yield TextStatus(lesson.id, "lesson", language, text.path, "current",
                             change=_change(history, sha),
                             checked=_change(history, found.checked))  # fmt: skip
            continue
        assert history is not None and sha and source_sha and found.since  # it is stale
        diff, cut = (
            text_diff(decode_text(history.read(found.since, source.path)),
                      decode_text(history.read(source_sha, source.path)))
            if diffs else ((), False)
        )  # fmt: skip
        yield TextStatus(
            lesson.id, "lesson", language, text.path, "stale", change=_change(history, sha),
            source=_change(history, source_sha), source_language=default,
            source_path=source.path, diff=diff, diff_truncated=cut,
        )  # fmt: skip


def _last(history: FileHistory | None, path: str) -> str | None:
    if history is None:
        return None
    changes = history.changes(path)
    return changes[0] if changes else None


@dataclass(frozen=True)
class LanguageTexts:
    """Every text of one language in a YAML file, as (key path, text); ``line`` and ``col``
    (where the first one is) do not count when two versions are compared."""

    entries: tuple[tuple[str, str], ...]
    line: int = field(default=1, compare=False)
    col: int = field(default=1, compare=False)

    def lines(self) -> list[str]:
        out: list[str] = []
        for key, text in self.entries:
            first, *rest = text.splitlines() or [""]
            out.append(f"{key}: {first}")
            out += [f"    {line}" for line in rest]
        return out


def language_texts(data: bytes | None) -> dict[str, LanguageTexts] | None:
    """The texts of each language in a YAML file: every map whose keys are all language codes
    (``title: {ky: ..., ru: ...}``), by key path (list entries by their ``id``). ``{}`` for
    no file; None when it cannot be read."""
    if data is None:
        return {}
    try:
        text = data.decode("utf-8").removeprefix(UTF8_BOM)
    except UnicodeDecodeError:
        return None
    report = Report()
    root = load_yaml(text, report=report.file("-"))
    if report.items and root is None:
        return None
    found: dict[str, list[tuple[str, str, int, int]]] = {}
    _walk(root, (), found)
    return {
        lang: LanguageTexts(tuple((k, t) for k, t, _, _ in entries), entries[0][2], entries[0][3])
        for lang, entries in found.items()
    }


def _walk(node: YNode | None, path: tuple[str, ...], found: dict) -> None:
    if isinstance(node, YMap):
        names = list(node.entries)
        if names and all(name in LANGUAGES for name in names):
            for name, (key, value) in node.entries.items():
                found.setdefault(name, []).append((".".join(path), _text(value), key.line, key.col))
            return
        for name, (_key, value) in node.entries.items():
            _walk(value, (*path, name), found)
    elif isinstance(node, YSeq):
        for number, entry in enumerate(node.items, start=1):
            label = str(number)
            if isinstance(entry, YMap) and isinstance(entry.get("id"), YScalar):
                label = str(entry.get("id").value)  # type: ignore[union-attr]
            _walk(entry, (*path, label), found)


def _text(node: YNode) -> str:
    if isinstance(node, YScalar):
        return "" if node.value is None else str(node.value)
    if isinstance(node, YSeq):
        return "\n".join(_text(entry) for entry in node.items)
    return ""


def _yaml_item(
    course: ParsedCourse, item: str, type_: str, path: str, present: set[str],
    history: FileHistory | None, diffs: bool,
) -> Iterator[TextStatus]:  # fmt: skip
    default = course.default_language
    changes, versions, now = _language_changes(history, path) if history else ({}, {}, None)
    source_sha = changes.get(default)
    for language in course.languages:
        if language not in present:
            fallback = fallback_language(language, present)
            yield TextStatus(item, type_, language, path, "missing", fallback=fallback)
            continue
        sha = changes.get(language)
        where = (now or {}).get(language) or LanguageTexts(())
        found = _compare(history, path, language, sha, source_sha)
        if language == default or not found.stale:
            yield TextStatus(item, type_, language, path, "current", change=_change(history, sha),
                             checked=_change(history, found.checked), line=where.line,
                             col=where.col)  # fmt: skip
            continue
        assert history is not None and sha and source_sha and found.since
        diff, cut = (
            text_diff("\n".join(_texts_at(history, versions, found.since, path, default)),
                      "\n".join(_texts_at(history, versions, source_sha, path, default)))
            if diffs else ((), False)
        )  # fmt: skip
        yield TextStatus(
            item, type_, language, path, "stale", change=_change(history, sha),
            source=_change(history, source_sha), source_language=default, source_path=path,
            line=where.line, col=where.col, diff=diff, diff_truncated=cut,
        )  # fmt: skip


def _texts_at(
    history: FileHistory, versions: dict, sha: str, path: str, language: str
) -> list[str]:
    if sha not in versions:
        versions[sha] = language_texts(history.read(sha, path))
    found = (versions[sha] or {}).get(language)
    return found.lines() if found else []


def _language_changes(
    history: FileHistory, path: str
) -> tuple[dict[str, str], dict, dict[str, LanguageTexts] | None]:
    """The commit that last changed each language's texts in the YAML file ``path`` (the
    newest commit whose texts in that language differ from those of every parent; a version
    that cannot be read is looked past, to the versions before it), the versions read, and
    the texts as they are now."""
    shas = history.changes(path)
    versions: dict[str, dict[str, LanguageTexts] | None] = {}

    def at(sha: str) -> dict[str, LanguageTexts] | None:
        if sha not in versions:
            versions[sha] = language_texts(history.read(sha, path))
        return versions[sha]

    def before(sha: str, depth: int = 0) -> list[dict[str, LanguageTexts]]:
        found: list[dict[str, LanguageTexts]] = []
        for parent in history.parents(sha):
            texts = at(parent)
            if texts is not None:
                found.append(texts)
            elif depth < 8:
                found += before(parent, depth + 1)
        return found or [{}]

    history.prefetch(
        (sha, path) for head in shas[:_PREFETCH] for sha in (head, *history.parents(head))
    )
    current = at(shas[0]) if shas else None
    pending = set(current or ())
    changed: dict[str, str] = {}
    for sha in shas:
        if not pending:
            break
        mine = at(sha)
        if mine is None:
            continue
        earlier = before(sha)
        for language in sorted(pending):
            if all(mine.get(language) != old.get(language) for old in earlier):
                changed[language] = sha
        pending -= changed.keys()
    return changed, versions, current
