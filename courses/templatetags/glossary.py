"""Filters of the glossary pages: alphabetical order in the page's language, in memory; a
course's list of terms, kept."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from courses.content import pick_text
from courses.content.alphabets import sort_key
from courses.models import GlossaryTerm
from courses.templatetags.slots import rendered_once

register = template.Library()


@register.filter
def alphabetical(terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """``terms`` in the alphabetical order of the page's language (Ң after Н, Ө after О,
    Ү after У in Kyrgyz), each by its text in that language or its fallback."""
    language = get_language() or settings.LANGUAGE_CODE

    def key(term: GlossaryTerm) -> tuple:
        text, _used = pick_text(term.term or {}, language)
        return sort_key(text or term.key, language)

    return sorted(terms or (), key=key)


@register.filter
def other_languages(texts: dict[str, str]) -> list[tuple[str, str]]:
    """The (language, text) pairs of a language map other than the page's, in the site's
    order of languages (Kyrgyz, Russian, English)."""
    language = get_language() or settings.LANGUAGE_CODE
    order = [code for code, _name in settings.LANGUAGES]
    return [(code, texts[code]) for code in order if code != language and texts.get(code)]


@register.simple_tag
def glossary_entries(revision, terms, slug: str, preview=None) -> SafeString:
    """The terms of a course's glossary (`_glossary_entries.html`), rendered once per
    revision (by its uid: a revision never changes), language and address, and kept."""
    language = get_language() or settings.LANGUAGE_CODE
    key = ("glossary entries", str(revision.uid), language, slug, preview)
    part = rendered_once(
        key,
        "courses/_glossary_entries.html",
        lambda: {"terms": terms, "slug": slug, "preview": preview, "LANGUAGE_CODE": language},
    )
    return part.fill({})
