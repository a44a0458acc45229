"""A real Celery worker process runs our tasks, through Redis and through the serverless broker."""

import pytest
from celery import Celery

from lms.models import WorkerHeartbeat
from tests.conftest import shared_database_url


def test_worker_executes_a_task_through_redis(redis_url, worker_env, start_worker):
    worker_env["REDIS_URL"] = redis_url
    start_worker(worker_env)
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    try:
        result = client.send_task("lms.ping", args=["через Redis"])
        assert result.get(timeout=30) == "через Redis"
    finally:
        client.close()


def test_worker_executes_a_task_through_the_filesystem_broker(worker_env, start_worker, tmp_path):
    """No server at all: the default of `make run` on a fresh machine."""
    start_worker(worker_env)
    folder = tmp_path / "var" / "celery"
    client = Celery(
        set_as_current=False,
        broker="filesystem://localhost//",
        backend=f"file://{folder / 'results'}",
        broker_transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        },
    )
    result = client.send_task("lms.ping", args=["файл аркылуу"])
    assert result.get(timeout=30) == "файл аркылуу"


@pytest.mark.django_db(transaction=True)
def test_a_started_worker_makes_healthz_report_it_alive(
    postgres, redis_url, worker_env, start_worker, client
):
    """The worker records a heartbeat in the shared database as soon as it is ready."""
    worker_env["REDIS_URL"] = redis_url
    worker_env["DATABASE_URL"] = shared_database_url()
    assert client.get("/healthz").json()["worker"] == "down"
    start_worker(worker_env)
    assert WorkerHeartbeat.objects.filter(hostname__startswith="test-worker@").exists()
    assert client.get("/healthz").json()["worker"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_heartbeat_task_sent_like_beat_does_updates_the_heartbeat(
    postgres, redis_url, worker_env, start_worker
):
    worker_env["REDIS_URL"] = redis_url
    worker_env["DATABASE_URL"] = shared_database_url()
    start_worker(worker_env)
    first = WorkerHeartbeat.objects.get(hostname__startswith="test-worker@").seen_at
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    try:
        client.send_task("lms.heartbeat")
        client.send_task("lms.ping").get(timeout=30)  # prefetch 1, one process: runs after it
    finally:
        client.close()
    assert WorkerHeartbeat.objects.get(hostname__startswith="test-worker@").seen_at > first
