"""Checks that compare a new revision with what came before (W104, W105, W106, E007).

They need history the repository alone does not hold: learners' progress and earlier answer
keys (from the database) and the order of commits (from Git, compared in
`courses.content.translations`). The caller gathers that history and passes it in as plain
mappings and statuses; these functions only compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from courses.content import messages as M
from courses.content.diagnostics import Diagnostic, make_diagnostic
from courses.content.diagnostics import gettext_noop as _
from courses.content.parsed import ParsedCourse
from courses.content.translations import CourseTranslations, TextStatus


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


# W106, by commit (`courses.content.translations`). Lint shows the uncommitted forms.
STALE_FILE = _(
    "%(file)s was last changed in commit %(commit)s, and %(source)s (the default language) "
    "has changed since, in commit %(source_commit)s; the translation may be out of date"
)
STALE_FILE_UNCOMMITTED = _(
    "%(file)s was last changed in commit %(commit)s, and %(source)s (the default language) "
    "has uncommitted changes since; the translation may be out of date"
)
STALE_TEXTS = _(
    "the '%(lang)s' texts were last changed in commit %(commit)s, and the '%(source_lang)s' "
    "texts (the default language) have changed since, in commit %(source_commit)s; the "
    "translation may be out of date"
)
STALE_TEXTS_UNCOMMITTED = _(
    "the '%(lang)s' texts were last changed in commit %(commit)s, and the '%(source_lang)s' "
    "texts (the default language) have uncommitted changes since; the translation may be "
    "out of date"
)
STALE_HINT = _("see what changed: git diff %(range)s -- %(source_path)s")


def stale_translations(*, statuses: Iterable[TextStatus]) -> list[Diagnostic]:
    """W106 for each text older than the default language's, at the translation's file (a
    lesson's) or where its language's texts start (a quiz's or lab's YAML file)."""
    warnings: list[Diagnostic] = []
    for status in statuses:
        if status.state != "stale" or status.change is None or status.source is None:
            continue
        uncommitted = status.source.uncommitted
        if status.type == "lesson":
            template = STALE_FILE_UNCOMMITTED if uncommitted else STALE_FILE
        else:
            template = STALE_TEXTS_UNCOMMITTED if uncommitted else STALE_TEXTS
        params = {
            "file": status.path.rsplit("/", 1)[-1],
            "source": status.source_path.rsplit("/", 1)[-1],
            "lang": status.language,
            "source_lang": status.source_language,
            "commit": status.change.short,
            "source_path": status.source_path,
            "range": status.change.short
            if uncommitted
            else f"{status.change.short} {status.source.short}",
        }
        if not uncommitted:
            params["source_commit"] = status.source.short
        warnings.append(
            make_diagnostic(
                path=status.path, code="W106", template=template, params=params,
                at=(status.line, status.col), hint=STALE_HINT,
            )
        )  # fmt: skip
    return warnings


def course_stale_translations(*, translations: CourseTranslations) -> list[Diagnostic]:
    """W106 for every stale text of a course (see `courses.content.translations`)."""
    return stale_translations(statuses=translations.texts)
