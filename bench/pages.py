"""Requests per second of every learner page under gunicorn, as ratios of a static page.

The baseline, /en/about/, renders the base layout and touches no database. It runs before
the first page, between pages and after the last, and each page is compared with the mean
of the baseline runs on either side of it, so the drift of a shared machine touches both.
Every learner page is measured, anonymous and logged in where both exist: home, catalogue
(also with a search query), course, lesson, quiz, glossary (a course's term and list, and
the site-wide index when the site has one), dashboard and a certificate's verify page; each
targets at least PAGE_TARGET of the baseline. Lessons of the 100-lesson course are measured,
and, to separate the cost of a page from the cost of its outline, a lesson of a 3-item
course. The baseline page read by the signed-in learner shows what being signed in costs
every page (session, user, account menu) before the page does anything of its own. Quiz
submissions are rate limited (10 a minute per learner), so they rotate over QUIZ_LEARNERS
learners' API tokens: a run may make 10 times that many before the limit answers 429, and
any 429 is reported as an error.

`measure` is reused by the data-growth stage (bench/growth.py), which runs the same pages
again once the database holds 120,000 learners.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench import coursegen, cpu, load
from bench.importing import import_once
from bench.report import Row, Target, heading
from bench.server import WORKERS, Server, fetch

BASELINE = "/en/about/"
LESSON = coursegen.lesson_id(10)
ROUNDS = 3  # a page and the baseline take turns, ROUNDS times each page
ROUND_SECONDS = 2  # whole seconds: wrk takes no fractions
QUIZ = "quiz submission (API)"
SMALL_COURSE = "/en/courses/demo/"  # tests/content/helpers.py: 3 items and a glossary
SMALL_COURSE_LESSON = f"{SMALL_COURSE}what-is/"
GLOSSARY_TERM = "hash"
SEARCH = "blockchain"  # a word of the generated course's title and text in English
COMPLETED_LESSONS = 5
QUIZ_WARMUP_LEARNERS = 100
QUIZ_LEARNERS = 400
RATE_LIMIT = 10  # quiz submissions a minute per learner (courses.api)
PAGE_TARGET = Target("≥", 0.6)


@dataclass(frozen=True)
class Learners:
    cookie: str  # "sessionid=..." of the learner who reads the pages
    token: str  # that learner's API token
    warmup_tokens: tuple[str, ...]
    tokens: tuple[str, ...]
    certificate: str = ""  # public id of an issued certificate (of another learner)


@dataclass(frozen=True)
class Page:
    load: load.Load
    target: Target | None = PAGE_TARGET  # a learner page is held to PAGE_TARGET
    warmup: load.Load | None = None
    status: int = 200


@dataclass
class Measured:
    """Pages measured in one run, each in rounds with the baseline runs on either side."""

    results: dict[str, load.Result] = field(default_factory=dict)  # the page's rounds summed
    ratios: dict[str, float] = field(default_factory=dict)  # median of the rounds' ratios
    spreads: dict[str, tuple[float, float]] = field(default_factory=dict)  # rounds' min, max
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per request (see _Cpu)
    baselines: list[float] = field(default_factory=list)  # req/s of each baseline run
    baseline_cpu_ms: list[float] = field(default_factory=list)

    @property
    def baseline(self) -> float:
        return sum(self.baselines) / len(self.baselines)


class _Cpu:
    """CPU seconds used by gunicorn (master and workers) and by the benchmark database's
    PostgreSQL sessions: what a page costs the machine, whatever else runs on it. Sessions
    are followed by process id, so one that closes between two readings counts for nothing."""

    def __init__(self, server: Server) -> None:
        self.group = {server.pid} if server.pid else set()
        self.database = server.database
        self.seen: dict[int, float] = {}

    def __call__(self) -> float:
        sessions: dict[int, float] = {}
        cpu.sessions_seen(sessions, self.database)
        spent = sum(now - self.seen.get(pid, 0.0) for pid, now in sessions.items())
        self.seen.update(sessions)
        return cpu.cpu_seconds(self.group) + spent


def _learner(email: str, slug: str = coursegen.SLUG):
    from allauth.account.models import EmailAddress

    from courses.models import Course
    from courses.services.learning import enrollment_create
    from lms.models import User

    user = User.objects.create_user(email=email, password=None, name="Bench Learner")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    enrollment, _ = enrollment_create(user=user, course=Course.objects.get(slug=slug))
    return user, enrollment


def _session_cookie(user) -> str:
    """A logged-in session, stored as a login stores it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def certificate_issued() -> str:
    """An issued certificate of the 3-item course (its learner completed it), signed with the
    site's key as a worker signs it; its public id."""
    from django.conf import settings
    from django.utils import timezone

    from courses.credentials import keys
    from courses.models import Certificate, Enrollment
    from courses.services.certificates import certificate_issue

    key = Path(settings.CERTIFICATE_SIGNING_KEY)  # under VAR_DIR, which gunicorn shares
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(keys.private_key_pem(keys.generate_private_key()))
    user, enrollment = _learner("verified@bench.example.org", slug="demo")
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    certificate = Certificate.objects.create(
        enrollment=enrollment, user=user, course=enrollment.course, language="en"
    )
    certificate_issue(certificate_id=certificate.pk)
    return str(certificate.public_id)


