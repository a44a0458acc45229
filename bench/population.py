"""A large population in the bench database: 120,000 learners and about a million progress rows.

Generated on the PostgreSQL server itself (``INSERT ... SELECT`` over ``generate_series``), so
it takes well under a minute instead of tens of minutes of ORM calls. Every learner is enrolled
in the 100-lesson course with progress on the first few items (0 to 16 lessons, mean 8),
every fourth also in the tests' 3-item course; a third of them took the quiz once (an attempt
and its progress row); every learner has a stored session. The tables are then analysed, as
autovacuum would do within a minute of such a load in production.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

LEARNERS = 120_000
LESSONS_SPREAD = 17  # learner n completed the first n % 17 lessons: 8 on average
TABLES = ("lms_user", "courses_enrollment", "courses_itemprogress", "courses_quizattempt",
          "django_session")  # fmt: skip
PASSWORD = "!unusable"  # noqa: S105 - make_password(None) starts with "!": no password can match


@dataclass(frozen=True)
class Population:
    learners: int
    enrollments: int
    progress: int
    attempts: int
    sessions: int
    seconds: float

    def line(self) -> str:
        return (
            f"{self.learners:,} learners, {self.enrollments:,} enrolments, {self.progress:,} "
            f"progress rows, {self.attempts:,} quiz attempts, {self.sessions:,} sessions "
            f"in {self.seconds:.0f} s"
        )


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a table name of ours
    return cursor.fetchone()[0]


def population_create(
    *, learners: int = LEARNERS, course_slug: str, small_slug: str = "demo", analyze: bool = True
) -> Population:
    """Adds ``learners`` learners (and their enrolments, progress, attempts, sessions); then
    analyses the tables unless told not to (autovacuum will, a minute or so later)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise RuntimeError("the population is generated on PostgreSQL only (set DATABASE_URL)")
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO lms_user (password, is_superuser, email, is_staff, is_active,"
            " date_joined, name, language)"
            " SELECT %s, false, 'growth-' || n || '@bench.example.org',"
            " false, true, now() - (n %% 700) * interval '1 day', 'Learner ' || n,"
            " (ARRAY['ky', 'ru', 'en'])[n %% 3 + 1]"
            " FROM generate_series(1, %s) AS n",
            [PASSWORD, learners],
        )
        # Enrolled in the big course; last activity spread over two years.
        cursor.execute(
            "INSERT INTO courses_enrollment (user_id, course_id, created_at, last_activity_at)"
            " SELECT u.id, c.id, u.date_joined, u.date_joined + (u.id %% 97) * interval '1 hour'"
            " FROM lms_user u, courses_course c"
            " WHERE u.email LIKE 'growth-%%' AND c.slug = %s",
            [course_slug],
        )
        cursor.execute(
            "INSERT INTO courses_enrollment (user_id, course_id, created_at, last_activity_at)"
            " SELECT u.id, c.id, u.date_joined, u.date_joined"
            " FROM lms_user u, courses_course c"
            " WHERE u.email LIKE 'growth-%%' AND u.id %% 4 = 0 AND c.slug = %s",
            [small_slug],
        )
        # Progress: the first (user id % 17) lessons of the course, in course order.
        cursor.execute(
            "WITH lessons AS ("
            "  SELECT i.id, i.course_id, row_number() OVER (PARTITION BY i.course_id ORDER BY"
            "   ri.position) AS n"
            "  FROM courses_item i JOIN courses_course c ON c.id = i.course_id"
            "  JOIN courses_revisionitem ri ON ri.item_id = i.id AND ri.revision_id ="
            "   c.live_revision_id WHERE i.type = 'lesson')"
            " INSERT INTO courses_itemprogress (enrollment_id, item_id, completed_at, passed,"
            "  attempt_count, updated_at)"
            " SELECT e.id, l.id, e.last_activity_at, false, 0, e.last_activity_at"
            " FROM courses_enrollment e JOIN lms_user u ON u.id = e.user_id"
            " JOIN lessons l ON l.course_id = e.course_id AND l.n <= u.id %% %s"
            " WHERE u.email LIKE 'growth-%%'",
            [LESSONS_SPREAD],
        )
        # A third took the quiz of the big course once.
        quiz_learners = (
            " FROM courses_enrollment e JOIN lms_user u ON u.id = e.user_id"
            " JOIN courses_course c ON c.id = e.course_id"
            " JOIN courses_item i ON i.course_id = c.id AND i.type = 'quiz'"
            " WHERE u.email LIKE 'growth-%%' AND u.id %% 3 = 0 AND c.slug = %s"
        )
        cursor.execute(
            "INSERT INTO courses_quizattempt (enrollment_id, item_id, revision_id, number,"
            " max_attempts, answers, results, score, passed, created_at)"
            " SELECT e.id, i.id, c.live_revision_id, 1, 0, '{}', '{}', u.id %% 101,"
            " u.id %% 101 >= 60, e.last_activity_at" + quiz_learners,
            [course_slug],
        )
        cursor.execute(
            "INSERT INTO courses_itemprogress (enrollment_id, item_id, completed_at, passed,"
            " best_score, attempt_count, updated_at)"
            " SELECT e.id, i.id, CASE WHEN u.id %% 101 >= 60 THEN e.last_activity_at END,"
            " u.id %% 101 >= 60, u.id %% 101, 1, e.last_activity_at" + quiz_learners,
            [course_slug],
        )
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date)"
            " SELECT md5('growth-session-' || u.id) || substr(md5(u.email), 1, 8),"
            " 'growth', now() + interval '14 days'"
            " FROM lms_user u WHERE u.email LIKE 'growth-%%'"
        )
    with connection.cursor() as cursor:
        for table in TABLES if analyze else ():
            cursor.execute(f"VACUUM ANALYZE {table}")
        counts = [_count(cursor, table) for table in TABLES]
    return Population(*counts, seconds=time.monotonic() - started)
