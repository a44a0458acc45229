"""Course cards kept between requests, and the catalogue and home pages kept whole.

A card (`_course_card.html`) is the same for every reader of a revision in a language but
for the learner's state (completed, or their progress): it is rendered once per content of
the card, language and layout (heading, eager cover), with a slot where that state goes, and
the state is filled in on every request (`_card_state.html`, rendered once per language and
value). The catalogue without a query string and the home page are kept whole the same way
(`slots.page_kept`), with one slot per card; a search renders the page per request around
the kept cards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from courses.templatetags.slots import Cut, page_kept, rendered_once, slot

register = template.Library()

_states: dict[tuple[str, bool, int | None], str] = {}


def card_key(card) -> tuple:
    """What a card shows besides the learner's state: a new revision that changes any of it
    (or the summary in the index) names another kept card."""
    revision = card.revision
    return (
        card.course.pk, card.course.slug, revision.pk, card.title, card.summary,
        revision.cover_id, revision.level, revision.estimated_minutes, revision.lesson_count,
        tuple(revision.languages), card.complete_in_language,
    )  # fmt: skip


def _as_visitor(card):
    """The card as everyone sees it: no progress, not completed."""
    return dataclasses.replace(card, progress=None, completed=False)


def _card_part(card, language: str, heading: str, eager: bool) -> Cut:
    key = ("course card", card_key(card), language, heading, eager)
    return rendered_once(
        key,
        "courses/_course_card.html",
        lambda: {
            "card": _as_visitor(card),
            "heading": heading,
            "eager": eager,
            "card_state": slot("card_state"),
        },
    )


def card_state(card, language: str) -> str:
    """The learner's state on ``card`` (`_card_state.html`), rendered once per language,
    completion and percentage."""
    key = (language, bool(card.completed), card.progress)
    found = _states.get(key)
    if found is None:
        with translation.override(language):
            found = _states[key] = render_to_string("courses/_card_state.html", {"card": card})
    return found


@register.simple_tag(takes_context=True)
def course_cards(context, cards, heading: str = "h2", eager_first: bool = False) -> SafeString:
    """``cards`` as `_course_card.html` renders them, each from a kept card filled with the
    learner's state; in a page rendered to be kept (``kept_cards`` in the context) each
    state stays a slot, ``card_state:<index>``."""
    language = get_language()
    kept = bool(context.get("kept_cards"))
    html = []
    for index, card in enumerate(cards or ()):
        part = _card_part(card, language, heading, eager_first and index == 0)
        state = slot(f"card_state:{index}") if kept else card_state(card, language)
        html.append(part.fill({"card_state": state}))
    return mark_safe("".join(html))  # noqa: S308 - kept cards rendered by templates


def cards_page_kept(
    request,
    key: tuple,
    template_name: str,
    cards: Sequence,
    context: Callable[[], dict],
    *,
    with_query: bool = False,
) -> SafeString | None:
    """A page in the layout that shows ``cards`` (and whatever ``context()`` gives, which
    knows no learner), kept per ``key``, address, content of the cards and kind of reader;
    each card's state filled in per request. None when the request cannot be kept."""
    language = get_language()
    values = {
        f"card_state:{index}": (lambda card=card: card_state(card, language))
        for index, card in enumerate(cards)
    }
    return page_kept(
        request,
        (*key, language, request.path, tuple(card_key(card) for card in cards)),
        template_name,
        lambda: {**context(), "kept_cards": True},
        values,
        with_query=with_query,
    )


def visitor_cards(cards: Sequence) -> list:
    """``cards`` without the learner's state, for a page rendered to be kept."""
    return [_as_visitor(card) for card in cards]


_bars: dict[tuple[str, int], str] = {}


def progress_bar(value: int, language: str) -> str:
    """`_progress.html` for ``value`` percent, rendered once per language and value."""
    key = (language, value)
    found = _bars.get(key)
    if found is None:
        with translation.override(language):
            found = _bars[key] = render_to_string("courses/_progress.html", {"value": value})
    return found
