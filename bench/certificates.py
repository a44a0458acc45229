"""Certificate issuing: a cohort of 1,000 completions through the real broker and two workers.

Every learner's certificate is pending, as `certificate_request` leaves it; the benchmark sends
one `courses.certificate_issue` task per certificate and times the two worker processes
(`celery -A lms worker --concurrency 1`, twice) until the database shows all of them issued,
or for at most `WINDOW` seconds (then the rate is over the window, and says so).
The broker is a private database (14) of the Redis at ``REDIS_URL``, flushed at the end, or
else Kombu's filesystem transport in the temporary folder. The CPU the workers and their
PostgreSQL sessions used per certificate is read from /proc, so a machine shared with other
work still shows what issuing itself costs. Then, in this process, the cost of one
certificate is split into the PDF, the signature and the rest (database work), timed inside
the same issuing calls, in wall-clock and CPU time.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

from bench import cpu
from bench.report import Row, Target, heading

COHORT = 1000
WORKERS = 2
SAMPLE = 50  # certificates timed in this process for the cost split
WARM_UP = 5  # issued in this process before timing (fonts, contexts, caches)
TARGET = Target("≥", 30, " cert/s")
EXACTLY_ONCE = Target("≥", 100, "%")
REDIS_DB = 14
SITE_URL = "http://127.0.0.1"
START_TIMEOUT = 60.0
WINDOW = 180.0  # the measurement stops here even if some certificates are still pending
POLL = 0.1
LANGUAGES = ("ky", "ru", "en")
BASE_DIR = Path(__file__).resolve().parent.parent


class BenchFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Broker:
    url: str
    backend: str
    label: str
    transport_options: dict


@contextmanager
def _broker(root: Path) -> Iterator[Broker]:
    """Redis database 14 of ``REDIS_URL`` (refused unless empty; flushed on exit), or else the
    filesystem transport under the temporary folder."""
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        folder = root / "var" / "celery"
        options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        }
        for path in options.values():
            Path(path).mkdir(parents=True, exist_ok=True)
        yield Broker(
            url="filesystem://localhost//",
            backend=f"file://{folder / 'results'}",
            label=f"filesystem transport in {folder}",
            transport_options=options,
        )
        return
    import redis

    url = urlunsplit(urlsplit(redis_url)._replace(path=f"/{REDIS_DB}"))
    client = redis.Redis.from_url(url)
    try:
        if client.dbsize():
            raise BenchFailed(
                f"Redis database {REDIS_DB} at {urlsplit(url).netloc} is not empty; the "
                f"benchmark uses it and flushes it. Empty it first: redis-cli -n {REDIS_DB} "
                "flushdb"
            )
        try:
            yield Broker(url=url, backend=url, label=f"Redis {url}", transport_options={})
        finally:
            client.flushdb()
    finally:
        client.close()


def _course():
    """A course whose live revision gives certificates: the one the import stage left, or the
    tests' demo course."""
    from courses.models import Course

    course = Course.objects.filter(live_revision__certificate__enabled=True).first()
    if course is not None:
        return course
    from bench.importing import import_once
    from tests.gitrepo import make_repo

    repo = make_repo(Path(os.environ["VAR_DIR"]).parent / "certificate-course")
    import_once(str(repo.path))
    return Course.objects.get(slug="demo")


