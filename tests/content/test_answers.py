"""The answers' shape and size, checked in one pure place for the quiz page and the API."""

import pytest

from courses.content.answers import (
    BAD_NUMBER,
    CONTROL_CHARACTER,
    MAX_NUMBER_DIGITS,
    MAX_TEXT_LENGTH,
    NOT_AN_ANSWER,
    TEXT_TOO_LONG,
    TOO_MANY_ANSWERS,
    TOO_MANY_CHOICES,
    AnswerShapeError,
    answers_clean,
)

QUIZ = {
    "questions": [
        {"id": "one", "type": "single", "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
        {"id": "many", "type": "multiple", "options": [{"id": "a"}, {"id": "b"}]},
        {"id": "yes", "type": "true_false", "answer": True},
        {"id": "count", "type": "number", "answer": 64},
        {"id": "word", "type": "text", "accept": {"en": ["hash"]}},
    ]
}


def refusal(answers: dict) -> tuple[str, dict]:
    with pytest.raises(AnswerShapeError) as caught:
        answers_clean(quiz=QUIZ, answers=answers)
    return caught.value.template, caught.value.params


def test_every_question_gets_an_entry_and_strangers_are_left_out():
    clean = answers_clean(quiz=QUIZ, answers={"one": "a", "score": 100})
    assert clean == {"one": "a", "many": None, "yes": None, "count": None, "word": None}


def test_answers_of_every_kind_within_the_bounds_are_kept_as_given():
    answers = {"one": ["c"], "many": ["b", "a"], "yes": "true", "count": -6.02e23,
               "word": "x" * MAX_TEXT_LENGTH}  # fmt: skip
    assert answers_clean(quiz=QUIZ, answers=answers) == answers


def test_more_answers_than_questions_are_refused():
    assert refusal({f"q{n}": None for n in range(6)}) == (TOO_MANY_ANSWERS, {})


@pytest.mark.parametrize(
    ("answers", "question"),
    [({"many": ["a", "b", "a"]}, "many"), ({"one": ["a"] * 4}, "one"),
     ({"many": ["a"] * 200_000}, "many")],
)  # fmt: skip
def test_more_choices_than_options_are_refused(answers, question):
    assert refusal(answers) == (TOO_MANY_CHOICES, {"question": question})


@pytest.mark.parametrize(
    "answers",
    [{"word": "x" * (MAX_TEXT_LENGTH + 1)}, {"count": "9" * 501}, {"many": ["a" * 501]}],
)
def test_texts_longer_than_the_bound_are_refused(answers):
    template, params = refusal(answers)
    assert template == TEXT_TOO_LONG
    assert params["limit"] == MAX_TEXT_LENGTH


@pytest.mark.parametrize("text", ["ha\x00sh", "\ud800", "\x07", "\x1b[31m", "\x85"])
def test_control_characters_and_lone_surrogates_are_refused(text):
    assert refusal({"word": text}) == (CONTROL_CHARACTER, {"question": "word"})


def test_tabs_and_line_breaks_in_a_typed_answer_are_kept():
    assert answers_clean(quiz=QUIZ, answers={"word": "a\tb\r\nc"})["word"] == "a\tb\r\nc"


@pytest.mark.parametrize(
    "number",
    [float("nan"), float("inf"), float("-inf"), 10**400, -(10**MAX_NUMBER_DIGITS), 1e101],
)
def test_numbers_that_are_not_finite_or_too_long_are_refused(number):
    assert refusal({"count": number}) == (
        BAD_NUMBER, {"question": "count", "digits": MAX_NUMBER_DIGITS},
    )  # fmt: skip


@pytest.mark.parametrize(
    "answers", [{"word": ["hash"]}, {"count": [64]}, {"many": [1, 2]}, {"one": {"a": True}}]
)
def test_a_value_no_question_of_its_kind_takes_is_refused(answers):
    template, _params = refusal(answers)
    assert template == NOT_AN_ANSWER


def test_messages_are_templates_a_catalogue_can_translate():
    """Named placeholders only: the Django layer formats the translated template."""
    error = AnswerShapeError(TEXT_TOO_LONG, question="word", limit=500)
    assert str(error) == "The answer to question “word” is longer than 500 characters."
