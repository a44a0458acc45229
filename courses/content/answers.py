"""How text answers are compared: trimmed, spaces collapsed, case folded, NFC."""

from __future__ import annotations

import unicodedata


def normalize_text_answer(text: str) -> str:
    """Normalise a typed answer or an accepted answer so the two can be compared with ``==``."""
    folded = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return unicodedata.normalize("NFC", folded)
