"""Course languages and the fallback a learner sees when a text is missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")

LANGUAGES: tuple[str, ...] = ("ky", "ru", "en")
LANGUAGE_NAMES: dict[str, str] = {"ky": "Kyrgyz", "ru": "Russian", "en": "English"}

_FALLBACKS: dict[str, tuple[str, ...]] = {
    "ky": ("ky", "ru", "en"),
    "ru": ("ru", "en", "ky"),
    "en": ("en", "ru", "ky"),
}


def fallback_chain(lang: str) -> tuple[str, ...]:
    """The languages to try, in order, for a learner reading in ``lang``.

    ``ky → ru → en``, ``ru → en → ky``, ``en → ru → ky``; an unknown code reads as English.
    """
    return _FALLBACKS.get(lang, _FALLBACKS["en"])


def pick_text(mapping: Mapping[str, T], lang: str) -> tuple[T | None, str | None]:
    """The value for ``lang``, else the first available along its fallback chain.

    Returns ``(value, language_used)``; ``(None, None)`` when the mapping has no usable value.
    Empty strings count as missing.
    """
    for code in fallback_chain(lang):
        value = mapping.get(code)
        if value is not None and value != "":
            return value, code
    return None, None


def fallback_language(lang: str, available: set[str] | frozenset[str]) -> str | None:
    """The language whose text a learner reading ``lang`` sees, given the available ones."""
    for code in fallback_chain(lang):
        if code in available:
            return code
    return None
