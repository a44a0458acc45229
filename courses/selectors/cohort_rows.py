"""The learners' data of a cohort's members' table, in one round trip, and its stamp.

Three statements (`courses.selectors.rows`): the current members with their name, address and
enrolment; their progress rows on the items asked for (the live revision's: a few thousand
small rows, counted in Python); certificates. Written as SQL once: built with the ORM,
these queries cost more to compile than to run (docs/performance.md).

The stamp (`cohort_stamp_read`) is everything of the members and their certificates that the
table shows, as one text the database writes: the members' ids, names, addresses, join,
last-activity and completion times, and their certificates' ids and states. A learner's
progress is not in it: every write of progress also moves the enrolment's last activity in
the same transaction (`courses.services.learning`), so the stamp changes with it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

from courses.models import Certificate, Cohort, CohortMembership, Enrollment
from courses.selectors.prepared import prepared_rows
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


# One row: every current member's fields, then their certificates', joined by control
# characters that a name cannot hold (`courses.credentials.names`); NULL as "~".
_STAMP = {
    "postgresql": (
        "SELECT (SELECT string_agg(concat_ws(chr(31), m.id, m.user_id, m.enrollment_id,"
        " m.joined_at, x.name, x.email, coalesce(x.last_activity_at::text, '~'),"
        " coalesce(x.completed_at::text, '~')), chr(30) ORDER BY m.id)"
        " FROM courses_cohortmembership m CROSS JOIN LATERAL (SELECT u.name, u.email,"
        " e.last_activity_at, e.completed_at FROM lms_user u, courses_enrollment e"
        " WHERE u.id = m.user_id AND e.id = m.enrollment_id OFFSET 0) x"
        " WHERE m.cohort_id = %s AND m.removed_at IS NULL),"
        " (SELECT string_agg(concat_ws(chr(31), ce.id, ce.user_id, ce.public_id, ce.status),"
        " chr(30) ORDER BY ce.id) FROM courses_certificate ce WHERE ce.course_id = %s"
        " AND ce.user_id IN (SELECT m2.user_id FROM courses_cohortmembership m2"
        " WHERE m2.cohort_id = %s AND m2.removed_at IS NULL))"
    ),
    "other": (
        "SELECT (SELECT group_concat(v, char(30)) FROM (SELECT m.id || char(31) || m.user_id"
        " || char(31) || m.enrollment_id || char(31) || m.joined_at || char(31) || u.name"
        " || char(31) || u.email || char(31) || coalesce(e.last_activity_at, '~') || char(31)"
        " || coalesce(e.completed_at, '~') AS v FROM courses_cohortmembership m"
        " JOIN lms_user u ON u.id = m.user_id JOIN courses_enrollment e ON e.id = m.enrollment_id"
        " WHERE m.cohort_id = %s AND m.removed_at IS NULL ORDER BY m.id)),"
        " (SELECT group_concat(v, char(30)) FROM (SELECT ce.id || char(31) || ce.user_id"
        " || char(31) || ce.public_id || char(31) || ce.status AS v FROM courses_certificate ce"
        " WHERE ce.course_id = %s AND ce.user_id IN (SELECT m2.user_id"
        " FROM courses_cohortmembership m2 WHERE m2.cohort_id = %s AND m2.removed_at IS NULL)"
        " ORDER BY ce.id))"
    ),
}


def cohort_stamp_read(*, cohort: Cohort) -> str:
    """What the members' table shows of ``cohort``'s members and certificates, as one text:
    equal texts, equal tables (for the same items)."""
    from django.db import connection

    sql = _STAMP.get(connection.vendor, _STAMP["other"])
    ((members, certificates),) = prepared_rows(sql, [cohort.pk, cohort.course_id, cohort.pk])
    return f"{members or ''}\x1d{certificates or ''}"


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
