"""Diagnostics: what the content reader reports, one problem per `Diagnostic`.

A diagnostic points at a repository-relative POSIX path and a 1-based line and column,
and prints as ``PATH:LINE:COL: error CODE: message (hint)``.

Messages are written as English templates with named ``%(name)s`` placeholders (see
`courses.content.messages`). A diagnostic keeps its template and parameters next to the
rendered English text, so the Django layer can translate it later::

    gettext(d.template) % d.params_dict()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

Severity = Literal["error", "warning"]


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it (this package has no Django)."""
    return message


class HasPosition(Protocol):
    line: int
    col: int


Where = HasPosition | tuple[int, int] | None


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a course repository."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    template: str = field(default="", compare=False, repr=False)
    hint_template: str | None = field(default=None, compare=False, repr=False)
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)

    def __lt__(self, other: Diagnostic) -> bool:
        return self.sort_key < other.sort_key

    def params_dict(self) -> dict[str, str]:
        return dict(self.params)

    def format(self) -> str:
        """``PATH:LINE:COL: severity CODE: message (hint)``."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format()


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by (path, line, col, code) and drop exact duplicates."""
    return sorted(set(diagnostics), key=lambda d: (*d.sort_key, d.message))


def make_diagnostic(
    *,
    path: str,
    code: str,
    template: str,
    params: Mapping[str, object] | None = None,
    at: Where = None,
    hint: str | None = None,
) -> Diagnostic:
    """Build a diagnostic; the severity follows the code (``E...`` error, ``W...`` warning)."""
    line, col = _position(at)
    values = {key: str(value) for key, value in (params or {}).items()}
    return Diagnostic(
        path=path,
        line=line,
        col=col,
        severity="warning" if code.startswith("W") else "error",
        code=code,
        message=template % values,
        hint=hint % values if hint else None,
        template=template,
        hint_template=hint,
        params=tuple(sorted(values.items())),
    )


def _position(at: Where) -> tuple[int, int]:
    if at is None:
        return (1, 1)
    if isinstance(at, tuple):
        return (max(1, at[0]), max(1, at[1]))
    return (max(1, at.line), max(1, at.col))


class Report:
    """Collects diagnostics from every file of a repository."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def file(self, path: str) -> FileReport:
        return FileReport(self, path)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def sorted(self) -> list[Diagnostic]:
        return sort_diagnostics(self.items)


class FileReport:
    """Reports problems in one file (or folder) of the repository."""

    def __init__(self, report: Report, path: str) -> None:
        self.report = report
        self.path = path

    def __call__(
        self,
        code: str,
        template: str,
        at: Where = None,
        *,
        hint: str | None = None,
        **params: object,
    ) -> None:
        self.report.add(
            make_diagnostic(
                path=self.path, code=code, template=template, params=params, at=at, hint=hint
            )
        )

    def count(self) -> int:
        return sum(1 for d in self.report.items if d.path == self.path)
