"""Who may open a course's previews (revisions that are not live): staff, the maintainers of
the course's source, and whoever holds a preview link, the signed address e-mailed to the
author of the pushed commit (who may have no account)."""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core import signing

from courses.models import Course
from lms.models import User

# A link works as long as a pushed preview is kept (services.previews.KEEP_DAYS).
LINK_DAYS = 14
_LINKS = signing.TimestampSigner(salt="courses.preview-link")


def may_preview(*, user: User | AnonymousUser, slug: str) -> bool:
    """Whether ``user`` may open the previews of the course ``slug``: one query for a
    signed-in learner who is not staff, none otherwise."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Course.objects.filter(slug=slug, source__maintainers=user).exists()


def preview_link_key(revision_id: int) -> str:
    """The ``key`` of a preview link to the revision ``revision_id``: signed with the site's
    secret, dated now."""
    return _LINKS.sign(str(revision_id))


def preview_link_check(key: str, revision_id: int) -> Literal["valid", "expired", "invalid"]:
    """Whether ``key`` opens the revision ``revision_id``: a key signed for another revision,
    altered or not ours is invalid; one of ours older than LINK_DAYS has expired."""
    try:
        value = _LINKS.unsign(key, max_age=LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        return "invalid"
    return "valid" if value == str(revision_id) else "invalid"
