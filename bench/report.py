"""Rows of results and the summary table printed at the end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """``ratio`` (or value) compared with ``limit``: "≥", "≤" or "<"."""

    op: str
    limit: float
    unit: str = "×"

    def met(self, value: float) -> bool:
        if self.op == "≥":
            return value >= self.limit
        return value <= self.limit if self.op == "≤" else value < self.limit

    def __str__(self) -> str:
        return f"{self.op} {self.limit:g}{self.unit}"


@dataclass(frozen=True)
class Row:
    benchmark: str
    measure: str
    value: str
    ratio: float | None = None
    target: Target | None = None
    checked: float | None = None  # what the target is checked against; the ratio if None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        value = self.ratio if self.checked is None else self.checked
        if value is None:
            return "not measured"
        return "met" if self.target.met(value) else "MISSED"

    def target_line(self) -> str:
        """The line a benchmark prints as it measures: "target ≥ 0.6×: met"."""
        return f"target {self.target}: {self.verdict}" if self.target else ""


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def print_summary(rows: list[Row]) -> None:
    header = ("benchmark", "measure", "value", "ratio", "target", "result")
    table = [header] + [
        (
            row.benchmark,
            row.measure,
            row.value,
            "" if row.ratio is None else f"{row.ratio:.2f}×",
            "" if row.target is None else str(row.target),
            row.verdict,
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    heading("Summary")
    for index, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    missed = [row for row in rows if row.verdict == "MISSED"]
    print(f"\n{len(missed)} target(s) missed" if missed else "\nEvery target met")
