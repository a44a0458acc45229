"""Queued work survives a broker outage: tasks are written to the outbox in the transaction
that asks for them, published after it commits, and published again by beat's sweep when
the broker was down. Broker-down tests stop a private Redis; worker tests run a real Celery
worker process on the shared PostgreSQL test database."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Certificate,
    CohortExport,
    CohortMessage,
    CohortMessageDelivery,
    CourseSource,
    ImportRun,
    Job,
)
from courses.services.cohort_exports import export_build
from courses.services.cohorts import cohort_message_create
from courses.services.publishing import import_run_create
from courses.tasks import (
    certificate_email_task,
    cohort_export_build_task,
    cohort_message_send_task,
    import_run_execute_task,
)
from lms.models import OutboxTask, OutgoingEmail
from lms.outbox import enqueue_on_commit, outbox_sweep
from tests.certificates.test_worker_issuing import wait_for
from tests.cohorts.test_dashboard import add_members
from tests.conftest import shared_database_url
from tests.gitrepo import make_repo
from tests.webhooks import deliver

SLOW = 10  # seconds a request may take while the broker is down (it gives up within ~1 s)


def _waiting(task: str) -> list[OutboxTask]:
    return list(OutboxTask.objects.filter(task=task, published_at__isnull=True))


@pytest.mark.django_db(transaction=True)
def test_a_task_is_published_after_the_commit_and_marked_published():
    """The row is written in the transaction and, once it commits, the task goes to the
    broker (Redis, or the filesystem broker with no server) and the row says so."""
    with transaction.atomic():
        row = enqueue_on_commit("lms.ping", "после коммита")
        assert OutboxTask.objects.get(pk=row.pk).published_at is None  # not before the commit
    row.refresh_from_db()
    assert (row.task, row.args, row.attempts, row.last_error) == (
        "lms.ping",
        ["после коммита"],
        1,
        "",
    )
    assert row.published_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_task_behind():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit("lms.ping", "never")
        raise RuntimeError("the request failed")
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_a_task_name_no_worker_knows_fails_where_it_is_queued():
    with pytest.raises(LookupError, match=r"courses\.certificate_isue"):
        enqueue_on_commit("courses.certificate_isue", 1)
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_the_sweep_publishes_only_rows_left_waiting_past_the_grace_period(settings):
    settings.OUTBOX_GRACE_SECONDS = 60
    old = timezone.now() - timedelta(minutes=5)
    stuck = OutboxTask.objects.create(task="lms.ping", args=["stuck"], created_at=old)
    fresh = OutboxTask.objects.create(task="lms.ping", args=["fresh"])  # its request may still
    done = OutboxTask.objects.create(task="lms.ping", args=["done"], created_at=old,
                                     published_at=old, attempts=1)  # fmt: skip
    assert outbox_sweep() == 1
    stuck.refresh_from_db(), fresh.refresh_from_db(), done.refresh_from_db()
    assert stuck.published_at is not None and stuck.attempts == 1
    assert fresh.published_at is None and fresh.attempts == 0
    assert (done.published_at, done.attempts) == (old, 1)
    assert outbox_sweep() == 0  # what went once is not sent again


@pytest.mark.django_db
def test_the_sweep_forgets_rows_published_a_week_ago():
    long_ago = timezone.now() - timedelta(days=8)
    OutboxTask.objects.create(task="lms.ping", created_at=long_ago, published_at=long_ago)
    outbox_sweep()
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_the_sweep_stops_at_the_first_failure_while_the_broker_is_down(redis_server, app_on):
    """With the broker still down, one try is enough to know: the rest wait for the next
    sweep instead of each costing the sweep a second."""
    app_on(redis_server.url)
    redis_server.stop()
    old = timezone.now() - timedelta(minutes=5)
    rows = [OutboxTask.objects.create(task="lms.ping", created_at=old) for _ in range(3)]
    assert outbox_sweep() == 0
    attempts = [OutboxTask.objects.get(pk=row.pk).attempts for row in rows]
    assert attempts == [1, 0, 0]
    assert "Error" in OutboxTask.objects.get(pk=rows[0].pk).last_error


# The broker is down while a request queues work ----------------------------------------


@pytest.fixture
def source(tmp_path):
    repo = make_repo(tmp_path / "repo")
    return CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main"), repo


@pytest.mark.django_db(transaction=True)
def test_a_push_while_the_broker_is_down_is_accepted_and_kept_in_the_outbox(
    client, source, redis_server, app_on
):
    """The webhook answers 202 as usual; the import waits in the outbox, not lost."""
    source, repo = source
    app_on(redis_server.url)
    redis_server.stop()
    started = time.monotonic()
    response = deliver(client, source, host="github", commit=repo.head)
    assert time.monotonic() - started < SLOW
    assert response.status_code == 202
    run = ImportRun.objects.get(pk=response.json()["import"])
    assert run.status == ImportRun.Status.PENDING
    [row] = _waiting("courses.import_run_execute")
    assert row.args == [run.pk] and row.attempts == 1 and row.last_error


@pytest.mark.django_db(transaction=True)
def test_a_cohort_message_while_the_broker_is_down_is_accepted_and_kept_in_the_outbox(
    client, cohort, cast, redis_server, app_on
):
    app_on(redis_server.url)
    redis_server.stop()
    client.force_login(cast.instructor)
    response = client.post(reverse("cohorts:messages", kwargs={"cohort_id": cohort.pk}),
                           {"subject": "Дүйшөмбү", "body": "Сабак саат 10до."})  # fmt: skip
    assert response.status_code == 302
    message = CohortMessage.objects.get()
    [row] = _waiting("courses.cohort_message_send")
    assert row.args == [message.pk]


@pytest.fixture
def private_worker(postgres, redis_server, worker_env, start_worker, app_on):
    """A worker and this process on a private Redis, which the test may stop."""
    worker_env.update(REDIS_URL=redis_server.url, DATABASE_URL=shared_database_url())
    app_on(redis_server.url)
    return worker_env


def _succeeded(worker, task: str) -> int:
    return sum(1 for line in worker.log().splitlines()
               if f"Task {task}[" in line and " succeeded in " in line)  # fmt: skip


def _ran_once(worker, task: str) -> None:
    """The worker's log says the task succeeded, and after a moment still only once."""
    wait_for(lambda: _succeeded(worker, task) >= 1, what=f"{task} in the worker's log")
    time.sleep(2)
    assert _succeeded(worker, task) == 1, worker.log()[-3000:]


