"""Shared fixtures. Tests that need PostgreSQL, Redis or Chromium skip when they are absent on
a developer's machine and fail in CI (CI=true), where .ci/run provides all three.

CI runs the suite twice: against PostgreSQL and Redis, and as a newcomer's machine runs it
(no DATABASE_URL, no REDIS_URL: SQLite and the filesystem broker). In that second run
(TEST_WITHOUT_SERVICES=true) the tests that need a database or cache server skip, and those
that need a tool (Chromium, gettext, redis-server) still fail when it is missing."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
TRUE = {"1", "true", "yes"}
IN_CI = os.environ.get("CI", "").lower() in TRUE
WITHOUT_SERVICES = os.environ.get("TEST_WITHOUT_SERVICES", "").lower() in TRUE
CHROMIUM = "/usr/bin/chromium"


def require(available: bool, what: str, *, server: bool = False) -> None:
    """Skip locally, fail in CI, when a real service the test needs is missing. A database or
    cache ``server`` is left out on purpose in the run without services: skip there too."""
    if available:
        return
    if IN_CI and not (server and WITHOUT_SERVICES):
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def postgres() -> None:
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)", server=True)


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    parsed = urlparse(url)
    require(
        bool(url) and _port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379),
        "Redis (REDIS_URL)",
        server=True,
    )
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    return CHROMIUM


def shared_database_url() -> str:
    """DATABASE_URL of the test database, for worker processes that must share it."""
    from urllib.parse import quote

    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CeleryWorker:
    """A real `celery -A lms worker` process with its own environment."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "CeleryWorker":
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "lms", "worker",
                "--loglevel", "INFO", "--concurrency", "1", "--pool", "prefork",
                "--without-gossip", "--without-mingle", "--hostname", "test-worker@%h",
            ],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process and self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    """The environment of the test process, less anything that points at its broker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator:
    workers: list[CeleryWorker] = []

    def start(env: dict[str, str]) -> CeleryWorker:
        worker = CeleryWorker(env, tmp_path / f"worker-{len(workers)}.log").start()
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()


class RedisServer:
    def __init__(self, binary: str, port: int, folder: Path) -> None:
        self.binary, self.port, self.folder = binary, port, folder
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError("redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private redis-server on a free port, so a test may stop it."""
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server")
    server = RedisServer(binary, free_port(), tmp_path).start()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _collected_static_files() -> None:
    """Pages use the hashed, compressed files of production; collect them once per run."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and cached pages live in the cache; with Redis they would outlive a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def publish(location):
    """Import the course repository at ``location``; the import must succeed (or find the
    commit live already). Returns the ImportRun."""
    from courses.models import ImportRun
    from courses.services.publishing import import_run_create, import_run_execute

    run = import_run_create(location=str(location))
    import_run_execute(run=run)
    run.refresh_from_db()
    assert run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.UNCHANGED), run.diagnostics
    return run


@contextmanager
def imported_for_module(location, django_db_blocker) -> Iterator[None]:
    """For a module-scoped fixture: the courses at ``location`` imported and committed once;
    each test's own writes are rolled back after it, and everything imported is removed after
    the module's last test."""
    from courses.models import Asset, Course, CourseSource, ImportRun

    with django_db_blocker.unblock():
        publish(location)
    yield
    with django_db_blocker.unblock():
        Course.objects.update(live_revision=None)
        Course.objects.all().delete()
        Asset.objects.all().delete()
        ImportRun.objects.all().delete()
        CourseSource.objects.all().delete()


@pytest.fixture
def repo(tmp_path):
    """The demo course of tests/content/helpers.py in a real Git repository of the test's
    own, for tests that change or import it."""
    from tests.gitrepo import make_repo

    return make_repo(tmp_path / "repo")


@pytest.fixture
def demo_course(repo, db):
    """The demo course of tests/content/helpers.py, imported from a real Git repository."""
    from courses.models import Course

    publish(repo.path)
    return Course.objects.get(slug="demo")
