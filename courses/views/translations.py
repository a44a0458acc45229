"""A course's translation status, for staff and the maintainers of its source. Thin."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from courses.selectors.translations import translations_view


@login_required
@never_cache
@require_GET
def translations_page(request: HttpRequest, slug: str) -> HttpResponse:
    view = translations_view(slug=slug, user=request.user, language=get_language())
    return render(request, "courses/translations.html", {"view": view})
