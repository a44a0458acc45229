"""Importing real Git repositories: atomic, idempotent, identity-preserving."""

import pytest
from django.core import serializers

from courses.models import (
    Asset,
    Course,
    CourseRevision,
    Enrollment,
    GlossaryTerm,
    ImportRun,
    Item,
    ItemProgress,
    ItemText,
    Module,
    RevisionItem,
)
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.helpers import COURSE_DIR, COURSE_YAML, course_yaml, lesson, quiz_yaml
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Course, CourseRevision, Module, Item, RevisionItem, ItemText, GlossaryTerm, Asset]


def content_snapshot() -> str:
    """Every row of every content table, serialised: equal snapshots are equal databases."""
    return "\n".join(
        serializers.serialize("json", model.objects.order_by("pk")) for model in CONTENT_MODELS
    )


def run_import(location, ref="", *, preview=False, dry_run=False):
    run = import_run_create(location=str(location), ref=ref, preview=preview)
    outcome = import_run_execute(run=run, dry_run=dry_run)
    run.refresh_from_db()
    return run, outcome


def test_first_import_publishes_the_course_with_rendered_texts_per_language(repo):
    run, _outcome = run_import(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    assert run.commit == repo.head
    assert run.commit_author == "Aigul Author <aigul@example.org>"
    course = Course.objects.get(slug="demo")
    live = course.live_revision
    assert live.commit == repo.head
    assert live.title["ky"] == "Демо курс"
    assert [m.key for m in live.modules.all()] == ["intro"]
    assert [ri.item.key for ri in live.revision_items.order_by("position")] == [
        "what-is", "hashes", "check",
    ]  # fmt: skip
    text = ItemText.objects.get(revision_item__revision=live, revision_item__item__key="what-is",
                                language="ky")  # fmt: skip
    assert '<div class="admonition note">' in text.html
    assert text.toc[0]["title"] == "Блокчейн деген эмне?"
    assert text.word_count > 0 and text.reading_minutes >= 1
    assert 'href="../hashes/"' in text.html  # links between lessons work in every language
    assert run.summary["items"] == 3
    assert run.summary["languages"] == ["en", "ky", "ru"]
    assert GlossaryTerm.objects.filter(revision=live, key="hash").exists()


def test_images_are_stored_by_hash_with_the_language_variant_winning(repo):
    run_import(repo.path)
    live = Course.objects.get(slug="demo").live_revision
    texts = {
        t.language: t.html
        for t in ItemText.objects.filter(revision_item__revision=live,
                                         revision_item__item__key="hashes")
    }  # fmt: skip
    ky_src = texts["ky"].split('src="')[1].split('"')[0]
    en_src = texts["en"].split('src="')[1].split('"')[0]
    assert ky_src != en_src
    assert ky_src.startswith("/assets/") and ky_src.endswith("/chain.ky.svg")
    sha = en_src.split("/")[2]
    assert Asset.objects.get(sha256=sha).media_type == "image/svg+xml"


def test_reimporting_the_same_commit_changes_nothing(repo):
    run_import(repo.path)
    before = content_snapshot()
    run, _ = run_import(repo.path)
    assert run.status == ImportRun.Status.UNCHANGED
    assert content_snapshot() == before


def test_a_failed_import_leaves_the_live_course_untouched(repo):
    run_import(repo.path)
    before = content_snapshot()
    repo.commit(course_yaml("level: beginner", "level: expert"), "Break the level")
    run, _outcome = run_import(repo.path)
    assert run.status == ImportRun.Status.FAILED
    assert [(d["code"], d["path"]) for d in run.diagnostics if d["severity"] == "error"] == [
        ("E004", f"{COURSE_DIR}/course.yaml")
    ]
    assert content_snapshot() == before


def test_reordering_retitling_and_moving_a_folder_keep_progress(repo):
    run_import(repo.path)
    course = Course.objects.get(slug="demo")
    user = UserFactory()
    enrollment = Enrollment.objects.create(user=user, course=course)
    what_is = Item.objects.get(course=course, key="what-is")
    ItemProgress.objects.create(
        enrollment=enrollment, item=what_is, completed_at="2026-01-01T00:00Z"
    )
    moved = COURSE_YAML.replace(
        "      - {type: lesson, id: what-is, path: lessons/01-what-is, minutes: 10}\n"
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n",
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n"
        "      - {type: lesson, id: what-is, path: lessons/intro, minutes: 12}\n",
    )
    changes = {f"{COURSE_DIR}/course.yaml": moved}
    for lang in ("ky", "ru", "en"):
        old = repo.path / COURSE_DIR / "lessons/01-what-is" / f"{lang}.md"
        changes[f"{COURSE_DIR}/lessons/intro/{lang}.md"] = old.read_text().replace(
            "title: ", "title: Жаңы ", 1
        )
        changes[f"{COURSE_DIR}/lessons/01-what-is/{lang}.md"] = None
    repo.commit(changes, "Move and retitle the first lesson")
    run, _ = run_import(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    live = Course.objects.get(slug="demo").live_revision
    assert [ri.item.key for ri in live.revision_items.order_by("position")][:2] == [
        "hashes", "what-is",
    ]  # fmt: skip
    assert Item.objects.get(pk=what_is.pk).archived_at is None
    assert ItemProgress.objects.filter(item=what_is, enrollment=enrollment).exists()


def test_removed_item_with_progress_is_archived_with_a_warning_and_returns_with_its_id(repo):
    run_import(repo.path)
    course = Course.objects.get(slug="demo")
    enrollment = Enrollment.objects.create(user=UserFactory(), course=course)
    hashes = Item.objects.get(course=course, key="hashes")
    ItemProgress.objects.create(enrollment=enrollment, item=hashes)
    without = COURSE_YAML.replace(
        "      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}\n", ""
    )
    ky = f"{COURSE_DIR}/lessons/01-what-is/ky.md"
    unlinked = (repo.path / ky).read_text().replace("[хештер](../02-hashes/)", "хештер")
    repo.commit({f"{COURSE_DIR}/course.yaml": without, ky: unlinked}, "Drop the hashes lesson")
    run, _ = run_import(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED
    # W104 for the removed item (and W106: ky.md changed without ru.md and en.md)
    assert [d["code"] for d in run.diagnostics if d["code"] != "W106"] == ["W104"]
    hashes.refresh_from_db()
    assert hashes.archived_at is not None
    assert ItemProgress.objects.filter(item=hashes).count() == 1

    repo.commit({f"{COURSE_DIR}/course.yaml": COURSE_YAML}, "Bring it back")
    run, _ = run_import(repo.path)
    hashes.refresh_from_db()
    assert hashes.archived_at is None
    assert Item.objects.filter(course=course, key="hashes").count() == 1


def test_changing_an_items_type_is_refused(repo):
    run_import(repo.path)
    changed = COURSE_YAML.replace(
        "{type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}",
        "{type: quiz, id: hashes, path: quizzes/hashes.yaml, minutes: 10}",
    )
    quiz = (
        (repo.path / COURSE_DIR / "quizzes/check.yaml")
        .read_text()
        .replace("id: check", "id: hashes", 1)
    )
    ky = f"{COURSE_DIR}/lessons/01-what-is/ky.md"
    unlinked = (repo.path / ky).read_text().replace("[хештер](../02-hashes/)", "хештер")
    repo.commit(
        {f"{COURSE_DIR}/course.yaml": changed, f"{COURSE_DIR}/quizzes/hashes.yaml": quiz,
         ky: unlinked},
        "Turn a lesson into a quiz",
    )  # fmt: skip
    before = content_snapshot()
    run, _ = run_import(repo.path)
    assert run.status == ImportRun.Status.FAILED
    assert "E007" in [d["code"] for d in run.diagnostics]
    assert content_snapshot() == before


def test_changed_answer_key_is_a_warning(repo):
    run_import(repo.path)
    quiz = (repo.path / COURSE_DIR / "quizzes/check.yaml").read_text()
    assert "answer: true" in quiz
    repo.commit(
        {f"{COURSE_DIR}/quizzes/check.yaml": quiz.replace("answer: true", "answer: false", 1)}
    )
    run, _ = run_import(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert "W105" in [d["code"] for d in run.diagnostics]


def test_translations_older_than_the_default_language_are_a_warning(repo):
    path = f"{COURSE_DIR}/lessons/01-what-is/ky.md"  # ky is the course's default language
    text = (repo.path / path).read_text()
    repo.commit({path: text + "\nДагы текст.\n"}, "Update Kyrgyz only")
    run, _ = run_import(repo.path)
    stale = sorted(d["path"] for d in run.diagnostics if d["code"] == "W106")
    assert stale == [
        f"{COURSE_DIR}/lessons/01-what-is/en.md",
        f"{COURSE_DIR}/lessons/01-what-is/ru.md",
    ]


def test_preview_does_not_touch_the_live_revision(repo):
    run_import(repo.path)
    live_before = Course.objects.get(slug="demo").live_revision_id
    repo.commit(lesson("\nЖаңы текст.\n"), "Draft")
    run, _ = run_import(repo.path, ref="main", preview=True)
    assert run.status == ImportRun.Status.SUCCEEDED
    course = Course.objects.get(slug="demo")
    assert course.live_revision_id == live_before
    preview = course.revisions.get(is_preview=True)
    assert preview.commit == repo.head


def test_import_at_an_older_ref(repo):
    first = repo.head
    repo.commit(lesson("\nЭкинчи версия.\n"), "Second")
    run, _ = run_import(repo.path, ref=first)
    assert run.commit == first


def test_dry_run_writes_nothing(repo):
    run = ImportRun(location=str(repo.path), trigger=ImportRun.Trigger.COMMAND)
    outcome = import_run_execute(run=run, dry_run=True)
    assert outcome.ok
    assert run.pk is None
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("make_source", "message"),
    [
        (lambda tmp: tmp, "is not a Git repository"),
        (lambda tmp: tmp / "missing", "is neither a folder nor a Git URL"),
        (lambda tmp: "file:///nonexistent/repo.git", "Could not read the repository"),
        (lambda tmp: "https://127.0.0.1:9/none.git", "Could not read the repository"),
    ],
)
def test_unreadable_sources_fail_with_a_clear_message(tmp_path, make_source, message):
    (tmp_path / "README").write_text("not a repository")
    run, _ = run_import(make_source(tmp_path))
    assert run.status == ImportRun.Status.FAILED
    assert message in run.diagnostics[0]["message"]
    assert not Course.objects.exists()


def test_unknown_ref_fails_with_a_clear_message(repo):
    run, _ = run_import(repo.path, ref="no-such-branch")
    assert run.status == ImportRun.Status.FAILED
    assert run.diagnostics[0]["message"] == (
        "The repository has no branch, tag or commit named no-such-branch."
    )


def test_option_like_ref_is_refused(repo):
    run, _ = run_import(repo.path, ref="--upload-pack=touch /tmp/pwned")
    assert run.status == ImportRun.Status.FAILED


def test_changed_quiz_keeps_a_changed_key_out_of_old_revisions(repo):
    """The answer key lives with each revision; an old revision keeps its own."""
    run_import(repo.path)
    old = Course.objects.get(slug="demo").live_revision
    repo.commit(quiz_yaml("answer: true", "answer: false"), "Fix the key")
    run_import(repo.path)
    old.refresh_from_db()
    key = RevisionItem.objects.get(revision=old, item__key="check").quiz["answer_keys"]
    assert '"answer":true' in "".join(key.values())


def test_reimporting_the_same_commit_does_not_read_the_repository_again(repo, monkeypatch):
    run_import(repo.path)
    import courses.services.publishing as publishing

    def fail(*args, **kwargs):
        raise AssertionError("the repository was parsed again")

    monkeypatch.setattr(publishing, "parse_repository", fail)
    run, _outcome = run_import(repo.path)
    assert run.status == ImportRun.Status.UNCHANGED
    assert run.summary["courses"] == ["demo"]


def test_a_local_repository_whose_commit_is_live_is_not_cloned_again(repo, monkeypatch):
    first, _ = run_import(repo.path)
    import courses.services.publishing as publishing

    def fail(*args, **kwargs):
        raise AssertionError("the repository was cloned again")

    with monkeypatch.context() as patched:
        patched.setattr(publishing, "checkout", fail)
        run, _outcome = run_import(repo.path)
    assert run.status == ImportRun.Status.UNCHANGED
    assert (run.commit, run.commit_author, run.commit_message, run.committed_at) == (
        first.commit, first.commit_author, first.commit_message, first.committed_at,
    )  # fmt: skip
    assert run.summary == first.summary

    repo.commit(course_yaml("level: beginner", "level: intermediate"), "Raise the level")
    run, _outcome = run_import(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED and run.commit != first.commit


def test_a_new_commit_renders_only_the_lessons_that_changed(repo, monkeypatch):
    """Unchanged lesson files reuse the HTML stored by the previous import."""
    run_import(repo.path)
    import courses.content.lessons as lessons

    rendered = []
    original = lessons.render_markdown

    def counting(text, **kwargs):
        rendered.append(kwargs.get("language"))
        return original(text, **kwargs)

    monkeypatch.setattr(lessons, "render_markdown", counting)
    repo.commit(lesson("\nЖаңы абзац.\n"), "Edit one lesson file")
    run, _outcome = run_import(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    assert rendered == ["ky"]


def test_the_sample_course_imports_from_this_checkout():
    """What `make run` does: examples/ is read from the committed state of this repository."""
    from tests.conftest import ROOT

    run, _outcome = run_import(ROOT / "examples")
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    course = Course.objects.get(slug="blockchain-basics")
    assert course.live_revision.lesson_count >= 6
    assert course.live_revision.quiz_count == 2
