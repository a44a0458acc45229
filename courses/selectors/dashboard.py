"""The learner's dashboard: their courses, certificates and recent quiz results.

Five statements: the enrolments with their course, live revision and items done; the
learner's current cohorts; the last ten quiz attempts and their quizzes' titles; the
certificates. Written as SQL once, because building these five queries with the ORM on every
request cost three times as long as running them, and prepared on PostgreSQL
(`prepared.prepared_rows`), because planning them cost ten times as long as running them:
five round trips of prepared statements take 2.3 ms where one round trip planned each time
took 5.2 ms (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from courses.content import pick_text
from courses.models import (
    Certificate,
    Cohort,
    CohortMembership,
    Course,
    CourseRevision,
    Enrollment,
    Item,
    Organization,
    QuizAttempt,
)
from courses.models.catalog import REVISION_TEXT_FIELDS
from courses.selectors.catalog import CourseCard
from courses.selectors.prepared import prepared_rows
from courses.selectors.rows import Columns
from lms.models import User

RECENT_ATTEMPTS = 10


@dataclass
class DashboardEntry:
    enrollment: Enrollment
    card: CourseCard
    cohorts: list[CohortMembership] = field(default_factory=list)  # the learner's current ones


@dataclass
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]
    recent_attempts: list[QuizAttempt]
    certificates: list[Certificate] = field(default_factory=list)


@dataclass(frozen=True)
class _Read:
    enrollment: Columns[Enrollment]
    course: Columns[Course]
    revision: Columns[CourseRevision]
    membership: Columns[CohortMembership]
    cohort: Columns[Cohort]
    organization: Columns[Organization]
    attempt: Columns[QuizAttempt]
    item: Columns[Item]
    certificate: Columns[Certificate]
    sql: tuple[str, ...]


@cache
def _read() -> _Read:
    """The columns and the statements (made once per process: the models are loaded)."""
    enrollment = Columns.of(Enrollment, "e")
    course = Columns.of(Course, "c")
    revision = Columns.of(CourseRevision, "r", defer=REVISION_TEXT_FIELDS)
    membership = Columns.of(CohortMembership, "m")
    cohort = Columns.of(Cohort, "co")
    organization = Columns.of(Organization, "o", defer=("logo",))
    attempt = Columns.of(QuizAttempt, "a", defer=("answers", "results"))
    item = Columns.of(Item, "i")
    certificate = Columns.of(Certificate, "ce", defer=("pdf", "credential"))
    recent = "".join((
        " FROM courses_quizattempt a JOIN courses_enrollment e ON e.id = a.enrollment_id"
        " JOIN courses_course c ON c.id = e.course_id"
        " LEFT JOIN courses_courserevision r ON r.id = c.live_revision_id"
        " JOIN courses_item i ON i.id = a.item_id"
        " WHERE e.user_id = %s ORDER BY a.created_at DESC LIMIT ", str(RECENT_ATTEMPTS),
    ))  # fmt: skip
    sql = (
        # Enrolments in live courses, with the items done (lessons completed, quizzes passed)
        # of those not archived.
        _select(
            enrollment, course, revision,
            ", (SELECT count(*) FROM courses_itemprogress p"
            " JOIN courses_item pi ON pi.id = p.item_id WHERE p.enrollment_id = e.id"
            " AND p.completed_at IS NOT NULL AND pi.archived_at IS NULL)"
            " FROM courses_enrollment e JOIN courses_course c ON c.id = e.course_id"
            " JOIN courses_courserevision r ON r.id = c.live_revision_id"
            " WHERE e.user_id = %s ORDER BY e.last_activity_at DESC, e.created_at DESC",
        ),
        _select(
            membership, cohort, organization,
            " FROM courses_cohortmembership m JOIN courses_cohort co ON co.id = m.cohort_id"
            " JOIN courses_organization o ON o.id = co.organization_id"
            " WHERE m.user_id = %s AND m.removed_at IS NULL ORDER BY m.joined_at",
        ),
        _select(attempt, enrollment, course, revision, item, recent),
        # The titles of those attempts' quizzes in their course's live revision.
        "".join((
            "SELECT ri.revision_id, ri.item_id, t.language, t.title FROM courses_itemtext t"
            " JOIN courses_revisionitem ri ON ri.id = t.revision_item_id"
            " WHERE ri.id IN (SELECT ri2.id FROM courses_revisionitem ri2 JOIN (SELECT"
            " c.live_revision_id AS revision_id, a.item_id AS item_id", recent, ") recent"
            " ON ri2.revision_id = recent.revision_id AND ri2.item_id = recent.item_id)",
        )),
        _select(
            certificate, course, revision,
            " FROM courses_certificate ce JOIN courses_course c ON c.id = ce.course_id"
            " LEFT JOIN courses_courserevision r ON r.id = c.live_revision_id"
            " WHERE ce.user_id = %s ORDER BY ce.created_at DESC",
        ),
    )  # fmt: skip
    return _Read(enrollment, course, revision, membership, cohort, organization, attempt, item,
                 certificate, sql)  # fmt: skip


def _select(*parts: Columns | str) -> str:
    """SELECT and the columns of each part, then the rest of the statement."""
    *columns, rest = parts
    assert isinstance(rest, str)
    return "".join(("SELECT ", ", ".join(c.sql for c in columns if isinstance(c, Columns)), rest))


def _split(row: tuple, *parts: Columns) -> list[tuple]:
    """The row cut into each part's values, and what follows them last."""
    cut, start = [], 0
    for part in parts:
        cut.append(row[start : start + len(part)])
        start += len(part)
    cut.append(row[start:])
    return cut


