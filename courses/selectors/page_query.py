"""The one query of every course, lesson and quiz page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import DEFERRED
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.models import Course, Enrollment
from courses.selectors.outlines import Progress
from lms.models import User


# The one query of every course, lesson and quiz page: the course, the revision shown (the
# live one, or a preview of one of its revisions) and, for a learner, the enrolment and the
# progress on every item (one row per item with progress). Written out because building it
# with the ORM costs three times as long as running it. The revision's row is joined for its
# uid, which names the revision in every cache key.
def _course_sql(*, preview: bool, learner: bool) -> str:
    sql = ["SELECT c.id, r.id, r.uid"]
    if learner:
        sql.append(
            ", e.id, e.created_at, e.last_item_id, e.last_activity_at, e.completed_at"
            ", p.item_id, p.completed_at, p.passed, p.best_score, p.attempt_count"
        )
    sql.append(" FROM courses_course c")
    if preview:
        sql.append(" LEFT JOIN courses_courserevision r ON r.course_id = c.id AND r.id = %s")
    else:
        sql.append(" LEFT JOIN courses_courserevision r ON r.id = c.live_revision_id")
    if learner:
        sql.append(
            " LEFT JOIN courses_enrollment e ON e.course_id = c.id AND e.user_id = %s"
            " LEFT JOIN courses_itemprogress p ON p.enrollment_id = e.id"
        )
    sql.append(" WHERE c.slug = %s")
    return "".join(sql)


_COURSE_SQL = {
    (preview, learner): _course_sql(preview=preview, learner=learner)
    for preview in (False, True)
    for learner in (False, True)
}


def _datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp read with a cursor: a datetime from PostgreSQL, a string in UTC from
    SQLite."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    return timezone.make_aware(parsed, UTC) if parsed and timezone.is_naive(parsed) else parsed


@dataclass(frozen=True)
class Located:
    course: Course
    revision_key: str  # "<revision id>.<revision uid>": names it in cache keys
    enrollment: Enrollment | None
    progress: dict[int, Progress]


def _prepared_rows(sql: str, params: list) -> list[tuple]:
    """The rows of ``sql``; on PostgreSQL as a prepared statement of the connection, so that
    the server plans it once instead of on every page (planning the learner's query takes
    four times as long as running it). Django's cursors bind parameters on the client and
    cannot prepare; this one cursor binds them on the server, and goes through Django's
    wrappers like any other query."""
    with connection.cursor() as cursor:  # the health check and the connection, as for any query
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        import psycopg

        raw = connection.connection
        raw.prepare_threshold = 0  # only server-binding cursors prepare: this one
        server = psycopg.Cursor(raw)
        # django-stubs types their argument as Django's CursorWrapper; Django wraps the
        # driver's own cursor with it (BaseDatabaseWrapper.make_cursor).
        wrapped = (
            connection.make_debug_cursor(server)  # type: ignore[arg-type]
            if connection.queries_logged
            else connection.make_cursor(server)  # type: ignore[arg-type]
        )
        with wrapped:
            wrapped.execute(sql, params)
            return wrapped.fetchall()


def course_locate(slug: str, revision_id: int | None, user: User | AnonymousUser | None) -> Located:
    """The course ``slug``, the key of its live revision (or of the preview ``revision_id``)
    and, for a signed-in ``user``, their enrolment and progress: one query."""
    learner_id = user.pk if user is not None and user.is_authenticated else None
    learner = learner_id is not None
    preview = revision_id is not None
    params = [*([revision_id] if preview else []), *([learner_id] if learner else []), slug]
    rows = _prepared_rows(_COURSE_SQL[preview, learner], params)
    if not rows or rows[0][1] is None:
        raise Http404
    course_id, shown_id, uid = rows[0][:3]
    # Revisions never change, so their random uid names them in the cache: an id can name
    # other content after a rollback, a restored backup or a database made anew.
    uid = uid.hex if isinstance(uid, UUID) else str(uid).replace("-", "")
    course = Course.from_db(
        connection.alias, ["id", "slug", "live_revision_id"],
        [course_id, slug, shown_id if revision_id is None else DEFERRED],
    )  # fmt: skip
    enrollment = None
    progress: dict[int, Progress] = {}
    if learner and rows[0][3] is not None:
        pk, enrolled_at, last_item_id, last_activity_at, completed_at = rows[0][3:8]
        enrollment = Enrollment.from_db(
            connection.alias,
            ["id", "user_id", "course_id", "created_at", "last_item_id", "last_activity_at",
             "completed_at"],
            [pk, learner_id, course_id, _datetime(enrolled_at), last_item_id,
             _datetime(last_activity_at), _datetime(completed_at)],
        )  # fmt: skip
        for item_id, done_at, passed, best_score, attempt_count in (row[8:] for row in rows):
            if item_id is not None:
                progress[item_id] = Progress(
                    completed_at=_datetime(done_at), passed=bool(passed), best_score=best_score,
                    attempt_count=attempt_count,
                )  # fmt: skip
    return Located(
        course=course,
        revision_key=f"{shown_id}.{uid}",
        enrollment=enrollment,
        progress=progress,
    )
