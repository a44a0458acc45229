"""A failed push reaches its author and the source's maintainers through real workers: the
worker imports the pushed commit, then writes one e-mail per person and sends it."""

import pytest
from django.contrib.auth import get_user_model

from courses.models import CourseSource, ImportRun
from lms.models import OutgoingEmail
from tests.certificates.test_worker_issuing import wait_for
from tests.conftest import shared_database_url
from tests.content.helpers import quiz_yaml
from tests.gitrepo import make_repo
from tests.webhooks import deliver

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_push_is_mailed_by_the_worker_once_to_each_person(
    postgres, redis_url, worker_env, start_worker, client, tmp_path
):
    repo = make_repo(tmp_path / "repo")
    source = CourseSource.objects.create(name="basics", repository_url=repo.url, branch="main")
    source.maintainers.add(get_user_model().objects.create_user("marat@example.org",
                                                                language="ru"))  # fmt: skip
    worker_env.update(REDIS_URL=redis_url, DATABASE_URL=shared_database_url())
    worker = start_worker(worker_env)

    broken = repo.commit(quiz_yaml("pass_threshold: 60", "pass_treshold: 60"), "Misspell a key")
    response = deliver(client, source, host="gitlab", commit=broken)
    run_id = response.json()["import"]

    def sent() -> list[OutgoingEmail]:
        return list(OutgoingEmail.objects.filter(sent_at__isnull=False).order_by("to"))

    wait_for(lambda: len(sent()) == 2, timeout=120, what="two e-mails sent")
    assert ImportRun.objects.get(pk=run_id).status == ImportRun.Status.FAILED, worker.log()
    emails = sent()
    assert [e.to for e in emails] == [["aigul@example.org"], ["marat@example.org"]]
    assert all(broken[:10] in e.subject for e in emails)
    assert {e.key.split(":")[1] for e in emails} == {str(run_id)}
    assert OutgoingEmail.objects.count() == 2
