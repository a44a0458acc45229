from celery import shared_task


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
