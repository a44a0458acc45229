"""Queries written out by hand for the busiest pages, run as prepared statements on
PostgreSQL (see `prepared_rows`), and the conversions their raw rows need."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

M = TypeVar("M", bound=Model)


def prepared_rows(sql: str, params: list) -> list[tuple]:
    """The rows of ``sql``; on PostgreSQL as a prepared statement of the connection, so that
    the server plans it once instead of on every page (planning the learner's query takes
    four times as long as running it). Django's cursors bind parameters on the client and
    cannot prepare; this one cursor binds them on the server, and goes through Django's
    wrappers like any other query."""
    with connection.cursor() as cursor:  # the health check and the connection, as for any query
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        import psycopg

        raw = connection.connection
        raw.prepare_threshold = 0  # only server-binding cursors prepare: this one
        server = psycopg.Cursor(raw)
        # django-stubs types their argument as Django's CursorWrapper; Django wraps the
        # driver's own cursor with it (BaseDatabaseWrapper.make_cursor).
        wrapped = (
            connection.make_debug_cursor(server)  # type: ignore[arg-type]
            if connection.queries_logged
            else connection.make_cursor(server)  # type: ignore[arg-type]
        )
        with wrapped:
            wrapped.execute(sql, params)
            return wrapped.fetchall()


def db_datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp read with a cursor: aware from PostgreSQL; from SQLite a naive datetime or
    a string, in UTC."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    return timezone.make_aware(parsed, UTC) if parsed and timezone.is_naive(parsed) else parsed


def db_json(value: Any) -> Any:
    """A JSON column read with a cursor: parsed already by some drivers, text by others."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def model_from_row(model: type[M], values: dict[str, Any]) -> M:
    """An instance of ``model`` as if loaded by the ORM with only the columns in ``values``
    (by attribute name; the others deferred). `Model.from_db` takes the values in the order
    of the model's fields, whatever order the names are given in."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])
