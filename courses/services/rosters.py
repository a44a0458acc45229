"""CSV uploads of a cohort's members: read and preview, then apply in one transaction.

A small file is read in the request; a large one (more than
``settings.COHORT_UPLOAD_INLINE_ROWS`` rows) by a worker, which records how far it got so the
page can show it. Applying classifies the rows again against the database as it is then (the
preview may be minutes old) and writes everything or nothing.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.models import (
    Cohort,
    CohortInvitation,
    CohortMembership,
    CohortUpload,
    Enrollment,
    Job,
)
from courses.services.roster_csv import RosterError, RosterRow, roster_read
from lms.models import User
from lms.outbox import enqueue_on_commit

PROGRESS_EVERY = 500  # rows between progress updates when a worker reads a file
LOOKUP_CHUNK = 1000  # addresses per database lookup
PREVIEW_ROWS = 100  # rows shown per group on the preview page

NEW, EXISTING, ALREADY, INVALID = "new", "existing", "already", "invalid"


def upload_create(
    *, cohort: Cohort, user: User, filename: str, data: bytes, language: str
) -> CohortUpload:
    """Store the file and read it: here when it is small, by a worker when it is large."""
    upload = CohortUpload.objects.create(
        cohort=cohort, uploaded_by=user, filename=filename[:200], text="",
        preview={"language": language},
    )  # fmt: skip
    try:
        roster = roster_read(data)
    except RosterError as exc:
        upload.status, upload.error = Job.FAILED, str(exc)
        upload.save(update_fields=["status", "error"])
        return upload
    upload.encoding = roster.encoding
    upload.text = roster.text
    upload.total_rows = len(roster.rows)
    with transaction.atomic():  # the file and its task, or neither
        upload.save(update_fields=["encoding", "text", "total_rows"])
        queued = upload.total_rows > settings.COHORT_UPLOAD_INLINE_ROWS
        if queued:
            enqueue_on_commit("courses.cohort_upload_read", upload.pk)
    if not queued:
        upload_preview(upload=upload, rows=roster.rows)
    return upload


def _rows(upload: CohortUpload) -> list[RosterRow]:
    with override(upload.preview.get("language") or settings.LANGUAGE_CODE):
        return roster_read(upload.text.encode("utf-8")).rows


def _classify(cohort: Cohort, rows: list[RosterRow], report=None) -> dict[str, list]:
    """Rows grouped by what applying would do: enrol a new member (existing account), invite
    (no account), nothing (already a member or invited), or nothing (invalid)."""
    groups: dict[str, list] = {NEW: [], EXISTING: [], ALREADY: [], INVALID: []}
    valid = [row for row in rows if not row.problem]
    groups[INVALID] = [row for row in rows if row.problem]
    for start in range(0, len(valid), LOOKUP_CHUNK):
        chunk = valid[start : start + LOOKUP_CHUNK]
        emails = [row.email for row in chunk]
        users = dict(
            User.objects.annotate(lower=Lower("email"))
            .filter(lower__in=emails)
            .values_list("lower", "pk")
        )
        members = set(
            CohortMembership.objects.filter(
                cohort=cohort, user_id__in=users.values(), removed_at__isnull=True
            ).values_list("user_id", flat=True)
        )
        invited = set(
            CohortInvitation.objects.annotate(lower=Lower("email"))
            .filter(cohort=cohort, lower__in=emails)
            .values_list("lower", flat=True)
        )
        for row in chunk:
            user_id = users.get(row.email)
            if user_id is not None:
                groups[ALREADY if user_id in members else EXISTING].append((row, user_id))
            else:
                groups[ALREADY if row.email in invited else NEW].append((row, None))
        if report is not None:
            report(len(groups[INVALID]) + start + len(chunk))
    return groups


def upload_preview(*, upload: CohortUpload, rows: list[RosterRow] | None = None) -> CohortUpload:
    """Classify the rows and keep a preview; nothing else is written."""
    if rows is None:
        rows = _rows(upload)

    def report(done: int) -> None:
        CohortUpload.objects.filter(pk=upload.pk).update(processed_rows=min(done, len(rows)))

    CohortUpload.objects.filter(pk=upload.pk).update(status=Job.RUNNING)
    groups = _classify(upload.cohort, rows, report if len(rows) > PROGRESS_EVERY else None)
    upload.preview = {
        **upload.preview,
        "counts": {name: len(group) for name, group in groups.items()},
        "rows": {
            name: [_shown(item) for item in group[:PREVIEW_ROWS]] for name, group in groups.items()
        },
    }
    upload.processed_rows = len(rows)
    upload.status = Job.READY
    upload.save(update_fields=["preview", "processed_rows", "status"])
    return upload


def _shown(item) -> dict:
    row = item[0] if isinstance(item, tuple) else item
    return {"line": row.line, "email": row.email, "name": row.name, "problem": row.problem,
            "params": row.params}  # fmt: skip


def upload_apply_request(*, upload: CohortUpload) -> CohortUpload:
    """Apply a previewed upload: here when it is small, by a worker when it is large. Only a
    previewed upload is applied, and only once (a double click changes nothing)."""
    with transaction.atomic():  # claimed and queued, or neither
        claimed = CohortUpload.objects.filter(pk=upload.pk, status=Job.READY).update(
            status=Job.APPLYING
        )
        upload.refresh_from_db()
        queued = claimed and upload.total_rows > settings.COHORT_UPLOAD_INLINE_ROWS
        if queued:
            enqueue_on_commit("courses.cohort_upload_apply", upload.pk)
    if not claimed or queued:
        return upload
    return upload_apply(upload=upload)


def upload_apply(*, upload: CohortUpload) -> CohortUpload:
    """Enrol the existing accounts and invite the others, all in one transaction."""
    cohort = Cohort.objects.select_related("course").get(pk=upload.cohort_id)
    if cohort.course.live_revision_id is None:
        upload.status, upload.error = Job.FAILED, _("The course is not published yet.")
        upload.save(update_fields=["status", "error"])
        return upload
    rows = _rows(upload)
    with transaction.atomic():
        counts = roster_apply(cohort=cohort, rows=rows)
        upload.preview = {**upload.preview, "applied": counts}
        upload.status, upload.applied_at, upload.error = Job.DONE, timezone.now(), ""
        upload.save(update_fields=["preview", "status", "applied_at", "error"])
    return upload


@transaction.atomic
def roster_apply(*, cohort: Cohort, rows: list[RosterRow],
                 via: str = CohortMembership.Via.UPLOAD) -> dict[str, int]:  # fmt: skip
    """Enrol the rows with an account, invite the others (e-mails go after commit), and say
    how many of each: ``{"existing": …, "new": …, "already": …, "invalid": …}``."""
    groups = _classify(cohort, rows)
    user_ids = [user_id for _row, user_id in groups[EXISTING]]
    Enrollment.objects.bulk_create(
        [Enrollment(user_id=pk, course_id=cohort.course_id) for pk in user_ids],
        ignore_conflicts=True,
    )
    enrollments = dict(
        Enrollment.objects.filter(course_id=cohort.course_id, user_id__in=user_ids)
        .values_list("user_id", "pk")
    )  # fmt: skip
    CohortMembership.objects.filter(cohort=cohort, user_id__in=user_ids).update(
        removed_at=None, via=via, notified_at=None
    )
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohort, user_id=pk, enrollment_id=enrollments[pk], via=via)
         for pk in user_ids],
        ignore_conflicts=True,
    )  # fmt: skip
    CohortInvitation.objects.bulk_create(
        [CohortInvitation(cohort=cohort, email=row.email, name=row.name)
         for row, _none in groups[NEW]],
        ignore_conflicts=True,
    )  # fmt: skip
    if groups[EXISTING] or groups[NEW]:
        enqueue_on_commit("courses.cohort_notify", cohort.pk)
    return dict(Counter({name: len(group) for name, group in groups.items()}))


def upload_fail(*, upload_id: int, error: str) -> None:
    CohortUpload.objects.filter(pk=upload_id).exclude(status=Job.DONE).update(
        status=Job.FAILED, error=error[:2000]
    )
