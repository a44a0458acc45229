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
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.receivers import COHORT_ROLES_SESSION_KEY

KEPT_CHARACTERS = 16_000_000  # what a process keeps, in characters of HTML; least recent goes
_SECRET = secrets.token_hex(8)
_MARK = re.compile(rf"<!--{_SECRET}:([a-z_]+(?::\d+)?)-->")
_kept: OrderedDict[Hashable, Cut] = OrderedDict()
_kept_characters = 0
_kept_lock = threading.Lock()


def slot(name: str) -> SafeString:
    """The mark a template renders where the slot ``name`` is filled in later."""
    return mark_safe(f"<!--{_SECRET}:{name}-->")  # noqa: S308 - a comment of our own


@dataclass(frozen=True)
class Cut:
    """Rendered HTML cut at its slots: ``literals[0] names[0] literals[1] ... literals[-1]``."""

    literals: tuple[str, ...]
    names: tuple[str, ...]
    _blanks: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def size(self) -> int:
        return sum(map(len, self.literals))

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
    def _plain_names(self) -> tuple[str, ...]:
        return tuple(slot_name.partition(":")[0] for slot_name in self.names)

    @cached_property
    def _runs(self) -> tuple[tuple[int, int, int], ...]:
        """The slots named ``<name>:<index>`` in runs of the same index, in order: (index,
        first position, position after the last)."""
        indexes = [int(slot_name.partition(":")[2] or -1) for slot_name in self.names]
        runs, start = [], 0
        for position in range(1, len(indexes) + 1):
            if position == len(indexes) or indexes[position] != indexes[start]:
                runs.append((indexes[start], start, position))
                start = position
        return tuple(runs)

    @cached_property
    def _runs_of(self) -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for run, (index, _start, _end) in enumerate(self._runs):
            found.setdefault(index, []).append(run)
        return {index: tuple(runs) for index, runs in found.items()}

    def _run_html(self, start: int, end: int, blank: Mapping[str, str], named) -> str:
        names, literals = self._plain_names, self.literals
        return "".join(
            named.get(names[position], blank[names[position]]) + literals[position + 1]
            for position in range(start, end)
        )

    def _blank_runs(self, blank: Mapping[str, str]) -> tuple[str, ...]:
        """Each run's HTML with every slot blank, made once per ``blank``."""
        key = tuple(sorted(blank.items()))
        found = self._blanks.get(key)
        if found is None:
            found = self._blanks[key] = tuple(
                self._run_html(start, end, blank, {}) for _index, start, end in self._runs
            )
        return found

    def fill_by_index(
        self, blank: Mapping[str, str], values: Mapping[int, Mapping[str, str]]
    ) -> SafeString:
        """The HTML with each slot ``<name>:<index>`` given ``values[index][name]`` where there
        is one, else ``blank[name]``: the work grows with ``values``, not with the list."""
        runs = list(self._blank_runs(blank))
        for index, named in values.items():
            for run in self._runs_of.get(index, ()):
                _index, start, end = self._runs[run]
                runs[run] = self._run_html(start, end, blank, named)
        return mark_safe(self.literals[0] + "".join(runs))  # noqa: S308 - as in fill


def cut(html: str) -> Cut:
    parts = _MARK.split(html)
    return Cut(literals=tuple(parts[0::2]), names=tuple(parts[1::2]))


def _keep(key: Hashable, part: Cut) -> None:
    global _kept_characters
    with _kept_lock:
        if key in _kept:
            return
        _kept[key] = part
        _kept_characters += part.size
        while _kept_characters > KEPT_CHARACTERS and len(_kept) > 1:
            _key, dropped = _kept.popitem(last=False)
            _kept_characters -= dropped.size


def _recall(key: Hashable) -> Cut | None:
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
        return found


