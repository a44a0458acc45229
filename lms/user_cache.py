"""What the session store (`lms.sessions`) and the auth backends (`lms.auth`) share about the
logged-in user kept in the cache: the key it is kept under, and the copy read together with
this request's session. Both import this module, neither imports the other.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

if TYPE_CHECKING:
    from lms.models import User


def _shape() -> str:
    """The user model's fields: a cached user of another shape (after a migration) is never
    used."""
    fields = ",".join(field.attname for field in get_user_model()._meta.concrete_fields)
    return hashlib.sha256(fields.encode()).hexdigest()[:8]


_SHAPE = SimpleLazyObject(_shape)


def user_cache_key(user_id) -> str:
    return f"auth:user:{_SHAPE}:{user_id}"


# The user read from the cache with this request's session: (their id as the session holds
# it, the user). Set by the session store, taken by the auth backend.
read_with_session: ContextVar[tuple[str, User] | None] = ContextVar(
    "read_with_session", default=None
)
