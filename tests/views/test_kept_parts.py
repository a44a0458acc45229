"""The glossary pages, a certificate's verify page, the dashboard's cards and the cohort
dashboard's charts keep what they render between requests: a new revision, a revocation, a
change of progress shows at once, and nothing of one reader shows to another."""

import re

import pytest
from django.utils import timezone

from courses.models import Enrollment, Item
from courses.services.certificates import (
    certificate_issue,
    certificate_request,
    certificate_revoke,
)
from courses.services.learning import enrollment_create, lesson_complete
from courses.templatetags.slots import Layout
from tests.content.helpers import GLOSSARY_YAML
from tests.factories import UserFactory
from tests.views.test_page_caching import page, publish, without_tokens

pytestmark = pytest.mark.django_db

INDEX = "/en/glossary/"
LIST = "/en/courses/demo/glossary/"
TERM = "/en/courses/demo/glossary/hash/"


@pytest.fixture
def course(repo):
    return publish(repo)


def plain(client, path: str, monkeypatch) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(Layout, "keeps", staticmethod(lambda request, **options: False))
        return page(client, path)


def retitle_hash(repo) -> None:
    path = "glossary/hash.yaml"  # tests/content/helpers.py: beside the course
    assert "en: Hash}" in GLOSSARY_YAML
    repo.commit({path: GLOSSARY_YAML.replace("en: Hash}", "en: Digest}")}, "Rename a term")
    publish(repo)


@pytest.mark.parametrize(
    "path", [INDEX, "/ky/glossary/", LIST, "/ru/courses/demo/glossary/", TERM, "/ky" + TERM[3:]]
)
def test_a_kept_glossary_page_is_the_page_the_templates_render(client, course, path, monkeypatch):
    client.force_login(UserFactory(name="Ann"))
    first, again = page(client, path), page(client, path)
    assert without_tokens(first) == without_tokens(again)
    assert without_tokens(first) == without_tokens(plain(client, path, monkeypatch))


def test_a_new_revision_shows_in_the_glossaries_at_once(client, repo, course):
    assert ">Hash</a>" in page(client, INDEX) and ">Hash</a>" in page(client, LIST)
    assert "<h1>Hash</h1>" in page(client, TERM)
    retitle_hash(repo)
    for path in (INDEX, LIST):
        html = page(client, path)
        assert ">Digest</a>" in html and ">Hash</a>" not in html, path
    assert "<h1>Digest</h1>" in page(client, TERM)


def test_a_kept_term_page_is_never_shown_for_a_term_that_is_gone(client, repo, course):
    assert client.get(TERM).status_code == 200
    repo.commit({"glossary/hash.yaml": None}, "Remove the term")
    publish(repo)
    assert client.get(TERM).status_code == 404


@pytest.fixture
def certificate(course):
    learner = UserFactory(name="Aida Bekova")
    done = Enrollment.objects.create(user=learner, course=course, completed_at=timezone.now())
    return certificate_issue(certificate_id=certificate_request(enrollment=done).pk)


def test_a_revocation_shows_on_the_kept_verify_page_at_once(client, certificate):
    path = f"/en/verify/{certificate.public_id}/"
    assert "Valid certificate" in page(client, path)
    assert "Valid certificate" in page(client, path)
    certificate_revoke(certificate=certificate, reason="Copied answers")
    html = page(client, path)
    assert "Valid certificate" not in html and "Copied answers" in html


def test_only_the_owner_sees_the_owners_forms_on_a_kept_verify_page(client, certificate):
    path = f"/en/verify/{certificate.public_id}/"
    client.force_login(certificate.user)
    mine = page(client, path)
    assert 'id="certificate-language"' in mine and 'id="holder-key"' in mine
    client.force_login(UserFactory(name="Bob"))
    html = page(client, path)
    assert 'id="certificate-language"' not in html and 'id="holder-key"' not in html
    client.logout()
    assert 'id="holder-key"' not in page(client, path)
    client.force_login(certificate.user)
    assert without_tokens(page(client, path)) == without_tokens(mine)


def test_dashboard_cards_show_each_learner_their_own_progress_at_once(client, course):
    first, second = UserFactory(name="Ann"), UserFactory(name="Bob")
    mine, _ = enrollment_create(user=first, course=course)
    enrollment_create(user=second, course=course)
    lesson_complete(enrollment=mine, item=Item.objects.get(key="what-is"))
    client.force_login(first)
    assert '<progress max="100" value="33"' in page(client, "/en/dashboard/")
    assert ">Continue learning</a>" in page(client, "/en/dashboard/")
    client.force_login(second)
    html = page(client, "/en/dashboard/")
    assert '<progress max="100" value="0"' in html and ">Start the course</a>" in html
    lesson_complete(
        enrollment=Enrollment.objects.get(user=second), item=Item.objects.get(key="hashes")
    )
    assert '<progress max="100" value="33"' in page(client, "/en/dashboard/")


def test_a_completed_card_shows_its_own_certificate_and_its_revocation(client, certificate):
    other = UserFactory(name="Bob")
    Enrollment.objects.create(user=other, course=certificate.course, completed_at=timezone.now())
    client.force_login(certificate.user)
    html = page(client, "/en/dashboard/")
    assert f"/certificates/{certificate.public_id}.pdf" in html
    client.force_login(other)
    html = page(client, "/en/dashboard/")
    assert str(certificate.public_id) not in html
    assert "Your certificate is being prepared" not in html  # Bob has none requested
    client.force_login(certificate.user)
    certificate_revoke(certificate=certificate, reason="Copied answers")
    html = page(client, "/en/dashboard/")
    assert "Your certificate for this course was revoked." in html
    assert re.search(r"Completed on [^<]*\d{4}", html), re.findall("Completed on [^<]*", html)


def test_a_verify_page_is_one_query_that_never_reads_the_pdf(client, certificate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/en/verify/{certificate.public_id}/"
    client.get(path)  # the session, the language and what is kept are warm
    for _ in range(2):  # rendered, then kept
        with CaptureQueriesContext(connection) as queries:
            html = page(client, path)
        assert len(queries) == 1, [query["sql"] for query in queries]
        # PostgreSQL runs it prepared; Django's log of a prepared statement has no text.
        assert "pdf" not in (queries[0]["sql"] or "").lower()
        assert "Aida Bekova" in html and certificate.key_fingerprint in html
