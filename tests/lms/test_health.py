"""/healthz: the state of the database, cache, broker and the last worker heartbeat."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from lms.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_heartbeat():
    return WorkerHeartbeat.objects.create(hostname="celery@web1", seen_at=timezone.now())


def test_healthy_site_answers_200_with_every_part_ok(client, fresh_heartbeat):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"] == data["cache"] == data["broker"] == data["worker"] == "ok"
    assert data["worker_last_seen"] == fresh_heartbeat.seen_at.isoformat()
    assert response["Cache-Control"].startswith("max-age=0")


def test_no_worker_ever_seen_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "down"
    assert response.json()["worker_last_seen"] is None


def test_stale_worker_heartbeat_is_unhealthy(client):
    WorkerHeartbeat.objects.create(
        hostname="celery@web1", seen_at=timezone.now() - timedelta(minutes=10)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "down"
    assert response.json()["database"] == "ok"


def test_stopped_broker_is_reported_down(client, fresh_heartbeat, redis_server):
    with override_settings(CELERY_BROKER_URL=redis_server.url, CELERY_BROKER_TRANSPORT_OPTIONS={}):
        assert client.get("/healthz").json()["broker"] == "ok"
        redis_server.stop()
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["status"] == "down"


def test_unreachable_cache_is_reported_down(client, fresh_heartbeat, redis_server):
    redis_server.stop()
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    with override_settings(CACHES=dead):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


def test_healthz_is_not_translated_or_redirected(client, fresh_heartbeat):
    assert client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
