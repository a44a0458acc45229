"""With Redis down, a logged-in learner's pages still work, and they use Redis again as soon as
it is back, without a restart.

The cache is a private redis-server (the ``redis_server`` fixture) that the tests stop and
start; sessions and users are kept in it as in production (lms/settings.py with REDIS_URL).
"""

import json
import logging
import signal
import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from lms import cache as lms_cache
from lms.models import WorkerHeartbeat
from lms.services import api_token_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SUBMISSIONS = 15  # more than a learner may submit in a minute (10)
PAGES = [
    "/en/courses/demo/",  # course
    "/en/courses/demo/what-is/",  # lesson
    "/en/courses/demo/check/",  # quiz
    "/en/dashboard/",
]


@pytest.fixture
def redis_cache(redis_server, monkeypatch):
    """The private Redis as the site's cache, session store and broker, as with REDIS_URL.
    Overriding CACHES makes Django drop its cache objects (the setting_changed signal), so
    every module's ``cache`` is the one below."""
    monkeypatch.setattr(lms_cache, "RETRY_AFTER", 0.3)  # production waits 2 s
    caches = {
        "default": {
            "BACKEND": "lms.cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "bilim",
        }
    }
    with override_settings(
        CACHES=caches,
        SESSION_ENGINE="lms.sessions",
        USER_CACHE=True,
        CELERY_BROKER_URL=redis_server.url,
        CELERY_BROKER_TRANSPORT_OPTIONS={},
    ):
        yield redis_server


def wait_until_redis_is_tried_again() -> None:
    time.sleep(lms_cache.RETRY_AFTER + 0.05)


def redis_keys(server) -> list[str]:
    return [key.decode() for key in redis.Redis.from_url(server.url).keys("*")]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_logged_in_pages_work_with_redis_down(client, demo_course, redis_cache):
    """Course, lesson, quiz and dashboard answer 200 for a logged-in learner whose session
    and user were kept in Redis, once Redis has stopped: the session and the user are read
    from the database, the cached parts of pages are computed."""
    user = UserFactory(name="Aida Toktogulova")
    assert client.login(email=user.email, password=PASSWORD)
    for path in PAGES:
        page(client, path)
    assert any("cached_db" in key for key in redis_keys(redis_cache))
    redis_cache.stop()
    for path in PAGES:
        assert "Aida" in page(client, path), path


def test_an_api_call_with_a_token_works_with_redis_down(client, demo_course, redis_cache):
    """Bearer tokens are read from the database; the quiz submission's rate limit still
    counts, in this process's memory, while Redis is unreachable."""
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="tests")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/courses/demo?lang=en", **headers).status_code == 200
    redis_cache.stop()
    assert client.get("/api/v1/courses/demo?lang=en", **headers).status_code == 200
    statuses = [
        client.post(
            "/api/v1/courses/demo/items/check/attempts?lang=en",
            json.dumps({"answers": {}}),
            content_type="application/json",
            **headers,
        ).status_code
        for _ in range(SUBMISSIONS)
    ]
    assert statuses[0] == 201
    assert statuses[-1] == 429


def test_logging_out_and_in_works_with_redis_down(client, demo_course, redis_cache):
    """Logging out and in writes the session to the database only; the pages that follow
    read it from there."""
    user = UserFactory(name="Aida Toktogulova")
    login = {"login": user.email, "password": PASSWORD}
    assert client.post("/en/accounts/login/", login).status_code == 302
    page(client, "/en/dashboard/")
    redis_cache.stop()
    assert client.post("/en/accounts/logout/").status_code == 302
    assert client.get("/en/dashboard/").status_code == 302  # to the login page
    assert client.post("/en/accounts/login/", login).status_code == 302
    assert "Aida" in page(client, "/en/dashboard/")


def test_failed_logins_are_still_limited_with_redis_down(client, redis_cache):
    """allauth's limit (5 failed logins a person in 5 minutes) counts in this process's memory
    while Redis is unreachable: the right password after five wrong ones is refused too."""
    user = UserFactory()
    redis_cache.stop()
    for _ in range(5):
        wrong = {"login": user.email, "password": "wrong-" + PASSWORD}
        assert client.post("/en/accounts/login/", wrong).status_code == 200
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_a_session_ended_while_redis_was_unreachable_stays_ended_when_it_returns(
    client, demo_course, redis_cache
):
    """Redis kept its data through the outage (a network fault, not a restart): the logout
    could not delete the session's copy there, so the process deletes it once Redis answers
    again, before reading anything from it."""
    user = UserFactory(name="Aida Toktogulova")
    assert client.login(email=user.email, password=PASSWORD)
    page(client, "/en/dashboard/")
    cookie = client.cookies["sessionid"].value
    redis_cache.process.send_signal(signal.SIGSTOP)  # keeps its data, answers nothing
    try:
        started = time.monotonic()
        assert client.post("/en/accounts/logout/").status_code == 302
        assert time.monotonic() - started < 5
    finally:
        redis_cache.process.send_signal(signal.SIGCONT)
    wait_until_redis_is_tried_again()
    client.cookies["sessionid"] = cookie  # someone who kept the old cookie
    assert client.get("/en/dashboard/").status_code == 302


def test_healthz_reports_the_cache_and_broker_down_quickly(client, redis_cache):
    """503 within a moment, with the cache and the broker down: no long timeouts."""
    WorkerHeartbeat.objects.create(hostname="celery@web1", seen_at=timezone.now())
    assert client.get("/healthz").status_code == 200
    redis_cache.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["cache"] == "down"
    assert response.json()["broker"] == "down"
    assert elapsed < 1.5, elapsed


def test_pages_use_redis_again_once_it_is_back(client, demo_course, redis_cache):
    """No restart: within a moment of Redis answering again, the session and the user are
    kept there again."""
    user = UserFactory(name="Aida Toktogulova")
    assert client.login(email=user.email, password=PASSWORD)
    redis_cache.stop()
    for path in PAGES:
        page(client, path)
    redis_cache.start()
    assert redis_keys(redis_cache) == []
    wait_until_redis_is_tried_again()
    page(client, "/en/dashboard/")
    keys = redis_keys(redis_cache)
    assert any("cached_db" in key for key in keys), keys
    assert any("auth:user" in key for key in keys), keys


def test_an_outage_is_logged_once_and_its_end_once(redis_cache, caplog):
    """One warning when the cache becomes unreachable, however many calls fail, and one line
    when it answers again."""
    cache.set("k", 1)
    redis_cache.stop()
    with caplog.at_level(logging.INFO, logger="lms.cache"):
        for _ in range(50):
            assert cache.get("k") is None
            cache.set("k", 2)
        wait_until_redis_is_tried_again()
        for _ in range(50):
            cache.get("k")
        redis_cache.start()
        wait_until_redis_is_tried_again()
        cache.set("k", 3)
        assert cache.get("k") == 3
    records = [r for r in caplog.records if r.name == "lms.cache"]
    assert [r.levelname for r in records] == ["WARNING", "INFO"], [r.message for r in records]


def test_while_redis_is_unreachable_calls_do_not_try_to_connect(redis_cache, monkeypatch):
    """After a failed connection the cache answers "missing" at once for a moment instead of
    paying a connection attempt per call."""
    redis_cache.stop()
    attempts = []
    connect = redis.connection.AbstractConnection.connect

    def counted(self, *args, **kwargs):
        attempts.append(1)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counted)
    for _ in range(100):
        assert cache.get("k") is None
    assert len(attempts) == 1
