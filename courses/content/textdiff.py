"""A short, safe diff of two texts, for a translator to see what changed in the source text
(`courses.content.translations` computes it at import; the status page shows it)."""

from __future__ import annotations

import difflib
import re
import unicodedata

from courses.content.yamlsrc import UTF8_BOM

DIFF_CONTEXT = 2  # unchanged lines shown around a change
DIFF_MAX_LINES = 120
DIFF_MAX_CHARS = 8000
DIFF_LINE_CHARS = 240
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)")


def text_diff(old: str, new: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The lines that differ between ``old`` and ``new`` with a little context, as (marker,
    text): ``+`` added, ``-`` removed, `` `` unchanged, ``@`` the line number in ``new`` where
    a part starts. Control and formatting characters are dropped, long lines cut, and the
    whole kept small; the flag says whether it was cut."""
    lines: list[tuple[str, str]] = []
    size = 0
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), n=DIFF_CONTEXT, lineterm="")
    for number, raw in enumerate(diff):
        if number < 2:  # the "---" and "+++" file headers
            continue
        hunk = _HUNK.match(raw)
        line = ("@", hunk.group(1)) if hunk else (raw[:1] or " ", clean_line(raw[1:]))
        size += len(line[1])
        if len(lines) >= DIFF_MAX_LINES or size > DIFF_MAX_CHARS:
            return tuple(lines), True
        lines.append(line)
    return tuple(lines), False


def clean_line(text: str) -> str:
    """``text`` without control and formatting characters (tabs become spaces), cut to
    `DIFF_LINE_CHARS`."""
    text = "".join(
        " " if char == "\t" else char
        for char in text
        if char == "\t" or unicodedata.category(char) not in ("Cc", "Cf")
    )
    return text if len(text) <= DIFF_LINE_CHARS else text[: DIFF_LINE_CHARS - 1] + "…"


def decode_text(data: bytes | None) -> str:
    return "" if data is None else data.decode("utf-8", "replace").removeprefix(UTF8_BOM)
