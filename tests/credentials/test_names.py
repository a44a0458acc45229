"""A learner's name as certificates print and sign it: one line, printable, bounded."""

import pytest

from courses.credentials.names import (
    MAX_NAME_LENGTH,
    name_collapse,
    name_has_unprintable,
    printable_name,
)


@pytest.mark.parametrize(
    ("text", "collapsed"),
    [("  Айгүл \n\n Өмүрбекова\t", "Айгүл Өмүрбекова"), ("A\r\nB\x0bC\x0cD\x85E", "A B C D E"),
     ("Jose\u0301", "José"), ("Асан\u00a0Усон", "Асан Усон")],
)  # fmt: skip
def test_whitespace_runs_and_line_breaks_collapse_to_one_space(text, collapsed):
    assert name_collapse(text) == collapsed
    assert not name_has_unprintable(text)


@pytest.mark.parametrize(
    "text", ["Ай\x00гүл", "Bell\x07", "Escape\x1b[31m", "C1\x9b", "Right\u202eLeft",
             "Zero\u200bWidth", "Private\ue000", "Lone\ud800"],
)  # fmt: skip
def test_control_invisible_and_unprintable_characters_are_found(text):
    assert name_has_unprintable(text)


@pytest.mark.parametrize(
    ("text", "printed"),
    [("Айгүл\nӨмүрбекова", "Айгүл Өмүрбекова"), ("Айгүл\r\n\r\nX\x0bY\x07Z", "Айгүл X YZ"),
     ("Ай\x00гүл", "Айгүл"), ("Right\u202eLeft", "RightLeft"), ("\x07\u200b", "")],
)  # fmt: skip
def test_printable_name_never_refuses_but_prints_one_clean_line(text, printed):
    assert printable_name(text) == printed


def test_an_absurdly_long_name_is_cut_at_a_space_near_the_limit():
    name = printable_name("Айгүл " * 1000)
    assert len(name) <= MAX_NAME_LENGTH
    assert len(name) >= MAX_NAME_LENGTH * 0.8
    assert name.endswith("Айгүл")
    assert printable_name("А" * 5000) == "А" * MAX_NAME_LENGTH


@pytest.mark.parametrize("text", ["Айгүл\nӨмүрбекова", "x " * 400, "Ай\x00гүл\u202e", "Асан"])
def test_printable_name_is_idempotent(text):
    once = printable_name(text)
    assert printable_name(once) == once
