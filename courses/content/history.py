"""Checks that compare a new revision with what came before (W104, W105, W106, E007).

They need history the repository alone does not hold: learners' progress and earlier answer
keys (from the database) and commit times (from Git). The caller gathers that history and
passes it in as plain mappings; these functions only compare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from courses.content import messages as M
from courses.content.diagnostics import Diagnostic, make_diagnostic
from courses.content.parsed import ParsedCourse


def _course_yaml(course: ParsedCourse) -> str:
    return f"{course.path}/course.yaml" if course.path else "course.yaml"


def removed_items_with_progress(
    *, course: ParsedCourse, progress_counts: Mapping[str, int]
) -> list[Diagnostic]:
    """W104 for each item id that learners have progress on but the new revision lacks.

    ``progress_counts`` maps the item ids of the previous revision to how many learners have
    progress on them.
    """
    current = {item.id for item in course.items}
    return [
        make_diagnostic(
            path=_course_yaml(course),
            code="W104",
            template=M.REMOVED_ITEM,
            params={"id": item_id, "count": count},
        )
        for item_id, count in sorted(progress_counts.items())
        if count > 0 and item_id not in current
    ]


def changed_item_types(
    *, course: ParsedCourse, previous_types: Mapping[str, str]
) -> list[Diagnostic]:
    """E007 for each item whose type (lesson or quiz) differs from the previous revision."""
    return [
        make_diagnostic(
            path=_course_yaml(course),
            code="E007",
            template=M.TYPE_CHANGED,
            params={"id": item.id, "old": previous_types[item.id], "new": item.type},
            at=(item.line, item.col),
            hint=M.TYPE_CHANGED_HINT,
        )
        for item in course.items
        if item.id in previous_types and previous_types[item.id] != item.type
    ]


def changed_answer_keys(
    *, course: ParsedCourse, previous_keys: Mapping[str, Mapping[str, str]]
) -> list[Diagnostic]:
    """W105 for each question whose answer key changed or that was removed.

    ``previous_keys`` maps quiz id to `Quiz.answer_keys()` of the previous revision
    (question id to `Question.answer_key()`). Quizzes that are new or gone are skipped.
    """
    warnings: list[Diagnostic] = []
    for quiz_id, old_keys in sorted(previous_keys.items()):
        quiz = course.quizzes.get(quiz_id)
        if quiz is None:
            continue
        questions = {q.id: q for q in quiz.questions}
        for question_id, old_key in sorted(old_keys.items()):
            question = questions.get(question_id)
            if question is None:
                warnings.append(
                    make_diagnostic(
                        path=quiz.path,
                        code="W105",
                        template=M.QUESTION_REMOVED,
                        params={"question": question_id, "quiz": quiz_id},
                    )
                )
            elif question.answer_key() != old_key:
                warnings.append(
                    make_diagnostic(
                        path=quiz.path,
                        code="W105",
                        template=M.ANSWER_KEY_CHANGED,
                        params={"question": question_id, "quiz": quiz_id},
                        at=(question.line, question.col),
                    )
                )
    return warnings


def stale_translations(
    *,
    lesson_path: str,
    commit_times: Mapping[str, dt.datetime],
    grace: dt.timedelta = dt.timedelta(0),
) -> list[Diagnostic]:
    """W106 for each language file last changed before a sibling language's file.

    ``lesson_path`` is the repository-relative lesson folder; ``commit_times`` maps language
    code to the time of the last commit that touched ``<lang>.md``. A file is stale when a
    sibling changed more than ``grace`` after it.
    """
    if len(commit_times) < 2:
        return []
    newest_lang, newest = max(commit_times.items(), key=lambda pair: (pair[1], pair[0]))
    return [
        make_diagnostic(
            path=f"{lesson_path}/{lang}.md",
            code="W106",
            template=M.STALE_TRANSLATION,
            params={
                "file": f"{lang}.md",
                "date": when.date().isoformat(),
                "sibling": f"{newest_lang}.md",
                "sibling_date": newest.date().isoformat(),
            },
        )
        for lang, when in sorted(commit_times.items())
        if newest - when > grace
    ]


def course_stale_translations(
    *,
    course: ParsedCourse,
    file_times: Mapping[str, dt.datetime],
    grace: dt.timedelta = dt.timedelta(0),
) -> list[Diagnostic]:
    """W106 for every lesson of a course; ``file_times`` maps repository-relative file paths
    (``courses/x/lessons/01/ky.md``) to their last commit time."""
    warnings: list[Diagnostic] = []
    for lesson in course.lessons.values():
        times = {
            lang: file_times[text.path]
            for lang, text in lesson.texts.items()
            if text.path in file_times
        }
        warnings += stale_translations(lesson_path=lesson.path, commit_times=times, grace=grace)
    return warnings
