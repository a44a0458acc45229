from celery import shared_task

from lms.retry import RETRY, TRANSIENT, PermanentError


@shared_task(name="lms.heartbeat", ignore_result=True)
def heartbeat_task() -> None:
    """Sent by beat every HEARTBEAT_INTERVAL seconds; proves broker, beat and worker work."""
    from lms.services import heartbeat_record

    heartbeat_record(hostname=heartbeat_task.request.hostname or "unknown")


@shared_task(name="lms.ping")
def ping_task(payload: str = "pong") -> str:
    """Echoes its argument: used by the health tooling and the worker tests."""
    return payload


@shared_task(name="lms.outbox_sweep", ignore_result=True)
def outbox_sweep_task() -> None:
    """Sent by beat: publish the tasks a broker outage kept in the outbox."""
    from lms.outbox import outbox_sweep

    outbox_sweep()


def _email_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    """A message that failed for a reason that will not pass is not tried again; one that
    ran out of retries on a transient failure is left for `emails_requeue`."""
    if isinstance(exc, PermanentError) or not isinstance(exc, TRANSIENT):
        from lms.mail import email_mark_failed

        email_mark_failed(email_id=args[0], error=repr(exc))


# celery-types' shared_task names no on_failure (Celery hands options on to the task class).
@shared_task(name="lms.email_send", max_retries=6, ignore_result=True,  # type: ignore[call-overload]
             on_failure=_email_failed, dont_autoretry_for=(PermanentError,), **RETRY)  # fmt: skip
def email_send_task(email_id: int) -> None:
    """Send one stored e-mail; a second delivery of the task sends nothing."""
    from lms.mail import email_send

    email_send(email_id=email_id)


@shared_task(name="lms.emails_requeue", ignore_result=True)
def emails_requeue_task() -> None:
    """Sent by beat: queue again the e-mails SMTP kept refusing, once it may be back."""
    from lms.mail import emails_requeue

    emails_requeue()