@pytest.mark.django_db(transaction=True)
def test_a_push_made_while_redis_was_down_is_imported_once_after_the_sweep(
    client, source, redis_server, private_worker, start_worker
):
    source, repo = source
    redis_server.stop()
    response = deliver(client, source, host="gitlab", commit=repo.head)
    assert response.status_code == 202
    run_id = response.json()["import"]

    redis_server.start()
    worker = start_worker(private_worker)
    assert outbox_sweep(grace=timedelta(0)) == 1  # what beat's sweep does every minute
    wait_for(lambda: ImportRun.objects.get(pk=run_id).finished_at is not None,
             what="the import")  # fmt: skip
    assert ImportRun.objects.get(pk=run_id).status == ImportRun.Status.SUCCEEDED
    assert outbox_sweep(grace=timedelta(0)) == 0
    _ran_once(worker, "courses.import_run_execute")
    assert ImportRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_cohort_message_sent_while_redis_was_down_reaches_every_member_once(
    client, cohort, cast, redis_server, private_worker, start_worker
):
    add_members(cohort, 5)
    redis_server.stop()
    client.force_login(cast.instructor)
    response = client.post(reverse("cohorts:messages", kwargs={"cohort_id": cohort.pk}),
                           {"subject": "Hello", "body": "See you on Monday."})  # fmt: skip
    assert response.status_code == 302
    message = CohortMessage.objects.get()

    redis_server.start()
    worker = start_worker(private_worker)
    assert outbox_sweep(grace=timedelta(0)) == 1
    wait_for(lambda: CohortMessage.objects.get(pk=message.pk).finished_at is not None,
             what="the message to be sent")  # fmt: skip
    assert CohortMessageDelivery.objects.filter(message=message).count() == 6
    _ran_once(worker, "courses.cohort_message_send")


