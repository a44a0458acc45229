"""Quiz answers: how their shape and size are checked, and how text answers are compared.

`answers_clean` is the one place that decides whether answers can be graded and stored,
whether they came from the quiz page's form or from the API. Pure: data in, data out.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from courses.content.diagnostics import gettext_noop as _

MAX_TEXT_LENGTH = 500  # characters in one typed answer (the page's input takes 200)
MAX_NUMBER_DIGITS = 100  # digits before the decimal point of a number answer

# Messages are English templates with named placeholders; the Django layer translates them
# with ``gettext(error.template) % error.params``.
TOO_MANY_ANSWERS = _(
    "More answers were sent than the quiz has questions. Send at most one answer for each question."
)
NOT_AN_ANSWER = _("The answer to question “%(question)s” is not in a form this question takes.")
TOO_MANY_CHOICES = _("More options were chosen in question “%(question)s” than it has.")
TEXT_TOO_LONG = _("The answer to question “%(question)s” is longer than %(limit)s characters.")
CONTROL_CHARACTER = _(
    "The answer to question “%(question)s” contains a control character, such as a null "
    "byte. Remove it and try again."
)
BAD_NUMBER = _(
    "The answer to question “%(question)s” must be a finite number of at most %(digits)s digits."
)

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_CHOICE_TYPES = frozenset({"single", "multiple"})


class AnswerShapeError(ValueError):
    """The answers cannot be graded or stored; nothing should be."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


def normalize_text_answer(text: str) -> str:
    """Normalise a typed answer or an accepted answer so the two can be compared with ``==``."""
    folded = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return unicodedata.normalize("NFC", folded)


def _has_forbidden_character(text: str) -> bool:
    """Control characters (NUL among them) and lone surrogates, which no database stores in
    JSON and no learner types."""
    return any(
        unicodedata.category(char) in ("Cc", "Cs") and char not in _ALLOWED_CONTROLS
        for char in text
    )


def _check_text(text: str, question: str) -> None:
    if len(text) > MAX_TEXT_LENGTH:
        raise AnswerShapeError(TEXT_TOO_LONG, question=question, limit=MAX_TEXT_LENGTH)
    if _has_forbidden_character(text):
        raise AnswerShapeError(CONTROL_CHARACTER, question=question)


def _check_number(value: int | float, question: str) -> None:
    try:
        finite = math.isfinite(value) and abs(value) < 10**MAX_NUMBER_DIGITS
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise AnswerShapeError(BAD_NUMBER, question=question, digits=MAX_NUMBER_DIGITS)


def _check_value(question: Mapping[str, Any], value: Any) -> None:
    qid = question["id"]
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        _check_text(value, qid)
    elif isinstance(value, int | float):
        _check_number(value, qid)
    elif isinstance(value, list | tuple) and question["type"] in _CHOICE_TYPES:
        if len(value) > len(question.get("options") or ()):
            raise AnswerShapeError(TOO_MANY_CHOICES, question=qid)
        for choice in value:
            if not isinstance(choice, str):
                raise AnswerShapeError(NOT_AN_ANSWER, question=qid)
            _check_text(choice, qid)
    else:  # a mapping, a list for a question that takes one answer, or anything else
        raise AnswerShapeError(NOT_AN_ANSWER, question=qid)


def answers_clean(*, quiz: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to store: one entry per question of ``quiz`` (None when unanswered).

    Raises `AnswerShapeError` when there are more answers than questions, more choices than
    a question has options, a text longer than `MAX_TEXT_LENGTH` or holding a control
    character, or a number that is not finite or has more than `MAX_NUMBER_DIGITS` digits.
    Entries naming no question of the quiz are left out.
    """
    questions = quiz["questions"]
    if not isinstance(answers, Mapping):
        raise TypeError("answers must be a mapping from question id to answer")
    if len(answers) > len(questions):
        raise AnswerShapeError(TOO_MANY_ANSWERS)
    clean: dict[str, Any] = {}
    for question in questions:
        value = answers.get(question["id"])
        _check_value(question, value)
        clean[question["id"]] = value
    return clean
