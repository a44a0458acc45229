"""Reads about a course source: its live commit (the webhook's and the import's check against
going back), its last delivery and recent imports (its admin page)."""

from __future__ import annotations

from courses.models import CourseRevision, CourseSource, ImportRun, WebhookDelivery


def source_live_commit(*, source: CourseSource) -> str:
    """The commit of the newest live revision among the source's courses ("" for none). A
    course that left the repository keeps its last live revision, which is older."""
    revision = (
        CourseRevision.objects.filter(course__source=source, live_for__isnull=False)
        .exclude(commit="")
        .order_by("-created_at", "-pk")
        .only("commit")
        .first()
    )
    return revision.commit if revision else ""


def source_last_delivery(*, source: CourseSource) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(source=source)
        .select_related("import_run")
        .order_by("-received_at", "-pk")
        .first()
    )


def source_recent_imports(*, source: CourseSource, limit: int = 20) -> list[ImportRun]:
    """The newest imports of the source."""
    return list(ImportRun.objects.filter(source=source).order_by("-created_at", "-pk")[:limit])


def delivery_for_run(*, run: ImportRun) -> WebhookDelivery | None:
    """The push delivery that asked for ``run``, if one did."""
    return WebhookDelivery.objects.filter(import_run=run).first()
