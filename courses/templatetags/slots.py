"""Parts of pages rendered once and filled in on every request.

Most of a course or lesson page is the same for everyone who reads it. A template renders
such a part once, with a *slot* wherever a value of the reader goes (their progress, the
state of an item, a CSRF token), and the result is kept in this process: it depends on the
code (templates, translations) as well as on the data, so it is not shared with other
processes and goes when they restart. Every request fills the slots.

The templates rendered this way are given values that do not know the reader (see the tags
in courses.py), so nothing of one learner can be kept and shown to another; a slot's mark
holds a secret made when the process starts, so no text in a page can pass for one.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

KEPT_SIZE = 256  # parts kept per process: a few MB at most
_SECRET = secrets.token_hex(8)
_MARK = re.compile(rf"<!--{_SECRET}:([a-z_]+(?::\d+)?)-->")
_kept: dict[Hashable, Cut] = {}


def slot(name: str) -> SafeString:
    """The mark a template renders where the slot ``name`` is filled in later."""
    return mark_safe(f"<!--{_SECRET}:{name}-->")  # noqa: S308 - a comment of our own


@dataclass(frozen=True)
class Cut:
    """Rendered HTML cut at its slots: ``literals[0] names[0] literals[1] ... literals[-1]``."""

    literals: tuple[str, ...]
    names: tuple[str, ...]

    def fill(self, values: Mapping[str, str | Callable[[], str]]) -> SafeString:
        """The HTML with each slot replaced by its value (escaped already, or safe); a value
        may be a callable, called once, so nothing is computed for a slot the part lacks."""
        done: dict[str, str] = {}
        parts = [self.literals[0]]
        for name, literal in zip(self.names, self.literals[1:], strict=True):
            value = done.get(name)
            if value is None:
                given = values[name]
                value = done[name] = given() if callable(given) else given
            parts.append(value)
            parts.append(literal)
        return mark_safe("".join(parts))  # noqa: S308 - rendered by templates, filled by tags

    @cached_property
    def by_index(self) -> dict[int, tuple[tuple[int, str], ...]]:
        """The slots named ``<name>:<index>`` (one of each item of a list), by index: their
        positions and names."""
        found: dict[int, list[tuple[int, str]]] = {}
        for position, slot_name in enumerate(self.names):
            name, _, index = slot_name.partition(":")
            found.setdefault(int(index or -1), []).append((position, name))
        return {index: tuple(slots) for index, slots in found.items()}

    @cached_property
    def _plain_names(self) -> tuple[str, ...]:
        return tuple(slot_name.partition(":")[0] for slot_name in self.names)

    def fill_by_index(
        self, blank: Mapping[str, str], values: Mapping[int, Mapping[str, str]]
    ) -> SafeString:
        """The HTML with each slot ``<name>:<index>`` given ``values[index][name]`` where there
        is one, else ``blank[name]``: the work grows with ``values``, not with the list."""
        filled = [blank[name] for name in self._plain_names]
        by_index = self.by_index
        for index, named in values.items():
            for position, name in by_index.get(index, ()):
                if name in named:
                    filled[position] = named[name]
        joined = "".join(chain.from_iterable(zip(self.literals, filled, strict=False)))
        return mark_safe(joined + self.literals[-1])  # noqa: S308 - as in fill


def cut(html: str) -> Cut:
    parts = _MARK.split(html)
    return Cut(literals=tuple(parts[0::2]), names=tuple(parts[1::2]))


def rendered_once(key: Hashable, template_name: str, context: Callable[[], dict]) -> Cut:
    """``template_name`` rendered with ``context()`` (a context that does not know the reader,
    with slots for what does) and cut at its slots; kept under ``key`` in this process, unless
    in development, where a changed template shows at once."""
    found = _kept.get(key)
    if found is None:
        found = cut(render_to_string(template_name, context()))
        if not settings.DEBUG:
            if len(_kept) >= KEPT_SIZE:
                _kept.clear()
            _kept[key] = found
    return found
