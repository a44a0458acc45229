"""Previews of pushes to other branches do not pile up: the newest of each course and branch
stays, a deleted branch's go, and so do those older than KEEP_DAYS; previews staff asked for
in the admin stay. Real Git repositories; imports run here as the worker runs them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import CourseRevision, CourseSource, ImportRun
from courses.services.previews import KEEP_DAYS, previews_prune
from courses.services.publishing import import_run_execute
from courses.services.webhooks import import_run_request
from lms.models import OutboxTask
from tests.content.helpers import lesson
from tests.gitrepo import make_repo
from tests.webhooks import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(tmp_path):
    repo = make_repo(tmp_path / "repo")
    source = CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")
    source.repo = repo
    return source


def preview(client, source, text: str, branch: str) -> CourseRevision:
    commit = source.repo.commit(lesson(f"\n{text}\n"), text)
    response = deliver(client, source, host="gitea", commit=commit, branch=branch)
    assert response.json()["status"] == "preview"
    run = ImportRun.objects.get(pk=response.json()["import"])
    import_run_execute(run=run)
    return run.revisions.get()


def previews() -> set[int]:
    return set(CourseRevision.objects.filter(is_preview=True).values_list("pk", flat=True))


def test_the_newest_preview_of_each_branch_is_kept(client, source):
    old = preview(client, source, "Биринчи.", "draft")
    other = preview(client, source, "Башка.", "review")
    new = preview(client, source, "Экинчи.", "draft")
    assert OutboxTask.objects.filter(task="courses.previews_prune", args=[source.pk]).count() == 3
    assert previews_prune(source_id=source.pk) == 1
    assert previews() == {new.pk, other.pk} and old.pk not in previews()
    assert previews_prune(source_id=source.pk) == 0


def test_deleting_a_branch_removes_its_previews(client, source):
    kept = preview(client, source, "Калат.", "review")
    preview(client, source, "Кетет.", "draft")
    response = deliver(client, source, host="github", commit="0" * 40, branch="draft")
    assert response.json()["status"] == "ignored"
    [task] = OutboxTask.objects.filter(task="courses.previews_prune", args=[source.pk, "draft"])
    previews_prune(source_id=task.args[0], deleted_branch=task.args[1])
    assert previews() == {kept.pk}


def test_old_previews_expire_but_those_staff_asked_for_stay(client, source):
    pushed = preview(client, source, "Эски.", "draft")
    CourseRevision.objects.filter(pk=pushed.pk).update(
        created_at=timezone.now() - timedelta(days=KEEP_DAYS, minutes=1)
    )
    run = import_run_request(source=source, ref="main", preview=True)
    import_run_execute(run=run)
    CourseRevision.objects.filter(import_run=run).update(created_at=pushed.created_at)
    assert previews_prune() == 1  # every source, as a periodic sweep
    assert previews() == {run.revisions.get().pk}
