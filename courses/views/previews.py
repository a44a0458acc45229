"""Who may see a revision that is not live (a preview)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from courses.selectors.preview_access import may_preview


def preview_revision_id(request: HttpRequest, slug: str, revision: int | None) -> int | None:
    """``revision`` when the reader may see it: previews are for staff and the maintainers of
    the course's source (404 for anyone else)."""
    if revision is not None and not may_preview(user=request.user, slug=slug):
        raise Http404
    return revision