def learners_create() -> Learners:
    """The reader (enrolled in both courses, a few lessons done, logged in), an issued
    certificate, and the quiz learners' tokens. Needs the 3-item course (small_course_import)."""
    from django.db import transaction

    from courses.models import Course, Item
    from courses.services.learning import enrollment_create, lesson_complete
    from lms.services import api_token_create

    with transaction.atomic():
        user, enrollment = _learner("reader@bench.example.org")
        enrollment_create(user=user, course=Course.objects.get(slug="demo"))
        for number in range(1, COMPLETED_LESSONS + 1):
            item = Item.objects.get(course=enrollment.course, key=coursegen.lesson_id(number))
            lesson_complete(enrollment=enrollment, item=item)
        _, token = api_token_create(user=user, name="bench")
        tokens = []
        for index in range(QUIZ_WARMUP_LEARNERS + QUIZ_LEARNERS):
            quiz_user, _ = _learner(f"quiz-{index}@bench.example.org")
            tokens.append(api_token_create(user=quiz_user, name="bench")[1])
    return Learners(
        cookie=_session_cookie(user),
        token=token,
        warmup_tokens=tuple(tokens[:QUIZ_WARMUP_LEARNERS]),
        tokens=tuple(tokens[QUIZ_WARMUP_LEARNERS:]),
        certificate=certificate_issued(),
    )


def small_course_import(root: Path) -> None:
    """The test suite's 3-item demo course: a lesson page whose outline costs next to nothing,
    to tell the cost of a page from the cost of a long outline; its glossary too."""
    from tests.gitrepo import make_repo

    import_once(str(make_repo(root / "demo-repo").path))


