"""CSV exports of a cohort's table: built in the request for a small cohort, by a worker for
a large one (``settings.COHORT_EXPORT_INLINE_MEMBERS``). UTF-8 with a BOM so spreadsheet
software shows Cyrillic; every text cell is neutralised against formula injection."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses.models import Cohort, CohortExport, Job
from courses.models.catalog import revision_text_fields
from courses.selectors.cohort_reports import cohort_rows, cohort_seats_taken, cohort_table
from courses.services.roster_csv import csv_render
from lms.models import User
from lms.outbox import enqueue_on_commit

STATUS_LABELS = {
    "not_started": lambda: _("Not started"),
    "in_progress": lambda: _("In progress"),
    "completed": lambda: _("Completed"),
}


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def cohort_csv(*, cohort: Cohort, language: str) -> tuple[bytes, int]:
    """The members' table as CSV bytes, and its number of rows."""
    with translation.override(language):
        table = cohort_table(cohort=cohort, language=language)
        header = [pgettext("person", "Name"), _("Email address"), _("Joined"), _("Status"),
                  _("Progress (%)"), _("Last activity"), _("Completed"),
                  _("Average quiz score"), _("Certificate"), _("Certificate link")]  # fmt: skip
        header += [quiz.title for quiz in table.quizzes]
        rows = []
        for row in cohort_rows(table=table, sort="name"):
            certificate = row.certificate
            rows.append(
                [row.name, row.email, _iso(row.joined_at),
                 STATUS_LABELS[row.status](), row.progress, _iso(row.last_activity),
                 _iso(row.completed_at), row.average_score,
                 certificate.get_status_display() if certificate else "",
                 settings.SITE_URL + certificate.get_absolute_url()
                 if certificate and certificate.issued else "",
                 *row.scores]
            )  # fmt: skip
    return csv_render(header, rows), len(rows)


def export_filename(cohort: Cohort) -> str:
    stamp = timezone.localdate().isoformat()
    return f"cohort-{cohort.pk}-{stamp}.csv"


def export_request(*, cohort: Cohort, user: User, language: str) -> CohortExport:
    """A finished export for a small cohort; a queued one for a large cohort."""
    with transaction.atomic():  # the export and its task, or neither
        export = CohortExport.objects.create(cohort=cohort, requested_by=user, language=language)
        inline = cohort_seats_taken(cohort=cohort) <= settings.COHORT_EXPORT_INLINE_MEMBERS
        if not inline:
            enqueue_on_commit("courses.cohort_export_build", export.pk)
    return export_build(export_id=export.pk) if inline else export


def export_build(*, export_id: int) -> CohortExport:
    export = (
        CohortExport.objects.select_related("cohort__organization", "cohort__course__live_revision")
        .defer("cohort__organization__logo", *revision_text_fields("cohort__course__live_revision"))
        .get(pk=export_id)
    )
    if export.status == Job.DONE:
        return export
    CohortExport.objects.filter(pk=export.pk).update(status=Job.RUNNING)
    content, count = cohort_csv(cohort=export.cohort, language=export.language)
    export.content, export.row_count = content, count
    export.status, export.finished_at = Job.DONE, timezone.now()
    export.save(update_fields=["content", "row_count", "status", "finished_at"])
    return export


def export_fail(*, export_id: int, error: str) -> None:
    CohortExport.objects.filter(pk=export_id).exclude(status=Job.DONE).update(
        status=Job.FAILED, error=error[:2000]
    )


def export_url(export: CohortExport) -> str:
    return reverse(
        "cohorts:export-download", kwargs={"cohort_id": export.cohort_id, "export_id": export.pk}
    )
