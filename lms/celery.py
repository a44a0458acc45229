"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender, **kwargs) -> None:
    """Kombu's filesystem transport needs its folders; create them before first use."""
    from pathlib import Path

    options = sender.conf.broker_transport_options or {}
    if sender.conf.broker_url and sender.conf.broker_url.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = sender.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@task_prerun.connect
@task_postrun.connect
def _drop_unusable_connections(task=None, **kwargs) -> None:
    """With CELERY_DB_REUSE_MAX, connections outlive tasks: as for a web request, replace one
    that broke (a restarted server) or passed CONN_MAX_AGE. Not for a task run eagerly inside
    someone else's transaction (tests), whose connection is not ours to close."""
    from django.db import close_old_connections

    if task is not None and task.request.is_eager:
        return
    close_old_connections()


@worker_ready.connect
def _record_first_heartbeat(sender, **kwargs) -> None:
    """A worker reports itself alive as soon as it starts, before beat's first tick."""
    from django.db import connections

    from lms.services import heartbeat_record

    heartbeat_record(hostname=sender.hostname)
    connections.close_all()  # pool processes forked later must not share this connection
