"""A course's translation status page (/<lang>/courses/<slug>/translations/) for staff and the
maintainers of its source, and the note a learner sees on a translation older than the default
language. Courses come from real Git repositories, imported as the site imports them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course, CourseSource, ItemText
from tests.conftest import publish
from tests.content.helpers import COURSE_DIR, LESSON_EN, LESSON_KY, LESSON_RU, QUIZ_YAML
from tests.factories import UserFactory
from tests.gitrepo import make_repo
from tests.views.test_query_counts import make_course_repo

pytestmark = pytest.mark.django_db

LESSON = f"{COURSE_DIR}/lessons/01-what-is"
PAGE = "/en/courses/demo/translations/"
NEW_KY = "Блокчейн — жазуулары **блокторго** топтолгон, көп адам жүргүзгөн реестр."


@pytest.fixture
def stale_repo(tmp_path):
    """The demo course where the Kyrgyz (default) text of the first lesson changed after its
    Russian and English texts, and the second lesson has no English text."""
    repo = make_repo(tmp_path / "repo", {f"{COURSE_DIR}/lessons/02-hashes/en.md": None})
    old = "Блокчейн — жазуулары **блокторго** топтолгон реестр."
    repo.commit({f"{LESSON}/ky.md": LESSON_KY.replace(old, NEW_KY)}, "Kyrgyz wording")
    publish(repo.path)
    return repo


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def section(html: str, key: str) -> str:
    start = html.index(f'id="item-{key}"')
    end = html.find('<section class="tr-item"', start)
    return html[start : end if end > 0 else len(html)]


def test_staff_see_each_item_in_each_language(client, stale_repo, staff):
    """Present and up to date, older than the default language (with both commits and what
    changed), or missing (with the language learners see instead)."""
    client.force_login(staff)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    lesson = section(html, "what-is")
    assert lesson.count("Out of date") == 2 and lesson.count("Up to date") == 1
    head = stale_repo.head[:10]
    assert f"in commit {head} by Aigul Author" in lesson
    assert "The default language changed after that" in lesson
    assert '<li class="tr-added"><ins><span class="tr-mark" aria-hidden="true">+</span>' in lesson
    assert f'<span class="visually-hidden" lang="en">Added: </span>{NEW_KY}</ins>' in lesson
    assert '<span class="tr-mark" aria-hidden="true">−</span>' in lesson
    hashes = section(html, "hashes")
    assert "Missing" in hashes and "Learners see another language instead: Russian." in hashes
    assert f"<code>{COURSE_DIR}/lessons/02-hashes/en.md</code>" in hashes
    quiz = section(html, "check")
    assert quiz.count("Up to date") == 3
    summary = re.sub(r"\s+", " ", html[html.index("tr-summary") : html.index("tr-todo")])
    assert '<th scope="row">English</th> <td>1</td> <td>1</td> <td>1</td>' in summary
    assert '<a href="#item-what-is">What is a blockchain?</a>: Russian, English' in html


def test_a_translation_signed_off_shows_the_sign_off_beside_its_own_last_change(
    client, stale_repo, staff
):
    check = stale_repo.commit(
        None,
        f"Russian checked\n\nTranslations-Checked: ru\nTranslations-Checked-Path: {LESSON}",
    )
    publish(stale_repo.path)
    client.force_login(staff)
    lesson = section(client.get(PAGE).content.decode(), "what-is")
    cells = re.split(r'<li class="tr-language ', lesson)[1:]
    ky, ru, en = (re.sub(r"\s+", " ", cell) for cell in cells)
    assert ru.startswith("tr-current") and en.startswith("tr-stale")
    assert "Checked against the default language on" in ru
    assert f"in commit {check[:10]} by Aigul Author." in ru
    assert "Checked against" not in ky + en
    assert lesson.count("Checked against") == 1


def test_maintainers_of_the_source_see_it_and_nobody_else(client, stale_repo, staff):
    """Staff and the source's maintainers see the page; a signed-in learner, a maintainer of
    another source or a course nobody has: 404; a visitor is asked to sign in."""
    course = Course.objects.get(slug="demo")
    maintainer, stranger, learner = UserFactory(), UserFactory(), UserFactory()
    course.source = CourseSource.objects.create(name="demo", repository_url=stale_repo.url)
    course.save(update_fields=["source"])
    course.source.maintainers.add(maintainer)
    CourseSource.objects.create(name="other", repository_url="x").maintainers.add(stranger)

    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user, status in ((maintainer, 200), (staff, 200), (stranger, 404), (learner, 404)):
        client.force_login(user)
        assert client.get(PAGE).status_code == status, user
    client.force_login(staff)
    assert client.get("/en/courses/nope/translations/").status_code == 404


def test_revision_keeps_what_the_page_and_the_note_need(stale_repo):
    """Worked out at import: each text's last commit; for a stale one the default language's
    commit and the diff. A missing text has no row at all."""
    texts = {
        (t.revision_item.item.key, t.language): t.translation
        for t in ItemText.objects.select_related("revision_item__item")
    }
    ru = texts[("what-is", "ru")]
    assert ru["state"] == "stale" and ru["path"] == f"{LESSON}/ru.md"
    assert ru["source"]["language"] == "ky" and ru["source"]["commit"]["sha"] == stale_repo.head
    assert ["+", NEW_KY] in ru["diff"] and ru["diff_truncated"] is False
    assert texts[("what-is", "ky")] == {
        "state": "current", "path": f"{LESSON}/ky.md", "commit": ru["source"]["commit"],
    }  # fmt: skip
    assert texts[("check", "en")]["state"] == "current"
    assert ("hashes", "en") not in texts


def test_page_says_when_a_revision_was_imported_before_statuses(client, stale_repo, staff):
    ItemText.objects.update(translation={})
    client.force_login(staff)
    html = client.get(PAGE).content.decode()
    assert "This revision was imported before translation status was recorded." in html
    assert "Out of date" not in section(html, "what-is")


def test_page_runs_the_same_queries_for_a_course_of_5_items_and_of_40(client, staff, tmp_path):
    client.force_login(staff)
    counts = []
    for size in (5, 40):
        publish(make_course_repo(tmp_path / str(size), f"size-{size}", size).path)
        path = f"/en/courses/size-{size}/translations/"
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4, counts  # the course with the viewer's role, the texts


def test_learner_reading_a_stale_translation_sees_a_note_with_a_link_to_the_default(
    client, stale_repo
):
    """On the Russian lesson (kept per revision and language), a short note links to the
    same page in Kyrgyz; the Kyrgyz page has none. After a commit that updates the
    translations, the new revision's pages have no note."""
    note = 'class="fallback-note stale-note"'
    for _ in range(2):  # rendered, then served from the kept page
        html = client.get("/ru/courses/demo/what-is/").content.decode()
        assert note in html
        assert 'href="/ky/courses/demo/what-is/" hreflang="ky"' in html
    assert note not in client.get("/ky/courses/demo/what-is/").content.decode()
    assert note not in client.get("/ru/courses/demo/hashes/").content.decode()
    assert note not in client.get("/en/courses/demo/check/").content.decode()

    stale_repo.commit({
        f"{LESSON}/ru.md": LESSON_RU + "\nОбновлено.\n",
        f"{LESSON}/en.md": LESSON_EN + "\nUpdated.\n",
    }, "Bring the translations up to date")  # fmt: skip
    publish(stale_repo.path)
    assert note not in client.get("/ru/courses/demo/what-is/").content.decode()


def test_stale_quiz_translation_shows_the_note_on_the_quiz_page(client, tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.commit(
        {f"{COURSE_DIR}/quizzes/check.yaml": QUIZ_YAML.replace("Касиеттер?", "Кандай касиеттер?")}
    )
    publish(repo.path)
    html = client.get("/en/courses/demo/check/").content.decode()
    assert 'class="fallback-note stale-note"' in html
    assert 'href="/ky/courses/demo/check/"' in html
