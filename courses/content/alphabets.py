"""Alphabetical order and index letters for the course languages (Kyrgyz, Russian, English).

Python sorts by code point, which puts Kyrgyz Ң, Ө and Ү after Я and Ё after every other
letter. Here each language has its alphabet: a word sorts letter by letter by the position of
each letter in it, case ignored; letters of another script come after the page's alphabet
(Latin after Cyrillic on a Kyrgyz or Russian page, Cyrillic after Latin on an English one),
then digits and other characters. Pure: no Django.
"""

from __future__ import annotations

import unicodedata

KYRGYZ = "АБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

ALPHABETS: dict[str, str] = {"ky": KYRGYZ, "ru": RUSSIAN, "en": LATIN}
# Russian dictionaries file Ё under Е; the Kyrgyz alphabet lists Ё as its own letter.
_MERGED: dict[str, dict[str, str]] = {"ru": {"Ё": "Е"}}
OTHER = "#"  # the index letter of words that start with no letter of a known alphabet


def _orders(language: str) -> tuple[str, ...]:
    """The alphabets to sort by, the page's first. Russian words sort by the Kyrgyz alphabet
    (Russian's letters in Russian order, with Ң, Ө and Ү after Н, О and У), so a Kyrgyz word
    on a Russian page sorts where a reader looks for it."""
    if language in ("ky", "ru"):
        return (KYRGYZ, LATIN)
    return (LATIN, KYRGYZ)


def _tables(language: str) -> dict[str, tuple[int, int]]:
    table: dict[str, tuple[int, int]] = {}
    for rank, alphabet in enumerate(_orders(language)):
        for position, letter in enumerate(alphabet):
            table[letter] = (rank, position)
    for letter, same_as in _MERGED.get(language, {}).items():
        table[letter] = table[same_as]
    return table


_TABLES = {language: _tables(language) for language in ALPHABETS}


def _letter_of(char: str) -> str:
    """``char`` upper-cased, an accented Latin letter as its base letter (É as E); Cyrillic
    letters keep their own shape (Й and Ё are letters, not accented И and Е)."""
    upper = char.upper()
    if len(upper) == 1 and "LATIN" in unicodedata.name(upper, ""):
        base = unicodedata.normalize("NFD", upper)[0]
        return base if base in LATIN else upper
    return upper


def sort_key(text: str, language: str) -> tuple:
    """A key that orders ``text`` alphabetically for readers of ``language``."""
    table = _TABLES.get(language, _TABLES["en"])
    after = len(_orders(language))  # ranks past every alphabet: digits, then anything else
    letters = []
    for char in text.strip():
        letter = _letter_of(char)
        if letter in table:
            letters.append(table[letter])
        elif char.isdigit():
            letters.append((after, ord(char)))
        elif char.isspace() or char in "-‐–—'’.":
            letters.append((-1, 0))  # word breaks first: "Proof of stake" before "Proofs"
        else:
            letters.append((after + 1, ord(letter)))
    return (tuple(letters), text.casefold(), text)


def index_letter(text: str, language: str) -> str:
    """The heading ``text`` is listed under: its first letter (Ё under Е in Russian), or
    ``OTHER`` for a word that starts with a digit or a sign."""
    stripped = text.strip()
    if not stripped:
        return OTHER
    letter = _letter_of(stripped[0])
    if letter not in _TABLES.get(language, _TABLES["en"]):
        return OTHER
    return _MERGED.get(language, {}).get(letter, letter)
