"""Previews built from pushes to other branches than a source's, and their cleanup.

A push to another branch of a source with ``previews`` on imports the pushed commit as a
preview revision (`services.webhooks`); its address is e-mailed to the commit's author
(`services.import_mail`). Previews do not pile up: after each preview import, and when a
branch is deleted, `previews_prune` keeps only the newest preview of each course and branch,
removes every preview of a deleted branch, and removes previews older than `KEEP_DAYS`. Only
previews built from pushes are touched; those that staff ask for in the admin stay.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from courses.models import CourseRevision, ImportRun
from courses.selectors.preview_access import LINK_DAYS

KEEP_DAYS = LINK_DAYS  # a pushed preview older than this is removed, even the newest of its branch


@transaction.atomic
def previews_prune(*, source_id: int | None = None, deleted_branch: str = "") -> int:
    """Remove the superseded, expired and orphaned push previews of one source (every source
    when ``source_id`` is None); how many revisions went."""
    previews = CourseRevision.objects.filter(
        is_preview=True,
        live_for__isnull=True,
        import_run__trigger=ImportRun.Trigger.WEBHOOK,
        import_run__preview=True,
    ).exclude(import_run__branch="")
    if source_id is not None:
        previews = previews.filter(import_run__source_id=source_id)
    cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
    rows = previews.order_by("-created_at", "-pk").values_list(
        "pk", "course_id", "import_run__branch", "created_at"
    )
    newest: set[tuple[int, str]] = set()
    doomed: list[int] = []
    for pk, course_id, branch, created_at in rows:
        if (course_id, branch) in newest or branch == deleted_branch or created_at < cutoff:
            doomed.append(pk)
        newest.add((course_id, branch))
    if doomed:
        CourseRevision.objects.filter(pk__in=doomed, is_preview=True).delete()
    return len(doomed)
