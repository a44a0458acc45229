"""The push webhook imports only the commit that was pushed: a full commit SHA, never a name
Git would resolve to another commit ("after": "HEAD~1" published an older one)."""

import json

import pytest

from courses.models import CourseSource, ImportRun, WebhookDelivery
from courses.services.webhooks import Push, WebhookInvalid, webhook_delivery_accept
from tests.webhooks import deliver, push_payload, signed_headers

pytestmark = pytest.mark.django_db
HOSTS = ["github", "gitlab", "gitea"]
SHA256 = "0123456789abcdef" * 4


@pytest.fixture
def source():
    return CourseSource.objects.create(
        name="basics", repository_url="/srv/repos/basics", branch="main"
    )


def deliver_raw(client, source, *, host: str, commit):
    """A signed push whose commit may be any JSON value."""
    payload = push_payload(branch="main", commit="", host=host)
    payload["after"] = commit
    if host == "gitlab":
        payload["checkout_sha"] = commit
    body = json.dumps(payload).encode()
    headers = signed_headers(host=host, secret=source.secret, body=body)
    return client.post(f"/hooks/git/{source.name}/", body, content_type="application/json",
                       **headers)  # fmt: skip


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize(
    "commit", ["HEAD~1", "main", "refs/heads/main", "v1.0", "abc1234", "a" * 39, "a" * 41,
               "g" * 40, "a" * 65, "", "a" * 40 + "^"],
)  # fmt: skip
def test_a_push_whose_commit_is_not_a_full_sha_is_refused_and_nothing_is_queued(
    client, source, host, commit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = deliver(client, source, host=host, commit=commit)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_commit"
    assert body["message"] == (
        "The pushed commit must be a full commit SHA (40 hexadecimal digits, or 64 in a "
        f"SHA-256 repository), not {commit!r}."
    )
    assert not ImportRun.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert callbacks == []


@pytest.mark.parametrize("commit", [["a" * 40], 12345, {"id": "a" * 40}])
def test_a_commit_that_is_not_text_is_refused(client, source, commit):
    response = deliver_raw(client, source, host="github", commit=commit)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_commit"
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("host", HOSTS)
def test_a_sha256_repositorys_commit_is_imported(client, source, host):
    response = deliver(client, source, host=host, commit=SHA256)
    assert response.status_code == 202
    assert ImportRun.objects.get().ref == SHA256


def test_an_upper_case_sha_is_imported_in_lower_case(client, source):
    response = deliver(client, source, host="gitea", commit="ABCDEF0123" * 4)
    assert response.status_code == 202
    assert ImportRun.objects.get().ref == "abcdef0123" * 4


def test_the_service_itself_never_queues_a_name_for_a_commit(source):
    """Whoever builds a Push, the import it queues names a commit."""
    push = Push(host="github", delivery_id="d-1", event="push", ref="refs/heads/main",
                commit="HEAD~1", pusher="aigul")  # fmt: skip
    with pytest.raises(WebhookInvalid):
        webhook_delivery_accept(source=source, push=push)
    assert not ImportRun.objects.exists()
    assert not WebhookDelivery.objects.exists()
