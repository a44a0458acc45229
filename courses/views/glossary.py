"""The site-wide glossary page. Thin: call the selector, render (kept whole per set of live
revisions, language and kind of reader: see `slots.page_kept`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from courses.selectors.glossary import glossary_index
from courses.selectors.live import live_revisions_key
from courses.templatetags.slots import page_kept


def _context(language: str) -> dict:
    letters = glossary_index(language=language)
    return {
        "letters": letters,
        "term_count": sum(len(group.entries) for group in letters),
        "LANGUAGE_CODE": language,
    }


@require_GET
def glossary_index_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    key = ("glossary index", language, request.path, live_revisions_key())
    kept = page_kept(request, key, "courses/glossary_index.html", lambda: _context(language), {})
    if kept is not None:
        return HttpResponse(kept)
    return render(request, "courses/glossary_index.html", _context(language))
