"""`make soak` (`python -m bench.soak`): the whole site under steady use, with failures.

gunicorn with the production settings, PostgreSQL (a new database on the server DATABASE_URL
names, dropped at the end), a private redis-server on a free port (so it can be restarted),
two Celery workers and beat; SOAK_LEARNERS simulated learners (bench/soak_learners.py) for
SOAK_SECONDS sign up, read, mark lessons done, submit quizzes and collect certificates.
At 40% of the time one worker is killed with SIGKILL (its pool too), while it runs a task if
one comes within 30 s (a tenth of the run at most), and started again; at 60% Redis is
stopped for SOAK_REDIS_DOWN seconds (no persistence: queued tasks, cached sessions and
counters are gone) and started again.
Then the workers are given SOAK_DRAIN_SECONDS to issue every certificate owed, and what the
server acknowledged to the clients is compared with what the database holds.

Not a test: it prints what it saw and the targets, and exits 0 unless it could not run.
Only loopback addresses are used.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bench import soak_report
from bench.env import PG_SCHEMES, bench_environment
from bench.report import heading
from bench.server import BASE_DIR, HOST, WORKERS, free_port, gunicorn
from bench.soak_learners import Ledger, Plan, Quiz, learner_thread

SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
LEARNERS = int(os.environ.get("SOAK_LEARNERS", "50"))
THINK = tuple(float(s) for s in os.environ.get("SOAK_THINK", "1,4").split(","))
REDIS_DOWN = float(os.environ.get("SOAK_REDIS_DOWN", "5"))
DRAIN = float(os.environ.get("SOAK_DRAIN_SECONDS", "420"))  # > one sweep (300 s) + grace
DATABASE = os.environ.get("SOAK_DATABASE", f"bilim_soak_{os.getpid()}")
GRACE = 60  # CERTIFICATE_GRACE_SECONDS for the soak: the sweeper may re-queue after a minute
WINDOW_AFTER = 5.0  # seconds after Redis answers again still counted in its restart window
KILL_AT, REDIS_AT = 0.4, 0.6
KILL_WAIT = min(30.0, SECONDS / 10)  # seconds the kill may wait for the worker to be busy
# The first learners arrive over this many seconds: each sign-up and log-in hashes a password
# (PBKDF2, 1,000,000 iterations: 0.3 s of CPU here), 50 at once would be a storm, not a day.
ARRIVALS = min(120.0, SECONDS / 4)
CELERY_WORKERS = 2
START_TIMEOUT = 60.0
KEEP_LOGS = os.environ.get("SOAK_KEEP_LOGS", "")


class Service:
    """A process in its own process group, writing to a log file; restartable."""

    def __init__(self, name: str, command: list[str], log: Path) -> None:
        self.name, self.command, self.log = name, command, log
        self.process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=BASE_DIR,
                env=dict(os.environ),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self, how: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, how)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _redis_ping(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host=HOST, port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _wait(what: str, ready, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start in {timeout:.0f} s")
        time.sleep(0.2)


@contextmanager
def _redis(root: Path) -> Iterator[Service]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
    port = free_port()
    server = Service(
        "redis",
        [
            binary,
            "--port",
            str(port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
        ],
        root / "redis.log",
    )
    server.port = port  # type: ignore[attr-defined]
    server.start()
    try:
        _wait("redis-server", lambda: _redis_ping(port))
        yield server
    finally:
        server.stop()


def _celery(root: Path, tag: str) -> list[Service]:
    common = [sys.executable, "-m", "celery", "-A", "lms"]
    workers = [
        Service(
            f"worker {n}",
            [
                *common,
                "worker",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"{tag}-{n}@%h",
            ],
            root / f"worker-{n}.log",
        )
        for n in range(1, CELERY_WORKERS + 1)
    ]
    beat = Service(
        "beat",
        [*common, "beat", "--loglevel", "INFO", "--schedule", str(root / "beat-schedule")],
        root / "beat.log",
    )
    return [*workers, beat]


class _Probe:
    """Asks a worker over the broker which tasks it runs now, as `celery inspect active`."""

    def __enter__(self) -> _Probe:
        from celery import Celery

        self.app = Celery("soak-probe", broker=os.environ["REDIS_URL"])
        return self

    def __exit__(self, *exc_info) -> None:
        self.app.close()

    def running(self, hostname: str) -> list[str]:
        """The names of the tasks ``hostname`` runs; none if it does not answer in 0.5 s."""
        try:
            inspect = self.app.control.inspect(destination=[hostname], timeout=0.5)
            replies = inspect.active() or {}
        except Exception:
            return []
        return [task["name"] for task in replies.get(hostname, [])]


def _workers_ready(prefix: str, since, count: int = CELERY_WORKERS) -> bool:
    """``count`` workers whose name starts with ``prefix`` recorded a heartbeat (as each does
    when it is ready) since ``since``."""
    from lms.models import WorkerHeartbeat

    heartbeats = WorkerHeartbeat.objects.filter(hostname__startswith=prefix, seen_at__gte=since)
    return heartbeats.count() >= count


SOAK_COURSE = "keeping-assets-safe"  # of examples/: its certificate asks for no lab


def _plan(port: int) -> Plan:
    """A course of the starter curriculum (examples/), imported, and the answers a learner
    gives."""
    from bench.importing import import_once
    from courses.models import Course

    import_once(str(BASE_DIR / "examples"))
    course = Course.objects.select_related("live_revision").get(slug=SOAK_COURSE)
    items, quizzes = [], {}
    for revision_item in course.live_revision.revision_items.select_related("item").order_by(
        "position"
    ):
        key, kind = revision_item.item.key, revision_item.item.type
        items.append((key, kind))
        if revision_item.quiz:
            quizzes[key] = _answers(revision_item.quiz)
    return Plan(port=port, slug=course.slug, items=tuple(items), quizzes=quizzes, think=THINK)


def _answers(quiz: dict) -> Quiz:
    correct, wrong, invalid = {}, {}, {}
    for question in quiz["questions"]:
        qid, kind = question["id"], question["type"]
        if kind in ("single", "multiple"):
            right = [o["id"] for o in question["options"] if o["correct"]]
            other = [o["id"] for o in question["options"] if not o["correct"]]
            correct[qid] = right[0] if kind == "single" else right
            wrong[qid] = other[0] if kind == "single" else other
        elif kind == "true_false":
            correct[qid], wrong[qid] = question["answer"], not question["answer"]
        elif kind == "number":
            correct[qid], wrong[qid] = question["answer"], question["answer"] + 1000
        else:
            correct[qid] = next(iter(question["accept"].values()))[0]
            wrong[qid] = "not-the-answer"
            invalid[qid] = "a bell \x07 in the answer"  # a control character: refused
    if not invalid:  # no typed question: the same text as the first question's answer
        invalid[quiz["questions"][0]["id"]] = "a bell \x07 in the answer"
    return Quiz(correct=correct, wrong=wrong, invalid={**correct, **invalid})


class Timeline:
    """The failures, at fixed shares of the soak, in a thread of their own."""

    def __init__(self, started: float, services: list[Service], redis: Service, tag: str):
        self.started, self.services, self.redis, self.tag = started, services, redis, tag
        self.events: list[str] = []
        self.redis_window: tuple[float, float] | None = None
        self.redis_back = None  # when Redis answered again (a datetime, for the database)
        from django.utils import timezone

        self.started_at = timezone.now()
        self.killed_running: list[str] = []  # the tasks the killed worker was running
        self.error: str | None = None

    def say(self, text: str) -> None:
        line = f"[{time.monotonic() - self.started:6.1f} s] {text}"
        self.events.append(line)
        print(line, flush=True)

    def wait_until(self, share: float) -> None:
        time.sleep(max(0.0, self.started + SECONDS * share - time.monotonic()))

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"
            self.say(f"failure injection failed: {self.error}")

    def _run(self) -> None:
        from django.db import connection
        from django.utils import timezone

        self.wait_until(KILL_AT)
        worker = self.services[0]
        # Killed while it runs a task if one comes within KILL_WAIT seconds: the task it took
        # (acks_late) is the interesting loss.
        deadline = time.monotonic() + KILL_WAIT
        with _Probe() as probe:
            while time.monotonic() < deadline and not self.killed_running:
                self.killed_running = probe.running(f"{self.tag}-1@{socket.gethostname()}")
                time.sleep(0.1)
        worker.kill(signal.SIGKILL)
        running = ", ".join(self.killed_running) or "no task"
        self.say(f"{worker.name}: killed with SIGKILL (main process and pool) while running "
                 f"{running}")  # fmt: skip
        time.sleep(3)
        since = timezone.now()
        worker.start()
        _wait("the restarted worker", lambda: _workers_ready(f"{self.tag}-1@", since, 1))
        connection.close()
        self.say(f"{worker.name}: started again and ready")
        self.wait_until(REDIS_AT)
        down = time.monotonic()
        self.redis.stop()
        self.say(f"redis: stopped (SIGTERM, no persistence); {REDIS_DOWN:g} s down")
        time.sleep(REDIS_DOWN)
        self.redis.start()
        _wait("redis-server", lambda: _redis_ping(self.redis.port))  # type: ignore[attr-defined]
        self.redis_window = (down, time.monotonic() + WINDOW_AFTER)
        self.redis_back = timezone.now()
        self.say("redis: answering again")


def _connections_sampler(database: str, own: int, stop: threading.Event, seen: list[int]) -> None:
    """The soak database's connections other than this process's, every second."""
    import psycopg

    from bench.env import _pg_connect

    with _pg_connect(os.environ["DATABASE_URL"]) as watcher:
        while not stop.wait(1.0):
            try:
                row = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                    "AND pid <> %s",
                    [database, own],
                ).fetchone()
                seen.append(row[0])
            except psycopg.Error:
                pass


def _drain(course_slug: str, started: float) -> tuple[float, int]:
    """Wait (at most DRAIN seconds) until every completed enrolment has an issued
    certificate; the seconds waited and how many are still owed."""
    from courses.models import Certificate, Enrollment

    deadline = time.monotonic() + DRAIN
    while True:
        owed = (
            Enrollment.objects.filter(course__slug=course_slug, completed_at__isnull=False)
            .exclude(certificate__status=Certificate.Status.ISSUED)
            .count()
        )
        if owed == 0 or time.monotonic() > deadline:
            return time.monotonic() - started, owed
        time.sleep(2)


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in PG_SCHEMES:
        print(
            "make soak needs PostgreSQL: DATABASE_URL=postgres://user@127.0.0.1:5432/postgres "
            "(a database is created on that server and dropped at the end)",
            file=sys.stderr,
        )
        return 2
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    run = secrets.token_hex(3)
    tag = f"soak-{os.getpid()}"
    heading(
        f"Soak: {LEARNERS} learners for {SECONDS:.0f} s; a worker killed at "
        f"{KILL_AT:.0%}, Redis restarted at {REDIS_AT:.0%}"
    )
    from courses.credentials import keys

    signing_key = keys.private_key_pem(keys.generate_private_key()).decode()
    with bench_environment(database=DATABASE) as env:
        root = env.root
        with _redis(root) as redis:
            os.environ.update(
                REDIS_URL=f"redis://{HOST}:{redis.port}/0",  # type: ignore[attr-defined]
                ACCOUNT_EMAIL_VERIFICATION="none",
                EMAIL_URL="consolemail://",  # into the workers' logs
                CERTIFICATE_SIGNING_KEY=signing_key,
                CERTIFICATE_GRACE_SECONDS=str(GRACE),
                TRUSTED_PROXY_COUNT="1",  # each learner's own X-Forwarded-For address
                LOG_LEVEL="INFO",
                PYTHONUNBUFFERED="1",
            )
            print(
                f"database {DATABASE} ({env.database}); Redis on port {redis.port} "
                f"(no persistence); files under {root}"
            )
            print(
                "e-mail verification: none (ACCOUNT_EMAIL_VERIFICATION=none), e-mails to the "
                "workers' logs; sweeper grace: "
                f"{GRACE} s; each learner sends its own X-Forwarded-For (TRUSTED_PROXY_COUNT=1)"
            )
            return _soak(root, tag, run, redis)


def _soak(root: Path, tag: str, run: str, redis: Service) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("collectstatic", interactive=False, verbosity=0)
    connection.ensure_connection()
    own = connection.connection.info.backend_pid  # this process's, left out of the count
    services = _celery(root, tag)
    since = timezone.now()
    try:
        for service in services:
            service.start()
        _wait("the Celery workers", lambda: _workers_ready(tag, since))
        with gunicorn(root) as server:
            plan = _plan(server.port)
            print(
                f"gunicorn: {WORKERS} sync workers on port {server.port}; course {plan.slug}: "
                f"{len(plan.items)} items; think time {THINK[0]:g}-{THINK[1]:g} s; learners "
                f"arrive over the first {ARRIVALS:.0f} s"
            )
            ledger = Ledger()
            started, cpu_started = time.monotonic(), time.process_time()
            deadline = started + SECONDS
            timeline = Timeline(started, services, redis, tag)
            stop = threading.Event()
            connections: list[int] = []
            threads = [
                threading.Thread(target=timeline.run, daemon=True),
                threading.Thread(
                    target=_connections_sampler,
                    args=(connection.settings_dict["NAME"], own, stop, connections),
                    daemon=True,
                ),
            ]
            threads += [
                threading.Thread(
                    target=learner_thread,
                    daemon=True,
                    args=(plan, ledger, seat, LEARNERS, deadline, run, ARRIVALS),
                )
                for seat in range(LEARNERS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads[2:]:
                thread.join()
            threads[0].join(timeout=START_TIMEOUT + REDIS_DOWN + 30)  # the failures, if late
            run_seconds = time.monotonic() - started
            client_cpu = time.process_time() - cpu_started
            timeline.say(f"load over: {len(ledger.samples)} requests; waiting for the workers")
            drained = _drain(plan.slug, time.monotonic())
            stop.set()
            failed = soak_report.requests(
                ledger, started=started, run_seconds=run_seconds,
                window=timeline.redis_window, window_after=WINDOW_AFTER,
            )  # fmt: skip
            lost = soak_report.writes(ledger, plan.slug)
            uncertified = soak_report.certificates(
                ledger,
                plan.slug,
                drained,
                DRAIN,
                redis_back=timeline.redis_back,
                started_at=timeline.started_at,
            )
            heading("The machine")
            if connections:
                print(
                    f"PostgreSQL connections to the soak database (gunicorn {WORKERS} sync "
                    f"workers, {CELERY_WORKERS} Celery workers, beat): at most "
                    f"{max(connections)}, {connections[-1]} at the end"
                )
            one, five, _ = os.getloadavg()
            print(
                f"the learners' client used {client_cpu:.0f} s of CPU in {run_seconds:.0f} s; "
                f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"
            )
            soak_report.logs(root, KEEP_LOGS)
            soak_report.targets(failed=failed, lost=lost, uncertified=uncertified)
            return 1 if timeline.error else 0
    finally:
        for service in services:
            service.stop()
        if KEEP_LOGS:
            Path(KEEP_LOGS).mkdir(parents=True, exist_ok=True)
            for log in root.glob("*.log"):
                shutil.copy(log, KEEP_LOGS)


if __name__ == "__main__":
    sys.exit(main())
