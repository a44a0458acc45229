"""What the course and lesson pages keep between requests never crosses from one learner to
another and never hides a change.

A revision's outline, texts and the parts of a page that are the same for everyone are kept
(in the cache and in the process) and filled in with each learner's state on every request.
Lesson and course pages are kept whole, layout included, per kind of reader.
Each test first shows a page to someone, so what it keeps is warm, then checks what the next
person, or the same person after a change, is shown.
"""

import re

import pytest

from courses.models import Course, Item, ItemProgress
from courses.services.learning import enrollment_create, lesson_complete, quiz_attempt_submit
from courses.services.publishing import import_run_create, import_run_execute
from courses.templatetags import slots
from courses.templatetags.slots import Layout
from tests.content.helpers import COURSE_DIR, COURSE_YAML, QUIZ_RIGHT_ANSWERS
from tests.factories import UserFactory
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db

COURSE = "/en/courses/demo/"
LESSON = "/en/courses/demo/what-is/"
HASHES = "/en/courses/demo/hashes/"


def publish(repo) -> Course:
    import_run_execute(run=import_run_create(location=str(repo.path)))
    return Course.objects.get(slug="demo")


@pytest.fixture
def course(repo) -> Course:
    return publish(repo)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    assert "<!--" not in html, "a slot left unfilled"
    return html


def states(html: str) -> dict[str, str]:
    """The state class of each outline entry, by item id."""
    found = re.findall(r'<li class="state-([a-z_]+)[^"]*">\s*<a href="[^"]*/([a-z-]+)/"', html)
    return {key: state for state, key in found}


def progress_of(html: str) -> str | None:
    found = re.search(r"(\d+)% done", html)
    return found.group(1) if found else None


def learner_with_progress(course: Course):
    """A learner who read the first lesson and passed the quiz."""
    user = UserFactory()
    enrollment, _ = enrollment_create(user=user, course=course)
    lesson_complete(enrollment=enrollment, item=Item.objects.get(course=course, key="what-is"))
    quiz = course.live_revision.revision_items.get(item__key="check")
    quiz_attempt_submit(
        enrollment=enrollment, revision_item=quiz, answers=QUIZ_RIGHT_ANSWERS, language="en"
    )
    return user


def test_one_learners_progress_never_shows_on_another_learners_pages(client, course):
    """The first learner's states, badges and progress fill the pages the second one sees
    after them, never the second's."""
    first, second = learner_with_progress(course), UserFactory()
    enrollment_create(user=second, course=course)
    client.force_login(first)
    mine = {path: page(client, path) for path in (COURSE, LESSON, HASHES)}
    assert states(mine[LESSON]) == {"what-is": "done", "hashes": "not_started", "check": "passed"}
    assert progress_of(mine[LESSON]) == "66"
    assert "Passed, best 100%" in mine[COURSE]

    client.force_login(second)
    for path in (COURSE, LESSON, HASHES):
        html = page(client, path)
        assert set(states(html).values()) == {"not_started"}, path
        assert progress_of(html) == "0", path
        assert "Passed, best" not in html and '<span class="badge ok">Done</span>' not in html
    assert "Mark as complete" in page(client, LESSON)

    client.logout()
    for path in (COURSE, LESSON):
        html = page(client, path)
        assert set(states(html).values()) == {"not_started"}, path
        assert progress_of(html) is None and "Mark as complete" not in html, path

    client.force_login(first)
    assert "Mark as complete" not in page(client, LESSON)
    assert states(page(client, HASHES))["what-is"] == "done"


def test_a_lesson_marked_complete_shows_done_at_once(client, course):
    user = UserFactory()
    client.force_login(user)
    enrollment_create(user=user, course=course)
    assert states(page(client, COURSE))["what-is"] == "not_started"
    assert "Mark as complete" in page(client, LESSON)

    response = client.post(LESSON + "complete/")
    assert response.status_code == 302

    html = page(client, LESSON)
    assert states(html)["what-is"] == "done"
    assert "Mark as complete" not in html
    assert '<span class="badge ok">Done</span>' in html
    assert progress_of(html) == "33"
    course_html = page(client, COURSE)
    assert states(course_html)["what-is"] == "done"
    assert progress_of(course_html) == "33"
    assert "Lessons read: 1 of 2" in course_html


def test_progress_recorded_elsewhere_shows_at_once(client, course):
    """Nothing of a learner is kept: a change written by any path (here the database
    directly) is on the next page."""
    user = UserFactory()
    enrollment, _ = enrollment_create(user=user, course=course)
    client.force_login(user)
    assert states(page(client, LESSON))["hashes"] == "not_started"
    ItemProgress.objects.create(
        enrollment=enrollment, item=Item.objects.get(course=course, key="hashes"),
        completed_at=enrollment.created_at,
    )  # fmt: skip
    assert states(page(client, LESSON))["hashes"] == "done"
    assert states(page(client, COURSE))["hashes"] == "done"