def _course(read: _Read, course_values, revision_values) -> Course:
    """The course with its live revision (None when it has none) attached."""
    course = read.course.build(course_values)
    revision = read.revision.build(revision_values) if revision_values[0] is not None else None
    Course.live_revision.field.set_cached_value(course, revision)
    return course


def dashboard_rows(*, user: User) -> list[list[tuple]]:
    """The rows of everything the learner's dashboard shows, as read: two readings with equal
    rows make the same dashboard (see `dashboard_of`)."""
    return [prepared_rows(sql, [user.pk]) for sql in _read().sql]


def dashboard(*, user: User, language: str) -> Dashboard:
    return dashboard_of(dashboard_rows(user=user), language=language)


def dashboard_of(rows: list[list[tuple]], *, language: str) -> Dashboard:
    """The dashboard in ``language`` made of its ``rows`` (`dashboard_rows`)."""
    read = _read()
    enrolled, memberships, attempted, titled, certified = rows
    cohorts: dict[int, list[CohortMembership]] = {}
    for row in memberships:
        values, cohort_values, organization_values, _rest = _split(
            row, read.membership, read.cohort, read.organization
        )
        membership = read.membership.build(values)
        cohort = read.cohort.build(cohort_values)
        Cohort.organization.field.set_cached_value(
            cohort, read.organization.build(organization_values)
        )
        CohortMembership.cohort.field.set_cached_value(membership, cohort)
        cohorts.setdefault(membership.enrollment_id, []).append(membership)
    entries: list[DashboardEntry] = []
    for row in enrolled:
        values, course_values, revision_values, (done,) = _split(
            row, read.enrollment, read.course, read.revision
        )
        enrollment = read.enrollment.build(values)
        course = _course(read, course_values, revision_values)
        Enrollment.course.field.set_cached_value(enrollment, course)
        revision = course.live_revision
        assert revision is not None  # only enrolments in live courses are read
        total = revision.item_count
        entries.append(
            DashboardEntry(
                enrollment=enrollment,
                card=CourseCard(
                    course=course,
                    revision=revision,
                    title=revision.title_in(language)[0],
                    summary="",
                    complete_in_language=revision.is_complete_in(language),
                    progress=int(100 * done / total) if total else 0,
                    completed=enrollment.completed_at is not None,
                ),
                cohorts=cohorts.get(enrollment.pk, []),
            )
        )
    titles: dict[tuple[int | None, int], dict[str, str]] = {}  # (revision id, item id)
    for revision_id, item_id, text_language, title in titled:
        titles.setdefault((revision_id, item_id), {})[text_language] = title
    attempts: list[QuizAttempt] = []
    for row in attempted:
        values, enrollment_values, course_values, revision_values, item_values, _rest = _split(
            row, read.attempt, read.enrollment, read.course, read.revision, read.item
        )
        attempt = read.attempt.build(values)
        enrollment = read.enrollment.build(enrollment_values)
        course = _course(read, course_values, revision_values)
        Enrollment.course.field.set_cached_value(enrollment, course)
        QuizAttempt.enrollment.field.set_cached_value(attempt, enrollment)
        item = read.item.build(item_values)
        QuizAttempt.item.field.set_cached_value(attempt, item)
        # The quiz's title in the course's live revision, in the language with fallback (its
        # id when the quiz is no longer in the course).
        quiz_title, _used = pick_text(titles.get((course.live_revision_id, item.pk), {}), language)
        attempt.quiz_title = quiz_title or item.key
        attempts.append(attempt)
    certificates: list[Certificate] = []
    for row in certified:
        values, course_values, revision_values, _rest = _split(
            row, read.certificate, read.course, read.revision
        )
        certificate = read.certificate.build(values)
        Certificate.course.field.set_cached_value(
            certificate, _course(read, course_values, revision_values)
        )
        certificates.append(certificate)
    return Dashboard(
        in_progress=[e for e in entries if not e.card.completed],
        completed=[e for e in entries if e.card.completed],
        recent_attempts=attempts,
        certificates=certificates,
    )
