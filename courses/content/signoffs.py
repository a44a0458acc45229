"""Translation sign-off: a commit whose message ends with the trailer

    Translations-Checked: ru, en

says its author checked those languages' translations against the default language as of
that commit: their texts of every item the commit touches count as up to date from it on,
even though only the default language's text changed (a typo fix that needs no translation).
A commit that changes no file at all (``git commit --allow-empty``) signs off every item of
the repository; one or more ``Translations-Checked-Path:`` trailers name the items instead
(or as well, for a commit that changes files): a path as the linter prints it (relative to
the folder read), a folder above items, or a pattern with ``*``.

`courses.content.git` reads the trailers (Git parses them, as `git interpret-trailers` does);
this module decides what a sign-off covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from courses.content.languages import LANGUAGES

CHECKED = "Translations-Checked"
CHECKED_PATH = "Translations-Checked-Path"
# `git log --grep` for the commits that may hold either trailer (Git then parses them).
GREP = r"^translations-checked(-path)?[[:space:]]*:"
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class SignOff:
    """A commit with a `CHECKED` trailer naming at least one known language."""

    sha: str
    languages: frozenset[str]
    touched: tuple[str, ...]  # the files it changed under the folder read, relative to it
    paths: tuple[str, ...]  # the paths its `CHECKED_PATH` trailers name
    empty: bool  # it changed no file at all, in or out of the folder read

    def covers(self, root: str, language: str) -> bool:
        """Whether it signs off ``language``'s text of the item whose file or folder is
        ``root`` (a lesson's folder, a quiz's or lab's YAML file)."""
        if language not in self.languages:
            return False
        if self.empty and not self.paths:
            return True
        return any(_inside(path, root) for path in self.touched) or any(
            _named(pattern, root) for pattern in self.paths
        )


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + "/")


def _named(pattern: str, root: str) -> bool:
    """A named path names the item when it is the item, a folder above it, a file inside it
    (a lesson's ``ru.md``) or a pattern that matches one of those."""
    return _inside(root, pattern) or _inside(pattern, root) or fnmatchcase(root, pattern)


def signoff_parse(
    *, sha: str, languages: str, paths: str, changed: list[str], prefix: str
) -> SignOff | None:
    """A sign-off from a commit's trailer values (``\\x1d`` between repeated trailers) and
    the files it changed (relative to the repository's top folder, which holds the folder
    read at ``prefix``); None when it names no known language."""
    codes = frozenset(code for code in _SPLIT.split(languages.lower()) if code in LANGUAGES)
    if not codes:
        return None
    named = (_clean_path(part) for value in paths.split("\x1d") for part in value.split(","))
    return SignOff(
        sha=sha,
        languages=codes,
        touched=tuple(path[len(prefix) :] for path in changed if path.startswith(prefix)),
        paths=tuple(path for path in named if path),
        empty=not changed,
    )


def _clean_path(path: str) -> str:
    path = path.strip().removeprefix("./")
    return path.rstrip("/") if path != "/" else ""
