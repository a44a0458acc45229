"""Writes of the site-wide app."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from lms.models import ApiToken, User, WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:255], defaults={"seen_at": timezone.now()}
    )
    return heartbeat


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def user_update_profile(*, user: User, name: str, language: str) -> User:
    user.name = name.strip()
    user.language = language
    user.save(update_fields=["name", "language"])
    return user


TOKEN_PREFIX = "bilim_"  # noqa: S105 - a public prefix, not a secret


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[: len(TOKEN_PREFIX) + 4],
        key_hash=_token_hash(raw),
    )  # fmt: skip
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> bool:
    return bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user owning ``raw``, or None. Records when the token was last used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
