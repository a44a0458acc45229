from celery import shared_task
from django.db import InterfaceError, OperationalError


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


TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError, OSError)
MAX_RETRIES = 6


@shared_task(name="courses.certificate_issue", bind=True, max_retries=MAX_RETRIES,
             ignore_result=True)  # fmt: skip
def certificate_issue_task(self, certificate_id: int) -> None:
    """Issue one certificate. Transient failures (database, network) are retried with
    backoff; anything else, or too many retries, leaves it failed for staff to retry."""
    from courses.services.certificates import certificate_issue, certificate_mark_failed

    try:
        certificate_issue(certificate_id=certificate_id)
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            certificate_mark_failed(certificate_id=certificate_id, error=repr(exc))
            return
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc
    except Exception as exc:
        certificate_mark_failed(certificate_id=certificate_id, error=repr(exc))
        raise


@shared_task(name="courses.certificate_email", ignore_result=True)
def certificate_email_task(certificate_id: int) -> None:
    from courses.services.notifications import certificate_email_send

    certificate_email_send(certificate_id=certificate_id)


@shared_task(name="courses.certificates_sweep", ignore_result=True)
def certificates_sweep_task() -> None:
    from courses.services.certificates import certificates_sweep

    certificates_sweep()


@shared_task(name="courses.status_lists_refresh", ignore_result=True)
def status_lists_refresh_task() -> None:
    from courses.services.certificates import status_lists_refresh

    status_lists_refresh()


def _run(task, work, on_failure=None) -> None:
    """Run ``work()`` for ``task``: a transient failure (database, network) is retried with
    backoff; anything else, or the last retry's failure, is recorded by ``on_failure`` (so
    the page waiting on it says so) and raised for the worker's log."""
    try:
        work()
    except TRANSIENT as exc:
        if task.request.retries < task.max_retries:
            raise task.retry(exc=exc, countdown=min(600, 5 * 2**task.request.retries)) from exc
        if on_failure is not None:
            on_failure(repr(exc))
        raise
    except Exception as exc:
        if on_failure is not None:
            on_failure(repr(exc))
        raise


@shared_task(name="courses.cohort_upload_read", bind=True, max_retries=3, ignore_result=True)
def cohort_upload_read_task(self, upload_id: int) -> None:
    """Read and preview a large roster CSV."""
    from courses.models import CohortUpload, Job
    from courses.services.rosters import upload_fail, upload_preview

    upload = CohortUpload.objects.filter(pk=upload_id, status__in=[Job.PENDING, Job.RUNNING])
    upload = upload.select_related("cohort").first()
    if upload is not None:
        _run(self, lambda: upload_preview(upload=upload),
             lambda error: upload_fail(upload_id=upload_id, error=error))  # fmt: skip


@shared_task(name="courses.cohort_upload_apply", bind=True, max_retries=3, ignore_result=True)
def cohort_upload_apply_task(self, upload_id: int) -> None:
    """Apply a large previewed upload (one transaction: a retry starts from nothing)."""
    from courses.models import CohortUpload, Job
    from courses.services.rosters import upload_apply, upload_fail

    upload = CohortUpload.objects.filter(pk=upload_id, status=Job.APPLYING).first()
    if upload is not None:
        _run(self, lambda: upload_apply(upload=upload),
             lambda error: upload_fail(upload_id=upload_id, error=error))  # fmt: skip


@shared_task(name="courses.cohort_notify", bind=True, max_retries=MAX_RETRIES, ignore_result=True)
def cohort_notify_task(self, cohort_id: int) -> None:
    """Send a cohort's invitations and "you were added" e-mails still owed."""
    from courses.services.cohort_mail import cohort_notifications_send

    _run(self, lambda: cohort_notifications_send(cohort_id=cohort_id))


@shared_task(name="courses.cohort_message_send", bind=True, max_retries=MAX_RETRIES,
             ignore_result=True)  # fmt: skip
def cohort_message_send_task(self, message_id: int) -> None:
    from courses.services.cohort_mail import cohort_message_send

    _run(self, lambda: cohort_message_send(message_id=message_id))


@shared_task(name="courses.cohort_export_build", bind=True, max_retries=3, ignore_result=True)
def cohort_export_build_task(self, export_id: int) -> None:
    from courses.services.cohort_exports import export_build, export_fail

    _run(self, lambda: export_build(export_id=export_id),
         lambda error: export_fail(export_id=export_id, error=error))  # fmt: skip
