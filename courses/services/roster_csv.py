"""Reading a roster CSV (e-mail addresses and optional names) and writing safe CSV cells.

Pure functions: bytes in, rows with line numbers out. What spreadsheet software produces in
Central Asia varies: UTF-8 with or without a BOM, UTF-16 ("Unicode text"), and Windows-1251
from Excel's plain "CSV" in a Russian locale, with ";" as the separator. All are read; a file
in Windows-1251 is flagged, because Kyrgyz ң ө ү cannot be written in it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.credentials.names import MAX_NAME_LENGTH, name_collapse, name_has_unprintable

MAX_ROWS = 20_000
MAX_BYTES = 2 * 1024 * 1024
EMAIL_HEADERS = {"email", "e-mail", "mail", "эл. почта", "электронная почта", "почта",
                 "электрондук почта", "эмейл", "email address"}  # fmt: skip
NAME_HEADERS = {"name", "full name", "имя", "фио", "аты-жөнү", "аты", "аты жөнү"}
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


class RosterError(Exception):
    """The file as a whole cannot be read; the message says what to do."""


# Why a row cannot be used. Rows keep the key and its values, so a preview stored in the
# database reads in whatever language it is shown in.
PROBLEMS = {
    "no_address": gettext_lazy("There is no e-mail address in this row."),
    "not_an_address": gettext_lazy("“%(email)s” is not an e-mail address."),
    "duplicate": gettext_lazy("This address is already on line %(line)d."),
    "unprintable_name": gettext_lazy(
        "The name in this row contains an invisible or control character."
    ),
    "long_name": gettext_lazy("The name in this row is longer than %(limit)d characters."),
}


def problem_text(problem: str, params: dict) -> str:
    return str(PROBLEMS[problem]) % params if problem else ""


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str  # lower-cased
    name: str
    problem: str = ""  # a key of PROBLEMS when the row cannot be used
    params: dict = field(default_factory=dict)

    @property
    def error(self) -> str:
        """Why the row cannot be used, in the active language ("" when it can)."""
        return problem_text(self.problem, self.params)


@dataclass(frozen=True)
class Roster:
    encoding: str  # "utf-8", "utf-16" or "windows-1251"
    text: str
    rows: list[RosterRow]


def roster_decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was in."""
    if len(data) > MAX_BYTES:
        raise RosterError(_("The file is larger than 2 MB. Split it into smaller files."))
    text, encoding = _decode(data)
    if _CONTROL.search(text):
        raise RosterError(_("This is not a CSV file. Upload the list as “CSV UTF-8”."))
    return text, encoding


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("windows-1251")
    except UnicodeDecodeError:
        text = ""
    # Windows-1251 decodes almost any bytes; believe it only when the letters are Cyrillic.
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    if letters and sum(1 for c in letters if _CYRILLIC.match(c)) >= 0.9 * len(letters):
        return text, "windows-1251"
    raise RosterError(
        _(
            "The file is not in UTF-8 or Windows-1251. In your spreadsheet choose "
            "“Save as” → “CSV UTF-8 (comma delimited)” and upload it again."
        )
    )


def _dialect(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _columns(header: list[str]) -> tuple[int, int | None] | None:
    names = [cell.strip().lower() for cell in header]
    email = next((i for i, cell in enumerate(names) if cell in EMAIL_HEADERS), None)
    if email is None:
        return None
    name = next((i for i, cell in enumerate(names) if cell in NAME_HEADERS), None)
    return email, name


def roster_read(data: bytes) -> Roster:
    """Rows of a roster: one e-mail address per row, a name beside it if wanted, with or
    without a header row. Blank rows are skipped; a repeated address is an invalid row."""
    text, encoding = roster_decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    columns: tuple[int, int | None] | None = None
    first = True
    try:
        for cells in reader:
            line = reader.line_num
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if first:
                first = False
                columns = _columns(cells)
                if columns is not None:
                    continue  # a header row
            if len(rows) >= MAX_ROWS:
                raise RosterError(
                    _("The file has more than %(count)d rows. Split it into smaller files.")
                    % {"count": MAX_ROWS}
                )
            rows.append(_row(line, cells, columns, seen))
    except csv.Error as exc:
        raise RosterError(
            _("Line %(line)d: the file is not valid CSV (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return Roster(encoding=encoding, text=text, rows=rows)


def _row(line: int, cells: list[str], columns, seen: dict[str, int]) -> RosterRow:
    if columns is not None:
        email_at, name_at = columns
        email = cells[email_at] if email_at < len(cells) else ""
        name = cells[name_at] if name_at is not None and name_at < len(cells) else ""
    else:
        email_at = next((i for i, cell in enumerate(cells) if "@" in cell), 0)
        email = cells[email_at]
        name = next((cell for i, cell in enumerate(cells) if i != email_at and cell), "")
    email = email.strip().strip("<>").lower()
    name = name_collapse(name)  # line breaks inside a quoted cell become spaces
    if not email:
        return RosterRow(line, email, name, "no_address")
    try:
        validate_email(email)
    except ValidationError:
        return RosterRow(line, email, name, "not_an_address", {"email": email})
    if email in seen:
        return RosterRow(line, email, name, "duplicate", {"line": seen[email]})
    if name_has_unprintable(name):
        return RosterRow(line, email, name, "unprintable_name")
    if len(name) > MAX_NAME_LENGTH:
        return RosterRow(line, email, name[:MAX_NAME_LENGTH], "long_name",
                         {"limit": MAX_NAME_LENGTH})  # fmt: skip
    seen[email] = line
    return RosterRow(line, email, name)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as a CSV cell that spreadsheet software shows as text, never runs as a
    formula (OWASP "CSV injection": a leading = + - @ tab or CR gets a leading apostrophe).
    Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_render(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a BOM (so Excel opens Cyrillic correctly), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
