"""Grading a quiz attempt against the answer key of a revision. Pure: data in, data out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from courses.content import normalize_text_answer


@dataclass(frozen=True)
class QuestionResult:
    id: str
    correct: bool
    earned: float
    points: int
    answered: bool


@dataclass(frozen=True)
class Grade:
    score: int  # 0..100
    passed: bool
    results: tuple[QuestionResult, ...]


def _choice_ids(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return set()


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int with hundreds of digits
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def grade_question(question: dict, value: Any, language: str) -> QuestionResult:
    points = int(question.get("points", 1))
    kind = question["type"]
    answered = value not in (None, "", [])
    earned = 0.0
    if kind in ("single", "multiple"):
        options = {o["id"] for o in question["options"]}
        chosen = _choice_ids(value) & options
        correct = {o["id"] for o in question["options"] if o["correct"]}
        if kind == "single":
            earned = points if len(chosen) == 1 and chosen == correct else 0
        elif question.get("scoring") == "partial":
            wrong = len(chosen - correct)
            right = len(chosen & correct)
            earned = max(0.0, (right - wrong) / len(correct)) * points
        else:
            earned = points if chosen == correct else 0
    elif kind == "true_false":
        earned = points if _as_bool(value) is question["answer"] else 0
    elif kind == "number":
        number = _as_number(value)
        tolerance = float(question.get("tolerance") or 0)
        if number is not None and abs(number - float(question["answer"])) <= tolerance + 1e-9:
            earned = points
    elif kind == "text":
        given = normalize_text_answer(str(value)) if isinstance(value, str) else None
        accepted = {
            normalize_text_answer(answer)
            for answers in question.get("accept", {}).values()
            for answer in answers
        }
        earned = points if given and given in accepted else 0
    return QuestionResult(
        id=question["id"], correct=earned >= points, earned=earned, points=points, answered=answered
    )


def grade(quiz: dict, answers: dict[str, Any], *, language: str, pass_threshold: int) -> Grade:
    """Score 0..100 (rounded down), weighted by points; passed when score ≥ threshold."""
    results = tuple(
        grade_question(question, answers.get(question["id"]), language)
        for question in quiz["questions"]
    )
    total = sum(r.points for r in results)
    earned = sum(r.earned for r in results)
    score = math.floor(100 * earned / total + 1e-9) if total else 0
    return Grade(score=score, passed=score >= pass_threshold, results=results)
