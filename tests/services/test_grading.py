"""Grading is pure: a quiz payload and the learner's answers in, a score out. No database."""

import pytest

from courses.services.grading import grade, grade_question


def option(option_id: str, correct: bool = False) -> dict:
    return {"id": option_id, "correct": correct, "text_html": {"en": option_id}}


def single() -> dict:
    return {
        "id": "single",
        "type": "single",
        "options": [option("right", True), option("wrong"), option("other")],
    }


def multiple(scoring: str = "all_or_nothing", points: int = 1) -> dict:
    return {
        "id": "multiple",
        "type": "multiple",
        "scoring": scoring,
        "points": points,
        "options": [option("a", True), option("b", True), option("c"), option("d")],
    }


def number(answer: float = 64, tolerance: float = 0) -> dict:
    return {"id": "number", "type": "number", "answer": answer, "tolerance": tolerance}


def text() -> dict:
    return {
        "id": "text",
        "type": "text",
        "accept": {"ky": ["хеш"], "ru": ["хеш", "хэш"], "en": ["hash value", "café"]},
    }


TRUE_FALSE = {"id": "tf", "type": "true_false", "answer": True}


@pytest.mark.parametrize(
    ("value", "earned"),
    [("right", 1), (["right"], 1), ("wrong", 0), (["right", "wrong"], 0), (None, 0),
     ("no-such-option", 0)],
)  # fmt: skip
def test_single_choice_needs_exactly_the_correct_option(value, earned):
    assert grade_question(single(), value, "en").earned == earned


@pytest.mark.parametrize(
    ("value", "earned"),
    [(["a", "b"], 1), (["b", "a"], 1), (["a"], 0), (["a", "b", "c"], 0), ([], 0), ("a", 0)],
)
def test_multiple_all_or_nothing_needs_exactly_the_correct_set(value, earned):
    assert grade_question(multiple(), value, "en").earned == earned


@pytest.mark.parametrize(
    ("value", "earned", "correct"),
    [
        (["a", "b"], 2.0, True),
        (["a"], 1.0, False),  # half of the correct options
        (["a", "c"], 0.0, False),  # a wrong choice cancels a right one
        (["c", "d"], 0.0, False),  # never below zero
        (["a", "b", "c"], 1.0, False),
        (["a", "unknown"], 1.0, False),  # ids not in the question are ignored
    ],
)
def test_multiple_partial_gives_credit_per_right_choice_less_wrong_ones(value, earned, correct):
    result = grade_question(multiple("partial", points=2), value, "en")
    assert result.earned == earned
    assert result.correct is correct


@pytest.mark.parametrize(
    ("value", "earned"),
    [(True, 1), ("true", 1), ("True", 1), (False, 0), ("false", 0), (None, 0), ("yes", 0), (1, 0)],
)
def test_true_false_compares_with_the_answer(value, earned):
    assert grade_question(TRUE_FALSE, value, "en").earned == earned


@pytest.mark.parametrize(
    ("value", "earned"),
    [(64, 1), ("64", 1), (" 64 ", 1), ("64.0", 1), (63, 0), ("sixty-four", 0), (True, 0),
     ("nan", 0), ("inf", 0), (None, 0)],
)  # fmt: skip
def test_number_without_tolerance_must_be_exact(value, earned):
    assert grade_question(number(), value, "en").earned == earned


@pytest.mark.parametrize(
    ("value", "earned"),
    [("3.1", 1), ("3,18", 1), ("3.19", 1), (3.0, 0), ("3.25", 0), (float("inf"), 0)],
)
def test_number_within_tolerance_is_right_and_a_decimal_comma_is_read(value, earned):
    assert grade_question(number(3.14, tolerance=0.05), value, "en").earned == earned


@pytest.mark.parametrize(
    "value",
    ["hash value", "  Hash   VALUE ", "HASH\tvalue", "хеш", "ХЭШ", "cafe\u0301", "CAFÉ"],
)
def test_text_answer_is_normalised_before_comparing(value):
    """Trimmed, spaces collapsed, case folded, NFC: and any language's accepted answer counts."""
    assert grade_question(text(), value, "en").correct


@pytest.mark.parametrize("value", ["hashvalue", "hash", "", None, ["hash value"], 42])
def test_text_answer_not_in_the_accept_list_is_wrong(value):
    result = grade_question(text(), value, "en")
    assert not result.correct
    assert result.earned == 0


def test_an_unanswered_question_is_reported_as_such():
    assert grade_question(single(), None, "en").answered is False
    assert grade_question(multiple(), [], "en").answered is False
    assert grade_question(number(), "", "en").answered is False
    assert grade_question(TRUE_FALSE, False, "en").answered is True


def test_score_is_weighted_by_points_and_rounded_down():
    quiz = {"questions": [single(), multiple("partial", points=2), TRUE_FALSE]}
    result = grade(quiz, {"single": "right", "multiple": ["a"], "tf": False},
                   language="en", pass_threshold=50)  # fmt: skip
    assert [r.earned for r in result.results] == [1, 1.0, 0]
    assert result.score == 50  # 2 of 4 points
    assert result.passed is True
    result = grade(quiz, {"single": "right"}, language="en", pass_threshold=50)
    assert result.score == 25
    assert result.passed is False


def test_score_of_two_thirds_rounds_down_and_the_threshold_is_inclusive():
    quiz = {"questions": [single(), TRUE_FALSE, number()]}
    result = grade(quiz, {"single": "right", "tf": True}, language="en", pass_threshold=66)
    assert result.score == 66
    assert result.passed is True
    assert grade(
        quiz, {"single": "right", "tf": True}, language="en", pass_threshold=67
    ).passed is (False)


def test_every_question_is_graded_even_when_answers_are_missing_or_extra():
    quiz = {"questions": [single(), number(), text()]}
    result = grade(quiz, {"unknown": "x", "number": 64}, language="en", pass_threshold=0)
    assert [(r.id, r.correct) for r in result.results] == [
        ("single", False), ("number", True), ("text", False),
    ]  # fmt: skip
    assert result.score == 33


def test_all_right_scores_one_hundred():
    quiz = {"questions": [single(), multiple(), TRUE_FALSE, number(), text()]}
    answers = {"single": "right", "multiple": ["a", "b"], "tf": "true", "number": "64",
               "text": "Hash Value"}  # fmt: skip
    result = grade(quiz, answers, language="ky", pass_threshold=100)
    assert result.score == 100
    assert result.passed is True
    assert all(r.correct and r.answered for r in result.results)


@pytest.mark.parametrize("value", [10**400, -(10**400), float("nan"), float("inf")])
def test_a_number_no_float_can_hold_is_wrong_not_an_error(value):
    """float(10**400) raises OverflowError: grading an integer of 400 digits was a 500."""
    assert grade_question(number(), value, "en").earned == 0
