"""The catalogue page: filter by level and topic, search in the page's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from courses.models import Level
from courses.selectors.catalog import catalog_view
from courses.templatetags.cards import cards_page_kept, visitor_cards

MAX_QUERY = 100
CATALOG_PARAMETERS = ("q", "level", "tag")


def _only_catalog_parameters(request: HttpRequest) -> bool:
    """Whether the query string holds nothing but one search and filters (each at most once)."""
    return all(
        name in CATALOG_PARAMETERS and len(request.GET.getlist(name)) == 1 for name in request.GET
    )


@require_GET
def catalog_page(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    tag = request.GET.get("tag", "")[:63]
    query = request.GET.get("q", "")[:MAX_QUERY]
    view = catalog_view(
        language=get_language(), user=request.user, level=level, tag=tag, query=query
    )
    context = {
        "levels": Level.choices,
        "level": level,
        "tag": tag,
        "q": query,
        "topics": view.topics,
        "lesson_hits": view.lesson_hits,
    }
    # Kept whole per address (search and filters included: they are all the query string
    # holds) and set of cards; the lessons found are part of the address's page.
    kept = cards_page_kept(
        request,
        ("catalog", tuple(view.topics)),
        "courses/catalog.html",
        view.cards,
        lambda: {**context, "cards": visitor_cards(view.cards)},
        with_query=_only_catalog_parameters(request),
    )
    if kept is not None:
        return HttpResponse(kept)
    return render(request, "courses/catalog.html", {**context, "cards": view.cards})
