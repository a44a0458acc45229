"""A push's import reports back by e-mail: the commit's author and the source's maintainers
hear of a failure or of warnings, each once per import run, in their language, with every
problem and the import's page; a preview's address goes to the commit's author; a clean
import sends nothing. Real Git repositories; the import runs here as the worker runs it."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from courses.models import CourseSource, ImportRun
from courses.services.import_mail import import_run_notify
from courses.services.publishing import import_run_execute
from courses.services.webhooks import import_run_request
from lms.models import OutboxTask
from tests.content.helpers import lesson, quiz_yaml
from tests.gitrepo import make_repo
from tests.mailbox import sent_mail
from tests.webhooks import push_payload, signed_headers

pytestmark = pytest.mark.django_db
BROKEN = quiz_yaml("pass_threshold: 60", "pass_treshold: 60")
User = get_user_model()


@pytest.fixture
def source(tmp_path):
    repo = make_repo(tmp_path / "repo")
    source = CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")
    source.repo = repo
    ru = User.objects.create_user("marat@example.org", language="ru")
    plain = User.objects.create_user("dana@example.org")  # no language: the site's (ky)
    source.maintainers.add(ru, plain)
    return source


def pushed(client, source, commit: str, *, branch: str = "main") -> ImportRun:
    """Deliver a push and run the import it queued, as the worker does."""
    payload = push_payload(branch=branch, commit=commit, host="github")
    body = json.dumps(payload).encode()
    headers = signed_headers(host="github", secret=source.secret, body=body)
    response = client.post(f"/hooks/git/{source.name}/", body,
                           content_type="application/json", **headers)  # fmt: skip
    assert response.status_code == 202, response.json()
    run = ImportRun.objects.get(pk=response.json()["import"])
    import_run_execute(run=run)
    run.refresh_from_db()
    return run


def notify_tasks(run: ImportRun) -> int:
    return OutboxTask.objects.filter(task="courses.import_run_notify", args=[run.pk]).count()


def by_address() -> dict:
    return {message.to[0]: message for message in sent_mail()}


def test_a_failed_push_mails_author_and_maintainers_each_in_their_language(client, source):
    pushed(client, source, source.repo.head)
    broken = source.repo.commit(BROKEN, "Misspell a key")
    run = pushed(client, source, broken)
    assert run.status == ImportRun.Status.FAILED
    assert notify_tasks(run) == 1  # queued with the outcome, in its transaction

    assert import_run_notify(import_run_id=run.pk) == 3
    assert import_run_notify(import_run_id=run.pk) == 3  # a second delivery of the task...
    messages = by_address()
    assert len(mail.outbox) == 3  # ...sends nothing twice
    assert set(messages) == {"aigul@example.org", "marat@example.org", "dana@example.org"}
    where = "courses/demo/quizzes/check.yaml:4:1: E002: "
    assert where + "неизвестный ключ «pass_treshold»" in messages["marat@example.org"].body
    # The author has no account: the course's default language (ky); so has a maintainer
    # with no preferred language: the site's (ky).
    for address in ("aigul@example.org", "dana@example.org"):
        assert where + "белгисиз ачкыч «pass_treshold»" in messages[address].body
    page = "http://testserver" + reverse("admin:courses_importrun_change", args=[run.pk])
    for message in messages.values():
        assert broken[:10] in message.subject
        assert page in message.body
        assert "Misspell a key (Aigul Author <aigul@example.org>)" in message.body


def test_the_author_with_an_account_reads_in_their_language(client, source):
    User.objects.create_user("AIGUL@example.org", language="en")
    pushed(client, source, source.repo.head)
    run = pushed(client, source, source.repo.commit(BROKEN, "Misspell a key"))
    import_run_notify(import_run_id=run.pk)
    message = by_address()["AIGUL@example.org"]
    assert "E002: unknown key 'pass_treshold' (did you mean 'pass_threshold'?)" in message.body


def test_warnings_are_reported_and_a_clean_import_sends_nothing(client, source):
    clean = pushed(client, source, source.repo.head)
    assert clean.status == ImportRun.Status.SUCCEEDED and not clean.diagnostics
    assert notify_tasks(clean) == 0
    warned = pushed(client, source, source.repo.commit(lesson("\n# H1\n"), "Add an H1"))
    assert warned.status == ImportRun.Status.SUCCEEDED and warned.warning_count
    assert notify_tasks(warned) == 1
    import_run_notify(import_run_id=warned.pk)
    messages = by_address()
    assert len(messages) == 3
    assert "W102" in messages["marat@example.org"].body


def test_a_preview_mails_its_address_to_the_commit_author_only(client, source):
    pushed(client, source, source.repo.head)
    draft = source.repo.commit(lesson("\nЧийме.\n"), "Draft a lesson")
    run = pushed(client, source, draft, branch="draft")
    assert (run.status, run.preview, run.branch) == (ImportRun.Status.SUCCEEDED, True, "draft")
    import_run_notify(import_run_id=run.pk)
    [message] = sent_mail()
    assert message.to == ["aigul@example.org"]
    revision = run.revisions.get()
    url = "http://testserver" + reverse(
        "courses:preview-course", kwargs={"slug": "demo", "revision": revision.pk}
    )
    assert url in message.body
    assert "draft" in message.subject and draft[:10] in message.subject
    # The link opens the preview for its reader, who may have no account (a signed key).
    link = re.search(re.escape(url) + r"\?key=\S+", message.body).group(0)
    client.logout()
    assert client.get(url).status_code == 404
    page = client.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200 and "preview-banner" in page.content.decode()
    lesson_path = url.removeprefix("http://testserver") + "what-is/"
    assert "Чийме." in client.get(lesson_path).content.decode()


def test_imports_not_from_a_push_send_nothing(source):
    source.repo.commit(BROKEN, "Misspell a key")
    run = import_run_request(source=source, requested_by="staff@example.org")
    import_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert notify_tasks(run) == 0
    assert import_run_notify(import_run_id=run.pk) == 0
    assert sent_mail() == []
