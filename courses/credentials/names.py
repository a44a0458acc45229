"""A learner's name as certificates print and sign it. Pure: text in, text out.

Forms and roster files refuse a name that `name_has_unprintable` finds and store it as
`name_collapse` makes it; certificates take it through `printable_name`, which never
refuses (the course is completed) but keeps line breaks, control characters and absurd
lengths out of the PDF and the signed credential.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_LENGTH = 150  # the User.name column

# Controls, invisible formatting (bidi overrides, zero-width spaces), surrogates,
# private-use and unassigned code points: nothing a certificate can print or a reader see.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def name_collapse(text: str) -> str:
    """NFC, every run of whitespace (line breaks and tabs too) one space, no space at the
    ends."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def name_has_unprintable(text: str) -> bool:
    """Whether ``text`` holds a character `_UNPRINTABLE` names, once whitespace is collapsed."""
    return any(unicodedata.category(char) in _UNPRINTABLE for char in name_collapse(text))


def printable_name(text: str, *, limit: int = MAX_NAME_LENGTH) -> str:
    """``text`` collapsed, without unprintable characters, at most ``limit`` characters long
    (cut at a space when there is one in its last fifth). Idempotent."""
    collapsed = name_collapse(text)  # whitespace controls (line breaks, tabs) become spaces
    name = name_collapse(
        "".join(char for char in collapsed if unicodedata.category(char) not in _UNPRINTABLE)
    )
    if len(name) > limit:
        cut = name[:limit]
        space = cut.rfind(" ")
        name = (cut[:space] if space >= limit * 0.8 else cut).rstrip()
    return name
