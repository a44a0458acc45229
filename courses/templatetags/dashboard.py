"""Filters of the dashboard page: in-memory lookups over what the dashboard selector read,
so the template pairs a completed course with its certificate without a query; its course
cards, kept between requests with the learner's values in slots; and the whole page, kept
per digest of the rows it is made of (`dashboard_page_kept`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from courses.models import Certificate
from courses.selectors.dashboard import dashboard_of
from courses.templatetags.cards import card_key, progress_bar, visitor_cards
from courses.templatetags.slots import page_kept, rendered_once, slot

register = template.Library()


@register.filter
def certificate_of(certificates: Iterable[Certificate], course_id: int) -> Certificate | None:
    """The learner's certificate of the course ``course_id`` among ``certificates``."""
    for certificate in certificates or ():
        if certificate.course_id == course_id:
            return certificate
    return None


@register.filter
def certificates_besides(certificates: Iterable[Certificate], entries) -> list[Certificate]:
    """The certificates whose course is not one of the dashboard ``entries`` (a course taken
    off the site keeps its certificates, which then have no course card to sit in)."""
    shown = {entry.enrollment.course_id for entry in entries or ()}
    return [c for c in certificates or () if c.course_id not in shown]


# The cards, kept: each rendered once per what it shows of its course (cards.card_key),
# language and layout, with slots for what is the learner's (progress, cohorts, date of
# completion, certificate), filled on every request.


def _cohort_note(entry) -> str:
    if not entry.cohorts:
        return "\n"  # as the template's include renders no membership: its last line
    return render_to_string("courses/_cohort_note.html", {"entry": entry})


@register.simple_tag
def dashboard_card(entry, first: bool = False) -> SafeString:
    """A course in progress (`_dashboard_card.html`)."""
    card, language = entry.card, get_language()
    started = bool(card.progress)
    part = rendered_once(
        ("dashboard card", card_key(card), language, bool(first), started),
        "courses/_dashboard_card.html",
        lambda: {
            "card": visitor_cards([card])[0],
            "first": first,
            "started": started,
            "progress": slot("progress"),
            "cohort_note": slot("cohort_note"),
        },
    )
    return part.fill(
        {"progress": lambda: progress_bar(card.progress, language),
         "cohort_note": lambda: _cohort_note(entry)}
    )  # fmt: skip


def _completed_on(entry) -> str:
    completed_at = entry.enrollment.completed_at
    day = date_format(timezone.localtime(completed_at), "DATE_FORMAT") if completed_at else ""
    return gettext("Completed on %(date)s") % {"date": escape(day)}


@register.simple_tag
def dashboard_done_card(entry, certificates) -> SafeString:
    """A completed course (`_dashboard_done_card.html`) with its certificate among
    ``certificates``."""
    card, language = entry.card, get_language()
    part = rendered_once(
        ("dashboard done card", card_key(card), language),
        "courses/_dashboard_done_card.html",
        lambda: {
            "card": visitor_cards([card])[0],
            "completed_on": slot("completed_on"),
            "cohort_note": slot("cohort_note"),
            "certificate": slot("certificate"),
        },
    )

    def certificate() -> str:
        found = certificate_of(certificates, entry.enrollment.course_id)
        if found is None:
            return ""
        return render_to_string(
            "courses/_dashboard_certificate.html",
            {"certificate": found, "languages": card.languages},
        )

    return part.fill(
        {"completed_on": lambda: _completed_on(entry),
         "cohort_note": lambda: _cohort_note(entry), "certificate": certificate}
    )  # fmt: skip


def dashboard_context(rows: list[list[tuple]], language: str, learner_name: str) -> dict:
    return {"dashboard": dashboard_of(rows, language=language), "learner_name": learner_name}


def dashboard_page_kept(request, rows: list[list[tuple]], language: str) -> SafeString | None:
    """The whole dashboard (`dashboard.html`) from one rendered once per language, kind of
    reader (and layout) and digest of the ``rows`` it is made of (`selectors.dashboard`):
    rows that differ in anything the page shows make another page. The learner's name is
    the layout's slot; None when the request cannot be answered from a kept page."""
    named = bool(request.user.name)
    digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
    key = ("dashboard page", language, request.path, named, digest)
    name = slot("user_name") if named else ""
    return page_kept(
        request, key, "courses/dashboard.html",
        lambda: {**dashboard_context(rows, language, name), "LANGUAGE_CODE": language}, {},
    )  # fmt: skip