def _completions(course, count: int, offset: int) -> list[int]:
    """``count`` learners who completed ``course``, each with a pending certificate (what
    `certificate_request` creates); the certificates' ids in creation order."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from courses.models import Certificate, Enrollment
    from lms.models import User

    password = make_password(None)
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"bench-learner-{offset + n}@example.org",
                name=f"Learner {offset + n} Бенчмарков",
                language=LANGUAGES[(offset + n) % len(LANGUAGES)],
                password=password,
            )
            for n in range(count)
        )
        enrollments = Enrollment.objects.bulk_create(
            Enrollment(user=user, course=course, completed_at=now) for user in users
        )
        certificates = Certificate.objects.bulk_create(
            Certificate(enrollment=enrollment, user=user, course=course, language=user.language)
            for user, enrollment in zip(users, enrollments, strict=True)
        )
    return [certificate.pk for certificate in certificates]


def _worker_env(broker: Broker, signing_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "CERTIFICATE_SIGNING_KEY": signing_key,
        "SITE_URL": SITE_URL,
        "CELERY_BROKER_URL": broker.url,
        "CELERY_RESULT_BACKEND": broker.backend,
        "EMAIL_URL": "dummymail://",  # the certificate emails are rendered, not sent
        "PYTHONUNBUFFERED": "1",
    }


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: the running task finishes
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own process group, started below
        process.wait(timeout=10)


@contextmanager
def _workers(root: Path, env: dict[str, str]) -> Iterator[list[subprocess.Popen]]:
    """Two `celery -A lms worker --concurrency 1` processes, ready (each has recorded its
    heartbeat in the database); stopped on exit however the block ends."""
    from lms.models import WorkerHeartbeat

    tag = f"bench-cert-{os.getpid()}"
    processes: list[subprocess.Popen] = []
    logs = [root / f"certificate-worker-{n}.log" for n in range(1, WORKERS + 1)]
    try:
        for n, log in enumerate(logs, start=1):
            command = [
                sys.executable, "-m", "celery", "-A", "lms", "worker",
                "--concurrency", "1", "--pool", "prefork", "--loglevel", "WARNING",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", f"{tag}-{n}@%h",
            ]  # fmt: skip
            with log.open("wb") as output:
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=BASE_DIR,
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        deadline = time.monotonic() + START_TIMEOUT
        while WorkerHeartbeat.objects.filter(hostname__startswith=tag).count() < WORKERS:
            for process, log in zip(processes, logs, strict=True):
                if process.poll() is not None:
                    raise BenchFailed(f"a worker exited ({process.returncode}):\n"
                                      f"{log.read_text(errors='replace')[-3000:]}")  # fmt: skip
            if time.monotonic() > deadline:
                raise BenchFailed(f"the workers were not ready in {START_TIMEOUT:.0f} s")
            time.sleep(0.2)
        yield processes
    finally:
        for process in processes:
            _stop(process)


def _sender(broker: Broker):
    from celery import Celery

    return Celery(
        "bench-certificates",
        broker=broker.url,
        broker_transport_options=broker.transport_options,
        task_serializer="json",
    )


@dataclass(frozen=True)
class Throughput:
    seconds: float  # first task sent to the last certificate seen issued (or the window's end)
    enqueue_seconds: float
    issued: int
    failed: int
    complete: bool  # every certificate of the cohort was issued (or failed) within the window
    worker_cpu: float  # seconds of CPU the two workers used meanwhile
    database_cpu: float  # seconds of CPU their PostgreSQL sessions used (0 if not measurable)
    database_sessions: int  # how many sessions they opened (0 if not measurable)
    machine_busy: float  # share of the machine's CPU in use meanwhile, whoever used it
    machine_cpu: float  # seconds of CPU the whole machine used meanwhile

    @property
    def rate(self) -> float:
        return self.issued / self.seconds


def _issue_through_workers(root: Path, broker: Broker, env: dict[str, str], ids: list[int]):
    from django.db.models import Count

    from courses.models import Certificate

    cohort = Certificate.objects.filter(pk__in=ids)
    sender = _sender(broker)
    try:
        with _workers(root, env) as processes:
            groups = {process.pid for process in processes}
            cpu_before, (busy_before, total_before) = cpu.cpu_seconds(groups), cpu.machine_busy()
            started = time.perf_counter()
            with sender.connection_for_write() as connection:
                producer = connection.Producer()
                for pk in ids:
                    sender.send_task("courses.certificate_issue", args=[pk], producer=producer)
            enqueued = time.perf_counter() - started
            sessions: dict[int, float] = {}  # database session -> its CPU seconds when last seen
            while True:
                cpu.sessions_seen(sessions)
                counts = dict(
                    cohort.exclude(status=Certificate.Status.PENDING)
                    .values_list("status")
                    .annotate(n=Count("pk"))
                )
                now = time.perf_counter()
                issued = counts.get(Certificate.Status.ISSUED, 0)
                failed = counts.get(Certificate.Status.FAILED, 0)
                complete = issued + failed >= len(ids)
                if complete or now - started > WINDOW:
                    break
                if any(process.poll() is not None for process in processes):
                    raise BenchFailed(f"a worker exited; logs in {root}")
                time.sleep(POLL)
            worker_cpu = cpu.cpu_seconds(groups) - cpu_before
            busy, total = cpu.machine_busy()
            # The workers' pool processes open their sessions after the clock started (the
            # parents closed theirs when ready), so a session's whole CPU counts.
            cpu.sessions_seen(sessions)
    finally:
        sender.close()
    if failed:
        error = cohort.filter(status=Certificate.Status.FAILED).first().last_error
        print(f"{failed} certificate(s) failed; first error: {error[:300]}")
    if not complete:
        print(
            f"stopped after the {WINDOW:.0f} s window: {issued:,} of {len(ids):,} issued; the "
            "rate below is over the window"
        )
    return Throughput(
        seconds=now - started,
        enqueue_seconds=enqueued,
        issued=issued,
        failed=failed,
        complete=complete,
        worker_cpu=worker_cpu,
        database_cpu=sum(sessions.values()),
        database_sessions=len(sessions),
        machine_busy=(busy - busy_before) / (total - total_before) if total > total_before else 0,
        machine_cpu=(busy - busy_before) / os.sysconf("SC_CLK_TCK"),
    )


@dataclass(frozen=True)
class Cost:
    wall_ms: float
    cpu_ms: float


@dataclass(frozen=True)
class CostSplit:
    whole: Cost
    pdf: Cost
    signing: Cost
    database: Cost  # the rest of each call: its queries and the waits for them


def _timed(function, into: list[tuple[float, float]]):
    """``function``, recording (wall, CPU) seconds of each call into ``into``."""

    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            into.append((time.perf_counter() - wall, time.process_time() - cpu))

    return timed


def _median(values: list[tuple[float, float]]) -> Cost:
    return Cost(*(1000 * statistics.median(value[i] for value in values) for i in (0, 1)))


def _cost_split(ids: list[int]) -> CostSplit:
    """Median milliseconds, wall-clock and CPU, of `certificate_issue` and of its PDF and
    signing parts, timed inside the same calls in this process; the rest of each call is the
    database work. The email hand-off after commit is left out (a broker send, not issuing)."""
    from courses.services import certificates as service
    from courses.services import signing

    warm, timed = ids[:WARM_UP], ids[WARM_UP:]
    whole: list[tuple[float, float]] = []
    pdf: list[tuple[float, float]] = []
    sign: list[tuple[float, float]] = []
    with (
        mock.patch.object(service, "_email_learner", lambda certificate_id: None),
        mock.patch.object(signing, "certificate_pdf", _timed(signing.certificate_pdf, pdf)),
        mock.patch.object(
            signing, "certificate_credential", _timed(signing.certificate_credential, sign)
        ),
    ):
        for pk in warm:
            service.certificate_issue(certificate_id=pk)
        del pdf[:], sign[:]
        for pk in timed:
            _timed(service.certificate_issue, whole)(certificate_id=pk)
    if not len(whole) == len(pdf) == len(sign):
        raise BenchFailed("some certificates were not built once each while timed")
    rest = [
        tuple(w[i] - p[i] - s[i] for i in (0, 1)) for w, p, s in zip(whole, pdf, sign, strict=True)
    ]
    return CostSplit(_median(whole), _median(pdf), _median(sign), _median(rest))


def _exactly_once() -> tuple[float, str]:
    """Per cent of completions with exactly one certificate, issued at the first attempt; a
    certificate no worker reached within the window is left out."""
    from courses.models import Certificate, Enrollment

    completions = Enrollment.objects.filter(completed_at__isnull=False).count()
    certificates = Certificate.objects.count()
    unreached = Certificate.objects.filter(status=Certificate.Status.PENDING, attempts=0).count()
    good = Certificate.objects.filter(status=Certificate.Status.ISSUED, attempts=1).count()
    checked = completions - unreached
    text = f"{good:,} of {checked:,} completions issued once"
    if unreached:
        text += f" ({unreached:,} not reached)"
    if certificates != completions:
        text += f"; but {certificates:,} certificates for {completions:,} completions"
    if certificates != completions or not checked:
        return 0.0, text
    return 100.0 * good / checked, text


def run(root: Path) -> list[Row]:
    from django.db import connection
    from django.test import override_settings

    from courses.credentials import keys

    heading(f"Certificates: {COHORT:,} completions issued by {WORKERS} worker processes")
    signing_key = keys.private_key_multibase(keys.generate_private_key())
    course = _course()
    if connection.vendor == "sqlite":
        print("note: SQLite; the workers take turns at its single write lock (set "
              "DATABASE_URL for PostgreSQL)")  # fmt: skip
    with override_settings(CERTIFICATE_SIGNING_KEY=signing_key, SITE_URL=SITE_URL):
        with _broker(root) as broker:
            ids = _completions(course, COHORT, offset=0)
            sample = _completions(course, WARM_UP + SAMPLE, offset=COHORT)
            print(f"course {course.slug}; broker: {broker.label}; database: {connection.vendor}")
            result = _issue_through_workers(root, broker, _worker_env(broker, signing_key), ids)
        split = _cost_split(sample)
    share, once = _exactly_once()

    done = result.issued + result.failed
    print(
        f"issued {result.issued:,} of {COHORT:,} in {result.seconds:.2f} s "
        f"({result.enqueue_seconds:.2f} s to send the tasks): {result.rate:.1f} certificates/s"
    )
    issuing_cpu = (result.worker_cpu + result.database_cpu) / done if done else 0.0
    others = max(0.0, result.machine_cpu - result.worker_cpu - result.database_cpu)
    if done:
        sessions = (
            f", their PostgreSQL sessions {1000 * result.database_cpu / done:.1f} ms"
            if result.database_cpu
            else ""
        )
        if result.database_sessions > 2 * WORKERS:
            sessions += (
                f" (counted only while seen: they opened {result.database_sessions:,} sessions, "
                "as Celery's Django fix-up closes the connection around every task)"
            )
        print(
            f"the workers used {1000 * result.worker_cpu / done:.1f} ms of CPU per certificate "
            f"(the issue task and its email task){sessions}; the machine's CPU was "
            f"{result.machine_busy:.0%} busy meanwhile ({os.cpu_count()} cores, every process), "
            f"{others / result.machine_cpu if result.machine_cpu else 0:.0%} of that by other "
            "processes (Redis, this benchmark, anything else running)"
        )
    budget = 1000 * WORKERS / TARGET.limit
    print(
        f"one certificate in this process (median of {SAMPLE}): {split.whole.wall_ms:.1f} ms "
        f"(CPU {split.whole.cpu_ms:.1f} ms); {WORKERS} workers at {TARGET} allow "
        f"{budget:.1f} ms each"
    )
    parts = [("PDF", split.pdf), ("signing", split.signing), ("database", split.database)]
    for label, cost in parts:
        print(f"  {label:<9} {cost.wall_ms:7.1f} ms  {cost.wall_ms / split.whole.wall_ms:5.0%}"
              f"   CPU {cost.cpu_ms:5.1f} ms")  # fmt: skip
    print(f"exactly once: {once}")
    window = "" if result.complete else f", {WINDOW:.0f} s window"
    rows = [
        Row("certificates", f"{COHORT:,} issued by {WORKERS} workers",
            f"{result.rate:.1f} cert/s, {result.issued:,} in {result.seconds:.1f} s{window}",
            target=TARGET, checked=result.rate),
        *(Row("certificates", f"{label} per certificate",
              f"{cost.wall_ms:.1f} ms ({cost.wall_ms / split.whole.wall_ms:.0%}), "
              f"CPU {cost.cpu_ms:.1f} ms") for label, cost in parts),
        Row("certificates", "exactly once", once, target=EXACTLY_ONCE, checked=share),
    ]  # fmt: skip
    print(rows[0].target_line())
    if rows[0].verdict == "MISSED":
        name, cost = max(parts, key=lambda part: part[1].wall_ms)
        print(
            f"missed by {TARGET.limit - result.rate:.1f} cert/s "
            f"({result.rate / TARGET.limit:.0%} of the target); the largest part is {name}, "
            f"{cost.wall_ms:.1f} of {split.whole.wall_ms:.1f} ms per certificate"
        )
        if issuing_cpu and others:
            cores = os.cpu_count() or 1
            print(
                f"issuing itself used {1000 * issuing_cpu:.1f} ms of CPU per certificate "
                f"(workers and their database sessions): {cores} cores to itself would allow "
                f"about {cores / issuing_cpu:.0f}/s; other processes used "
                f"{others / result.seconds:.1f} of the {cores} cores meanwhile"
            )
        if done and result.machine_busy < 0.6:
            ceiling = WORKERS * done / result.worker_cpu if result.worker_cpu else 0
            print(
                f"but the machine was only {result.machine_busy:.0%} busy: the workers waited "
                f"(for the broker or a lock), and their CPU alone would allow {ceiling:.0f}/s"
            )
    return rows