def test_a_reimport_shows_the_new_outline_and_text_at_once(client, repo, course):
    assert '<span class="title">What is a blockchain?</span>' in page(client, LESSON)
    reordered = COURSE_YAML.replace(
        "      - {type: lesson, id: what-is, path: lessons/01-what-is, minutes: 10}\n"
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n",
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n"
        "      - {type: lesson, id: what-is, path: lessons/01-what-is, minutes: 10}\n",
    )
    en = f"{COURSE_DIR}/lessons/01-what-is/en.md"
    retitled = (repo.path / en).read_text().replace("What is a blockchain?", "Ledgers", 1)
    repo.commit({f"{COURSE_DIR}/course.yaml": reordered, en: retitled}, "Reorder and retitle")
    publish(repo)

    html = page(client, LESSON)
    assert '<span class="title">What is a blockchain?</span>' not in html
    assert '<span class="title">Ledgers</span>' in html
    assert "<h1>Ledgers</h1>" in html
    assert list(states(html)) == ["hashes", "what-is", "check"]
    assert list(states(page(client, COURSE))) == ["hashes", "what-is", "check"]


def test_a_revision_id_that_names_other_content_never_gets_what_was_kept_for_it(client, course):
    """Database ids recur (a rolled-back transaction, a restored backup, a flushed database):
    what pages keep of a revision is found by the revision's random uid, so a recurring id
    with other content behind it is read afresh, in this process's memo and in the cache."""
    import uuid

    from courses.models import CourseRevision, ItemText

    assert '<span class="title">What is a blockchain?</span>' in page(client, LESSON)
    revision = course.live_revision
    # The same id, now naming another revision: other texts and, as every revision has, a
    # uid of its own.
    ItemText.objects.filter(revision_item__revision=revision, title="What is a blockchain?").update(
        title="Ledgers"
    )
    CourseRevision.objects.filter(pk=revision.pk).update(uid=uuid.uuid4())

    html = page(client, LESSON)
    assert '<span class="title">What is a blockchain?</span>' not in html
    assert '<span class="title">Ledgers</span>' in html


def test_pages_kept_whole_are_rendered_from_a_reader_without_the_learners_figures(
    client, course, monkeypatch
):
    """A page kept whole is rendered once for every reader of its kind: the reader it is
    rendered with carries slots, never this learner's progress, so no template can bake one
    learner's figure into everyone's page."""
    from courses.templatetags import courses as tags

    contexts = []
    keep = tags.page_kept

    def spy(request, key, template, context, values):
        contexts.append(context())
        return keep(request, key, template, context, values)

    monkeypatch.setattr(tags, "page_kept", spy)
    user = UserFactory()
    enrollment, _created = enrollment_create(user=user, course=course)
    lesson_complete(enrollment=enrollment, item=Item.objects.get(course=course, key="what-is"))
    client.force_login(user)
    page(client, LESSON)
    page(client, COURSE)

    assert len(contexts) == 2
    item_reader, course_reader = (context["kept_reader"] for context in contexts)
    assert item_reader.done and item_reader.progress == slots.slot("progress")
    assert course_reader.started
    for name in tags.LEARNER_SLOTS:
        assert getattr(course_reader, name) == slots.slot(name)


def test_text_that_looks_like_a_slot_is_shown_as_text(client, tmp_path):
    """Titles are escaped, so nothing an author writes can pass for a place the page fills."""
    en = f"{COURSE_DIR}/lessons/01-what-is/en.md"
    repo = make_repo(tmp_path / "tricky")
    text = (repo.path / en).read_text()
    tricky = text.replace("title: What is a blockchain?", 'title: "<!--slot:0:badge--> x"', 1)
    repo.commit({en: tricky}, "A tricky title")
    course = publish(repo)
    client.force_login(learner_with_progress(course))
    html = page(client, HASHES)
    assert "&lt;!--slot:0:badge--&gt; x" in html
    assert states(html) == {"what-is": "done", "hashes": "not_started", "check": "passed"}


def csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def completion_tokens(html: str) -> list[str]:
    """The CSRF tokens of the forms that mark the lesson complete."""
    forms = re.findall(r'<form[^>]*action="[^"]*/complete/"[^>]*>(.*?)</form>', html, re.S)
    return [token for form in forms for token in csrf_tokens(form)]


