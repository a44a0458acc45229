"""The catalogue and home pages keep their course cards (and, without a query string, the
whole page) between requests: one learner's state never shows to another, and a change of
progress or a new revision shows at once."""

import re

import pytest

from courses.models import Course, Item
from courses.services.learning import enrollment_create, lesson_complete
from courses.templatetags.slots import Layout
from tests.content.helpers import COURSE_DIR
from tests.factories import UserFactory
from tests.views.test_page_caching import page, publish, without_tokens

pytestmark = pytest.mark.django_db

CATALOG = "/en/courses/"
HOME = "/en/"
PAGES = (CATALOG, HOME, "/ky/courses/", "/ru/")


@pytest.fixture
def course(repo) -> Course:
    return publish(repo)


def card_progress(html: str) -> str | None:
    found = re.search(r"(\d+)% done", html)
    return found.group(1) if found else None


def completed(html: str) -> bool:
    return '<p class="card-state"><span class="badge ok">Completed</span></p>' in html


def plain(client, path: str, monkeypatch) -> str:
    """The page as the templates render it for the request: nothing kept whole."""
    with monkeypatch.context() as patched:
        patched.setattr(Layout, "keeps", staticmethod(lambda request, **options: False))
        return page(client, path)


@pytest.mark.parametrize("reader", ["visitor", "enrolled", "started", "completed"])
@pytest.mark.parametrize("path", PAGES)
def test_a_kept_catalogue_or_home_page_is_the_page_the_templates_render(
    client, course, reader, path, monkeypatch
):
    if reader != "visitor":
        user = UserFactory(name="Ann <b>O'Brien</b>")
        enrollment, _ = enrollment_create(user=user, course=course)
        if reader == "started":
            lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
        if reader == "completed":
            enrollment.completed_at = enrollment.created_at
            enrollment.save()
        client.force_login(user)
    first, again = page(client, path), page(client, path)
    assert without_tokens(first) == without_tokens(again)
    assert without_tokens(first) == without_tokens(plain(client, path, monkeypatch))
    assert 'class="card"' in first


def test_one_learners_card_state_never_shows_to_another(client, course):
    first, second = UserFactory(), UserFactory()
    enrollment, _ = enrollment_create(user=first, course=course)
    lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
    client.force_login(first)
    for path in (CATALOG, HOME, CATALOG + "?q=blockchain"):
        assert card_progress(page(client, path)) == "33", path

    client.force_login(second)
    for path in (CATALOG, HOME, CATALOG + "?q=blockchain"):
        html = page(client, path)
        assert card_progress(html) is None and not completed(html), path
    enrollment_create(user=second, course=course)
    assert card_progress(page(client, CATALOG)) == "0"

    client.logout()
    for path in (CATALOG, HOME):
        html = page(client, path)
        assert card_progress(html) is None and not completed(html), path
        assert "Welcome back" not in html


def test_progress_and_completion_show_on_the_cards_at_once(client, course):
    user = UserFactory()
    enrollment, _ = enrollment_create(user=user, course=course)
    client.force_login(user)
    assert card_progress(page(client, CATALOG)) == "0"
    assert card_progress(page(client, HOME)) == "0"
    lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
    assert card_progress(page(client, CATALOG)) == "33"
    assert card_progress(page(client, HOME)) == "33"
    enrollment.completed_at = enrollment.created_at
    enrollment.save()
    assert completed(page(client, CATALOG)) and completed(page(client, HOME))


def test_a_new_revision_shows_on_the_cards_at_once(client, repo, course):
    assert ">Demo course</a>" in page(client, CATALOG)
    path = f"{COURSE_DIR}/course.yaml"
    text = (repo.path / path).read_text()
    assert "Demo course" in text
    repo.commit({path: text.replace("en: Demo course", "en: Ledgers for All", 1)}, "Retitle")
    publish(repo)
    for url in (CATALOG, HOME, CATALOG + "?level="):
        html = page(client, url)
        assert ">Ledgers for All</a>" in html and ">Demo course</a>" not in html, url
