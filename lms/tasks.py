from celery import shared_task


@shared_task(name="lms.heartbeat", ignore_result=True)
def heartbeat_task() -> None:
    """Sent by beat every HEARTBEAT_INTERVAL seconds; proves broker, beat and worker work."""
    from lms.services import heartbeat_record

    heartbeat_record(hostname=heartbeat_task.request.hostname or "unknown")


@shared_task(name="lms.ping")
def ping_task(payload: str = "pong") -> str:
    """Echoes its argument: used by the health tooling and the worker tests."""
    return payload
