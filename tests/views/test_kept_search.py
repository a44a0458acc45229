"""Catalogue searches are remembered per set of live revisions (`search.search_memo`) and
their pages kept whole per address (`cards.cards_page_kept` with the query): a kept search
page is the page the templates render, each learner still sees their own progress, and a
new revision is searched at once."""

import pytest

from courses.models import Item
from courses.selectors import search as search_module
from courses.services.learning import enrollment_create, lesson_complete
from tests.content.helpers import COURSE_DIR, hashes_lesson
from tests.factories import UserFactory
from tests.views.test_page_caching import page, plain, publish, without_tokens

pytestmark = pytest.mark.django_db

SEARCHES = ["/en/courses/?q=block", "/en/courses/?q=block&level=beginner", "/ru/courses/?q=блок",
            "/en/courses/?tag=blockchain", "/en/courses/?q=block&utm_source=x"]  # fmt: skip


@pytest.fixture
def course(repo):
    search_module._memo.clear()
    return publish(repo)


@pytest.mark.parametrize("reader", ["visitor", "learner"])
@pytest.mark.parametrize("path", SEARCHES)
def test_a_kept_search_page_is_the_page_the_templates_render(client, course, reader, path,
                                                             monkeypatch):  # fmt: skip
    if reader == "learner":
        user = UserFactory(name="Ann")
        enrollment, _ = enrollment_create(user=user, course=course)
        lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
        client.force_login(user)
    first, again = page(client, path), page(client, path)
    assert (
        without_tokens(first)
        == without_tokens(again)
        == without_tokens(plain(client, path, monkeypatch))
    )
    if "q=" in path:
        assert "search-hits" in first or "/courses/demo/" in first


def test_each_learner_sees_their_own_progress_on_a_kept_search(client, course):
    path = "/en/courses/?q=block"
    ann, bob = UserFactory(name="Ann"), UserFactory(name="Bob")
    enrollment, _ = enrollment_create(user=ann, course=course)
    lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
    client.force_login(ann)
    assert 'value="33"' in page(client, path)
    client.force_login(bob)
    html = page(client, path)
    assert 'value="33"' not in html and "/courses/demo/" in html


def test_a_new_revision_is_searched_at_once(client, repo, course):
    path = "/en/courses/?q=merkle"
    assert "/courses/demo/" not in page(client, path)  # remembered: nothing found
    en = f"{COURSE_DIR}/lessons/02-hashes/en.md"
    repo.commit({en: hashes_lesson("en") + "\nA Merkle tree sums up many hashes.\n"}, "Merkle")
    publish(repo)
    html = page(client, path)
    assert "/courses/demo/hashes/" in html and "<mark>Merkle</mark>" in html
