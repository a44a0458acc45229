"""Reads for following a cohort: the members' table with its charts, one member's
item-by-item history, uploads, invitations and messages.

The members' table runs the same handful of statements for 10 members or 1,000, in one round
trip (`courses.selectors.rows`): members, items done per member and per item, quiz scores and
certificates, counted by the database and put together here; the items and their titles come
from the revision's kept outline. The table is kept in the process per cohort, revision,
language and the stamp of what it shows (`cohort_rows.cohort_stamp_read`, one statement), so
an instructor's next page, sort or filter reads one short row instead of a few thousand,
and any change of a member's data is a new stamp. Who may read it is decided first, in
`courses.selectors.cohort_access`.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Certificate,
    Cohort,
    CohortExport,
    CohortInvitation,
    CohortMembership,
    CohortMessage,
    CohortUpload,
    ItemType,
    Organization,
)
from courses.selectors.cohort_rows import cohort_rows_read, cohort_stamp_read
from courses.selectors.outlines import revision_outline
from lms.memo import Memo
from lms.models import User

INACTIVE_AFTER = datetime.timedelta(days=7)
PAGE_SIZE = 100
STATUSES = ("not_started", "in_progress", "completed", "inactive")
SORTS = ("name", "email", "progress", "activity", "score", "certificate", "joined")
SCORE_BUCKETS = 10


@dataclass(frozen=True)
class ItemColumn:
    item_id: int
    key: str
    type: str
    title: str


def _revision_key(cohort: Cohort) -> str:
    revision = cohort.course.live_revision
    return f"{revision.pk}.{revision.uid.hex}" if revision else ""


def cohort_items(cohort: Cohort, language: str) -> list[ItemColumn]:
    """Items of the course's live revision in order, titled in ``language``: its outline,
    kept once read (`courses.selectors.outlines`)."""
    revision = _revision_key(cohort)
    if not revision:
        return []
    outline = revision_outline(revision, language)
    return [ItemColumn(e.item_id, e.key, e.type, e.title) for e in outline.entries]


@dataclass
class MemberRow:
    """One current member; plain values, so a table of 1,000 builds no model instances."""

    user_id: int
    name: str  # as the learner wrote it; may be empty
    email: str
    joined_at: datetime.datetime
    enrollment_id: int
    last_activity: datetime.datetime | None
    completed_at: datetime.datetime | None
    done: int = 0
    progress: int = 0
    scores: list[int | None] = field(default_factory=list)  # per quiz column
    average_score: int | None = None
    certificate: CertificateState | None = None
    status: str = "not_started"
    inactive: bool = False

    @property
    def display_name(self) -> str:
        return self.name or self.email


@dataclass(frozen=True)
class CertificateState:
    public_id: object
    status: str

    @property
    def issued(self) -> bool:
        return self.status == Certificate.Status.ISSUED

    def get_status_display(self) -> str:
        return str(Certificate.Status(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("courses:verify", kwargs={"public_id": self.public_id})


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the members


@dataclass
class CohortTable:
    """Read only once built: a kept table is shared by the requests that find it."""

    cohort: Cohort
    items: list[ItemColumn]
    quizzes: list[ItemColumn]
    rows: list[MemberRow]  # every current member, unsorted
    counts: dict[str, int]
    item_completion: list[Bar]
    score_distribution: list[Bar]
    # When the first member not yet inactive becomes so (7 days after their last activity):
    # the table is right until then, unless the stamp changes.
    right_until: datetime.datetime | None = None
    version: str = ""  # another for every table built: what a page kept of it is kept under

    @property
    def member_count(self) -> int:
        return len(self.rows)


# Tables of the cohorts followed lately, in this process (a small object per member);
# instructors come back to the same cohort page after page (docs/performance.md).
_kept: Memo[CohortTable] = Memo(16)


def cohort_table(*, cohort: Cohort, language: str) -> CohortTable:
    """Every current member with progress, last activity, quiz scores and certificate: kept
    per cohort, revision, language and the stamp of its members' data, built otherwise
    (`cohort_table_build`)."""
    stamp = hashlib.blake2b(cohort_stamp_read(cohort=cohort).encode(), digest_size=16)
    key = (cohort.pk, cohort.course_id, _revision_key(cohort), language, stamp.digest())
    table = _kept.get(key)
    if table is None or (table.right_until and timezone.now() >= table.right_until):
        table = cohort_table_build(cohort=cohort, language=language)
        table.version = f"{stamp.hexdigest()}.{uuid.uuid4().hex}"
        _kept.put(key, table)
    return dataclasses.replace(table, cohort=cohort)


def cohort_table_build(*, cohort: Cohort, language: str) -> CohortTable:
    """Every current member with progress, last activity, quiz scores and certificate: the
    items from the revision's kept outline, the learners' data in one round trip."""
    items = cohort_items(cohort, language)
    quizzes = [item for item in items if item.type == ItemType.QUIZ]
    read = cohort_rows_read(cohort=cohort, item_ids=[item.item_id for item in items])
    rows = {fields[4]: MemberRow(*fields) for fields in read.members}
    quiz_ids = {quiz.item_id for quiz in quizzes}
    done_per_item: dict[int, int] = {}
    scores: dict[int, dict[int, int | None]] = {}
    for enrollment_id, item_id, done, best_score, attempted in read.progress:
        if done:
            done_per_item[item_id] = done_per_item.get(item_id, 0) + 1
            if enrollment_id in rows:
                rows[enrollment_id].done += 1
        if attempted and item_id in quiz_ids:
            scores.setdefault(enrollment_id, {})[item_id] = best_score
    certificates = {
        user_id: CertificateState(public_id, status)
        for user_id, public_id, status in read.certificates
    }
    now = timezone.now()
    total = len(items)
    counts = dict.fromkeys(STATUSES, 0)
    right_until: datetime.datetime | None = None
    for row in rows.values():
        row.progress = int(100 * row.done / total) if total else 0
        mine = scores.get(row.enrollment_id, {})
        row.scores = [mine.get(q.item_id) for q in quizzes]
        taken = [s or 0 for s in row.scores if s is not None]
        row.average_score = round(sum(taken) / len(taken)) if taken else None
        row.certificate = certificates.get(row.user_id)
        if row.completed_at:
            row.status = "completed"
        elif row.done or mine:
            row.status = "in_progress"
        since = row.last_activity or row.joined_at
        row.inactive = row.status != "completed" and now - since > INACTIVE_AFTER
        if row.status != "completed" and not row.inactive:
            turns = since + INACTIVE_AFTER
            right_until = turns if right_until is None else min(right_until, turns)
        counts[row.status] += 1
        counts["inactive"] += row.inactive
    member_count = len(rows) or 1  # a divisor
    item_completion = [
        Bar(item.title, done_per_item.get(item.item_id, 0),
            round(100 * done_per_item.get(item.item_id, 0) / member_count))
        for item in items
    ]  # fmt: skip
    buckets = [0] * SCORE_BUCKETS
    for row in rows.values():
        if row.average_score is not None:
            buckets[min(row.average_score * SCORE_BUCKETS // 100, SCORE_BUCKETS - 1)] += 1
    width = 100 // SCORE_BUCKETS
    score_distribution = [
        Bar(f"{i * width}–{100 if i == SCORE_BUCKETS - 1 else (i + 1) * width - 1}",
            count, round(100 * count / member_count))
        for i, count in enumerate(buckets)
    ]  # fmt: skip
    return CohortTable(
        cohort=cohort,
        items=items,
        quizzes=quizzes,
        rows=list(rows.values()),
        counts=counts,
        item_completion=item_completion,
        score_distribution=score_distribution,
        right_until=right_until,
    )


def _sort_key(sort: str):
    far_past = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    keys = {
        "name": lambda r: (r.display_name.casefold(),),
        "email": lambda r: (r.email.casefold(),),
        "progress": lambda r: (r.progress, r.completed_at or far_past),
        "activity": lambda r: (r.last_activity or far_past,),
        "score": lambda r: (-1 if r.average_score is None else r.average_score,),
        "certificate": lambda r: (r.certificate.status if r.certificate else "",),
        "joined": lambda r: (r.joined_at,),
    }
    return keys[sort]


def cohort_rows(*, table: CohortTable, status: str = "", sort: str = "name") -> list[MemberRow]:
    """The table's rows, filtered by status (or inactivity) and sorted; ``sort`` may start
    with "-" for descending order. Unknown values fall back to all rows by name."""
    rows = table.rows
    if status == "inactive":
        rows = [row for row in rows if row.inactive]
    elif status in STATUSES:
        rows = [row for row in rows if row.status == status]
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if sort not in SORTS:
        sort, descending = "name", False
    return sorted(rows, key=_sort_key(sort), reverse=descending)


def cohort_upload(*, cohort: Cohort, upload_id: int) -> CohortUpload:
    """An upload of the cohort, without its text (404 for another cohort's)."""
    upload = CohortUpload.objects.defer("text").filter(pk=upload_id, cohort=cohort).first()
    if upload is None:
        raise Http404
    return upload


def cohort_export(*, cohort: Cohort, export_id: int, content: bool = False) -> CohortExport:
    """An export of the cohort, with its file only when asked (404 for another cohort's)."""
    exports = CohortExport.objects.all() if content else CohortExport.objects.defer("content")
    export = exports.filter(pk=export_id, cohort=cohort).first()
    if export is None:
        raise Http404
    return export


def cohort_membership(*, cohort: Cohort, user_id: int) -> CohortMembership | None:
    """The current membership of user ``user_id`` in the cohort, with the user."""
    return (
        CohortMembership.objects.select_related("user")
        .filter(cohort=cohort, user_id=user_id, removed_at__isnull=True)
        .first()
    )


def cohort_member(*, cohort: Cohort, user: User | AnonymousUser) -> bool:
    """Whether ``user`` is a current member of the cohort."""
    return (
        user.is_authenticated
        and CohortMembership.objects.filter(
            cohort=cohort, user=user, removed_at__isnull=True
        ).exists()
    )


def cohort_uploads(*, cohort: Cohort, limit: int = 5) -> list[CohortUpload]:
    return list(CohortUpload.objects.filter(cohort=cohort).defer("text")[:limit])


def cohort_invitations_pending(*, cohort: Cohort, limit: int = 50) -> tuple[int, list]:
    """How many invited addresses have not signed up yet, and the oldest of them."""
    pending = CohortInvitation.objects.filter(cohort=cohort, accepted_at__isnull=True)
    return pending.count(), list(pending.order_by("created_at")[:limit])


def cohort_messages(*, cohort: Cohort, limit: int = 10) -> list[CohortMessage]:
    return list(CohortMessage.objects.filter(cohort=cohort).select_related("sender")[:limit])


def cohort_seats_taken(*, cohort: Cohort) -> int:
    return CohortMembership.objects.filter(cohort=cohort, removed_at__isnull=True).count()


def cohort_university_for_certificate(*, enrollment, language: str) -> str:
    """The university's name for a certificate earned through a cohort: the learner is a
    current member of a cohort of this course and completed it by the cohort's certificate
    deadline (if it has one). Empty otherwise."""
    completed = enrollment.completed_at or timezone.now()
    day = timezone.localdate(completed)
    membership = (
        CohortMembership.objects.filter(
            enrollment=enrollment, removed_at__isnull=True, cohort__course_id=enrollment.course_id
        )
        .filter(
            Q(cohort__certificate_deadline__isnull=True) | Q(cohort__certificate_deadline__gte=day)
        )
        .select_related("cohort__organization")
        .defer("cohort__organization__logo")
        .order_by("joined_at")
        .first()
    )
    return membership.cohort.organization.name_in(language)[:200] if membership else ""


def organization_logo(*, slug: str, sha256: str) -> tuple[bytes, str] | None:
    row = (
        Organization.objects.filter(slug=slug, logo_sha256=sha256)
        .exclude(logo__isnull=True)
        .values_list("logo", "logo_type")
        .first()
    )
    if row is None:
        return None
    logo, logo_type = row
    assert logo is not None  # excluded above
    return bytes(logo), logo_type
