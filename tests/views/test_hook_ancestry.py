"""A delivery never rolls a course back: a push naming an ancestor of the live commit is
refused unless the push was forced (GitHub says so; for GitLab and Gitea, Git shows it: the
branch's previous commit is not an ancestor of the pushed one). Real Git repositories; the
webhook asks Git in a mirror it fetches, and the import asks again in its clone."""

import json

import pytest

from courses.models import Course, CourseSource, ImportRun, WebhookDelivery
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.helpers import lesson
from tests.gitrepo import git, make_repo
from tests.webhooks import push_payload, signed_headers

pytestmark = pytest.mark.django_db
HOSTS = ["github", "gitlab", "gitea"]
ZERO = "0" * 40


def push(client, source, *, host, commit, before=ZERO, forced=None, branch="main", delivery=None):
    payload = push_payload(branch=branch, commit=commit, host=host)
    payload["before"] = before
    if forced is not None:
        payload["forced"] = forced
    body = json.dumps(payload).encode()
    headers = signed_headers(host=host, secret=source.secret, body=body, delivery=delivery)
    return client.post(f"/hooks/git/{source.name}/", body, content_type="application/json",
                       **headers)  # fmt: skip


def run_import(response) -> ImportRun:
    """Run the queued import here, as the worker would."""
    run = ImportRun.objects.get(pk=response.json()["import"])
    import_run_execute(run=run)
    run.refresh_from_db()
    return run


@pytest.fixture
def history(tmp_path, client):
    """A source whose branch went A → B, with B live."""
    repo = make_repo(tmp_path / "repo")
    first = repo.head
    second = repo.commit(lesson("\nЖаңыртылган сабак.\n"), "Edit the first lesson")
    source = CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")
    assert run_import(push(client, source, host="github", commit=first)).status == "succeeded"
    assert run_import(push(client, source, host="github", commit=second, before=first)
                      ).status == "succeeded"  # fmt: skip
    return repo, source, first, second


def live_commit() -> str:
    return Course.objects.get(slug="demo").live_revision.commit


@pytest.mark.parametrize("host", HOSTS)
def test_a_reordered_delivery_of_an_older_commit_is_refused_and_recorded(client, history, host):
    """The push A (whose delivery arrives after B's) is refused: 409 where the host shows it
    and never resends it, 200 for GitLab, which disables a webhook that keeps failing."""
    _repo, source, first, second = history
    response = push(client, source, host=host, commit=first, delivery="late-1")
    assert response.status_code == (200 if host == "gitlab" else 409)
    body = response.json()
    assert body["status"] == "refused" and body["delivery"] == "late-1"
    assert body["reason"] == (
        f"commit {first[:10]} is older than the live commit {second[:10]} (one of its "
        "ancestors) and the push was not forced: a replayed or reordered delivery; nothing "
        "was imported"
    )
    delivery = WebhookDelivery.objects.get(delivery_id="late-1")
    assert (delivery.outcome, delivery.reason, delivery.import_run) == (
        WebhookDelivery.Outcome.REFUSED, body["reason"], None,
    )  # fmt: skip
    assert ImportRun.objects.count() == 2
    assert live_commit() == second
    again = push(client, source, host=host, commit=first, delivery="late-1")
    assert again.json()["status"] == "duplicate"


def test_a_forced_push_back_to_an_older_commit_is_published(client, history):
    """GitHub says `forced: true`: the author moved the branch back on purpose."""
    _repo, source, first, _second = history
    response = push(client, source, host="github", commit=first, forced=True)
    assert response.status_code == 202
    assert WebhookDelivery.objects.get(commit=first, forced=True).outcome == "queued"
    assert run_import(response).status == ImportRun.Status.SUCCEEDED
    assert live_commit() == first


@pytest.mark.parametrize("host", ["gitlab", "gitea"])
def test_a_rewind_is_seen_as_forced_by_git_when_the_host_sends_no_flag(client, history, host):
    """GitLab and Gitea send no `forced`: a push from B back to A (its previous commit B is
    not an ancestor of A) is a forced push; a push A after B with A's own previous commit is
    not."""
    _repo, source, first, second = history
    stale = push(client, source, host=host, commit=first, before=ZERO)
    assert stale.json()["status"] == "refused"
    rewind = push(client, source, host=host, commit=first, before=second)
    assert rewind.status_code == 202
    assert WebhookDelivery.objects.get(pk__gt=0, before=second).forced is True
    assert run_import(rewind).status == ImportRun.Status.SUCCEEDED
    assert live_commit() == first


def test_a_commit_neither_older_nor_newer_is_a_forced_push_and_published(client, history):
    repo, source, first, second = history
    git(repo.path, "checkout", "-q", "-b", "rewrite", first)
    other = repo.commit(lesson("\nБашка тарых.\n"), "Rewritten history")
    response = push(client, source, host="gitlab", commit=other, before=second)
    assert response.status_code == 202
    assert run_import(response).status == ImportRun.Status.SUCCEEDED
    assert live_commit() == other


def test_the_import_refuses_an_older_commit_the_webhook_could_not_check(history):
    """When Git could not answer in time during the delivery, the delivery is queued; the
    import asks again in its clone and refuses, recording why on the run and the delivery."""
    _repo, source, first, second = history
    run = import_run_create(location=source.repository_url, ref=first, source=source,
                            trigger=ImportRun.Trigger.WEBHOOK, branch="main")  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        source=source, delivery_id="slow-1", host="gitea", event="push", ref="refs/heads/main",
        commit=first, outcome=WebhookDelivery.Outcome.QUEUED, import_run=run,
    )  # fmt: skip
    import_run_execute(run=run)
    run.refresh_from_db(), delivery.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED
    assert run.summary["refused"].startswith(f"commit {first[:10]} is older than the live commit")
    assert (delivery.outcome, delivery.reason) == ("refused", run.summary["refused"])
    assert live_commit() == second


def test_the_live_commit_pushed_again_is_not_refused(client, history):
    _repo, source, _first, second = history
    response = push(client, source, host="github", commit=second, delivery="again")
    assert response.status_code == 202
    assert run_import(response).status == ImportRun.Status.UNCHANGED
