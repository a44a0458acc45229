"""/api/v1/cohorts/: the cohort pages' data for universities' own systems, with the same roles
(courses.selectors.cohort_access): a cohort the caller may not follow is 404, managing one they only
follow is 403. Authentication as for the rest of the API (a personal token or the session)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from courses.api.base import Error, LangParam, Language, error
from courses.models import CohortMembership
from courses.selectors import cohort_access, cohort_reports, member_history
from courses.services.cohorts import cohort_member_remove
from courses.services.roster_csv import RosterRow
from courses.services.rosters import roster_apply

router = Router(tags=["cohorts"])
MAX_EMAILS = 1000


class OrganizationOut(Schema):
    slug: str
    name: str


class CohortOut(Schema):
    id: int
    name: str
    organization: OrganizationOut
    course: str
    language: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    certificate_deadline: datetime.date | None
    can_manage: bool
    url: str


def _cohort_out(cohort, language: str, can_manage: bool) -> dict:
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "organization": {
            "slug": cohort.organization.slug,
            "name": cohort.organization.name_in(language),
        },
        "course": cohort.course.slug,
        "language": cohort.language,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "certificate_deadline": cohort.certificate_deadline,
        "can_manage": can_manage,
        "url": settings.SITE_URL + cohort.get_absolute_url(),
    }


@router.get(
    "",
    response={200: list[CohortOut], 400: Error, 401: Error},
    summary="Cohorts I follow (as instructor, organisation administrator, staff)",
)
def cohort_list(request: HttpRequest, params: Query[LangParam]):
    managed = cohort_access.organization_ids_managed(user=request.user)
    return Status(200, [
        _cohort_out(c, params.lang, c.organization_id in managed)
        for c in cohort_access.cohorts_visible(user=request.user)
    ])  # fmt: skip


class ItemOut(Schema):
    id: str
    type: str
    title: str


class BarOut(Schema):
    label: str
    count: int
    percent: int


class CohortDetailOut(CohortOut):
    members: int
    counts: dict[str, int]
    items: list[ItemOut]
    item_completion: list[BarOut]
    score_distribution: list[BarOut]


@router.get("/{cohort_id}", response={200: CohortDetailOut, 400: Error, 401: Error, 404: Error},
            summary="A cohort with its counts and charts")  # fmt: skip
def cohort_detail(request: HttpRequest, cohort_id: int, params: Query[LangParam]):
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    table = cohort_reports.cohort_table(cohort=cohort, language=params.lang)
    return Status(200, {
        **_cohort_out(cohort, params.lang, cohort.can_manage),
        "members": table.member_count,
        "counts": table.counts,
        "items": [{"id": i.key, "type": i.type, "title": i.title} for i in table.items],
        "item_completion": [bar.__dict__ for bar in table.item_completion],
        "score_distribution": [bar.__dict__ for bar in table.score_distribution],
    })  # fmt: skip


class CertificateStateOut(Schema):
    status: str
    verify_url: str | None


class MemberOut(Schema):
    user_id: int
    name: str
    email: str
    joined_at: datetime.datetime
    status: str = Field(description="not_started, in_progress or completed")
    inactive: bool = Field(description="no activity for 7 days and not completed")
    progress: int
    last_activity_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    average_score: int | None
    quiz_scores: dict[str, int | None] = Field(description="best score per quiz id")
    certificate: CertificateStateOut | None


class MemberFilters(Schema):
    lang: Language = "ky"
    status: str | None = Field(None, description="not_started, in_progress, completed, inactive")
    sort: str = Field("name", description="name, email, progress, activity, score, certificate "
                                          "or joined; a leading - sorts descending")  # fmt: skip


def _member_out(row, quizzes) -> dict:
    certificate = row.certificate
    return {
        "user_id": row.user_id,
        "name": row.display_name,
        "email": row.email,
        "joined_at": row.joined_at,
        "status": row.status,
        "inactive": row.inactive,
        "progress": row.progress,
        "last_activity_at": row.last_activity,
        "completed_at": row.completed_at,
        "average_score": row.average_score,
        "quiz_scores": {q.key: s for q, s in zip(quizzes, row.scores, strict=True)},
        "certificate": {
            "status": certificate.status,
            "verify_url": settings.SITE_URL + certificate.get_absolute_url()
            if certificate.issued else None,
        } if certificate else None,
    }  # fmt: skip


@router.get("/{cohort_id}/members",
            response={200: list[MemberOut], 400: Error, 401: Error, 404: Error},
            summary="The members' table: progress, activity, quiz scores, certificate")  # fmt: skip
def cohort_members(request: HttpRequest, cohort_id: int, params: Query[MemberFilters]):
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    table = cohort_reports.cohort_table(cohort=cohort, language=params.lang)
    rows = cohort_reports.cohort_rows(table=table, status=params.status or "", sort=params.sort)
    return Status(200, [_member_out(row, table.quizzes) for row in rows])


class AttemptOut(Schema):
    number: int
    score: int
    passed: bool
    submitted_at: datetime.datetime


class HistoryItemOut(Schema):
    id: str
    type: str
    title: str
    state: str
    completed_at: datetime.datetime | None
    best_score: int | None
    attempts: list[AttemptOut]


class MemberHistoryOut(Schema):
    user_id: int
    name: str
    email: str
    joined_at: datetime.datetime
    removed_at: datetime.datetime | None
    progress: int
    items: list[HistoryItemOut]


@router.get("/{cohort_id}/members/{user_id}",
            response={200: MemberHistoryOut, 400: Error, 401: Error, 404: Error},
            summary="One member's item-by-item history")  # fmt: skip
def cohort_member(request: HttpRequest, cohort_id: int, user_id: int, params: Query[LangParam]):
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id)
    history = member_history.member_history(cohort=cohort, user_id=user_id, language=params.lang)
    membership = history.membership
    return Status(200, {
        "user_id": membership.user.pk,
        "name": membership.user.get_full_name(),
        "email": membership.user.email,
        "joined_at": membership.joined_at,
        "removed_at": membership.removed_at,
        "progress": history.progress,
        "items": [{
            "id": entry.column.key, "type": entry.column.type, "title": entry.column.title,
            "state": entry.state,
            "completed_at": entry.progress.completed_at if entry.progress else None,
            "best_score": entry.progress.best_score if entry.progress else None,
            "attempts": [{"number": a.number, "score": a.score, "passed": a.passed,
                          "submitted_at": a.created_at} for a in entry.attempts],
        } for entry in history.items],
    })  # fmt: skip


class MembersIn(Schema):
    emails: list[str] = Field(..., min_length=1, max_length=MAX_EMAILS)


class MembersAddedOut(Schema):
    enrolled: int = Field(description="accounts enrolled now")
    invited: int = Field(description="addresses without an account, invited by e-mail")
    already: int = Field(description="members or invited before")
    invalid: list[str] = Field(description="entries that are not e-mail addresses")


@router.post("/{cohort_id}/members",
             response={200: MembersAddedOut, 400: Error, 401: Error, 403: Error, 404: Error},
             summary="Enrol accounts, invite addresses (organisation administrators)")  # fmt: skip
def cohort_members_add(request: HttpRequest, cohort_id: int, payload: MembersIn,
                       params: Query[LangParam]):  # fmt: skip
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    rows = []
    invalid = []
    seen = set()
    for number, raw in enumerate(payload.emails, start=1):
        email = raw.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(raw)
            continue
        if email not in seen:
            seen.add(email)
            rows.append(RosterRow(line=number, email=email, name=""))
    counts = roster_apply(cohort=cohort, rows=rows, via=CohortMembership.Via.API)
    return Status(200, {"enrolled": counts["existing"], "invited": counts["new"],
                        "already": counts["already"], "invalid": invalid})  # fmt: skip


@router.delete("/{cohort_id}/members/{user_id}",
               response={204: None, 400: Error, 401: Error, 403: Error, 404: Error},
               summary="Remove a member (their progress and certificate are kept)")  # fmt: skip
def cohort_member_delete(request: HttpRequest, cohort_id: int, user_id: int,
                         params: Query[LangParam]):  # fmt: skip
    cohort = cohort_access.cohort_for(user=request.user, cohort_id=cohort_id, manage=True)
    membership = cohort_reports.cohort_membership(cohort=cohort, user_id=user_id)
    if membership is None:
        return error(request, 404, "not_found", _("This person is not a member of the cohort."))
    cohort_member_remove(membership=membership)
    return Status(204, None)