def _site_glossary() -> str | None:
    """The site-wide glossary's address, when the site has one."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    try:
        with translation.override("en"):
            return reverse("courses:glossary-index")
    except NoReverseMatch:
        return None


def _quiz_load(tokens: tuple[str, ...]) -> load.Load:
    return load.Load(
        f"/api/v1/courses/{coursegen.SLUG}/items/{coursegen.QUIZ_ID}/attempts?lang=en",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"answers": coursegen.QUIZ_ANSWERS}).encode(),
        rotate=("Authorization", tuple(f"Bearer {token}" for token in tokens)),
    )


def pages(learners: Learners, *, quiz_api: bool = True) -> dict[str, Page]:
    """Every learner page, anonymous and logged in where both exist."""
    course = f"/en/courses/{coursegen.SLUG}/"
    cookie = {"Cookie": learners.cookie}

    def both(name: str, path: str) -> dict[str, Page]:
        return {
            f"{name}, anonymous": Page(load.Load(path)),
            f"{name}, logged in": Page(load.Load(path, headers=cookie)),
        }

    found: dict[str, Page] = {
        "about, logged in": Page(load.Load(BASELINE, headers=cookie), target=None),
        **both("home", "/en/"),
        **both("catalogue", "/en/courses/"),
        **both("catalogue search", f"/en/courses/?q={SEARCH}"),
        **both("course", course),
        **both("lesson", f"{course}{LESSON}/"),
        "lesson, 3-item course": Page(load.Load(SMALL_COURSE_LESSON), target=None),
        **both("quiz", f"{course}{coursegen.QUIZ_ID}/"),
        "glossary term, anonymous": Page(load.Load(f"{SMALL_COURSE}glossary/{GLOSSARY_TERM}/")),
        "glossary list, anonymous": Page(load.Load(f"{SMALL_COURSE}glossary/")),
    }
    site_glossary = _site_glossary()
    if site_glossary:
        found.update(both("glossary index", site_glossary))
    found["dashboard, logged in"] = Page(load.Load("/en/dashboard/", headers=cookie))
    if learners.certificate:
        found.update(both("verify", f"/en/verify/{learners.certificate}/"))
    if quiz_api:
        found[QUIZ] = Page(
            _quiz_load(learners.tokens), target=None,
            warmup=_quiz_load(learners.warmup_tokens), status=201,
        )  # fmt: skip
    return found


def _check(server: Server, name: str, spec: load.Load, expected: int) -> None:
    """One request before the load: the page answers as a learner would see it (a session
    that did not log in would be redirected, and wrk counts a redirect as a success)."""
    headers = dict(spec.headers)
    if spec.rotate:
        headers[spec.rotate[0]] = spec.rotate[1][0]
    response = fetch(server.port, spec.path, method=spec.method, headers=headers, body=spec.body)
    if response.status != expected:
        raise RuntimeError(f"{name}: {spec.path} answered {response.status}, not {expected}")


def _line(name: str, result: load.Result) -> str:
    latency = f"p50 {result.p50_ms or 0:6.1f} ms  p99 {result.p99_ms or 0:6.1f} ms"
    errors = f"  {result.errors} errors" if result.errors else ""
    return f"{name:<30} {result.rps:8.1f} req/s  {latency}{errors}"


def _timed(spec: load.Load, server: Server, work: Path, used: _Cpu) -> tuple[load.Result, float]:
    """One run, and the CPU milliseconds it cost per request."""
    before = used()
    result = load.run(spec, server.port, seconds=ROUND_SECONDS, work=work)
    return result, 1000 * (used() - before) / max(result.requests, 1)


def _summed(results: list[load.Result]) -> load.Result:
    latencies = [r.p50_ms for r in results if r.p50_ms is not None]
    tails = [r.p99_ms for r in results if r.p99_ms is not None]
    return load.Result(
        requests=sum(r.requests for r in results),
        seconds=sum(r.seconds for r in results),
        errors=sum(r.errors for r in results),
        p50_ms=statistics.median(latencies) if latencies else None,
        p99_ms=max(tails) if tails else None,
    )


def measure(server: Server, work: Path, found: dict[str, Page]) -> Measured:
    """Each page in turn: a warm-up, then ROUNDS runs of the page, each between two runs of
    the baseline; the page's ratio is the median of its rounds' ratios."""
    return measure_side_by_side([server], work, found)[0]


def measure_side_by_side(servers: list[Server], work: Path, found: dict[str, Page], *,
                         rounds: int = ROUNDS) -> list[Measured]:  # fmt: skip
    """`measure` on each of ``servers`` (``rounds`` rounds of each page), taking turns round
    by round: each page's rounds on the servers run within seconds of each other, so a
    change of the machine's load between them counts the same for each. The order of the
    servers turns round every round (A B, B A, …), so neither is always measured first."""
    for server in servers:
        for name, page in found.items():
            if page.load.rotate is None:
                _check(server, name, page.load, page.status)
    used = [_Cpu(server) for server in servers]
    baseline = load.Load(BASELINE)
    measured = [Measured() for _server in servers]

    def baseline_run(side: int) -> float:
        result, cpu_ms = _timed(baseline, servers[side], work, used[side])
        measured[side].baselines.append(result.rps)
        measured[side].baseline_cpu_ms.append(cpu_ms)
        return result.rps

    before = []
    for side, server in enumerate(servers):
        load.run(baseline, server.port, seconds=load.WARMUP, work=work)
        before.append(baseline_run(side))
    for name, page in found.items():
        for server in servers:
            load.run(page.warmup or page.load, server.port, seconds=load.WARMUP, work=work)
        ratios: list[list[float]] = [[] for _server in servers]
        results: list[list[load.Result]] = [[] for _server in servers]
        costs: list[list[float]] = [[] for _server in servers]
        for round_ in range(rounds):
            order = list(enumerate(servers))
            for side, server in order if round_ % 2 == 0 else reversed(order):
                result, cpu_ms = _timed(page.load, server, work, used[side])
                after = baseline_run(side)
                ratios[side].append(result.rps / ((before[side] + after) / 2))
                results[side].append(result)
                costs[side].append(cpu_ms)
                before[side] = after
        for side, server in enumerate(servers):
            found_side = measured[side]
            found_side.results[name] = _summed(results[side])
            found_side.ratios[name] = statistics.median(ratios[side])
            found_side.spreads[name] = (min(ratios[side]), max(ratios[side]))
            found_side.cpu_ms[name] = statistics.median(costs[side])
            label = f"{name} [{server.database}]" if server.database else name
            print(f"{_line(label, found_side.results[name])}  {found_side.ratios[name]:5.2f}× "
                  f"({min(ratios[side]):.2f}-{max(ratios[side]):.2f})  "
                  f"CPU {found_side.cpu_ms[name]:5.1f} ms/req", flush=True)  # fmt: skip
    return measured


def rows_of(benchmark: str, found: dict[str, Page], measured: Measured) -> list[Row]:
    rates = measured.baselines
    baseline_cpu = statistics.median(measured.baseline_cpu_ms)
    print(
        f"\nbaseline: {measured.baseline:.1f} req/s on average, {min(rates):.0f} to "
        f"{max(rates):.0f}, CPU {baseline_cpu:.1f} ms/req (gunicorn and PostgreSQL); each "
        "round of a page is compared with the mean of the baseline runs just before and after"
        " it, and the median round counts"
    )
    rows = [Row(benchmark, f"baseline {BASELINE}", f"{measured.baseline:.0f} req/s", ratio=1.0)]
    for name, result in measured.results.items():
        target = found[name].target
        low, high = measured.spreads[name]
        cpu_ratio = baseline_cpu / measured.cpu_ms[name] if measured.cpu_ms[name] else 0.0
        value = f"{result.rps:.0f} req/s ({low:.2f}-{high:.2f}×; CPU {cpu_ratio:.2f}×)"
        row = Row(benchmark, name, value, measured.ratios[name], target)
        print(f"{name:<30} {row.ratio:5.2f}× baseline (rounds {low:.2f}-{high:.2f}×; by CPU "
              f"per request {cpu_ratio:.2f}×)  {row.target_line()}")  # fmt: skip
        rows.append(row)
    return rows


# What the pages stage measured, for the data-growth stage of the same run.
LAST: dict[str, object] = {}


def run(server: Server, work: Path) -> list[Row]:
    heading(
        f"Pages: gunicorn ({WORKERS} sync workers), {load.tool()} with {load.CONNECTIONS} "
        f"connections; each page: {load.WARMUP:g} s warm-up, then {ROUNDS} rounds of "
        f"{ROUND_SECONDS:g} s, each followed by {ROUND_SECONDS:g} s of the baseline"
    )
    small_course_import(work)
    learners = learners_create()
    found = pages(learners)
    _check(server, "quiz submission", _quiz_load((learners.token,)), 201)
    measured = measure(server, work, found)
    LAST.update(learners=learners, measured=measured)
    quiz = measured.results[QUIZ]
    capacity = RATE_LIMIT * len(learners.tokens)
    print(
        f"quiz: {len(learners.tokens)} learners' tokens in rotation allow {capacity} submissions "
        f"in the run under the {RATE_LIMIT}/min limit; {quiz.requests} were made"
    )
    if quiz.errors:
        print(f"quiz: {quiz.errors} submissions failed (429: the pool of learners is too small)")
    return rows_of("pages", found, measured)
