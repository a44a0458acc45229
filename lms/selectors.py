"""Reads of the site-wide app for its pages."""

from __future__ import annotations

from lms.models import ApiToken, User


def api_tokens_active(*, user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at"))
