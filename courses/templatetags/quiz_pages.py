"""A quiz's page: what it shows a learner before they submit, and the page kept whole.

A quiz page differs between learners only in the order of its options (when the quiz
shuffles them, per learner and attempt), the attempts left, the best score and whether any
attempt is left at all. The page is rendered once per revision, page, language, kind of
reader and order of options (`slots.page_kept`), with a slot for the attempts and best score
(`_quiz_learner_facts.html`, rendered per request), the outline, progress and CSRF token.
A page showing an attempt's review (``?attempt=``) is rendered per request (it has a query).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from courses.rules import attempts_left
from courses.selectors.quizzes import attempt_seed, quiz_questions_public, quiz_review
from courses.templatetags.courses import ITEM_SLOTS, _as_visitor, _item_reader, _item_values
from courses.templatetags.courses import _slotted as slotted
from courses.templatetags.slots import page_kept, slot


def _learner_facts(view, left: int | None) -> SafeString:
    return render_to_string(
        "courses/_quiz_learner_facts.html",
        {"attempts_left": left, "best_score": view.current.best_score,
         "passed": view.current.state == "passed"},
    )  # fmt: skip


def quiz_context(request, view) -> dict:
    """What `_quiz.html` shows this learner: the questions (options in their order for this
    attempt, no answers), the attempts left, and the review of the attempt asked for."""
    quiz = view.quiz
    enrollment = view.course.enrollment
    max_attempts = quiz.get("max_attempts", 0)
    left = attempts_left(max_attempts=max_attempts, used=view.attempt_count)
    seed = attempt_seed(
        enrollment_id=enrollment.pk if enrollment else None,
        item_id=view.current.item.pk,
        number=view.attempt_count + 1,
    )
    shown = request.GET.get("attempt", "")
    shown_attempt = None
    if shown:  # the only case that reads the attempts themselves
        shown_attempt = next((a for a in view.attempts if str(a.number) == shown), None)
    context = {
        "questions": quiz_questions_public(quiz, language=get_language(), seed=seed),
        "shown_attempt": shown_attempt,
        "attempts_left": left,
        "max_attempts": max_attempts,
        "pass_threshold": quiz.get("pass_threshold"),
        "learner_facts": lambda: _learner_facts(view, left),
    }
    if shown_attempt:
        context["review"] = quiz_review(
            quiz, answers=shown_attempt.answers, results=shown_attempt.results,
            language=get_language(),
        )  # fmt: skip
    return context


def quiz_page_kept(request, view) -> SafeString | None:
    """The whole page of a quiz (`item_detail.html`) from one rendered once per revision, page,
    language, kind of reader (and layout), attempts exhausted or not, and order of options;
    None for a preview or when the request cannot be answered from a kept page."""
    if not view.current.is_quiz or view.course.preview:
        return None
    found = quiz_context(request, view)
    reader = _item_reader(request, view)
    left = found["attempts_left"]
    order = tuple(tuple(option["id"] for option in q["options"]) for q in found["questions"])

    def context() -> dict:
        visitor = _as_visitor(view)
        return {
            **found, "learner_facts": slot("learner_facts"),
            "view": visitor, "course": visitor.course,
            "kept_reader": slotted(reader, ITEM_SLOTS),
        }  # fmt: skip

    course = view.course
    key = ("quiz page", course.outline.key, course.language, request.path,
           reader.authenticated, reader.enrolled, left == 0, order)  # fmt: skip
    values = {**_item_values(request, view, reader), "learner_facts": found["learner_facts"]}
    return page_kept(request, key, "courses/item_detail.html", context, values)
