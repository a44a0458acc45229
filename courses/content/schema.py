"""Typed reading of positioned YAML with diagnostics: the building blocks of every schema.

Each accessor returns a plain Python value, or None after reporting why it could not:
E002 unknown key, E003 missing or empty, E004 wrong type or range (with "quote it" when
YAML 1.1 turned unquoted text into a boolean, number or date), E005/W101 missing
translations, E006 unknown language, E008 badly formed id.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from courses.content import messages as M
from courses.content.diagnostics import FileReport
from courses.content.languages import LANGUAGE_NAMES, LANGUAGES, fallback_language
from courses.content.yamlsrc import YKey, YMap, YNode, YScalar, YSeq

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class LangContext:
    """The languages text maps are checked against; no default means every one is optional."""

    languages: tuple[str, ...] = LANGUAGES
    default: str | None = None


def describe(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    assert isinstance(node, YScalar)
    value = node.value
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'} (from {node.text})"
    if isinstance(value, int | float):
        return f"the number {value} (from {node.text})"
    if isinstance(value, dt.date | dt.datetime):
        return f"a date (from {node.text})"
    return f"the text '{node.text}'"


def line_of(m: YMap, key: str) -> int:
    """The line of the value under ``key`` (of the mapping when the key is absent)."""
    node = m.get(key)
    return node.line if node is not None else m.line


def join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class Checker:
    """Reads fields of one file, reporting each problem at the key or value that caused it."""

    def __init__(self, report: FileReport, langs: LangContext | None = None) -> None:
        self.report = report
        self.langs = langs or LangContext()

    # -- structure ---------------------------------------------------------------------

    def as_map(self, node: YNode | None, field: str) -> YMap | None:
        if node is None or isinstance(node, YMap):
            return node
        self.report("E004", M.EXPECTED_MAP, node, field=field)
        return None

    def as_list(self, node: YNode | None, field: str) -> list[YNode]:
        if node is None or (isinstance(node, YScalar) and node.value is None):
            return []
        if isinstance(node, YSeq):
            return node.items
        self.report("E004", M.EXPECTED_LIST, node, field=field)
        return []

    def keys(
        self,
        m: YMap,
        *,
        allowed: Collection[str],
        required: Collection[str] = (),
        where: str = "",
        known_elsewhere: Collection[str] = (),
        type_name: str = "",
    ) -> None:
        """E002 for keys outside ``allowed`` and E003 for ``required`` keys that are absent.

        Keys in ``known_elsewhere`` belong to another question type: the message says so.
        """
        for name, (key, _value) in m.entries.items():
            if name in allowed:
                continue
            if name in known_elsewhere:
                self.report("E002", M.KEY_NOT_FOR_TYPE, key, key=name, type=type_name)
                continue
            close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
            hint = M.DID_YOU_MEAN if close else None
            suggestion = close[0] if close else ""
            self.report("E002", M.UNKNOWN_KEY, key, hint=hint, key=name, suggestion=suggestion)
        for name in required:
            if name not in m.entries:
                self.report("E003", M.REQUIRED, m, field=join(where, name))

    def present(self, m: YMap, key: str, where: str, *, required: bool) -> YNode | None:
        """The value under ``key``, or None; a null or empty value counts as absent (E003)."""
        node = m.get(key)
        if node is None:
            return None
        if isinstance(node, YScalar) and (node.value is None or node.value == ""):
            if required:
                self.report("E003", M.EMPTY, m.key(key), field=join(where, key))
            return None
        return node

    # -- scalars -----------------------------------------------------------------------

    def text_value(self, node: YNode, field: str) -> str | None:
        if isinstance(node, YScalar) and isinstance(node.value, str):
            return node.value.strip()
        hint = M.QUOTE_IT if isinstance(node, YScalar) and node.plain else None
        value = node.text if isinstance(node, YScalar) else ""
        self.report(
            "E004", M.EXPECTED_TEXT, node, hint=hint, field=field, kind=describe(node), value=value
        )
        return None

    def text(self, m: YMap, key: str, where: str = "", *, required: bool = False) -> str | None:
        node = self.present(m, key, where, required=required)
        if node is None:
            return None
        value = self.text_value(node, join(where, key))
        if value == "" and required:
            self.report("E003", M.EMPTY, m.key(key), field=join(where, key))
            return None
        return value

    def integer(
        self,
        m: YMap,
        key: str,
        where: str = "",
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        required: bool = False,
    ) -> int | None:
        node = self.present(m, key, where, required=required)
        if node is None:
            return None
        field = join(where, key)
        if not (isinstance(node, YScalar) and type(node.value) is int):
            self.report("E004", M.EXPECTED_INT, node, field=field, kind=describe(node))
            return None
        value = node.value
        if not self._in_range(node, field, value, minimum, maximum):
            return None
        return value

    def number(
        self,
        m: YMap,
        key: str,
        where: str = "",
        *,
        minimum: float | None = None,
        required: bool = False,
    ) -> int | float | None:
        node = self.present(m, key, where, required=required)
        if node is None:
            return None
        field = join(where, key)
        value = node.value if isinstance(node, YScalar) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report("E004", M.EXPECTED_NUMBER, node, field=field, kind=describe(node))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.report("E004", M.NOT_FINITE, node, field=field)
            return None
        if not self._in_range(node, field, value, minimum, None):
            return None
        return value

    def _in_range(
        self, node: YNode, field: str, value: float, minimum: float | None, maximum: float | None
    ) -> bool:
        if minimum is not None and maximum is not None and not minimum <= value <= maximum:
            self.report(
                "E004", M.BETWEEN, node, field=field, minimum=minimum, maximum=maximum, value=value
            )
            return False
        if minimum is not None and value < minimum:
            self.report("E004", M.AT_LEAST, node, field=field, minimum=minimum, value=value)
            return False
        return True

    def boolean(self, m: YMap, key: str, where: str = "", *, required: bool = False) -> bool | None:
        node = self.present(m, key, where, required=required)
        if node is None:
            return None
        if isinstance(node, YScalar) and isinstance(node.value, bool):
            return node.value
        self.report("E004", M.EXPECTED_BOOL, node, field=join(where, key), kind=describe(node))
        return None

    def choice(
        self, m: YMap, key: str, where: str, choices: Collection[str], *, required: bool = False
    ) -> str | None:
        value = self.text(m, key, where, required=required)
        if value is None:
            return None
        if value not in choices:
            self.report(
                "E004",
                M.NOT_ONE_OF,
                m.get(key),
                field=join(where, key),
                value=value,
                choices=", ".join(choices),
            )
            return None
        return value

    def ident(
        self, m: YMap, key: str = "id", where: str = "", *, required: bool = True
    ) -> str | None:
        node = self.present(m, key, where, required=required)
        if node is None:
            return None
        return self.ident_value(node, join(where, key))

    def ident_value(self, node: YNode, field: str) -> str | None:
        value = self.text_value(node, field)
        if value is None:
            return None
        if not ID_RE.match(value):
            self.report("E008", M.BAD_ID, node, hint=M.BAD_ID_HINT, field=field, id=value)
            return None
        return value

    def text_list(self, m: YMap, key: str, where: str = "") -> list[tuple[str, YNode]]:
        node = self.present(m, key, where, required=False)
        result = []
        for index, item in enumerate(self.as_list(node, join(where, key))):
            value = self.text_value(item, f"{join(where, key)}.{index + 1}")
            if value:
                result.append((value, item))
        return result

    # -- languages ---------------------------------------------------------------------

    def language_code(self, node: YNode | YKey, field: str) -> str | None:
        """A language code (E006 for anything but ky, ru, en, with a hint for 'kg')."""
        if isinstance(node, YKey):
            code = node.name
        else:
            value = self.text_value(node, field)
            if value is None:
                return None
            code = value
        if code in LANGUAGES:
            return code
        hint = M.KG_HINT if code.lower() == "kg" else M.LANGUAGES_HINT
        self.report("E006", M.UNKNOWN_LANGUAGE, node, hint=hint, lang=code)
        return None

    def lang_map(
        self, m: YMap, key: str, where: str = "", *, required: bool = False
    ) -> dict[str, str]:
        """A map from language code to text, checked for completeness (E005 / W101).

        Languages that are valid but not offered by the course are left out.
        """
        node = self.present(m, key, where, required=required)
        field = join(where, key)
        if node is None:
            return {}
        texts, reported = self.lang_texts(node, field)
        if texts is not None:
            self.completeness(texts.keys() | reported, at=m.key(key) or node, field=field)
        return texts or {}

    def lang_texts(self, node: YNode, field: str) -> tuple[dict[str, str] | None, set[str]]:
        """The texts of a language map, without the completeness check: (texts, languages
        whose value was reported as wrong). Texts is None when ``node`` is not a map (E004)."""
        if not isinstance(node, YMap):
            self.report("E004", M.EXPECTED_LANG_MAP, node, hint=M.LANG_MAP_HINT, field=field)
            return None, set()
        texts: dict[str, str] = {}
        reported: set[str] = set()
        for name, (lang_key, value_node) in node.entries.items():
            code = self.language_code(lang_key, field)
            if code is None:
                continue
            if isinstance(value_node, YScalar) and value_node.value in (None, ""):
                continue
            value = self.text_value(value_node, f"{field}.{name}")
            if value is None:
                reported.add(code)
            elif value and code in self.langs.languages:
                texts[code] = value
        return texts, reported

    def completeness(self, present: Collection[str], *, at: YNode | YKey, field: str) -> None:
        """E005 for a missing default-language text, W101 for other languages.

        Without a default language (glossary terms) only a completely empty map is an error.
        """
        available = frozenset(present)
        if not available and self.langs.default is None:
            self.report("E003", M.EMPTY, at, field=field)
            return
        for code in self.langs.languages:
            if code in available:
                continue
            if code == self.langs.default:
                self.report("E005", M.MISSING_TEXT_DEFAULT, at, lang=code, field=field)
            else:
                fallback = fallback_language(code, available)
                self.report(
                    "W101",
                    M.MISSING_TEXT if fallback else M.MISSING_TEXT_NO_FALLBACK,
                    at,
                    lang=code,
                    field=field,
                    fallback=LANGUAGE_NAMES.get(fallback or "", ""),
                )
