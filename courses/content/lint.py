"""The course linter: every check that needs no database, as a function and a command.

    python -m courses.content PATH [--strict] [--format text|json] [--no-history]

prints one ``PATH:LINE:COL: severity CODE: message (hint)`` line per problem, or one line
starting ``clean:`` when there is none, and exits 1 on errors (2 with ``--strict`` when there
are only warnings), like ``manage.py lint_course``. Inside a Git work tree it reads the same
history as an import (W106: translations older than the default language, by commit), with
files changed on disk counting as one more, uncommitted change. ``--format json`` prints one
JSON document (`as_json`, schema version 1) for continuous integration.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from courses.content.diagnostics import Diagnostic, sort_diagnostics
from courses.content.git import NoHistory, read_history
from courses.content.history import course_stale_translations
from courses.content.repository import read_repository
from courses.content.translations import course_translations, paths_root

JSON_VERSION = 1
UNCHECKED = {
    "off": "translations not checked (--no-history)",
    "not-a-repository": "translations not checked: not in a Git repository",
    "no-commits": "translations not checked: the repository has no commit yet",
    "shallow": "translations not checked: a shallow clone has no history "
    "(clone it whole: fetch-depth: 0, GIT_DEPTH: 0, or git fetch --unshallow)",
    "unsafe": "translations not checked: Git refuses to read a repository another user owns "
    "(git config --global --add safe.directory <path>)",
}


@dataclass(frozen=True)
class LintResult:
    diagnostics: list[Diagnostic]
    courses: int
    items: int
    languages: tuple[str, ...]
    history: str  # "git", "off", or why the history could not be read (`NoHistory.reason`)
    commit: str = ""  # the HEAD the history was read at

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def lint(path: str | Path, *, history: bool = True) -> LintResult:
    """Every problem in the repository or course folder at ``path``, sorted. With ``history``
    and no error, the translations are compared by commit as an import compares them."""
    parsed = read_repository(path, render=False)
    diagnostics = list(parsed.diagnostics)
    state, commit = "off", ""
    if history:
        found = read_history(paths_root(path), worktree=True)
        if isinstance(found, NoHistory):
            state = found.reason
        else:
            state, commit = "git", found.head
            for course in parsed.courses if parsed.ok else ():
                translations = course_translations(course=course, history=found, diffs=False)
                diagnostics += course_stale_translations(translations=translations)
    return LintResult(
        diagnostics=sort_diagnostics(diagnostics),
        courses=len(parsed.courses),
        items=sum(len(course.items) for course in parsed.courses),
        languages=tuple(sorted({lang for c in parsed.courses for lang in c.languages})),
        history=state,
        commit=commit,
    )


def lint_path(path: str | Path, *, history: bool = False) -> list[Diagnostic]:
    """Every problem in the repository or course folder at ``path``, sorted; the files alone
    unless ``history`` (see `lint`)."""
    return lint(path, history=history).diagnostics


def exit_code(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> int:
    if any(d.is_error for d in diagnostics):
        return 1
    if strict and diagnostics:
        return 2
    return 0


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def clean_summary(result: LintResult) -> str:
    """The one line printed when there is nothing to report."""
    what = f"{_count(result.courses, 'course', 'courses')}, {_count(result.items, 'item', 'items')}"
    if result.languages:
        what += f" ({', '.join(result.languages)})"
    if result.history == "git":
        return f"clean: {what}; translations checked against Git history at {result.commit[:10]}"
    return f"clean: {what}; {UNCHECKED.get(result.history, 'translations not checked')}"


def as_json(result: LintResult, path: str | Path) -> dict[str, Any]:
    """The JSON report: schema version 1, documented in docs/authors-ci.md."""
    return {
        "version": JSON_VERSION,
        "path": str(path),
        "clean": not result.diagnostics,
        "summary": {
            "courses": result.courses,
            "items": result.items,
            "languages": list(result.languages),
            "errors": result.errors,
            "warnings": result.warnings,
            "history": result.history,
            "commit": result.commit or None,
        },
        "diagnostics": [
            {
                "file": d.path,
                "line": d.line,
                "col": d.col,
                "code": d.code,
                "severity": d.severity,
                "message": d.message,
                "hint": d.hint,
            }
            for d in result.diagnostics
        ],
    }


def report(result: LintResult, *, path: str | Path, format: str) -> tuple[list[str], list[str]]:
    """The lines to print on standard output and on standard error."""
    notes = []
    if result.history in ("shallow", "unsafe"):
        notes.append(f"note: {UNCHECKED[result.history]}")
    if format == "json":
        return [json.dumps(as_json(result, path), ensure_ascii=False, indent=2)], notes
    if not result.diagnostics:
        return [clean_summary(result)], notes
    return [d.format() for d in result.diagnostics], notes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a course repository or a course folder")
    parser.add_argument("--strict", action="store_true", help="exit 2 on warnings alone")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--no-history", action="store_true", help="do not read Git history (skips W106)"
    )


def run(path: str, *, strict: bool, format: str, no_history: bool) -> tuple[int, list, list]:
    """Lint ``path``: the exit status and the lines for standard output and error."""
    result = lint(path, history=not no_history)
    out, err = report(result, path=path, format=format)
    return exit_code(result.diagnostics, strict=strict), out, err


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courses.content")
    add_arguments(parser)
    args = parser.parse_args(argv)
    code, out, err = run(
        args.path, strict=args.strict, format=args.format, no_history=args.no_history
    )
    for line in out:
        print(line)
    for line in err:
        print(line, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
