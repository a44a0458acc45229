"""Health of the parts the site depends on: database, cache, broker and workers."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from kombu import Connection

from lms.models import WorkerHeartbeat

OK = "ok"
DOWN = "down"


@dataclass(frozen=True)
class Health:
    database: str
    cache: str
    broker: str
    worker: str
    worker_last_seen: datetime | None

    @property
    def healthy(self) -> bool:
        return all(state == OK for state in (self.database, self.cache, self.broker, self.worker))

    def as_dict(self) -> dict:
        data = asdict(self)
        seen = data.pop("worker_last_seen")
        data["worker_last_seen"] = seen.isoformat() if seen else None
        data["status"] = OK if self.healthy else DOWN
        return data


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return DOWN
    return OK


def _cache() -> str:
    try:
        cache.set("healthz", "1", timeout=10)
        return OK if cache.get("healthz") == "1" else DOWN
    except Exception:
        return DOWN


def _broker() -> str:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=1,
        ) as conn:
            # One more try at once, not after kombu's default pause of 2 s: a load balancer
            # waits for this answer.
            # kombu waits any number of seconds; celery-types' stub of kombu says int.
            conn.ensure_connection(max_retries=1, interval_start=0.1, timeout=2)  # type: ignore[arg-type]
    except Exception:
        return DOWN
    return OK


def _worker(database: str) -> tuple[str, datetime | None]:
    if database != OK:
        return DOWN, None
    last_seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
    seen_at = last_seen.first()
    fresh = seen_at and timezone.now() - seen_at < timedelta(seconds=settings.HEARTBEAT_STALE_AFTER)
    return (OK if fresh else DOWN), seen_at


def health_check() -> Health:
    database = _database()
    worker, last_seen = _worker(database)
    return Health(
        database=database,
        cache=_cache(),
        broker=_broker(),
        worker=worker,
        worker_last_seen=last_seen,
    )
