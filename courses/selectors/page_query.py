"""The one query of every course, lesson and quiz page."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import DEFERRED
from django.http import Http404

from courses.models import Course, Enrollment
from courses.selectors.outlines import Progress
from courses.selectors.prepared import db_datetime, prepared_rows
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


@dataclass(frozen=True)
class Located:
    course: Course
    revision_key: str  # "<revision id>.<revision uid>": names it in cache keys
    enrollment: Enrollment | None
    progress: dict[int, Progress]


def course_locate(slug: str, revision_id: int | None, user: User | AnonymousUser | None) -> Located:
    """The course ``slug``, the key of its live revision (or of the preview ``revision_id``)
    and, for a signed-in ``user``, their enrolment and progress: one query."""
    learner_id = user.pk if user is not None and user.is_authenticated else None
    learner = learner_id is not None
    preview = revision_id is not None
    params = [*([revision_id] if preview else []), *([learner_id] if learner else []), slug]
    rows = prepared_rows(_COURSE_SQL[preview, learner], params)
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
            [pk, learner_id, course_id, db_datetime(enrolled_at), last_item_id,
             db_datetime(last_activity_at), db_datetime(completed_at)],
        )  # fmt: skip
        for item_id, done_at, passed, best_score, attempt_count in (row[8:] for row in rows):
            if item_id is not None:
                progress[item_id] = Progress(
                    completed_at=db_datetime(done_at), passed=bool(passed), best_score=best_score,
                    attempt_count=attempt_count,
                )  # fmt: skip
    return Located(
        course=course,
        revision_key=f"{shown_id}.{uid}",
        enrollment=enrollment,
        progress=progress,
    )
