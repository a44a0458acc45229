"""Django's Redis cache, keeping one client per server, and serving pages while Redis is down.

Django's ``RedisCacheClient`` builds a ``redis.Redis`` for every call; the connection comes
from a shared pool, but building the client (it fills a table of about 170 reply callbacks)
costs about as much as the request to Redis itself: 0.1 ms of every cache read. A
``redis.Redis`` is safe to share between threads, and its pool starts anew in a forked child.

The cache holds nothing that is not also somewhere else (sessions are written to the database
too, users and pages are read from it), so an unreachable Redis must not fail a request:

- a read that cannot reach Redis finds nothing, and the caller reads the database;
- a write is skipped, and its key noted: once Redis answers again, this process deletes the
  keys it could not write or delete there before it reads anything, so a copy that outlived
  a change (a logout, a saved user) during a network fault is never served afterwards;
- rate limits (``LOCAL_WHEN_DOWN``: ours and allauth's) count in this process's memory, so
  they still hold, per process;
- after a failure the process does not try Redis again for ``RETRY_AFTER`` seconds, so a
  request does not wait for a connection attempt per call; connecting and replies time out
  after ``CONNECT_TIMEOUT`` and ``SOCKET_TIMEOUT`` (OPTIONS may say otherwise);
- an outage is logged once when it begins and once when it ends.

While Redis answers, each call costs one attribute test and a ``try`` more than Django's.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

if TYPE_CHECKING:
    from redis import ConnectionPool, Redis

logger = logging.getLogger(__name__)

RETRY_AFTER = 2.0  # seconds a process reads around Redis after a call failed to reach it
CONNECT_TIMEOUT = 0.5  # seconds to open a connection (Redis is near: ~0.1 ms)
SOCKET_TIMEOUT = 1.0  # seconds to wait for a reply
STALE_KEYS = 100_000  # keys a process notes to delete when Redis is back; more are not noted
# Rate limits that each process counts for itself while Redis is unreachable: ours
# (lms/ratelimit.py) and allauth's (logins, sign-ups, password resets; their locks too).
LOCAL_WHEN_DOWN = ("ratelimit:", "allauth:rl:")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusedClient(RedisCacheClient):
    # Django's RedisCacheClient has these; django-stubs leaves them out.
    _pools: dict[int, ConnectionPool]
    _client: type[Redis]
    if TYPE_CHECKING:

        def _get_connection_pool(self, write: bool) -> ConnectionPool: ...

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def disconnect(self) -> None:
        """Close the idle pooled connections: after a failure they lead nowhere."""
        for pool in self._pools.values():
            pool.disconnect(inuse_connections=False)


class Outage:
    """Whether a process finds a Redis server unreachable. One per server in each process,
    shared by its threads (Django gives each thread a cache object of its own)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.retry_at = 0.0  # 0 while Redis answers; else when to try it again (monotonic)
        self.since = 0.0
        self.stale: set[str] = set()  # keys written or deleted while Redis was unreachable
        self._lock = threading.Lock()

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        self.retry_at = now + RETRY_AFTER
        with self._lock:
            if self.since:
                return
            self.since = now
        logger.warning(
            "Cache %s is unreachable (%s); pages read around it, retrying every %s s.",
            self.location, error, RETRY_AFTER,
        )  # fmt: skip

    def note_stale(self, keys: list[str]) -> None:
        with self._lock:
            if len(self.stale) >= STALE_KEYS:
                return
            self.stale.update(keys)
            full = len(self.stale) >= STALE_KEYS
        if full:
            logger.error(
                "Cache %s: %d keys written while it was unreachable; later ones may be "
                "served stale until they expire.", self.location, STALE_KEYS,
            )  # fmt: skip

    def try_again(self, client: ReusedClient) -> bool:
        """Whether Redis may be used now: not before ``retry_at``; then, once it answers,
        after deleting the keys noted stale."""
        now = time.monotonic()
        if now < self.retry_at:
            return False
        self.retry_at = now + RETRY_AFTER  # the other threads keep reading around it meanwhile
        with self._lock:
            stale = list(self.stale)
        try:
            redis = client.get_client(write=True)
            for start in range(0, len(stale), 1000):
                redis.delete(*stale[start : start + 1000])
            redis.ping()
        except UNREACHABLE:
            return False
        with self._lock:
            self.stale.difference_update(stale)
            since, self.since, self.retry_at = self.since, 0.0, 0.0
        logger.info(
            "Cache %s answers again after %.1f s; %d keys written meanwhile deleted.",
            self.location, now - since if since else 0.0, len(stale),
        )  # fmt: skip
        return True


