"""The cohort dashboard of 1,000 members, as a ratio of the static baseline page.

A cohort of the generated 100-lesson course gets 1,000 members, each with some progress (a
few lessons read, half of them with a quiz score), so every column of the table and both
charts have data; its instructor's logged-in requests are measured against /en/about/ in
the same run, as the pages stage measures pages (bench/pages.py: rounds between baseline
runs), sorted by name (the first page) and by progress (a later page). Target: 0.2×.
"""

from __future__ import annotations

from pathlib import Path

from bench import coursegen, load
from bench.report import Row, Target, heading
from bench.server import Server

MEMBERS = 1_000
TARGET = Target("≥", 0.2)


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
    from bench import pages

    heading(f"Cohort dashboard: {MEMBERS:,} members of the 100-lesson course, instructor's view")
    cohort_id, instructor = cohort_create()
    cookie = {"Cookie": pages._session_cookie(instructor)}
    found = {
        f"dashboard, {MEMBERS:,} members": pages.Page(
            load.Load(f"/en/cohorts/{cohort_id}/", headers=cookie), target=TARGET
        ),
        "dashboard, sorted by progress": pages.Page(
            load.Load(f"/en/cohorts/{cohort_id}/?sort=-progress&page=3", headers=cookie),
            target=TARGET,
        ),
    }
    measured = pages.measure(server, work, found)
    for name, result in measured.results.items():
        pages_worth = measured.baseline / result.rps if result.rps else 0
        print(f"  {name}: {measured.ratios[name]:.3f}× baseline: one render costs about "
              f"{pages_worth:.0f} baseline pages")  # fmt: skip
    return pages.rows_of("cohorts", found, measured)[1:]
