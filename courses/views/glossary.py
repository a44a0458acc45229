"""The glossary pages: the site-wide glossary, a course's list of terms and a term's page.
Thin: call the selector, render. Each is kept whole (see `slots.page_kept`): the site-wide
one per set of live revisions, language and kind of reader; a course's per revision (by its
uid: a revision never changes), language, address and kind of reader, so that a kept page
costs the one query that finds the revision."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from courses.selectors.catalog import glossary_list, glossary_revision, glossary_term
from courses.selectors.glossary import glossary_index
from courses.selectors.live import live_revisions_key
from courses.templatetags.slots import page_kept
from courses.views.previews import preview_revision_id


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


def _kept_or_rendered(request: HttpRequest, revision, template_name: str, context) -> HttpResponse:
    key = (template_name, str(revision.uid), get_language(), request.path)
    kept = page_kept(request, key, template_name, context, {})
    if kept is not None:
        return HttpResponse(kept)
    return render(request, template_name, context())


def course_glossary_page(request: HttpRequest, slug: str, revision_id: int | None) -> HttpResponse:
    """A course's list of terms (the item address ``glossary``); ``revision_id`` is checked."""
    revision = glossary_revision(slug=slug, revision_id=revision_id)

    def context() -> dict:
        terms = glossary_list(revision=revision)
        return {"revision": revision, "terms": terms, "slug": slug, "preview": revision_id,
                "LANGUAGE_CODE": get_language()}  # fmt: skip

    return _kept_or_rendered(request, revision, "courses/glossary_list.html", context)


@require_GET
def glossary_term_page(
    request: HttpRequest, slug: str, term: str, revision: int | None = None
) -> HttpResponse:
    revision_id = preview_revision_id(request, slug, revision)
    found_revision = glossary_revision(slug=slug, revision_id=revision_id)

    def context() -> dict:
        found = glossary_term(revision=found_revision, key=term)
        return {"revision": found_revision, "term": found, "slug": slug, "preview": revision,
                "LANGUAGE_CODE": get_language()}  # fmt: skip

    return _kept_or_rendered(request, found_revision, "courses/glossary_term.html", context)
