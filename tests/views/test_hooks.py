"""The push webhook: signatures from GitHub, GitLab and Gitea, branches, replays."""

import logging

import pytest

from courses.models import CourseSource, ImportRun, WebhookDelivery
from tests.webhooks import deliver

pytestmark = pytest.mark.django_db
HOSTS = ["github", "gitlab", "gitea"]


@pytest.fixture
def source():
    return CourseSource.objects.create(
        name="basics", repository_url="/srv/repos/basics", branch="main"
    )


@pytest.mark.parametrize("host", HOSTS)
def test_a_signed_push_to_the_branch_queues_an_import_of_that_commit(
    client, source, host, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = deliver(client, source, host=host, commit="a" * 40)
    assert response.status_code == 202
    run = ImportRun.objects.get()
    delivery = WebhookDelivery.objects.get()
    assert response.json() == {
        "status": "queued", "delivery": delivery.delivery_id, "import": run.pk,
    }  # fmt: skip
    assert (run.ref, run.trigger, run.source, run.status) == (
        "a" * 40, ImportRun.Trigger.WEBHOOK, source, ImportRun.Status.PENDING,
    )  # fmt: skip
    assert run.requested_by == "aigul"
    assert len(callbacks) == 1  # the task is sent only once the transaction commits


@pytest.mark.parametrize("host", HOSTS)
def test_a_replayed_delivery_is_not_imported_twice(client, source, host):
    first = deliver(client, source, host=host, commit="b" * 40, delivery="same-id")
    again = deliver(client, source, host=host, commit="b" * 40, delivery="same-id")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["status"] == "duplicate"
    assert ImportRun.objects.count() == 1


@pytest.mark.parametrize("host", HOSTS)
def test_a_bad_signature_is_refused_and_logged(client, source, host, caplog):
    with caplog.at_level(logging.WARNING, logger="courses.views.hooks"):
        response = deliver(client, source, host=host, commit="c" * 40, secret="wrong-secret")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not ImportRun.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert f"bad {host} signature" in caplog.text


@pytest.mark.parametrize("host", HOSTS)
def test_pushes_to_other_branches_are_ignored_when_previews_are_off(client, source, host):
    source.previews = False
    source.save()
    response = deliver(client, source, host=host, commit="d" * 40, branch="draft")
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("host", HOSTS)
def test_a_push_to_another_branch_queues_a_preview_of_that_commit(client, source, host):
    response = deliver(client, source, host=host, commit="d" * 40, branch="draft")
    assert response.status_code == 202
    run = ImportRun.objects.get()
    assert response.json() == {"status": "preview", "delivery": response.json()["delivery"],
                               "import": run.pk}  # fmt: skip
    assert (run.preview, run.branch, run.ref, run.trigger) == (
        True, "draft", "d" * 40, ImportRun.Trigger.WEBHOOK,
    )  # fmt: skip


def test_a_deleted_branch_is_ignored(client, source):
    response = deliver(client, source, host="github", commit="0" * 40)
    assert response.json()["status"] == "ignored"


def test_github_ping_is_answered(client, source):
    response = deliver(client, source, host="github", commit="e" * 40, event="ping")
    assert response.status_code == 200
    assert response.json() == {"status": "pong"}


def test_unsigned_request_is_refused(client, source):
    response = client.post(f"/hooks/git/{source.name}/", "{}", content_type="application/json")
    assert response.status_code == 403


def test_unknown_or_inactive_source_is_not_found(client, source):
    source.is_active = False
    source.save()
    assert deliver(client, source, host="github", commit="f" * 40).status_code == 404


def test_webhook_only_takes_post(client, source):
    assert client.get(f"/hooks/git/{source.name}/").status_code == 405
