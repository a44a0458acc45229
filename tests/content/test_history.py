"""Checks against history the database or Git holds: W104, W105, W106 and type changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from courses.content import (
    changed_answer_keys,
    changed_item_types,
    course_stale_translations,
    parse_repository,
    removed_items_with_progress,
    stale_translations,
)
from courses.content.parsed import ParsedCourse
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


def test_translation_older_than_a_sibling_warns() -> None:
    """W106 for each language file changed before the newest sibling."""
    times = {
        "ky": dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
        "ru": dt.datetime(2025, 1, 10, tzinfo=dt.UTC),
        "en": dt.datetime(2025, 3, 1, 0, 30, tzinfo=dt.UTC),
    }
    warnings = stale_translations(
        lesson_path=f"{C}/lessons/01", commit_times=times, grace=dt.timedelta(hours=1)
    )
    assert [w.format() for w in warnings] == [
        f"{C}/lessons/01/ru.md:1:1: warning W106: ru.md was last changed 2025-01-10, before "
        "en.md (2025-03-01); the translation may be out of date"
    ]
    assert len(stale_translations(lesson_path="x", commit_times=times)) == 2
    assert stale_translations(lesson_path="x", commit_times={"ky": times["ky"]}) == []


def test_course_stale_translations_uses_file_paths(tmp_path: Path) -> None:
    parsed = course(tmp_path)
    new, old = dt.datetime(2025, 2, 1, tzinfo=dt.UTC), dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    times = {f"{C}/lessons/01-what-is/ky.md": new, f"{C}/lessons/01-what-is/en.md": old}
    warnings = course_stale_translations(course=parsed, file_times=times)
    assert [w.path for w in warnings] == [f"{C}/lessons/01-what-is/en.md"]
