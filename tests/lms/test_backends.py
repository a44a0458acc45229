"""The database and cache backends: a terminated connection replaced, one Redis client."""

import select
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections

pytestmark = pytest.mark.django_db


def probe():
    """A second connection to the test database, as a worker process holds one."""
    default = connections["default"]
    return type(default)({**default.settings_dict}, alias="probe")


def wait_readable(wrapper, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    fd = wrapper.connection.fileno()
    while not select.select([fd], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server never closed the connection"


def new_request(wrapper) -> None:
    """What Django does at the start of a request (close_old_connections)."""
    wrapper.close_if_unusable_or_obsolete()


def test_a_healthy_connection_is_kept_and_a_terminated_one_replaced(postgres):
    other = probe()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        new_request(other)
        other.close_if_health_check_failed()
        assert other.connection is not None and other.connection.info.backend_pid == pid

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        wait_readable(other)
        new_request(other)
        with other.cursor() as cursor:  # the check runs here, before the first query
            cursor.execute("SELECT pg_backend_pid()")
            (new_pid,) = cursor.fetchone()
        assert new_pid != pid
    finally:
        other.close()


def test_the_cache_reuses_its_redis_client(redis_url, settings):
    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("the cache is not Redis")
    first = cache._cache.get_client()
    cache.set("bilim-test", 1)
    assert cache.get("bilim-test") == 1
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first