def test_forms_on_kept_pages_carry_the_readers_own_csrf_token(course):
    """The forms of a kept page (mark as complete, complete and continue, enrol) are filled
    with a token of the reader's own CSRF cookie, which the site accepts."""
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        user = UserFactory()
        enrollment_create(user=user, course=course)
        client.force_login(user)
        page(client, LESSON)  # renders the part that is kept
    tokens = completion_tokens(page(second, LESSON))
    assert len(tokens) == 2  # mark as complete; complete and continue
    assert not set(tokens) & set(completion_tokens(page(first, LESSON)))

    assert second.post(LESSON + "complete/", {"csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert states(page(second, LESSON))["what-is"] == "done"
    assert first.post(HASHES + "complete/", {"csrfmiddlewaretoken": tokens[1]}).status_code == 403

    course_html = page(Client(), COURSE)  # a visitor: no form, nothing to post
    assert "Enrol in this course" not in course_html


TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def without_tokens(html: str) -> str:
    return TOKENS.sub(r'\1"', html)


def plain(client, path: str, monkeypatch) -> str:
    """The page as the templates render it on every request, with nothing kept."""
    with monkeypatch.context() as patched:
        patched.setattr(Layout, "keeps", staticmethod(lambda request, **options: False))
        return page(client, path)


@pytest.mark.parametrize("reader", ["visitor", "signed in", "enrolled", "done", "staff"])
@pytest.mark.parametrize("path", [LESSON, COURSE, "/ky/courses/demo/what-is/", "/ru/courses/demo/"])
def test_a_page_kept_whole_is_the_page_the_templates_render(client, course, reader, path,
                                                            monkeypatch):  # fmt: skip
    if reader != "visitor":
        user = UserFactory(name="Ann <b>O'Brien</b>", is_staff=reader == "staff")
        if reader in ("enrolled", "done"):
            enrollment, _ = enrollment_create(user=user, course=course)
        if reader == "done":
            lesson_complete(enrollment=enrollment, item=Item.objects.get(key="what-is"))
        client.force_login(user)
    first, again = page(client, path), page(client, path)
    assert (
        without_tokens(first)
        == without_tokens(again)
        == without_tokens(plain(client, path, monkeypatch))
    )
    if reader != "visitor":
        assert '<span class="menu-user">Ann</span>' in first


def test_the_layout_of_a_kept_page_shows_each_reader_their_own_name_and_links(client, course):
    ann, bob = UserFactory(name="Ann Lee"), UserFactory(name="Bob <script>")
    staff = UserFactory(name="Cat", is_staff=True)
    client.force_login(ann)
    assert '<span class="menu-user">Ann</span>' in page(client, LESSON)
    client.force_login(bob)
    html = page(client, LESSON)
    assert '<span class="menu-user">Bob</span>' in html and "Ann" not in html
    assert "/admin/" not in html
    bob.name = "Robert"
    bob.save()
    assert '<span class="menu-user">Robert</span>' in page(client, LESSON)
    client.force_login(staff)
    html = page(client, LESSON)
    assert '<span class="menu-user">Cat</span>' in html and "/admin/" in html
    session = client.session
    session["cohort_roles"] = True
    session.save()
    assert 'href="/en/cohorts/"' in page(client, COURSE)
    client.logout()
    html = page(client, LESSON)
    assert 'class="menu-user"' not in html and "/logout/" not in html
    assert f'login/?next={LESSON}"' in html


def test_messages_and_query_strings_are_shown_on_pages_rendered_for_the_request(client, course):
    """A message waits in the session for the next page, and the language switcher sends the
    whole address back: such pages are rendered for the request, not taken from a kept one."""
    user = UserFactory()
    client.force_login(user)
    page(client, COURSE)
    response = client.post("/en/courses/demo/enroll/", {"next": LESSON}, follow=True)
    html = response.content.decode()
    assert "You are enrolled. Good luck!" in html and "<!--" not in html
    assert "You are enrolled" not in page(client, LESSON)
    html = page(client, LESSON + "?from=search")
    assert 'name="next" value="/en/courses/demo/what-is/?from=search"' in html


def test_what_a_process_keeps_stays_within_its_bound(client, course, monkeypatch):
    """The least recently used parts go first; a page that went is rendered again."""
    monkeypatch.setattr(slots, "_kept", slots.OrderedDict())
    monkeypatch.setattr(slots, "_kept_characters", 0)
    monkeypatch.setattr(slots, "KEPT_CHARACTERS", 60_000)
    for path in (LESSON, HASHES, COURSE, LESSON, "/ky/courses/demo/", "/ru/courses/demo/"):
        page(client, path)
        assert slots._kept_characters == sum(part.size for part in slots._kept.values())
        assert slots._kept_characters <= 60_000 or len(slots._kept) == 1
    assert progress_of(page(client, LESSON)) is None


def test_the_course_query_is_prepared_once_per_connection(client, course, postgres):
    """On PostgreSQL the query every course and lesson page runs is planned once."""
    from django.db import connection

    user = UserFactory()
    enrollment_create(user=user, course=course)
    client.force_login(user)
    for path in (LESSON, HASHES, COURSE):
        page(client, path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE 'SELECT c.id, r.id, r.uid%%' AND NOT from_sql"
        )
        assert cursor.fetchone() == (1,)