def rendered_once(key: Hashable, template_name: str, context: Callable[[], dict]) -> Cut:
    """``template_name`` rendered with ``context()`` (a context that does not know the reader,
    with slots for what does) and cut at its slots; kept under ``key`` in this process (the
    least recently used parts go first once they pass ``KEPT_CHARACTERS``), unless in
    development, where a changed template shows at once. It is rendered without a request,
    so no context processor adds anything of the reader."""
    found = _recall(key)
    if found is None:
        found = cut(render_to_string(template_name, context()))
        if not settings.DEBUG:
            _keep(key, found)
    return found


# Whole pages. A page in the site's layout (base.html) is kept whole when the layout is all
# its reader changes in it besides its slots: the layout shows the reader's name, a CSRF token
# and links that depend on whether they are signed in, staff or follow cohorts (their *kind*,
# part of the key), and any messages waiting for them (such a request is not kept), and the
# address of the page (part of the key; a request with a query string is not kept).


@dataclass(frozen=True)
class Layout:
    """The reader and request as the layout sees them when a page is rendered to be kept: it
    gets a slot where the reader's name goes, and nothing else of them."""

    authenticated: bool
    staff: bool
    follows_cohorts: bool

    @classmethod
    def of(cls, request: HttpRequest) -> Layout:
        user = request.user
        if not user.is_authenticated:
            return cls(authenticated=False, staff=False, follows_cohorts=False)
        return cls(
            authenticated=True,
            staff=user.is_staff,
            follows_cohorts=bool(request.session.get(COHORT_ROLES_SESSION_KEY)),
        )

    @staticmethod
    def keeps(request: HttpRequest, *, with_query: bool = False) -> bool:
        """Whether a page for ``request`` may come from a kept one (counting the messages
        waiting does not consume them); with a query string only ``with_query``."""
        if request.META.get("QUERY_STRING") and not with_query:
            return False
        return not len(get_messages(request))

    def context(self, request: HttpRequest) -> dict:
        """What the layout's templates read, where they read it, with slots."""
        reader = _LayoutReader(is_authenticated=self.authenticated, is_staff=self.staff)
        return {
            "request": _LayoutRequest(
                path=request.path,
                full_path=request.get_full_path(),
                resolver_match=request.resolver_match,
                user=reader,
                session={COHORT_ROLES_SESSION_KEY: self.follows_cohorts},
            ),
            "user": reader,
            "messages": (),
            "csrf_token": slot("csrf_token"),
            "SITE_NAME": settings.SITE_NAME,
        }

    @staticmethod
    def values(request: HttpRequest) -> dict[str, Callable[[], str]]:
        return {
            "user_name": lambda: escape(request.user.get_short_name()),
            "csrf_token": lambda: escape(get_token(request)),
        }


@dataclass(frozen=True)
class _LayoutReader:
    is_authenticated: bool
    is_staff: bool

    @property
    def is_anonymous(self) -> bool:
        return not self.is_authenticated

    def get_short_name(self) -> SafeString:
        return slot("user_name")


@dataclass(frozen=True)
class _LayoutRequest:
    path: str
    full_path: str  # the same address, escaped as in a link (a kept request has no query)
    resolver_match: object
    user: _LayoutReader
    session: Mapping[str, object]

    def get_full_path(self) -> str:
        return self.full_path


def page_kept(
    request: HttpRequest,
    key: tuple,
    template_name: str,
    context: Callable[[], dict],
    values: Mapping[str, str | Callable[[], str]],
    *,
    with_query: bool = False,
) -> SafeString | None:
    """A page in the layout answered from one rendered once per ``key`` and kind of reader's
    layout, with the layout's stand-ins and ``context()`` (which knows no reader), filled in
    with the layout's values and ``values``; None when the request cannot be answered so.
    A request with a query string is answered only ``with_query`` (the caller's ``key`` and
    ``context()`` then account for every parameter that changes the page), and the whole
    address, query included, is part of the key."""
    if not Layout.keeps(request, with_query=with_query):
        return None
    layout = Layout.of(request)
    address = request.get_full_path() if with_query else ""
    part = rendered_once(
        (*key, address, layout),
        template_name,
        lambda: {**layout.context(request), **context()},
    )
    return part.fill({**Layout.values(request), **values})