# Each queued task may be delivered twice (a sweep after a lost acknowledgement) -------------


@pytest.mark.django_db
def test_a_cohort_message_task_run_twice_writes_to_each_member_once(cohort, cast):
    add_members(cohort, 3)
    message = cohort_message_create(cohort=cohort, sender=cast.instructor, subject="Hi",
                                    body="Twice?")  # fmt: skip
    cohort_message_send_task.apply(args=[message.pk])
    cohort_message_send_task.apply(args=[message.pk])
    assert CohortMessageDelivery.objects.filter(message=message).count() == 4
    assert CohortMessage.objects.get(pk=message.pk).sent_count == 4


@pytest.mark.django_db
def test_an_export_task_run_twice_builds_one_export(cohort, cast, settings):
    settings.COHORT_EXPORT_INLINE_MEMBERS = 0
    export = CohortExport.objects.create(cohort=cohort, requested_by=cast.instructor,
                                         language="en")  # fmt: skip
    cohort_export_build_task.apply(args=[export.pk])
    finished = CohortExport.objects.get(pk=export.pk).finished_at
    cohort_export_build_task.apply(args=[export.pk])
    export.refresh_from_db()
    assert export.status == Job.DONE and export.finished_at == finished
    assert export_build(export_id=export.pk).finished_at == finished


@pytest.mark.django_db
def test_an_import_task_run_twice_imports_once(tmp_path):
    repo = make_repo(tmp_path / "repo")
    run = import_run_create(location=str(repo.path))
    import_run_execute_task.apply(args=[run.pk])
    import_run_execute_task.apply(args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.revisions.count() == 1


@pytest.mark.django_db
def test_a_certificate_email_task_run_twice_queues_one_email(make_completion):
    from courses.services.certificates import certificate_issue, certificate_request

    certificate = certificate_request(enrollment=make_completion())
    certificate_issue(certificate_id=certificate.pk)
    certificate_email_task.apply(args=[certificate.pk])
    certificate_email_task.apply(args=[certificate.pk])
    email = OutgoingEmail.objects.get()
    assert email.key == f"certificate-issued:{certificate.pk}"
    assert email.to == [certificate.user.email]
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.ISSUED


# Retrying is Celery's, for transient failures only ----------------------------------------


@pytest.mark.django_db
def test_a_certificate_that_cannot_be_signed_is_failed_at_once_with_its_error(
    make_completion, settings
):
    """A missing key is not transient: no retry, and on_failure leaves the certificate
    failed, with the error, for staff to retry in the admin."""
    from courses.services.certificates import certificate_request
    from courses.tasks import certificate_issue_task

    certificate = certificate_request(enrollment=make_completion())
    settings.CERTIFICATE_SIGNING_KEY = "/nonexistent/certificate-signing-key.pem"
    result = certificate_issue_task.apply(args=[certificate.pk])
    assert result.state == "FAILURE"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.FAILED
    assert certificate.last_error
    assert not OutgoingEmail.objects.exists()


def test_only_failures_that_can_pass_by_themselves_are_transient():
    import smtplib

    from django.db import OperationalError

    from lms.retry import is_transient

    assert is_transient(OperationalError("server closed the connection unexpectedly"))
    assert is_transient(ConnectionRefusedError(111, "Connection refused"))
    assert is_transient(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert is_transient(smtplib.SMTPResponseException(451, b"Try again later"))
    assert not is_transient(smtplib.SMTPResponseException(550, b"No such user"))
    assert not is_transient(smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No")}))
    assert not is_transient(FileNotFoundError(2, "No such file", "static/fonts/PTSans.ttf"))
    assert not is_transient(ValueError("not a key"))
