"""`make run` serves the site with the `web` line of Procfile.dev. Started here as honcho
starts it (a shell, the virtualenv's bin first on PATH, HOST and PORT set, DEBUG=true), on a
free port against the test's PostgreSQL database."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.conftest import ROOT, free_port, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 300
CLIENTS = 30
# Procfile.dev's defaults: 2 gunicorn workers of 4 threads, one database connection per thread.
CONNECTION_BOUND = 2 * 4
START_TIMEOUT = 60.0
# Settings the test process set for itself (tests/settings.py) that `make run` does not have.
NOT_INHERITED = (
    "DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL", "CELERY_",
    "DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY",
)  # fmt: skip


def web_command() -> str:
    lines = (ROOT / "Procfile.dev").read_text().splitlines()
    found = [line.split(":", 1)[1].strip() for line in lines if line.startswith("web:")]
    assert len(found) == 1, "Procfile.dev has no single web line"
    return found[0]


@contextmanager
def make_run_web(tmp_path: Path) -> Iterator[int]:
    """The web process of `make run` on a free port; its port. Stopped with its children."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    env.update(
        DEBUG="true",
        HOST="127.0.0.1",
        PORT=str(port),
        DATABASE_URL=shared_database_url(),
        VAR_DIR=str(tmp_path / "var"),
        PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp_path / "web.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["/bin/sh", "-c", web_command()], cwd=ROOT, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the web process exited:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/about/", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"no answer in {START_TIMEOUT:.0f} s:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_make_run_keeps_database_connections_bounded_under_load(postgres, demo_course, tmp_path):
    """300 requests from 30 clients at once leave at most one database connection per server
    thread (runserver kept one per request thread, until PostgreSQL refused clients), and
    none of them fails."""
    database = connection.settings_dict["NAME"]
    with psycopg.connect(shared_database_url(), autocommit=True) as watcher:
        ours = {row[0] for row in watcher.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
        )}  # fmt: skip

        def server_connections() -> int:
            rows = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
            ).fetchall()
            return len({row[0] for row in rows} - ours)

        with make_run_web(tmp_path) as port:
            paths = ["/en/courses/", "/ky/courses/demo/", "/ru/courses/demo/what-is/",
                     "/en/about/", "/static/css/site.css"]  # fmt: skip
            statuses: list[int] = []
            most = 0
            done = threading.Event()

            def client(index: int) -> None:
                for n in range(REQUESTS // CLIENTS):
                    statuses.append(get(port, paths[(index + n) % len(paths)])[0])

            def watch() -> None:
                nonlocal most
                while not done.is_set():
                    most = max(most, server_connections())
                    time.sleep(0.05)

            watcher_thread = threading.Thread(target=watch)
            watcher_thread.start()
            clients = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
            for thread in clients:
                thread.start()
            for thread in clients:
                thread.join()
            done.set()
            watcher_thread.join()
            after = server_connections()

    print(f"make run under load: {most} database connections at most, {after} after")
    assert len(statuses) == REQUESTS
    assert [s for s in statuses if s >= 500] == []
    assert statuses.count(200) == REQUESTS
    assert most <= CONNECTION_BOUND, f"{most} connections during the load"
    assert after <= CONNECTION_BOUND, f"{after} connections left after the load"


def test_make_run_serves_static_files_and_its_own_address(postgres, tmp_path):
    """In development the stylesheet a page links to is served (from static/, by WhiteNoise's
    finders), and the site's address follows PORT: the issuer's did:web names the port the
    server listens on, not 8000."""
    with make_run_web(tmp_path) as port:
        status, page = get(port, "/en/about/")
        assert status == 200
        stylesheet = re.search(rb'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheet is not None
        status, css = get(port, stylesheet.group(1).decode())
        assert status == 200
        assert css == (ROOT / "static" / "css" / "site.css").read_bytes()
        status, did = get(port, "/.well-known/did.json")
        assert status == 200
        assert f'"did:web:127.0.0.1%3A{port}"'.encode() in did
