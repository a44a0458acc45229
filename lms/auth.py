"""Who is logged in, found without a database query on every request.

Every page a logged-in learner opens needs their user row. With a cache that every process
shares (``USER_CACHE``, on with Redis) the backends below keep it there for
``USER_CACHE_SECONDS``, and any save or deletion of a user forgets it at once; a cache of one
process (local memory) would miss a change made in another, so without Redis the user is read
from the database as Django does. Django still compares the session's hash with the password
of the user it gets, so a password change logs out other sessions as before; an account that
is made inactive is refused as before. Code that changes users with ``QuerySet.update()`` (no
signal) must call `user_forget`.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lms.user_cache import read_with_session, user_cache_key

USER_CACHE_SECONDS = 300


def user_forget(user_id) -> None:
    """Drop the cached copy of a user; the next request reads the database. Inside a
    transaction, again when it commits: a request may have read and cached the row as it
    was before the change was committed."""
    key = user_cache_key(user_id)
    cache.delete(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(key))


class CachedUserMixin(DjangoModelBackend):
    def get_user(self, user_id):
        if not settings.USER_CACHE:
            return super().get_user(user_id)
        key = user_cache_key(user_id)
        read = read_with_session.get()
        if read is not None and read[0] == str(user_id):
            read_with_session.set(None)
            user = read[1]  # read from the cache with the session, a moment ago (lms/sessions.py)
        else:
            user = cache.get(key)
        if user is None:
            model = get_user_model()
            try:
                user = model._default_manager.get(pk=user_id)
            except model.DoesNotExist:
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _user_changed(sender, instance, **kwargs):
    user_forget(instance.pk)
