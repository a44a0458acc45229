"""Kyrgyz dates as Kyrgyz writes them: «3-декабрь 2026-ж.» (an ordinal hyphen after the
day and the year, the month in lower case: see `lms.month_names`). Django's own formats for
Kyrgyz give «3 Декабрь 2026 ж.»; every other format is Django's."""

from django.conf.locale.ky.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATE_FORMAT = "j-E Y-ж."
DATETIME_FORMAT = "j-E Y-ж. G:i"
YEAR_MONTH_FORMAT = "Y-ж. E"
MONTH_DAY_FORMAT = "j-E"
