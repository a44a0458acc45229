"""Who may see a revision that is not live (a preview)."""

from __future__ import annotations

from django.http import Http404, HttpRequest


def preview_revision_id(request: HttpRequest, revision: int | None) -> int | None:
    """``revision`` when the reader may see it: previews are for staff only (404 otherwise)."""
    if revision is not None and not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    return revision
