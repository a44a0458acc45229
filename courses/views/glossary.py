"""The site-wide glossary page. Thin: call the selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from courses.selectors.glossary import glossary_index


@require_GET
def glossary_index_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    letters = glossary_index(language=language)
    return render(
        request,
        "courses/glossary_index.html",
        {"letters": letters, "term_count": sum(len(group.entries) for group in letters)},
    )
