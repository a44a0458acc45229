"""A push reaches a real Celery worker process, which imports the pushed commit."""

import time

import pytest

from courses.models import Course, CourseSource, ImportRun
from tests.conftest import shared_database_url
from tests.content.helpers import lesson
from tests.gitrepo import make_repo
from tests.webhooks import deliver

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.parametrize("host", ["github", "gitlab", "gitea"])
def test_push_is_imported_by_a_worker_once_even_when_replayed(
    postgres, redis_url, worker_env, start_worker, client, tmp_path, host
):
    repo = make_repo(tmp_path / "repo")
    source = CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")
    worker_env.update(REDIS_URL=redis_url, DATABASE_URL=shared_database_url())
    worker = start_worker(worker_env)

    response = deliver(client, source, host=host, commit=repo.head, delivery="delivery-1")
    assert response.status_code == 202
    run_id = response.json()["import"]
    wait_for(lambda: ImportRun.objects.get(pk=run_id).status != ImportRun.Status.PENDING
             and ImportRun.objects.get(pk=run_id).finished_at is not None)  # fmt: skip
    run = ImportRun.objects.get(pk=run_id)
    assert run.status == ImportRun.Status.SUCCEEDED, (run.diagnostics, worker.log())
    assert Course.objects.get(slug="demo").live_revision.commit == repo.head

    replay = deliver(client, source, host=host, commit=repo.head, delivery="delivery-1")
    assert replay.json()["status"] == "duplicate"

    second = repo.commit(lesson("\nЖаңыртылган сабак.\n"), "Edit the first lesson")
    deliver(client, source, host=host, commit=second, delivery="delivery-2")
    wait_for(lambda: Course.objects.get(slug="demo").live_revision.commit == second)
    assert ImportRun.objects.filter(source=source).count() == 2


def test_a_bad_push_leaves_the_live_course_and_is_recorded(
    postgres, redis_url, worker_env, start_worker, client, tmp_path
):
    repo = make_repo(tmp_path / "repo")
    source = CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")
    worker_env.update(REDIS_URL=redis_url, DATABASE_URL=shared_database_url())
    start_worker(worker_env)
    deliver(client, source, host="github", commit=repo.head)
    wait_for(lambda: Course.objects.filter(slug="demo", live_revision__isnull=False).exists())
    good = Course.objects.get(slug="demo").live_revision_id
    broken = repo.commit({"courses/demo/course.yaml": "format: 1\nslug: [oops\n"}, "Break it")
    response = deliver(client, source, host="github", commit=broken)
    run_id = response.json()["import"]
    wait_for(lambda: ImportRun.objects.get(pk=run_id).finished_at is not None)
    run = ImportRun.objects.get(pk=run_id)
    assert run.status == ImportRun.Status.FAILED
    assert run.diagnostics[0]["code"] == "E001"
    assert run.commit == broken
    assert Course.objects.get(slug="demo").live_revision_id == good
