"""Sessions as Django's ``cached_db`` keeps them, read together with their user.

A logged-in request needs its session and then its user (`lms.auth`), both in Redis: two
round trips, the second waiting on the first for the user's id. A session key belongs to one
user for its whole life (logging in as someone else makes a new key), so once this process
has read a session it remembers whose it is, and the next time reads the session and that
user's cached copy in one round trip. What it remembers is only a hint: the user is used only
when the session read with it names the same user.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.core.cache.backends.base import BaseCache

from lms.user_cache import read_with_session, user_cache_key

HINTS = 20_000  # sessions a process remembers the user of; the least recently used go first
_hints: OrderedDict[str, str] = OrderedDict()
_hints_lock = threading.Lock()


def _hint(session_key: str) -> str | None:
    with _hints_lock:
        user_id = _hints.get(session_key)
        if user_id is not None:
            _hints.move_to_end(session_key)
        return user_id


def _remember(session_key: str, user_id: str) -> None:
    with _hints_lock:
        _hints[session_key] = user_id
        _hints.move_to_end(session_key)
        while len(_hints) > HINTS:
            _hints.popitem(last=False)


class SessionStore(CachedDbSessionStore):
    _cache: BaseCache  # cached_db's cache (SESSION_CACHE_ALIAS), left out of django-stubs

    def load(self):
        read_with_session.set(None)
        user_id = _hint(self.session_key) if self.session_key and settings.USER_CACHE else None
        data: dict[str, Any] | None
        if user_id is None:
            data = super().load()
        else:
            user_key = user_cache_key(user_id)
            try:
                found = self._cache.get_many([self.cache_key, user_key])
            except Exception:  # as cached_db: an unreadable key reads as no session
                found = {}
            data = found.get(self.cache_key)
            if data is None:
                data = super().load()
            elif str(data.get(SESSION_KEY)) == user_id and found.get(user_key) is not None:
                read_with_session.set((user_id, found[user_key]))
        if self.session_key and data.get(SESSION_KEY) is not None:
            _remember(self.session_key, str(data[SESSION_KEY]))
        return data
