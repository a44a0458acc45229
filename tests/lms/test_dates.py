"""Dates in the site's languages: Kyrgyz as Kyrgyz writes them (lms/formats/ky/formats.py,
lms/month_names.py)."""

import datetime

import pytest
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ky", "3-декабрь 2026-ж."), ("ru", "3 декабря 2026 г."), ("en", "Dec. 3, 2026")],
)
def test_a_date_reads_as_the_language_writes_it(language, expected):
    with translation.override(language):
        assert formats.date_format(DAY) == expected


def test_every_kyrgyz_month_is_lower_case_inside_a_date():
    with translation.override("ky"):
        months = [formats.date_format(DAY.replace(month=m), "DATE_FORMAT") for m in range(1, 13)]
    assert [text.split()[0].split("-")[1] for text in months] == [
        "январь", "февраль", "март", "апрель", "май", "июнь",
        "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
    ]  # fmt: skip
