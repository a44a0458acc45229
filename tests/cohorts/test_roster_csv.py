"""Reading roster CSVs as spreadsheet software writes them, and writing cells that never run
as formulas. Pure functions: no database."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from courses.services.roster_csv import (
    MAX_BYTES,
    RosterError,
    csv_cell,
    csv_render,
    roster_read,
)

ROWS = "email,name\nasel@example.org,Асель Ңурбекова\nbakyt@example.org,Бакыт Өмүров\n"


def test_utf8_with_header_gives_rows_with_their_line_numbers():
    roster = roster_read(ROWS.encode())
    assert roster.encoding == "utf-8"
    assert [(r.line, r.email, r.name) for r in roster.rows] == [
        (2, "asel@example.org", "Асель Ңурбекова"),
        (3, "bakyt@example.org", "Бакыт Өмүров"),
    ]


def test_a_byte_order_mark_and_excels_semicolons_are_understood():
    data = "\ufeffИмя;Эл. почта\r\nАсель;ASEL@Example.org\r\n".encode()
    [row] = roster_read(data).rows
    assert (row.email, row.name) == ("asel@example.org", "Асель")


def test_windows_1251_is_detected_and_named():
    data = "ФИО;Email\nИванов Иван;ivan@example.org\n".encode("windows-1251")
    roster = roster_read(data)
    assert roster.encoding == "windows-1251"
    assert roster.rows[0].name == "Иванов Иван"


def test_utf16_from_unicode_text_export_is_read():
    data = "email\tname\nasel@example.org\tАсель\n".encode("utf-16")
    roster = roster_read(data)
    assert (roster.encoding, roster.rows[0].name) == ("utf-16", "Асель")


def test_rows_without_a_header_find_the_address_in_any_column():
    roster = roster_read("Асель,asel@example.org\nbakyt@example.org\n".encode())
    assert [(r.email, r.name) for r in roster.rows] == [
        ("asel@example.org", "Асель"),
        ("bakyt@example.org", ""),
    ]


def test_malformed_rows_and_duplicates_are_reported_by_line_and_the_rest_kept():
    data = (
        "email,name\n"
        "asel@example.org,Асель\n"
        "\n"
        "not-an-address,Someone\n"
        ",Nameless\n"
        "ASEL@example.org,Асель again\n"
        "ok@example.org\n"
    ).encode()
    rows = roster_read(data).rows
    with translation.override("en"):
        problems = {r.line: r.error for r in rows if r.error}
    assert problems == {
        4: "“not-an-address” is not an e-mail address.",
        5: "There is no e-mail address in this row.",
        6: "This address is already on line 2.",
    }
    assert [r.email for r in rows if not r.error] == ["asel@example.org", "ok@example.org"]


def test_a_rows_problem_reads_in_the_language_it_is_shown_in():
    """Rows keep the problem, not its text: a stored preview reads in any language."""
    [row] = roster_read(b"email\nnope\n").rows
    with translation.override("ru"):
        russian = row.error
    with translation.override("en"):
        english = row.error
    assert (russian, english) == ("«nope» — не адрес электронной почты.",
                                  "“nope” is not an e-mail address.")  # fmt: skip


def test_a_file_in_an_unknown_encoding_is_refused_with_what_to_do():
    data = b"email,name\nx@example.org," + bytes(range(0x80, 0xA0)) * 3
    with translation.override("en"), pytest.raises(RosterError, match="CSV UTF-8"):
        roster_read(data)


def test_a_binary_file_is_refused():
    with translation.override("en"), pytest.raises(RosterError):
        roster_read(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(RosterError):
        roster_read(b"a@example.org\n" * (MAX_BYTES // 14 + 1))


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil\")", "+1+2", "-2+3", "@SUM(A1)",
                                   "\t=1", "\r=1"])  # fmt: skip
def test_cells_that_would_run_as_formulas_are_neutralised(value):
    assert csv_cell(value) == "'" + value


def test_ordinary_text_and_numbers_are_written_as_they_are():
    assert csv_cell("Асель") == "Асель"
    assert csv_cell(87) == "87"
    assert csv_cell(None) == ""


def test_a_rendered_csv_has_a_bom_and_reads_back_with_neutralised_names():
    data = csv_render(["Name", "Score"], [["=cmd|'/C calc'!A0", 90], ["Өмүр", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Name", "Score"], ["'=cmd|'/C calc'!A0", "90"], ["Өмүр", ""]]
