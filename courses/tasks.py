"""Thin Celery tasks: load by id, call one service.

Retrying is Celery's: a transient failure (lms.retry.TRANSIENT: the database, the network,
SMTP) is retried with backoff and jitter up to ``max_retries``; a task that fails for good
records it in ``on_failure`` (the page waiting on the job says so, staff see it in the
admin). Each task is idempotent, since the outbox may deliver it twice (lms/outbox.py).
"""

from celery import shared_task

from lms.retry import RETRY

MAX_RETRIES = 6


@shared_task(name="courses.import_run_execute", ignore_result=True)
def import_run_execute_task(import_run_id: int) -> None:
    """Run a queued import. A redelivered task (its worker died) runs it again: the import is
    one transaction, so the first attempt left nothing behind; a finished run is skipped."""
    from courses.models import ImportRun
    from courses.services.publishing import import_run_execute

    run = ImportRun.objects.filter(
        pk=import_run_id, status__in=[ImportRun.Status.PENDING, ImportRun.Status.RUNNING]
    ).first()
    if run is not None:
        import_run_execute(run=run)


def _certificate_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    from courses.services.certificates import certificate_mark_failed

    certificate_mark_failed(certificate_id=args[0], error=repr(exc))


@shared_task(name="courses.certificate_issue", max_retries=MAX_RETRIES, ignore_result=True,
             on_failure=_certificate_failed, **RETRY)  # fmt: skip
def certificate_issue_task(certificate_id: int) -> None:
    """Issue one certificate. Anything but a transient failure, or too many retries, leaves
    it failed for staff to retry in the admin."""
    from courses.services.certificates import certificate_issue

    certificate_issue(certificate_id=certificate_id)


@shared_task(name="courses.certificate_email", max_retries=MAX_RETRIES, ignore_result=True,
             **RETRY)  # fmt: skip
def certificate_email_task(certificate_id: int) -> None:
    """Write the learner's e-mail (once per certificate) and queue it."""
    from courses.services.notifications import certificate_email_send

    certificate_email_send(certificate_id=certificate_id)


@shared_task(name="courses.certificates_sweep", ignore_result=True)
def certificates_sweep_task() -> None:
    from courses.services.certificates import certificates_sweep

    certificates_sweep()


@shared_task(name="courses.status_lists_refresh", max_retries=MAX_RETRIES, ignore_result=True,
             **RETRY)  # fmt: skip
def status_lists_refresh_task() -> None:
    from courses.services.certificates import status_lists_refresh

    status_lists_refresh()


def _upload_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    from courses.services.rosters import upload_fail

    upload_fail(upload_id=args[0], error=repr(exc))


@shared_task(name="courses.cohort_upload_read", max_retries=3, ignore_result=True,
             on_failure=_upload_failed, **RETRY)  # fmt: skip
def cohort_upload_read_task(upload_id: int) -> None:
    """Read and preview a large roster CSV."""
    from courses.models import CohortUpload, Job
    from courses.services.rosters import upload_preview

    upload = CohortUpload.objects.filter(pk=upload_id, status__in=[Job.PENDING, Job.RUNNING])
    upload = upload.select_related("cohort").first()
    if upload is not None:
        upload_preview(upload=upload)


@shared_task(name="courses.cohort_upload_apply", max_retries=3, ignore_result=True,
             on_failure=_upload_failed, **RETRY)  # fmt: skip
def cohort_upload_apply_task(upload_id: int) -> None:
    """Apply a large previewed upload (one transaction: a retry starts from nothing)."""
    from courses.models import CohortUpload, Job
    from courses.services.rosters import upload_apply

    upload = CohortUpload.objects.filter(pk=upload_id, status=Job.APPLYING).first()
    if upload is not None:
        upload_apply(upload=upload)


@shared_task(name="courses.cohort_notify", max_retries=MAX_RETRIES, ignore_result=True,
             **RETRY)  # fmt: skip
def cohort_notify_task(cohort_id: int) -> None:
    """Send a cohort's invitations and "you were added" e-mails still owed."""
    from courses.services.cohort_mail import cohort_notifications_send

    cohort_notifications_send(cohort_id=cohort_id)


@shared_task(name="courses.cohort_message_send", max_retries=MAX_RETRIES, ignore_result=True,
             **RETRY)  # fmt: skip
def cohort_message_send_task(message_id: int) -> None:
    from courses.services.cohort_mail import cohort_message_send

    cohort_message_send(message_id=message_id)


def _export_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    from courses.services.cohort_exports import export_fail

    export_fail(export_id=args[0], error=repr(exc))


@shared_task(name="courses.cohort_export_build", max_retries=3, ignore_result=True,
             on_failure=_export_failed, **RETRY)  # fmt: skip
def cohort_export_build_task(export_id: int) -> None:
    from courses.services.cohort_exports import export_build

    export_build(export_id=export_id)


@shared_task(name="courses.import_run_notify", max_retries=MAX_RETRIES, ignore_result=True,
             **RETRY)  # fmt: skip
def import_run_notify_task(import_run_id: int) -> None:
    """E-mail the outcome of a push's import to the people responsible (once per run)."""
    from courses.services.import_mail import import_run_notify

    import_run_notify(import_run_id=import_run_id)


@shared_task(name="courses.previews_prune", max_retries=3, ignore_result=True, **RETRY)
def previews_prune_task(source_id: int | None = None, deleted_branch: str = "") -> None:
    """Remove superseded, expired and deleted branches' previews (after each preview import
    and branch deletion; with no source, of every source, as a periodic sweep)."""
    from courses.services.previews import previews_prune

    previews_prune(source_id=source_id, deleted_branch=deleted_branch)
