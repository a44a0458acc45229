"""Idempotency keys for a learner's writes through the API (``Idempotency-Key`` header).

A phone that marked lessons done and answered quizzes without a connection sends them when it
is back, and may send one twice (a replayed queue, a response lost on the way). Each request
carries a key the client made; the first request with a key is executed and its response is
kept per (learner, key); the same request again gets that response back and records nothing.
The rules of the act itself (attempt limits, rate limits) apply when the first one arrives.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import IdempotentRequest
from courses.services.learning import ActionRefused
from lms.models import User

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEPT_FOR = timedelta(days=30)  # a phone may stay offline for weeks; a key is kept a month
# Responses that may change if the same request is sent again are not kept: a server error, a
# refused session or CSRF token (401, 403) and a rate limit (429) say nothing of the act.
NOT_KEPT = frozenset({401, 403, 429})


class MalformedIdempotencyKey(ActionRefused):
    code = "invalid_idempotency_key"
    default_message = _(
        "The Idempotency-Key header must be 16 to 64 letters, digits, hyphens or underscores "
        "(a UUID will do)."
    )


class IdempotencyKeyReused(ActionRefused):
    code = "idempotency_key_reused"
    default_message = _(
        "This Idempotency-Key was already used for a different request. Send each new "
        "request with a new key."
    )


@dataclass(frozen=True)
class Outcome:
    """The response to give: ``replayed`` when it is the one kept for an earlier request."""

    status: int
    body: Any
    replayed: bool


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    """A digest of what makes two requests the same request."""
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _kept(*, user: User, key: str, fingerprint: str) -> Outcome | None:
    found = IdempotentRequest.objects.filter(user=user, key=key).first()
    if found is None:
        return None
    if found.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    return Outcome(status=found.status, body=found.body, replayed=True)


def idempotent_call(
    *, user: User, key: str, fingerprint: str, act: Callable[[], tuple[int, Any]]
) -> Outcome:
    """The response to ``user``'s request under ``key``: the kept one when this request was
    made before (`IdempotencyKeyReused` when the key came with another request), else
    ``act()``'s ``(status, JSON body)``, kept in the same transaction as what ``act`` writes.
    Two copies of a request arriving at once both run ``act``; the unique key lets one
    commit and rolls the other back, which then answers with the winner's response.
    `MalformedIdempotencyKey` when ``key`` is not 16-64 of ``[A-Za-z0-9_-]``."""
    if not KEY_PATTERN.fullmatch(key):
        raise MalformedIdempotencyKey
    found = _kept(user=user, key=key, fingerprint=fingerprint)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            status, body = act()
            if status < 500 and status not in NOT_KEPT:
                IdempotentRequest.objects.create(
                    user=user, key=key, fingerprint=fingerprint, status=status, body=body
                )
                IdempotentRequest.objects.filter(
                    user=user, created_at__lt=timezone.now() - KEPT_FOR
                ).delete()
    except IntegrityError:
        found = _kept(user=user, key=key, fingerprint=fingerprint)
        if found is None:
            raise
        return found
    return Outcome(status=status, body=body, replayed=False)
