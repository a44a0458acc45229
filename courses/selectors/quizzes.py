"""What a learner may see of a quiz: before submitting, questions and options only."""

from __future__ import annotations

import random

from courses.content import pick_text


def attempt_seed(*, enrollment_id: int | None, item_id: int, number: int) -> str:
    return f"{enrollment_id or 0}:{item_id}:{number}"


def quiz_questions_public(quiz: dict, *, language: str, seed: str) -> list[dict]:
    """Questions and options in ``language`` without answers or explanations; the options
    shuffled deterministically for this attempt when the quiz asks for it."""
    rng = random.Random(seed)  # noqa: S311 - an order, not a secret
    questions = []
    for question in quiz["questions"]:
        options = [
            {"id": option["id"], "text_html": pick_text(option["text_html"], language)[0] or ""}
            for option in question.get("options", [])
        ]
        if quiz.get("shuffle_options"):
            rng.shuffle(options)
        questions.append(
            {
                "id": question["id"],
                "type": question["type"],
                "points": question.get("points", 1),
                "prompt_html": pick_text(question["prompt_html"], language)[0] or "",
                "options": options,
            }
        )
    return questions


def quiz_review(quiz: dict, *, answers: dict, results: dict, language: str) -> list[dict]:
    """After an attempt: per question, the learner's answer, the verdict, the right answer and
    the explanations."""
    review = []
    for question in quiz["questions"]:
        given = answers.get(question["id"])
        chosen = set(given if isinstance(given, list) else [given]) if given is not None else set()
        accept = question.get("accept") or {}
        review.append(
            {
                "id": question["id"],
                "type": question["type"],
                "prompt_html": pick_text(question["prompt_html"], language)[0] or "",
                "explanation_html": pick_text(question.get("explanation_html") or {}, language)[0],
                "correct": bool(results.get(question["id"], {}).get("correct")),
                "given": given,
                "answer": question.get("answer"),
                "tolerance": question.get("tolerance"),
                "accept": list(accept.get(language) or next(iter(accept.values()), [])),
                "options": [
                    {
                        "id": option["id"],
                        "text_html": pick_text(option["text_html"], language)[0] or "",
                        "explanation_html": pick_text(
                            option.get("explanation_html") or {}, language
                        )[0],
                        "correct": option["correct"],
                        "chosen": option["id"] in chosen,
                    }
                    for option in question.get("options", [])
                ],
            }
        )
    return review
