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
