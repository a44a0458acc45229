"""Exactly-once issuing with real worker processes, Redis and PostgreSQL."""

import os
import signal
import subprocess
import threading
import time

import pytest
from celery import Celery
from django.db import connection, transaction

from courses.models import Certificate
from courses.services.certificates import certificate_request, certificates_sweep
from tests.conftest import shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, timeout: float = 90, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def issued(pk) -> bool:
    return Certificate.objects.filter(pk=pk, status=Certificate.Status.ISSUED).exists()


@pytest.fixture
def broker(redis_url, worker_env):
    """Workers and this process talk through the same Redis; workers share the test DB."""
    worker_env.update(REDIS_URL=redis_url, DATABASE_URL=shared_database_url())
    client = Celery(broker=redis_url, set_as_current=False)  # the site app stays current
    yield client
    client.close()


def send_issue(client: Celery, pk: int, times: int = 1) -> None:
    for _ in range(times):
        client.send_task("courses.certificate_issue", args=[pk])


def test_duplicate_deliveries_give_one_certificate(
    postgres, broker, worker_env, start_worker, make_completion
):
    certificate = certificate_request(enrollment=make_completion())
    start_worker({**worker_env, "CELERY_WORKER_CONCURRENCY": "2"})
    send_issue(broker, certificate.pk, times=5)
    wait_for(lambda: issued(certificate.pk), what="the certificate")
    time.sleep(2)  # let the duplicates run too
    certificate.refresh_from_db()
    assert Certificate.objects.count() == 1
    assert certificate.attempts == 1
    assert certificate.public_id == Certificate.objects.get().public_id


def test_two_workers_racing_give_one_certificate(
    postgres, broker, worker_env, start_worker, make_completion
):
    enrollments = [make_completion() for _ in range(4)]
    certificates = [certificate_request(enrollment=e) for e in enrollments]
    start_worker(worker_env)
    start_worker(worker_env)
    for certificate in certificates:
        send_issue(broker, certificate.pk, times=4)
    wait_for(lambda: all(issued(c.pk) for c in certificates), what="all certificates")
    time.sleep(2)
    assert Certificate.objects.count() == 4
    assert set(Certificate.objects.values_list("attempts", flat=True)) == {1}


def _pool_processes(worker) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def _a_session_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_pool_process_killed_mid_task_is_redelivered_and_issues_once(
    postgres, broker, worker_env, start_worker, make_completion
):
    """The test holds the certificate's row lock, so the task blocks inside its transaction;
    its pool process is then killed with SIGKILL. acks_late + reject_on_worker_lost put the
    message back, and the next pool process issues the certificate once. The lock is taken
    before the worker starts: the request already queued a task, which would otherwise race
    the lock."""
    certificate = certificate_request(enrollment=make_completion())
    locked = threading.Event()
    release = threading.Event()

    def hold_lock():
        with transaction.atomic():
            Certificate.objects.select_for_update().get(pk=certificate.pk)
            locked.set()
            release.wait(90)
        connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(10)
    worker = start_worker(worker_env)
    send_issue(broker, certificate.pk)
    wait_for(_a_session_waits_for_a_lock, what="the task to block on the row lock")
    victims = _pool_processes(worker)
    assert victims
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: "SIGKILL" in worker.log(), what="the worker to notice the killed process")
    release.set()
    holder.join()
    wait_for(lambda: issued(certificate.pk), what="the redelivered task")
    certificate.refresh_from_db()
    assert certificate.attempts == 1
    assert Certificate.objects.count() == 1


@pytest.fixture
def app_on(worker_env):
    """Point this process's Celery app (the one services enqueue with) at another broker."""
    from lms.celery import app

    saved = app.conf.broker_url

    def switch(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    yield switch
    switch(saved)


def test_completion_while_redis_is_down_is_issued_later_by_the_sweeper(
    postgres, redis_server, worker_env, start_worker, make_completion, app_on, settings
):
    worker_env.update(REDIS_URL=redis_server.url, DATABASE_URL=shared_database_url())
    app_on(redis_server.url)
    worker = start_worker(worker_env)
    redis_server.stop()

    started = time.monotonic()
    certificate = certificate_request(enrollment=make_completion())  # broker down: not queued
    assert time.monotonic() - started < 10, "a learner's request must not hang on the broker"
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.PENDING

    redis_server.start()
    wait_for(lambda: worker.log().count("Connected to redis") >= 2, timeout=120,
             what="the worker to reconnect")  # fmt: skip
    settings.CERTIFICATE_GRACE_SECONDS = 0
    assert certificates_sweep() == 1  # what beat's periodic sweep does
    deadline = time.monotonic() + 180
    while not issued(certificate.pk):  # and beat sweeps again until the worker has issued it
        assert time.monotonic() < deadline, worker.log()[-3000:]
        time.sleep(5)
        if not issued(certificate.pk):
            certificates_sweep()
    assert Certificate.objects.filter(enrollment=certificate.enrollment).count() == 1
