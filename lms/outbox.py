"""Queue a Celery task after the transaction commits, in one place, losing nothing.

``enqueue_on_commit(name, *args)`` writes an `OutboxTask` row in the caller's transaction
and publishes the task once that transaction commits. A rolled-back transaction leaves
neither row nor message. When the broker is down at that moment the request goes on (the
failure is recorded on the row, never raised), and `outbox_sweep`, run by beat every
minute, publishes the rows still waiting once the broker is back.

Tasks go by their stable names ("courses.certificate_issue"), so services never import the
tasks that call them. A task may run twice (published after the commit and again by a
sweep, when the process died between the two), so every task queued here is idempotent.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.models import OutboxTask

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500  # rows published per sweep at most
KEEP_PUBLISHED = timedelta(days=7)  # published rows are kept this long, for the admin


def enqueue_on_commit(name: str, *args: object) -> OutboxTask:
    """Queue the task called ``name`` with ``args`` (JSON values, ids) once the current
    transaction commits, at once outside one."""
    if _task_named(name) is None:  # a typo fails here, not in a worker's log
        raise LookupError(f"no Celery task is named {name!r}")
    row = OutboxTask.objects.create(task=name, args=list(args))
    transaction.on_commit(functools.partial(outbox_publish, row=row), robust=True)
    return row


@functools.cache
def _tasks() -> dict[str, Task]:
    """The app's task registry, with every installed app's tasks module imported (as a worker
    does). Django's autodiscover_modules, not Celery's loader: in a worker, the loader runs
    django.setup() again, which re-applies the logging settings and silenced the pool
    process's log after its first queued task."""
    from django.utils.module_loading import autodiscover_modules

    from lms.celery import app

    autodiscover_modules("tasks")
    return app.tasks


def _task_named(name: str) -> Task | None:
    return _tasks().get(name)


def outbox_publish(*, row: OutboxTask) -> bool:
    """Send the row's task to the broker and record the outcome; whether it was sent."""
    task = _task_named(row.task)
    try:
        if task is not None:
            task.apply_async(args=row.args)
        else:  # renamed since it was queued: the workers may still know it
            from lms.celery import app

            app.send_task(row.task, args=row.args)
    except Exception as error:  # the broker is down, or refused the message
        logger.warning("could not queue %s (outbox row %s); the sweeper will retry: %r",
                       row, row.pk, error)  # fmt: skip
        OutboxTask.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1, last_error=repr(error)[:2000]
        )
        return False
    OutboxTask.objects.filter(pk=row.pk).update(
        attempts=F("attempts") + 1, published_at=timezone.now(), last_error=""
    )
    return True


def outbox_sweep(*, grace: timedelta | None = None) -> int:
    """Publish the rows still waiting after the grace period (their publishing after commit
    failed, or their process died first); returns how many went. Stops at the first failure:
    the broker is still down, and the next sweep tries again. Forgets old published rows."""
    if grace is None:
        grace = timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)
    now = timezone.now()
    waiting = OutboxTask.objects.filter(published_at__isnull=True, created_at__lte=now - grace)
    published = 0
    for row in waiting.order_by("pk")[:SWEEP_BATCH]:
        if not outbox_publish(row=row):
            break
        published += 1
    OutboxTask.objects.filter(published_at__lt=now - KEEP_PUBLISHED).delete()
    return published
