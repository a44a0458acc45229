"""The course linter: every check that needs no database, as a function and a command.

    python -m courses.content PATH [--strict]

prints one ``PATH:LINE:COL: severity CODE: message`` line per problem and exits 1 on errors
(2 with ``--strict`` when there are only warnings), like ``manage.py lint_course``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from courses.content.diagnostics import Diagnostic
from courses.content.repository import read_repository


def lint_path(path: str | Path) -> list[Diagnostic]:
    """Every problem in the repository or course folder at ``path``, sorted."""
    return read_repository(path, render=False).diagnostics


def exit_code(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> int:
    if any(d.is_error for d in diagnostics):
        return 1
    if strict and diagnostics:
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courses.content")
    parser.add_argument("path", help="a course repository or a course folder")
    parser.add_argument("--strict", action="store_true", help="exit 2 on warnings")
    args = parser.parse_args(argv)
    diagnostics = lint_path(args.path)
    for diagnostic in diagnostics:
        print(diagnostic.format())
    return exit_code(diagnostics, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
