"""The learners' data of a cohort's members' table, in one round trip.

Three statements (`courses.selectors.rows`): the current members with their name, address and
enrolment; their progress rows on the items asked for (the live revision's: a few thousand
small rows, counted in Python); certificates. Written as SQL once: built with the ORM,
these queries cost more to compile than to run (docs/performance.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

from courses.models import Certificate, Cohort, CohortMembership, Enrollment
from courses.selectors.rows import Columns, statements
from lms.models import User

MemberFields = tuple[int, str, str, datetime.datetime, int, datetime.datetime | None,
                     datetime.datetime | None]  # fmt: skip


@dataclass(frozen=True)
class CohortRows:
    # (user id, name, email, joined, enrolment id, last activity, completed), by name, email
    members: list[MemberFields]
    # (enrolment id, item id, done, best score, attempted): current members' progress on the
    # items asked for
    progress: list[tuple[int, int, bool, int | None, bool]]
    certificates: list[tuple[int, UUID, str]]  # (user id, public id, status)


# Each member's own rows, fetched member by member through the indexes: PostgreSQL's planner
# otherwise prefers to scan a whole index of users, enrolments or progress (a merge join
# over 120,000 users, or every learner's progress on each item of the course) when its
# statistics lag behind the data, 5-50 times slower (docs/performance.md). OFFSET 0 keeps it
# from flattening the subquery. SQLite plans these joins member by member anyway.
_MEMBERS = {
    "postgresql": (
        " FROM courses_cohortmembership m CROSS JOIN LATERAL (SELECT {columns}"
        " FROM lms_user u, courses_enrollment e WHERE u.id = m.user_id"
        " AND e.id = m.enrollment_id OFFSET 0) x"
    ),
    "other": (
        " FROM courses_cohortmembership m JOIN lms_user u ON u.id = m.user_id"
        " JOIN courses_enrollment e ON e.id = m.enrollment_id"
    ),
}
_PROGRESS = {
    "postgresql": (
        " FROM courses_cohortmembership m CROSS JOIN LATERAL (SELECT p.item_id, p.completed_at,"
        " p.best_score, p.attempt_count FROM courses_itemprogress p"
        " WHERE p.enrollment_id = m.enrollment_id OFFSET 0) p"
        " WHERE m.cohort_id = %s AND m.removed_at IS NULL AND p.item_id = ANY(%s)"
    ),
    "other": (
        " FROM courses_cohortmembership m JOIN courses_itemprogress p"
        " ON p.enrollment_id = m.enrollment_id WHERE m.cohort_id = %s AND m.removed_at IS NULL"
        " AND p.item_id IN ({items})"
    ),
}


@cache
def _read(vendor: str) -> tuple[tuple[Columns[Any], ...], tuple[str, ...]]:
    """The columns and statements (made once per process: the models are loaded)."""
    member = Columns.of(CohortMembership, "m", only=("user", "joined_at", "enrollment"))
    person = Columns.of(User, "u", only=("name", "email"))
    enrolment = Columns.of(Enrollment, "e", only=("last_activity_at", "completed_at"))
    certificate = Columns.of(Certificate, "ce", only=("user", "public_id", "status"))
    kind = vendor if vendor in _MEMBERS else "other"
    if kind == "postgresql":
        inner = f"{person.sql}, {enrolment.sql}"
        outer = ", ".join(f"x.{f.column}" for f in (*person.fields, *enrolment.fields))
        members = _MEMBERS[kind].format(columns=inner)
    else:
        outer, members = f"{person.sql}, {enrolment.sql}", _MEMBERS[kind]
    sql = (
        "".join((
            "SELECT ", member.sql, ", ", outer, members,
            " WHERE m.cohort_id = %s AND m.removed_at IS NULL ORDER BY 4, 5",
        )),
        "".join((
            "SELECT m.enrollment_id, p.item_id, p.completed_at IS NOT NULL, p.best_score,"
            " p.attempt_count > 0", _PROGRESS[kind],
        )),
        "".join((
            "SELECT ", certificate.sql, " FROM courses_certificate ce WHERE ce.course_id = %s"
            " AND ce.user_id IN (SELECT m2.user_id FROM courses_cohortmembership m2"
            " WHERE m2.cohort_id = %s AND m2.removed_at IS NULL)",
        )),
    )  # fmt: skip
    return (member, person, enrolment, certificate), sql


def cohort_rows_read(*, cohort: Cohort, item_ids: list[int]) -> CohortRows:
    """The current members of ``cohort``, their progress on the items ``item_ids`` and
    their certificates of its course."""
    from django.db import connection

    (member, person, enrolment, certificate), sql = _read(connection.vendor)
    if connection.vendor == "postgresql":
        progress_sql, progress = sql[1], [cohort.pk, item_ids]
    else:
        placeholders = ", ".join(["%s"] * len(item_ids)) or "NULL"
        progress_sql, progress = sql[1].format(items=placeholders), [cohort.pk, *item_ids]
    members, progressed, certified = statements(
        (sql[0], progress_sql, sql[2]), [[cohort.pk], progress, [cohort.course_id, cohort.pk]]
    )
    second = len(member) + len(person)
    found = [
        (user_id, name, email, joined_at, enrollment_id, last_activity, completed_at)
        for (user_id, joined_at, enrollment_id), (name, email), (last_activity, completed_at)
        in zip(member.values_of(members), person.values_of(members, len(member)),
               enrolment.values_of(members, second), strict=True)
    ]  # fmt: skip
    return CohortRows(
        members=found,
        progress=[
            (e, i, bool(done), score, bool(tried)) for e, i, done, score, tried in progressed
        ],
        certificates=[tuple(values) for values in certificate.values_of(certified)],
    )
