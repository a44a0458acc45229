"""Checks against history the database or Git holds: W104, W105, W106 and type changes."""

from __future__ import annotations

from pathlib import Path

from courses.content import (
    changed_answer_keys,
    changed_item_types,
    course_stale_translations,
    parse_repository,
    removed_items_with_progress,
    stale_translations,
)
from courses.content.git import WORKTREE
from courses.content.parsed import ParsedCourse
from courses.content.translations import CourseTranslations, TextChange, TextStatus
from tests.content.helpers import COURSE_DIR, quiz_yaml, write_repo

C = COURSE_DIR


def course(tmp_path: Path, changes: dict | None = None) -> ParsedCourse:
    parsed = parse_repository(write_repo(tmp_path, changes))
    assert parsed.ok, parsed.diagnostics
    return parsed.courses[0]


def test_removed_item_with_progress_warns(tmp_path: Path) -> None:
    """W104 names the removed item and how many learners have progress on it."""
    warnings = removed_items_with_progress(
        course=course(tmp_path), progress_counts={"what-is": 5, "old-lesson": 12, "unused": 0}
    )
    assert [w.format() for w in warnings] == [
        f"{C}/course.yaml:1:1: warning W104: item 'old-lesson' was removed but 12 learners "
        "have progress on it; it will be archived"
    ]


def test_changed_item_type_is_an_error(tmp_path: Path) -> None:
    """An id that was a lesson and is now a quiz is E007 at the item's id."""
    errors = changed_item_types(
        course=course(tmp_path), previous_types={"check": "lesson", "what-is": "lesson"}
    )
    assert [(e.code, e.path, e.line, e.col) for e in errors] == [
        ("E007", f"{C}/course.yaml", 26, 26)
    ]
    assert "changed type from lesson to quiz" in errors[0].message


def test_changed_answer_key_warns(tmp_path: Path) -> None:
    """W105 for a question whose correct option changed, and for a removed question."""
    before = course(tmp_path / "a").quizzes["check"].answer_keys()
    changes = quiz_yaml("{id: open, correct: true,", "{id: open,")
    changes = {
        k: v.replace("{id: owned,", "{id: owned, correct: true,") for k, v in changes.items()
    }
    after = course(tmp_path / "b", changes)
    previous = {"check": {**before, "gone": "{}"}, "other-quiz": {"q": "{}"}}
    warnings = changed_answer_keys(course=after, previous_keys=previous)
    assert [(w.code, w.path, w.line, w.col) for w in warnings] == [
        ("W105", f"{C}/quizzes/check.yaml", 1, 1),
        ("W105", f"{C}/quizzes/check.yaml", 17, 5),
    ]
    assert "question 'gone' was removed" in warnings[0].message
    assert "answer key of question 'properties' in quiz 'check' changed" in warnings[1].message


def test_unchanged_answer_keys_and_reworded_text_do_not_warn(tmp_path: Path) -> None:
    """Editing a prompt or an accepted answer's case does not change the key."""
    before = course(tmp_path / "a").quizzes["check"].answer_keys()
    changes = quiz_yaml('en: "What is it?"}', 'en: "What is this called?"}')
    changes = {k: v.replace("en: [hash]", "en: [HASH ]") for k, v in changes.items()}
    after = course(tmp_path / "b", changes)
    assert changed_answer_keys(course=after, previous_keys={"check": before}) == []


def _status(language: str, path: str, **fields) -> TextStatus:
    return TextStatus("what-is", "lesson", language, path, **fields)


OWN = TextChange(sha="a" * 40, author="Aigul", date="2026-12-02T09:00:00+00:00", message="ru")
SOURCE = TextChange(sha="b" * 40, author="Aigul", date="2026-12-02T10:00:00+00:00", message="ky")


def test_w106_names_commits_not_days() -> None:
    """W106 for a stale text names both commits (two changes on one day are still ordered)
    and hints at the `git diff` that shows what changed in the default language."""
    lesson = f"{C}/lessons/01"
    statuses = [
        _status("ky", f"{lesson}/ky.md", state="current", change=SOURCE),
        _status("ru", f"{lesson}/ru.md", state="stale", change=OWN, source=SOURCE,
                source_language="ky", source_path=f"{lesson}/ky.md"),
        _status("en", f"{lesson}/en.md", state="missing", fallback="ru"),
    ]  # fmt: skip
    warnings = stale_translations(statuses=statuses)
    assert [w.format() for w in warnings] == [
        f"{C}/lessons/01/ru.md:1:1: warning W106: ru.md was last changed in commit aaaaaaaaaa, "
        "and ky.md (the default language) has changed since, in commit bbbbbbbbbb; the "
        "translation may be out of date (see what changed: git diff aaaaaaaaaa bbbbbbbbbb -- "
        f"{C}/lessons/01/ky.md)"
    ]
    assert "2026" not in warnings[0].message


def test_w106_in_a_yaml_file_points_at_the_languages_texts() -> None:
    """In a quiz or lab (one file for every language) W106 names the language and stands
    where its texts start; uncommitted changes to the default language say so."""
    quiz = f"{C}/quizzes/check.yaml"
    uncommitted = TextChange(sha=WORKTREE, author="", date="", message="")
    status = TextStatus(
        "check", "quiz", "en", quiz, "stale", change=OWN, source=uncommitted,
        source_language="ky", source_path=quiz, line=3, col=31,
    )  # fmt: skip
    [warning] = course_stale_translations(
        translations=CourseTranslations("demo", "ky", True, (status,))
    )
    assert (warning.path, warning.line, warning.col, warning.code) == (quiz, 3, 31, "W106")
    assert warning.message == (
        "the 'en' texts were last changed in commit aaaaaaaaaa, and the 'ky' texts (the default "
        "language) have uncommitted changes since; the translation may be out of date"
    )
    assert warning.hint == f"see what changed: git diff aaaaaaaaaa -- {quiz}"
