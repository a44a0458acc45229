"""The cohort dashboard of 1,000 members, as a ratio of the static baseline page.

A cohort of the generated 100-lesson course gets 1,000 members, each with some progress (a
few lessons read, half of them with a quiz score), so every column of the table and both
charts have data; its instructor's logged-in requests are measured against /en/about/ in
the same run, with baseline runs before and after.
"""

from __future__ import annotations

from pathlib import Path

from bench import coursegen, load
from bench.report import Row, heading
from bench.server import Server, fetch

MEMBERS = 1_000
BASELINE = "/en/about/"
BASELINE_SECONDS = 3.0


def cohort_create() -> tuple[int, object]:
    """The cohort with its members and progress, in bulk; returns (cohort id, instructor)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from courses.models import (
        Cohort,
        CohortMembership,
        Course,
        Enrollment,
        Item,
        ItemProgress,
        ItemType,
        Organization,
    )
    from lms.models import User

    course = Course.objects.get(slug=coursegen.SLUG)
    items = list(Item.objects.filter(course=course).order_by("pk"))
    lessons = [i for i in items if i.type == ItemType.LESSON]
    quizzes = [i for i in items if i.type == ItemType.QUIZ]
    now = timezone.now()
    with transaction.atomic():
        university = Organization.objects.create(slug="bench-u", names={"en": "Bench University"})
        cohort = Cohort.objects.create(organization=university, course=course, name="Bench",
                                       language="en", starts_on=timezone.localdate())  # fmt: skip
        instructor = User.objects.create_user(email="instructor@bench.example.org", password=None)
        cohort.instructors.add(instructor)
        password = make_password(None)
        users = User.objects.bulk_create(
            [User(email=f"member{n}@bench.example.org", name=f"Member {n:04d}", password=password)
             for n in range(MEMBERS)]
        )  # fmt: skip
        enrollments = Enrollment.objects.bulk_create(
            [Enrollment(user=u, course=course, last_activity_at=now) for u in users]
        )
        CohortMembership.objects.bulk_create(
            [CohortMembership(cohort=cohort, user=e.user, enrollment=e, via="upload")
             for e in enrollments]
        )  # fmt: skip
        progress = []
        for n, enrollment in enumerate(enrollments):
            for lesson in lessons[: n % 12]:
                progress.append(ItemProgress(enrollment=enrollment, item=lesson, completed_at=now))
            if n % 2 and quizzes:
                progress.append(ItemProgress(enrollment=enrollment, item=quizzes[0],
                                             best_score=n % 101, attempt_count=1,
                                             passed=n % 101 >= 70))  # fmt: skip
        ItemProgress.objects.bulk_create(progress, batch_size=5_000)
    return cohort.pk, instructor


def run(server: Server, work: Path) -> list[Row]:
    from bench.pages import _session_cookie

    heading(f"Cohort dashboard: {MEMBERS:,} members of the 100-lesson course, instructor's view")
    cohort_id, instructor = cohort_create()
    page = load.Load(f"/en/cohorts/{cohort_id}/", headers={"Cookie": _session_cookie(instructor)})
    response = fetch(server.port, page.path, headers=page.headers)
    if response.status != 200:
        raise RuntimeError(f"cohort dashboard answered {response.status}, not 200")
    before = load.measure(load.Load(BASELINE), server.port, work=work, seconds=BASELINE_SECONDS)
    result = load.measure(page, server.port, work=work)
    after = load.run(load.Load(BASELINE), server.port, work=work, seconds=BASELINE_SECONDS)
    baseline = (before.rps + after.rps) / 2
    ratio = result.rps / baseline
    print(f"  baseline {BASELINE:<18} {baseline:8.1f} req/s (p50 {before.p50_ms or 0:.1f} ms)")
    errors = f", {result.errors} errors" if result.errors else ""
    print(f"  cohort dashboard          {result.rps:8.1f} req/s (p50 {result.p50_ms or 0:.1f} ms"
          f", p99 {result.p99_ms or 0:.1f} ms){errors}")  # fmt: skip
    print(f"  {ratio:.3f}× baseline: one render of the {MEMBERS:,}-member table costs about "
          f"{baseline / result.rps if result.rps else 0:.0f} baseline pages")  # fmt: skip
    return [Row("cohorts", f"dashboard, {MEMBERS:,} members", f"{result.rps:.1f} req/s", ratio)]
