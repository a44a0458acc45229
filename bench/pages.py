"""Requests per second of the main pages under gunicorn, as ratios of a static page.

The baseline, /en/about/, renders the base layout and touches no database. It runs before
the first page, between pages and after the last, and each page is compared with the mean
of the baseline runs on either side of it, so the drift of a shared machine touches both.
Lessons of the 100-lesson course are measured, and, to separate the cost of a page from the
cost of its outline, a lesson of a 3-item course. The baseline page read by the signed-in
learner shows what being signed in costs every page (session, user, account menu) before
the page does anything of its own. Quiz submissions are rate limited (10 a minute per
learner), so they rotate over QUIZ_LEARNERS learners' API tokens: a run may make 10 times
that many before the limit answers 429, and any 429 is reported as an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench import coursegen, load
from bench.importing import import_once
from bench.report import Row, Target, heading
from bench.server import WORKERS, Server, fetch

BASELINE = "/en/about/"
LESSON = coursegen.lesson_id(10)
BASELINE_SECONDS = 3.0
QUIZ = "quiz submission (API)"
SMALL_COURSE_LESSON = "/en/courses/demo/what-is/"  # tests/content/helpers.py: 3 items
COMPLETED_LESSONS = 5
QUIZ_WARMUP_LEARNERS = 100
QUIZ_LEARNERS = 400
RATE_LIMIT = 10  # quiz submissions a minute per learner (courses.api)
PAGE_TARGET = Target("≥", 0.6)
TARGETED = ("lesson, anonymous", "lesson, logged in", "course, logged in")


@dataclass(frozen=True)
class Learners:
    cookie: str  # "sessionid=..." of the learner who reads the pages
    token: str  # that learner's API token
    warmup_tokens: tuple[str, ...]
    tokens: tuple[str, ...]


def _learner(email: str):
    from allauth.account.models import EmailAddress

    from courses.models import Course
    from courses.services.learning import enrollment_create
    from lms.models import User

    user = User.objects.create_user(email=email, password=None, name="Bench Learner")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    enrollment, _ = enrollment_create(user=user, course=Course.objects.get(slug=coursegen.SLUG))
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


def learners_create() -> Learners:
    """The reader (enrolled, a few lessons done, logged in) and the quiz learners' tokens."""
    from django.db import transaction

    from courses.models import Item
    from courses.services.learning import lesson_complete
    from lms.services import api_token_create

    with transaction.atomic():
        user, enrollment = _learner("reader@bench.example.org")
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
    )


def small_course_import(root: Path) -> None:
    """The test suite's 3-item demo course: a lesson page whose outline costs next to nothing,
    to tell the cost of a page from the cost of a long outline."""
    from tests.gitrepo import make_repo

    import_once(str(make_repo(root / "demo-repo").path))


def _loads(learners: Learners) -> dict[str, load.Load]:
    course = f"/en/courses/{coursegen.SLUG}/"
    cookie = {"Cookie": learners.cookie}
    return {
        "lesson, anonymous": load.Load(f"{course}{LESSON}/"),
        "lesson, 3-item course": load.Load(SMALL_COURSE_LESSON),
        "about, logged in": load.Load(BASELINE, headers=cookie),
        "lesson, logged in": load.Load(f"{course}{LESSON}/", headers=cookie),
        "course, logged in": load.Load(course, headers=cookie),
        "dashboard, logged in": load.Load("/en/dashboard/", headers=cookie),
    }


def _quiz_load(tokens: tuple[str, ...]) -> load.Load:
    return load.Load(
        f"/api/v1/courses/{coursegen.SLUG}/items/{coursegen.QUIZ_ID}/attempts?lang=en",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"answers": coursegen.QUIZ_ANSWERS}).encode(),
        rotate=("Authorization", tuple(f"Bearer {token}" for token in tokens)),
    )


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
    return f"{name:<26} {result.rps:8.1f} req/s  {latency}{errors}"


def run(server: Server, work: Path) -> list[Row]:
    heading(
        f"Pages: gunicorn ({WORKERS} sync workers), {load.tool()} with {load.CONNECTIONS} "
        f"connections; {load.WARMUP:g} s warm-up, then {load.DURATION:g} s a page and "
        f"{BASELINE_SECONDS:g} s for the baseline between pages"
    )
    learners = learners_create()
    small_course_import(work)
    specs = _loads(learners)
    for name, spec in specs.items():
        _check(server, name, spec, 200)
    _check(server, "quiz submission", _quiz_load((learners.token,)), 201)
    specs[QUIZ] = _quiz_load(learners.tokens)
    warmups = {QUIZ: _quiz_load(learners.warmup_tokens)}

    def baseline_run() -> load.Result:
        result = load.measure(load.Load(BASELINE), server.port, work=work, seconds=BASELINE_SECONDS)
        print(_line(f"  baseline {BASELINE}", result), flush=True)
        return result

    baselines = [baseline_run()]
    results: dict[str, load.Result] = {}
    for name, spec in specs.items():
        results[name] = load.measure(spec, server.port, work=work, warmup=warmups.get(name))
        print(_line(name, results[name]), flush=True)
        baselines.append(baseline_run())

    rates = [b.rps for b in baselines]
    baseline = sum(rates) / len(rates)
    print(
        f"\nbaseline: {baseline:.1f} req/s on average, {min(rates):.0f} to {max(rates):.0f}; "
        "each page is compared with the mean of the baseline runs just before and after it"
    )
    quiz = results[QUIZ]
    capacity = RATE_LIMIT * len(learners.tokens)
    print(
        f"quiz: {len(learners.tokens)} learners' tokens in rotation allow {capacity} submissions "
        f"in the run under the {RATE_LIMIT}/min limit; {quiz.requests} were made"
    )
    if quiz.errors:
        print(f"quiz: {quiz.errors} submissions failed (429: the pool of learners is too small)")
    rows = [Row("pages", f"baseline {BASELINE}", f"{baseline:.0f} req/s", ratio=1.0)]
    for index, (name, result) in enumerate(results.items()):
        neighbours = (rates[index] + rates[index + 1]) / 2
        target = PAGE_TARGET if name in TARGETED else None
        row = Row("pages", name, f"{result.rps:.0f} req/s", result.rps / neighbours, target)
        print(f"{name:<26} {row.ratio:5.2f}× baseline  {row.target_line()}")
        rows.append(row)
    return rows
