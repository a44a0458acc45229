"""Names in a roster CSV reach invitations and then certificates: a line break inside a
quoted cell becomes a space, and a row whose name holds a control or invisible character,
or is absurdly long, cannot be used, with the reason in the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from courses.services.roster_csv import roster_read


def rows(text: str):
    return roster_read(text.encode()).rows


def test_a_line_break_inside_a_quoted_name_becomes_one_space():
    [row] = rows('email,name\nasel@example.org,"Асель\r\n  Ңурбекова"\n')
    assert (row.name, row.problem) == ("Асель Ңурбекова", "")


@pytest.mark.parametrize("name", ["Асель\u202eавокебруҢ", "Асель\x9b31m", "Асель\u200b"])
def test_a_name_with_a_control_or_invisible_character_makes_the_row_unusable(name):
    [row] = rows(f"email,name\nasel@example.org,{name}\n")
    assert row.problem == "unprintable_name"
    with translation.override("ru"):
        assert row.error == "Имя в этой строке содержит невидимый или управляющий символ."
    with translation.override("en"):
        assert row.error == "The name in this row contains an invisible or control character."


def test_a_name_over_150_characters_makes_the_row_unusable_and_is_not_kept_whole():
    [row] = rows("email,name\nasel@example.org," + "А" * 5000 + "\n")
    assert row.problem == "long_name"
    assert len(row.name) == 150
    with translation.override("ky"):
        assert row.error == "Бул саптагы ат 150 белгиден узун."


def test_other_rows_are_still_read():
    [bad, good] = rows("email,name\na@example.org,A\u202eB\nb@example.org,Бакыт\n")
    assert (bad.problem, good.problem, good.name) == ("unprintable_name", "", "Бакыт")
