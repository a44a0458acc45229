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
    # Without a query string (no search, no filter) the page is kept whole, per set of cards.
    kept = cards_page_kept(
        request,
        ("catalog", tuple(view.topics)),
        "courses/catalog.html",
        view.cards,
        lambda: {**context, "cards": visitor_cards(view.cards)},
    )
    if kept is not None:
        return HttpResponse(kept)
    return render(request, "courses/catalog.html", {**context, "cards": view.cards})
