"""Every learning page runs the same number of queries for a course of 5 items and of 200.

The courses are generated into real Git repositories: lessons in modules of up to 20 items
and a quiz at the end (the demo course's quiz), all in three languages. The learner has
completed every lesson and taken the quiz, so every outline row has progress to show.
"""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course, ImportRun, Item, ItemProgress, ItemType, RevisionItem
from courses.services.learning import enrollment_create, quiz_attempt_submit
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.helpers import QUIZ_YAML
from tests.factories import UserFactory
from tests.gitrepo import GitRepo, git

pytestmark = pytest.mark.django_db

MODULE_SIZE = 20


def course_files(slug: str, items: int) -> dict[str, str]:
    """A valid course of ``items`` items: ``items - 1`` lessons and the quiz "check"."""
    keys = [f"lesson-{n:03d}" for n in range(1, items)] + ["check"]
    modules = []
    for start in range(0, items, MODULE_SIZE):
        number = start // MODULE_SIZE + 1
        lines = [
            f"  - id: part-{number}",
            f"    title: {{ky: Бөлүк {number}, ru: Часть {number}, en: Part {number}}}",
            "    items:",
        ]
        for key in keys[start : start + MODULE_SIZE]:
            if key == "check":
                lines.append("      - {type: quiz, id: check, path: quizzes/check.yaml}")
            else:
                lines.append(
                    f"      - {{type: lesson, id: {key}, path: lessons/{key}, minutes: 5}}"
                )
        modules.append("\n".join(lines))
    course_yaml = (
        "format: 1\n"
        f"slug: {slug}\n"
        "languages: [ky, ru, en]\n"
        "default_language: ky\n"
        f"title: {{ky: Курс {items}, ru: Курс {items}, en: Course of {items}}}\n"
        "description: {ky: Сүрөттөмө., ru: Описание., en: A description.}\n"
        "level: beginner\n"
        f"estimated_minutes: {items * 5}\n"
        "tags: [blockchain]\n"
        "certificate:\n"
        "  enabled: true\n"
        "  require: [all_lessons, all_quizzes]\n"
        "  min_average_score: 75\n"
        "  title: {ky: Сертификат, ru: Сертификат, en: Certificate}\n"
        "modules:\n" + "\n".join(modules) + "\n"
    )
    root = f"courses/{slug}"
    files = {f"{root}/course.yaml": course_yaml, f"{root}/quizzes/check.yaml": QUIZ_YAML}
    for n, key in enumerate(keys[:-1], start=1):
        for lang, word in (("ky", "Сабак"), ("ru", "Урок"), ("en", "Lesson")):
            files[f"{root}/lessons/{key}/{lang}.md"] = (
                f"---\ntitle: {word} {n}\n---\n\n## {word}\n\nText {n}.\n\n## {word} 2\n\nMore.\n"
            )
    return files


def make_course_repo(path: Path, slug: str, items: int) -> GitRepo:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    repo = GitRepo(path)
    repo.commit(course_files(slug, items), f"Add a course of {items} items")
    return repo


@pytest.fixture(scope="module")
def repos(tmp_path_factory) -> dict[int, GitRepo]:
    root = tmp_path_factory.mktemp("sizes")
    return {size: make_course_repo(root / str(size), f"size-{size}", size) for size in (5, 200)}


def publish_with_progress(repo: GitRepo, user) -> Course:
    """Import the course; ``user`` completes every lesson and takes the quiz once."""
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    course = Course.objects.get(pk=run.revisions.get().course_id)
    enrollment, _ = enrollment_create(user=user, course=course)
    lessons = Item.objects.filter(course=course, type=ItemType.LESSON)
    ItemProgress.objects.bulk_create(
        [ItemProgress(enrollment=enrollment, item=lesson, completed_at=run.finished_at)
         for lesson in lessons]
    )  # fmt: skip
    quiz = RevisionItem.objects.get(revision=course.live_revision, item__key="check")
    quiz_attempt_submit(
        enrollment=enrollment, revision_item=quiz, answers={"term": "hash"}, language="en"
    )
    return course


def count_queries(client, path: str) -> int:
    """Queries of a page seen a second time (the first visit may remember the learner's place)."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def pages(slug: str) -> dict[str, str]:
    return {
        "course": f"/en/courses/{slug}/",
        "lesson": f"/en/courses/{slug}/lesson-002/",
        "quiz": f"/en/courses/{slug}/check/",
        "catalogue": "/en/courses/",
        "dashboard": "/en/dashboard/",
    }


def test_page_queries_do_not_grow_with_the_size_of_the_course(client, repos):
    user = UserFactory()
    client.force_login(user)

    publish_with_progress(repos[5], user)
    small = {name: count_queries(client, path) for name, path in pages("size-5").items()}

    publish_with_progress(repos[200], user)  # the catalogue and dashboard now list both
    large = {name: count_queries(client, path) for name, path in pages("size-200").items()}

    assert large == small
    assert all(count <= 15 for count in small.values()), small


def test_visitors_pages_do_not_grow_with_the_size_of_the_course(client, repos):
    publish_with_progress(repos[5], UserFactory())
    small = {name: count_queries(client, path) for name, path in pages("size-5").items()
             if name != "dashboard"}  # fmt: skip
    publish_with_progress(repos[200], UserFactory())
    large = {name: count_queries(client, path) for name, path in pages("size-200").items()
             if name != "dashboard"}  # fmt: skip
    assert large == small
