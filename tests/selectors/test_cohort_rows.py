"""The cohort table's reads: one round trip whatever the cohort's size, only current members,
only progress on the items of the live revision, and the same table as counted row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Certificate, CohortMembership, Enrollment, Item, ItemProgress
from courses.selectors.cohort_reports import cohort_table
from courses.selectors.cohort_rows import cohort_rows_read
from tests.cohorts.conftest import cohort, item, organization  # noqa: F401 - fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(cohort, name: str, *done: str) -> Enrollment:  # noqa: F811 - the fixture's name
    user = UserFactory(name=name)
    enrollment = Enrollment.objects.create(user=user, course=cohort.course)
    CohortMembership.objects.create(cohort=cohort, user=user, enrollment=enrollment, via="code")
    for key in done:
        ItemProgress.objects.create(enrollment=enrollment, item=item(cohort.course, key),
                                    completed_at=timezone.now())  # fmt: skip
    return enrollment


def test_only_current_members_and_live_items_count(cohort):  # noqa: F811
    anna = member(cohort, "Anna", "what-is", "hashes")
    boris = member(cohort, "Boris", "what-is")
    gone = member(cohort, "Zed", "what-is")
    CohortMembership.objects.filter(enrollment=gone).update(removed_at=timezone.now())
    # Progress on an item that is no longer in the course counts for nothing.
    old = Item.objects.create(course=cohort.course, key="old-lesson", type="lesson")
    ItemProgress.objects.create(enrollment=boris, item=old, completed_at=timezone.now())
    Certificate.objects.create(enrollment=anna, user=anna.user, course=cohort.course,
                               language="en")  # fmt: skip
    Certificate.objects.create(enrollment=gone, user=gone.user, course=cohort.course,
                               language="en")  # fmt: skip

    table = cohort_table(cohort=cohort, language="en")
    done = {row.name: row.done for row in table.rows}
    assert done == {"Anna": 2, "Boris": 1}
    assert [row.name for row in table.rows] == ["Anna", "Boris"]  # by name
    assert {row.name for row in table.rows if row.certificate} == {"Anna"}
    completion = {bar.label: bar.count for bar in table.item_completion}
    assert completion["What is a blockchain?"] == 2


def test_one_round_trip_for_a_cohort_of_any_size(cohort):  # noqa: F811
    for n in range(3):
        member(cohort, f"Learner {n}", "what-is")
    items = [i.pk for i in Item.objects.filter(course=cohort.course)]
    with CaptureQueriesContext(connection) as queries:
        read = cohort_rows_read(cohort=cohort, item_ids=items)
    assert len(read.members) == 3 and len(read.progress) == 3
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)
    assert all(timezone.is_aware(fields[3]) for fields in read.members)  # joined, as the ORM
