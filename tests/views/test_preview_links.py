"""Preview links: the address of a preview with a signed ``key``, e-mailed to the author of a
pushed commit, opens that preview for 14 days to anyone holding it, with or without an account,
and only that preview. Courses come from real Git repositories, imported as the site does."""

import time

import pytest
from django.core import signing

from courses.models import Course
from courses.selectors.preview_access import LINK_DAYS, preview_link_key
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.helpers import lesson
from tests.factories import UserFactory
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db
DRAFT = "Таслама текст."


@pytest.fixture
def preview(tmp_path):
    """The id of a preview of the demo course whose first lesson has a draft paragraph."""
    repo = make_repo(tmp_path / "repo")
    import_run_execute(run=import_run_create(location=str(repo.path)))
    repo.commit(lesson(f"\n{DRAFT}\n"), "Draft")
    import_run_execute(run=import_run_create(location=str(repo.path), ref="main", preview=True))
    return Course.objects.get(slug="demo").revisions.get(is_preview=True).pk


def address(revision: int, rest: str = "", language: str = "ky") -> str:
    return f"/{language}/courses/demo/preview/{revision}/{rest}"


def test_a_link_opens_the_preview_and_its_pages_without_an_account(client, preview):
    assert client.get(address(preview, "what-is/")).status_code == 404
    course = client.get(address(preview), {"key": preview_link_key(preview)})
    assert course.status_code == 200
    assert (
        "whoever has its preview link"
        in client.get(address(preview, language="en")).content.decode()
    )
    # The key is remembered for this reader: the preview's lesson and glossary open from its pages.
    assert DRAFT in client.get(address(preview, "what-is/")).content.decode()
    assert client.get(address(preview, "glossary/hash/")).status_code == 200
    assert client.get(address(preview, "glossary/")).status_code == 200
    # Another reader without the link still gets nothing.
    client.cookies.clear()
    assert client.get(address(preview, "what-is/")).status_code == 404


def test_a_learner_with_an_account_opens_it_with_the_link_as_well(client, preview):
    client.force_login(UserFactory())
    assert client.get(address(preview, "what-is/")).status_code == 404
    page = client.get(address(preview, "what-is/"), {"key": preview_link_key(preview)})
    assert DRAFT in page.content.decode()


def test_a_key_opens_only_its_own_preview(client, preview):
    key = preview_link_key(preview)
    other = Course.objects.get(slug="demo").live_revision_id
    altered = key[:-1] + ("A" if key[-1] != "A" else "B")
    not_a_link = signing.TimestampSigner().sign(str(preview))  # the site's, another salt
    for revision, wrong in [
        (other, key),
        (preview, altered),
        (preview, "x"),
        (preview, not_a_link),
    ]:
        assert client.get(address(revision), {"key": wrong}).status_code == 404


def test_an_expired_link_says_so_in_the_readers_language(client, preview, monkeypatch):
    with monkeypatch.context() as past:
        then = time.time() - (LINK_DAYS * 24 + 1) * 3600
        past.setattr(signing.time, "time", lambda: then)
        old = preview_link_key(preview)
    response = client.get(address(preview, language="ru"), {"key": old})
    assert response.status_code == 410
    html = response.content.decode()
    assert "Срок действия ссылки на предпросмотр истёк" in html
    assert DRAFT not in html
    assert client.get(address(preview, "what-is/")).status_code == 404
    # Staff, who may open every preview, are not stopped by an old link.
    client.force_login(UserFactory(is_staff=True))
    assert client.get(address(preview, language="ru"), {"key": old}).status_code == 200
