"""The members' table: numbers, filters, sorting, charts, constant queries and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    CohortExport,
    CohortMembership,
    Enrollment,
    Item,
    ItemProgress,
    ItemType,
    Job,
)
from courses.selectors.cohort_reports import cohort_rows, cohort_table
from courses.services.cohorts import cohort_join
from lms.models import User
from tests.cohorts.conftest import HALF_RIGHT, complete_course, days_ago, item
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add_members(cohort, count: int, start: int = 0) -> None:
    """``count`` members in bulk, each with some progress (half have read the first lesson and
    a third passed the quiz), so every column of the table has data."""
    password = UserFactory.build().password
    users = User.objects.bulk_create(
        [User(email=f"bulk{start + n}@example.org", name=f"Bulk {start + n:04d}", language="ky",
              password=password) for n in range(count)]
    )  # fmt: skip
    enrollments = Enrollment.objects.bulk_create(
        [Enrollment(user=u, course=cohort.course, last_activity_at=timezone.now()) for u in users]
    )
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohort, user=e.user, enrollment=e, via="upload")
         for e in enrollments]
    )  # fmt: skip
    lesson, quiz = item(cohort.course, "what-is"), item(cohort.course, "check")
    progress = []
    for n, enrollment in enumerate(enrollments):
        if n % 2 == 0:
            progress.append(ItemProgress(enrollment=enrollment, item=lesson,
                                         completed_at=timezone.now()))  # fmt: skip
        if n % 3 == 0:
            progress.append(ItemProgress(enrollment=enrollment, item=quiz, best_score=40 + n % 60,
                                         attempt_count=1, passed=n % 60 >= 30))  # fmt: skip
    ItemProgress.objects.bulk_create(progress)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_runs_the_same_queries_for_10_and_1000_members(client, cohort, cast):
    client.force_login(cast.instructor)
    url = reverse("cohorts:detail", kwargs={"cohort_id": cohort.pk})
    api = f"/api/v1/cohorts/{cohort.pk}/members?lang=en"
    client.get(url), client.get(api)  # warm the session and caches (each language's outline)
    add_members(cohort, 9)  # and the cast's student: 10
    # The first page after a change builds the table; the next ones find it kept.
    small, small_api = _queries(client, url), _queries(client, api)
    small_kept, small_api_kept = _queries(client, url), _queries(client, api)
    add_members(cohort, 990, start=9)
    large, large_api = _queries(client, url), _queries(client, api)
    large_kept, large_api_kept = _queries(client, url), _queries(client, api)
    assert large == small, f"{small} queries for 10 members, {large} for 1,000"
    assert (large_api, large_kept, large_api_kept) == (small_api, small_kept, small_api_kept)
    assert small <= 12
    assert large_kept < large


def test_the_table_shows_progress_scores_activity_and_certificate(client, cohort, cast):
    learner = UserFactory(name="Айбек Ашыров")
    membership, _created = cohort_join(user=learner, cohort=cohort, via="code")
    complete_course(membership.enrollment, answers=HALF_RIGHT)  # quiz passed, average too low
    client.force_login(cast.instructor)
    page = client.get(reverse("cohorts:detail", kwargs={"cohort_id": cohort.pk})).content.decode()
    assert "Айбек Ашыров" in page and "Студент Бакыт" in page
    table = cohort_table(cohort=cohort, language="en")
    [row] = [r for r in table.rows if r.user_id == learner.pk]
    assert (row.progress, row.scores, row.status) == (100, [60], "in_progress")
    assert table.counts == {"not_started": 1, "in_progress": 1, "completed": 0, "inactive": 0}
    assert [bar.count for bar in table.item_completion] == [1, 1, 1]
    assert sum(bar.count for bar in table.score_distribution) == 1
    assert table.score_distribution[6].count == 1  # 60–69


def test_filters_and_sorting(cohort, cast):
    done = UserFactory(name="Aaa Done")
    membership, _created = cohort_join(user=done, cohort=cohort, via="code")
    complete_course(membership.enrollment)
    idle = UserFactory(name="Zzz Idle")
    idle_membership, _created = cohort_join(user=idle, cohort=cohort, via="code")
    CohortMembership.objects.filter(pk=idle_membership.pk).update(joined_at=days_ago(10))
    table = cohort_table(cohort=cohort, language="en")
    names = lambda rows: [r.name for r in rows]  # noqa: E731
    assert names(cohort_rows(table=table, status="completed")) == ["Aaa Done"]
    assert names(cohort_rows(table=table, status="inactive")) == ["Zzz Idle"]
    assert names(cohort_rows(table=table, sort="-progress"))[0] == "Aaa Done"
    assert names(cohort_rows(table=table, sort="-name")) == ["Студент Бакыт", "Zzz Idle",
                                                             "Aaa Done"]  # fmt: skip
    assert len(cohort_rows(table=table, status="bogus", sort="bogus")) == 3


def test_charts_are_tables_readable_without_javascript(client, cohort, cast):
    client.force_login(cast.org_admin)
    page = client.get(reverse("cohorts:detail", kwargs={"cohort_id": cohort.pk})).content.decode()
    assert page.count('<table class="bars">') == 2
    assert "<script" not in page.split("</header>", 1)[1].split("<footer", 1)[0]


def test_the_member_page_lists_every_item_and_attempt(client, cohort, cast):
    membership = CohortMembership.objects.get(cohort=cohort, user=cast.student)
    complete_course(membership.enrollment, answers=HALF_RIGHT)
    client.force_login(cast.instructor)
    url = reverse("cohorts:member", kwargs={"cohort_id": cohort.pk, "user_id": cast.student.pk})
    page = client.get("/en" + url[3:]).content.decode()
    titles = Item.objects.filter(course=cohort.course).count()
    assert page.count('<th scope="row">') == titles
    assert "60%" in page


def test_the_export_is_utf8_with_bom_and_neutralises_formulas(client, cohort, cast):
    evil = UserFactory(name='=HYPERLINK("http://evil.example","Click")', language="ru")
    cohort_join(user=evil, cohort=cohort, via="code")
    client.force_login(cast.instructor)
    response = client.post(reverse("cohorts:export-create", kwargs={"cohort_id": cohort.pk}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cohort-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    quizzes = Item.objects.filter(course=cohort.course, type=ItemType.QUIZ).count()
    assert len(rows[0]) == 10 + quizzes
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","Click")' in names
    assert "Студент Бакыт" in names


def test_a_large_cohort_is_exported_by_a_worker_with_a_page_to_wait_on(
    client, cohort, cast, settings, django_capture_on_commit_callbacks
):
    settings.COHORT_EXPORT_INLINE_MEMBERS = 0
    client.force_login(cast.instructor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("cohorts:export-create", kwargs={"cohort_id": cohort.pk}))
    export = CohortExport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/exports/{export.pk}/")
    assert export.status == Job.PENDING and len(callbacks) == 1
    waiting = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting
    download = reverse("cohorts:export-download", kwargs={"cohort_id": cohort.pk,
                                                          "export_id": export.pk})  # fmt: skip
    assert client.get(download).status_code == 404  # not ready yet
