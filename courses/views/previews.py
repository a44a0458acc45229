"""Who may see a revision that is not live (a preview), and the preview links e-mailed to the
author of a pushed commit.

A preview link is a preview's address with ``?key=`` (`selectors.preview_access`). A valid key
is remembered in the reader's session, so the lessons, quizzes and glossary of that preview
open from its pages without the key; an expired one gets a page that says so (410).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from courses.selectors.preview_access import LINK_DAYS, may_preview, preview_link_check

SESSION_KEY = "preview_revisions"
REMEMBERED = 20  # the newest previews a session opens by link


def preview_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read a preview link's ``key`` before ``view``: remember a valid one, answer an expired
    one with a page that says so (unless the reader may open the preview anyway: staff, a
    maintainer, a link opened before); with an invalid one the reader is as without it."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args, revision: int | None = None, **kwargs):
        key = request.GET.get("key")
        if revision is not None and key:
            found = preview_link_check(key, revision)
            if found == "expired" and not _may_open(request, slug, revision):
                return render(request, "courses/preview_link_expired.html",
                              {"days": LINK_DAYS}, status=410)  # fmt: skip
            if found == "valid":
                opened = [r for r in request.session.get(SESSION_KEY, []) if r != revision]
                request.session[SESSION_KEY] = [*opened, revision][-REMEMBERED:]
        return view(request, slug, *args, revision=revision, **kwargs)

    return wrapped


def _may_open(request: HttpRequest, slug: str, revision: int) -> bool:
    return revision in request.session.get(SESSION_KEY, ()) or may_preview(
        user=request.user, slug=slug
    )


def preview_revision_id(request: HttpRequest, slug: str, revision: int | None) -> int | None:
    """``revision`` when the reader may see it: previews are for staff, the maintainers of the
    course's source and readers who opened a link to this preview (404 for anyone else)."""
    if revision is not None and not _may_open(request, slug, revision):
        raise Http404
    return revision