_outages: dict[tuple[str, ...], Outage] = {}
_outages_lock = threading.Lock()


def _outage(servers) -> Outage:
    key = tuple(servers)
    with _outages_lock:
        outage = _outages.get(key)
        if outage is None:
            outage = _outages[key] = Outage(",".join(key))
        return outage


def _local(key: str) -> bool:
    return key.startswith(LOCAL_WHEN_DOWN)


class RedisCache(DjangoRedisCache):
    # Django's RedisCache has these; django-stubs leaves them out.
    _servers: list[str]
    _cache: ReusedClient  # the client of self._class

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClient
        self._outage = _outage(self._servers)
        self._local = LocMemCache(f"lms.cache:{self._outage.location}", {"TIMEOUT": 300})

    def _up(self) -> bool:
        return not self._outage.retry_at or self._outage.try_again(self._cache)

    def _failed(self, error: Exception) -> None:
        self._outage.failed(error)
        self._cache.disconnect()

    def _stale(self, keys, version) -> None:
        self._outage.note_stale([self.make_key(key, version=version) for key in keys])

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._up():
            try:
                return super().add(key, value, timeout, version)
            except UNREACHABLE as error:
                self._failed(error)
        if _local(key):
            return self._local.add(key, value, timeout, version)
        self._stale([key], version)
        return False  # nothing was added

    def get(self, key, default=None, version=None):
        if self._up():
            try:
                return super().get(key, default, version)
            except UNREACHABLE as error:
                self._failed(error)
        if _local(key):
            return self._local.get(key, default, version)
        return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._up():
            try:
                return super().set(key, value, timeout, version)
            except UNREACHABLE as error:
                self._failed(error)
        if _local(key):
            return self._local.set(key, value, timeout, version)
        self._stale([key], version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if self._up():
            try:
                return super().touch(key, timeout, version)
            except UNREACHABLE as error:
                self._failed(error)
        if _local(key):
            return self._local.touch(key, timeout, version)
        self._stale([key], version)
        return False

    def delete(self, key, version=None):
        if self._up():
            try:
                return super().delete(key, version)
            except UNREACHABLE as error:
                self._failed(error)
        if _local(key):
            return self._local.delete(key, version)
        self._stale([key], version)
        return False

    def get_many(self, keys, version=None):
        if self._up():
            try:
                return super().get_many(keys, version)
            except UNREACHABLE as error:
                self._failed(error)
        return self._local.get_many([key for key in keys if _local(key)], version)

    def has_key(self, key, version=None):
        if self._up():
            try:
                return super().has_key(key, version)
            except UNREACHABLE as error:
                self._failed(error)
        return _local(key) and self._local.has_key(key, version)

    def incr(self, key, delta=1, version=None):
        if self._up():
            try:
                return super().incr(key, delta, version)
            except UNREACHABLE as error:
                self._failed(error)
        if _local(key):
            return self._local.incr(key, delta, version)
        self._stale([key], version)
        raise ValueError(f"Key '{key}' not found.")  # as a key that is missing

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if self._up():
            try:
                return super().set_many(data, timeout, version)
            except UNREACHABLE as error:
                self._failed(error)
        self._local.set_many({k: v for k, v in data.items() if _local(k)}, timeout, version)
        failed = [key for key in data if not _local(key)]
        self._stale(failed, version)
        return failed

    def delete_many(self, keys, version=None):
        if self._up():
            try:
                return super().delete_many(keys, version)
            except UNREACHABLE as error:
                self._failed(error)
        self._local.delete_many([key for key in keys if _local(key)], version)
        self._stale([key for key in keys if not _local(key)], version)

    def clear(self):
        if self._up():
            try:
                return super().clear()
            except UNREACHABLE as error:
                self._failed(error)
        self._local.clear()
        return False
