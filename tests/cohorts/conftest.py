"""Universities, cohorts and the people around them, on the demo course (a real Git import)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from courses.models import Cohort, CohortMembership, Enrollment, Item, Organization, RevisionItem
from courses.services.cohorts import CohortFields, cohort_create, cohort_join
from courses.services.learning import lesson_complete, quiz_attempt_submit
from tests.certificates.conftest import tasks_inline  # noqa: F401 - a fixture
from tests.content.helpers import ALL_RIGHT
from tests.factories import UserFactory

HALF_RIGHT = {**ALL_RIGHT, "term": "password", "sha-length": "65"}  # 60


@pytest.fixture
def organization(db) -> Organization:
    return Organization.objects.create(
        slug="knu", names={"ky": "Кыргыз улуттук университети", "ru": "Кыргызский национальный "
                           "университет", "en": "Kyrgyz National University"},
    )  # fmt: skip


def make_cohort(organization, course, name="Informatics 2027", **fields) -> Cohort:
    values = {"name": name, "course": course, "language": "ky",
              "starts_on": timezone.localdate(), **fields}  # fmt: skip
    return cohort_create(organization=organization, fields=CohortFields(**values))


@pytest.fixture
def cohort(organization, demo_course) -> Cohort:
    return make_cohort(organization, demo_course)


@dataclass
class Cast:
    """Everyone in the permission matrix."""

    student: object  # a member of the cohort
    outsider: object  # a learner in no cohort
    other_instructor: object  # instructor of another organisation's cohort
    instructor: object
    org_admin: object
    staff: object
    other_cohort: Cohort


@pytest.fixture
def cast(cohort, organization, demo_course) -> Cast:
    instructor = UserFactory(name="Instructor Ina", language="en")
    cohort.instructors.add(instructor)
    org_admin = UserFactory(name="Admin Aibek", language="ru")
    organization.admins.add(org_admin)
    other_org = Organization.objects.create(slug="auca", names={"en": "AUCA"})
    other_cohort = make_cohort(other_org, demo_course, name="Other cohort")
    other_instructor = UserFactory(name="Other Olga")
    other_cohort.instructors.add(other_instructor)
    student = UserFactory(name="Студент Бакыт", language="ky")
    cohort_join(user=student, cohort=cohort, via=CohortMembership.Via.CODE)
    return Cast(
        student=student,
        outsider=UserFactory(name="Outsider"),
        other_instructor=other_instructor,
        instructor=instructor,
        org_admin=org_admin,
        staff=UserFactory(name="Staff Sam", is_staff=True),
        other_cohort=other_cohort,
    )


def item(course, key: str) -> Item:
    return Item.objects.get(course=course, key=key)


def complete_course(enrollment: Enrollment, answers=ALL_RIGHT) -> None:
    """Read both lessons and take the quiz, as the learning services record it."""
    course = enrollment.course
    lesson_complete(enrollment=enrollment, item=item(course, "what-is"))
    lesson_complete(enrollment=enrollment, item=item(course, "hashes"))
    quiz = RevisionItem.objects.select_related("item").get(
        revision=course.live_revision, item__key="check"
    )
    quiz_attempt_submit(enrollment=enrollment, revision_item=quiz, answers=answers,
                        language="en")  # fmt: skip


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language, whatever an earlier request left
    active in this thread (reverse() then gives /ky/ addresses)."""
    from django.utils import translation

    with translation.override("ky"):
        yield
