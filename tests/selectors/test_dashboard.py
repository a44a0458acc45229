"""The dashboard selector reads in five prepared statements what the ORM read in five queries,
and gives the same objects: compared field by field with the ORM's answer, and touched the way
the template touches them without another query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import (
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    Enrollment,
    Item,
    ItemText,
    Organization,
    QuizAttempt,
    RevisionItem,
)
from courses.models.catalog import revision_text_fields
from courses.selectors.dashboard import RECENT_ATTEMPTS, dashboard
from courses.services.learning import enrollment_create, lesson_complete, quiz_attempt_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def orm_dashboard(user, language):
    """What the dashboard showed when it was read with the ORM, as plain values."""
    enrollments = list(
        Enrollment.objects.filter(user=user, course__live_revision__isnull=False)
        .select_related("course__live_revision")
        .order_by("-last_activity_at", "-created_at")
    )
    entries = []
    for enrollment in enrollments:
        revision = enrollment.course.live_revision
        done = enrollment.progress.filter(
            completed_at__isnull=False, item__archived_at__isnull=True
        ).count()
        cohorts = [
            (m.pk, m.cohort.name, m.cohort.certificate_deadline, m.cohort.organization.names)
            for m in CohortMembership.objects.filter(
                enrollment=enrollment, removed_at__isnull=True
            ).order_by("joined_at")
        ]
        entries.append((
            enrollment.pk, enrollment.last_activity_at, enrollment.completed_at,
            enrollment.course.slug, revision.pk, revision.title, revision.languages,
            revision.title_in(language)[0], int(100 * done / revision.item_count), cohorts,
        ))  # fmt: skip
    attempts = []
    for attempt in QuizAttempt.objects.filter(enrollment__user=user).order_by("-created_at")[
        :RECENT_ATTEMPTS
    ]:
        course = attempt.enrollment.course
        texts = ItemText.objects.filter(
            revision_item__revision_id=course.live_revision_id,
            revision_item__item_id=attempt.item_id,
        )
        titles = {text.language: text.title for text in texts}
        title = titles.get(language) or next(iter(titles.values()), attempt.item.key)
        attempts.append((
            attempt.pk, attempt.number, attempt.score, attempt.passed, attempt.created_at,
            attempt.item.key, course.slug, title,
        ))  # fmt: skip
    certificates = [
        (c.pk, c.public_id, c.status, c.course.slug,
         c.course.live_revision.title if c.course.live_revision else None)
        for c in Certificate.objects.filter(user=user).order_by("-created_at")
    ]  # fmt: skip
    return entries, attempts, certificates


def plain(found):
    entries = [
        (
            e.enrollment.pk, e.enrollment.last_activity_at, e.enrollment.completed_at,
            e.card.course.slug, e.card.revision.pk, e.card.revision.title,
            e.card.revision.languages, e.card.title, e.card.progress,
            [(m.pk, m.cohort.name, m.cohort.certificate_deadline, m.cohort.organization.names)
             for m in e.cohorts],
        )
        for e in found.in_progress + found.completed
    ]  # fmt: skip
    attempts = [
        (a.pk, a.number, a.score, a.passed, a.created_at, a.item.key,
         a.enrollment.course.slug, a.quiz_title)
        for a in found.recent_attempts
    ]  # fmt: skip
    certificates = [
        (c.pk, c.public_id, c.status, c.course.slug,
         c.course.live_revision.title if c.course.live_revision else None)
        for c in found.certificates
    ]  # fmt: skip
    return entries, attempts, certificates


@pytest.fixture
def learner(demo_course):
    """Enrolled in the demo course (a lesson done, the quiz taken RECENT_ATTEMPTS + 2 times,
    in a cohort) and, completed with a certificate, in a course taken off the site."""
    user = UserFactory()
    enrollment, _ = enrollment_create(user=user, course=demo_course)
    lesson_complete(enrollment=enrollment, item=Item.objects.get(course=demo_course, key="hashes"))
    lesson_complete(enrollment=enrollment, item=Item.objects.get(course=demo_course, key="what-is"))
    quiz = RevisionItem.objects.get(revision=demo_course.live_revision, item__key="check")
    quiz_attempt_submit(enrollment=enrollment, revision_item=quiz, answers={"term": "hash"},
                        language="en")  # fmt: skip
    for number in range(2, RECENT_ATTEMPTS + 3):  # more than the quiz allows: as rows
        QuizAttempt.objects.create(
            enrollment=enrollment, item=quiz.item, revision=demo_course.live_revision,
            number=number, score=number, passed=False,
        )  # fmt: skip
    university = Organization.objects.create(slug="uni", names={"en": "Uni", "ky": "Уни"})
    cohort = Cohort.objects.create(
        organization=university, course=demo_course, name="Spring", language="en",
        starts_on=timezone.localdate(), certificate_deadline=timezone.localdate(),
    )  # fmt: skip
    CohortMembership.objects.create(cohort=cohort, user=user, enrollment=enrollment, via="code")
    gone = Course.objects.create(slug="gone")
    old = Enrollment.objects.create(user=user, course=gone, completed_at=timezone.now())
    Certificate.objects.create(enrollment=old, user=user, course=gone, language="en")
    return user


@pytest.mark.parametrize("language", ["en", "ky"])
def test_the_dashboard_reads_what_the_orm_read(learner, language):
    assert plain(dashboard(user=learner, language=language)) == orm_dashboard(learner, language)


def test_progress_on_an_archived_item_counts_for_nothing(learner, demo_course):
    before = dashboard(user=learner, language="en").in_progress[0].card.progress
    Item.objects.filter(course=demo_course, key="hashes").update(archived_at=timezone.now())
    after = dashboard(user=learner, language="en").in_progress[0].card.progress
    assert (before, after) == (66, 33)
    assert plain(dashboard(user=learner, language="en")) == orm_dashboard(learner, "en")


def test_a_learner_with_nothing_has_an_empty_dashboard(demo_course):
    found = dashboard(user=UserFactory(), language="en")
    assert (found.in_progress, found.completed, found.recent_attempts, found.certificates) == (
        [],
        [],
        [],
        [],
    )


def test_five_statements_and_no_query_from_what_the_page_reads(learner):
    with CaptureQueriesContext(connection) as queries:
        found = dashboard(user=learner, language="en")
        entry = found.in_progress[0]
        read = [
            entry.enrollment.course_id, entry.card.cover_url, entry.card.revision.level,
            entry.card.revision.tags, entry.card.languages, entry.cohorts[0].cohort.name,
            entry.cohorts[0].cohort.organization.names, entry.enrollment.course.slug,
        ]  # fmt: skip
        for attempt in found.recent_attempts:
            read += [attempt.enrollment.course.live_revision.title, attempt.item.key,
                     attempt.enrollment.course.slug, attempt.number]  # fmt: skip
        for certificate in found.certificates:
            read += [certificate.course.live_revision, certificate.course_title,
                     certificate.get_absolute_url()]  # fmt: skip
    assert len(queries) == 5, [q["sql"][:80] for q in queries.captured_queries]
    assert found.recent_attempts[0].enrollment.course.live_revision.title["en"] == "Demo course"
    assert len(found.recent_attempts) == RECENT_ATTEMPTS
    assert [a.number for a in found.recent_attempts] == list(range(RECENT_ATTEMPTS + 2, 2, -1))


def test_long_texts_of_the_revision_are_left_in_the_database(learner):
    revision = dashboard(user=learner, language="en").in_progress[0].card.revision
    deferred = {name.split("__")[-1] for name in revision_text_fields("r")}
    assert deferred <= revision.get_deferred_fields()
    assert isinstance(revision.title, dict) and isinstance(revision.languages, list)
    assert timezone.is_aware(revision.created_at)
