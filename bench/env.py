"""A throw-away environment: a temporary folder, production-like settings and a fresh database.

With ``DATABASE_URL`` set, a database ``bilim_bench_<pid>`` is created on that PostgreSQL
server and dropped at the end; otherwise a SQLite file in the temporary folder is used.
``REDIS_URL`` passes through unchanged. Django is set up here, so import models only after
entering `bench_environment`.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PG_SCHEMES = ("postgres", "postgresql", "pgsql", "psql")


@dataclass(frozen=True)
class BenchEnv:
    root: Path  # the temporary folder; removed at the end
    database: str  # what to print: "sqlite" or "postgresql"


def _pg_connect(url: str):
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    return psycopg.connect(
        dbname=config["NAME"] or "postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )


@contextmanager
def _postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A new, empty database ``name`` on the server ``server_url`` names; dropped on exit."""
    from psycopg import sql

    parts = urlsplit(server_url)
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    with _pg_connect(server_url) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield bench_url
    finally:
        from django.db import connections

        connections.close_all()
        with _pg_connect(server_url) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def _database(root: Path, name: str) -> Iterator[tuple[str, str]]:
    server_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(server_url).scheme in PG_SCHEMES:
        with _postgres_database(server_url, name) as url:
            yield url, "postgresql"
    else:
        if server_url:
            print(f"DATABASE_URL is not PostgreSQL ({urlsplit(server_url).scheme}); using SQLite")
        yield f"sqlite:///{root / 'bench.sqlite3'}", "sqlite"


@contextmanager
def bench_environment(database: str = "") -> Iterator[BenchEnv]:
    """Production settings (DEBUG off, a random key, plain HTTP on 127.0.0.1) in this process
    and in every process it starts, a migrated empty database (PostgreSQL: ``database``,
    else ``bilim_bench_<pid>``, replaced if it exists), and a temporary folder."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bilim-bench-") as tmp:
        root = Path(tmp)
        try:
            with _database(root, database or f"bilim_bench_{os.getpid()}") as (database_url, kind):
                os.environ.update(
                    DEBUG="false",
                    SECRET_KEY=secrets.token_urlsafe(50),
                    ALLOWED_HOSTS="127.0.0.1",
                    SITE_URL="http://127.0.0.1",
                    HTTPS="false",
                    DATABASE_URL=database_url,
                    VAR_DIR=str(root / "var"),
                    STATIC_ROOT=str(root / "static"),
                    MEDIA_ROOT=str(root / "media"),
                    LOG_LEVEL="WARNING",
                    DJANGO_SETTINGS_MODULE="lms.settings",
                )
                import django
                from django.core.management import call_command

                django.setup()
                try:
                    call_command("migrate", verbosity=0, interactive=False)
                    yield BenchEnv(root=root, database=kind)
                finally:
                    from django.db import connections

                    connections.close_all()
        finally:
            os.environ.clear()
            os.environ.update(saved)


@contextmanager
def database_copy(suffix: str) -> Iterator[tuple[str, str]]:
    """A copy of the benchmark's PostgreSQL database as it is now, named after it with
    ``suffix``: (name, URL); dropped on exit. Every other session of the benchmark database
    is ended first (PostgreSQL copies only a database nobody is connected to): gunicorn's
    workers open new ones on their next request, as after any lost connection."""
    from django.db import connection, connections
    from psycopg import sql

    source = connection.settings_dict["NAME"]
    name = f"{source}_{suffix}"
    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    connections.close_all()
    with _pg_connect(maintenance) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [source]
        )
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(source)
            )
        )
    try:
        yield name, url
    finally:
        with _pg_connect(maintenance) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextmanager
def connected_to(name: str) -> Iterator[None]:
    """Django's default connection in this process on the database ``name`` of the same
    server for the block, then back on the benchmark's."""
    from django.db import connections

    connection = connections["default"]
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
