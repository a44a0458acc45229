"""The certificate PDF: an A4 landscape page with a QR code and the signed credential attached.

Every word on the page comes in as data: the caller translates the labels and formats the date
for the learner's language. The signed credential travels inside the PDF as
``credential.json``, so the PDF alone can be verified offline.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from courses.credentials import pdf_design, pdf_fonts
from courses.credentials.names import printable_name

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT_FAMILY = "NotoSans"
ATTACHMENT_NAME = "credential.json"
MAX_ATTACHMENT_BYTES = 256 * 1024

LABEL_KEYS = (
    "title",  # Certificate of completion (or the course's own certificate title)
    "certifies",  # This certifies that
    "date",  # Date
    "issuer",  # Issued by
    "university",  # In partnership with
    "revision",  # Course revision (kept in the credential, no longer printed)
    "verify",  # Verify this certificate
)
# The sentence around the course title, split where the title goes: the words before it and
# after it ("has successfully completed the course" / "" in English, "" / "курсун ийгиликтүү
# аяктады" in Kyrgyz). Either may be empty.
SENTENCE_KEYS = ("completed", "completed_after")

ENGLISH_LABELS: Mapping[str, str] = {
    "title": "Certificate of completion",
    "certifies": "This certifies that",
    "completed": "has successfully completed the course",
    "completed_after": "",
    "date": "Date",
    "issuer": "Issued by",
    "university": "In partnership with",
    "revision": "Course revision",
    "verify": "Verify this certificate",
}

# Colours (RGB) and page geometry in millimetres.
INK, MUTED, ACCENT, GOLD = pdf_design.INK, pdf_design.MUTED, pdf_design.ACCENT, pdf_design.GOLD
PAGE_W, PAGE_H = 297.0, 210.0
TEXT_W = 235.0
QR_SIZE = 34.0
_DARK_RUNS = re.compile(rb"[^\x00]+")  # runs of dark modules in a row of segno's matrix
QR_MASK = 4  # fixed, so segno does not try all eight masks per certificate (~4 ms); any is valid


def _fits(pdf: FPDF, text: str, *, width: float) -> bool:
    # multi_cell keeps a cell margin on each side.
    return pdf.get_string_width(text) <= width - 2 * pdf.c_margin - 0.5


def _fit_size(
    pdf: FPDF, text: str, *, style: str, size: float, minimum: float, width: float
) -> float:
    """The largest font size from ``size`` down to ``minimum`` at which ``text`` fits one line."""
    while size > minimum:
        pdf.set_font(FONT_FAMILY, style, size)
        if _fits(pdf, text, width=width):
            return size
        size -= 0.5
    return minimum


def _line_count(pdf: FPDF, text: str, *, width: float) -> int:
    """How many lines ``multi_cell`` wraps ``text`` onto at the current font (nothing drawn)."""
    lines = pdf.multi_cell(width, 5, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)  # what output="LINES" returns
    return len(lines)


def _line_height(size: float) -> float:
    return size * 0.3528 * 1.22


@dataclass(frozen=True)
class _Block:
    text: str
    style: str
    size: float
    lines: int

    @property
    def height(self) -> float:
        return self.lines * _line_height(self.size)


def _block(
    pdf: FPDF, text: str, *, style: str, size: float, minimum: float, max_lines: int
) -> _Block:
    """Choose a font size for centred text: one line if a slight shrink allows it, otherwise
    wrapped onto at most ``max_lines`` lines, shrinking further only as much as needed."""
    single = _fit_size(
        pdf, text, style=style, size=size, minimum=max(minimum, size * 0.8), width=TEXT_W
    )
    pdf.set_font(FONT_FAMILY, style, single)
    if _fits(pdf, text, width=TEXT_W) or max_lines == 1:
        return _Block(text, style, single, 1)
    while True:
        pdf.set_font(FONT_FAMILY, style, size)
        lines = _line_count(pdf, text, width=TEXT_W)
        if lines <= max_lines or size <= minimum:
            return _Block(text, style, size, lines)
        size -= 0.5


def _draw_block(pdf: FPDF, block: _Block, *, top: float, colour: tuple[int, int, int]) -> float:
    """Draw a chosen block centred at ``top``; return its bottom edge."""
    pdf.set_font(FONT_FAMILY, block.style, block.size)
    pdf.set_text_color(*colour)
    pdf.set_xy((PAGE_W - TEXT_W) / 2, top)
    if block.lines == 1 and "\n" not in block.text:  # the same line without line breaking
        pdf.cell(TEXT_W, _line_height(block.size), block.text, align="C")
    else:
        pdf.multi_cell(TEXT_W, _line_height(block.size), block.text, align="C")
    return top + block.height


def _field(pdf: FPDF, *, x: float, y: float, width: float, label: str, value: str) -> None:
    """A small upper-case label above its value (wrapped onto two lines at most)."""
    pdf.set_text_color(*MUTED)
    size = _fit_size(pdf, label.upper(), style="", size=7.5, minimum=5.5, width=width)
    pdf.set_font(FONT_FAMILY, "", size)
    pdf.set_char_spacing(0.4)
    pdf.set_xy(x, y)
    pdf.cell(width, 4, label.upper())
    pdf.set_char_spacing(0)
    pdf.set_text_color(*INK)
    size = 11.0
    one_line = False
    while True:
        pdf.set_font(FONT_FAMILY, "B", size)
        one_line = "\n" not in value and _fits(pdf, value, width=width)
        if one_line:
            break  # no need to lay it out twice
        lines = _line_count(pdf, value, width=width)
        if lines <= 2 or size <= 7:
            break
        size -= 0.5
    pdf.set_xy(x, y + 5)
    if one_line:
        pdf.cell(width, _line_height(size), value, align="L")
    else:
        pdf.multi_cell(width, _line_height(size), value, align="L",
                       max_line_height=_line_height(size))  # fmt: skip


def _caption(pdf: FPDF, text: str, *, top: float, height: float) -> None:
    """A line of the sentence around the name and the course, centred, in muted ink."""
    pdf.set_font(FONT_FAMILY, "", _fit_size(pdf, text, style="", size=13, minimum=9, width=TEXT_W))
    pdf.set_text_color(*MUTED)
    pdf.set_xy((PAGE_W - TEXT_W) / 2, top)
    pdf.cell(TEXT_W, height, text, align="C")


def _draw_qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as one filled path of rectangles, one per run of dark modules in
    a row: vector, so it stays sharp, and one fill, so no seams show between modules."""
    matrix = segno.make(url, error="m", mask=QR_MASK).matrix
    module = size / len(matrix)
    k, page_h = pdf.k, pdf.h
    rectangles = [
        f"{(x + run.start() * module) * k:.2f} {(page_h - y - row * module) * k:.2f} "
        f"{(run.end() - run.start()) * module * k:.2f} {-module * k:.2f} re"
        for row, modules in enumerate(matrix)
        for run in _DARK_RUNS.finditer(bytes(modules))
    ]
    pdf.set_fill_color(*ACCENT)
    # Some 350 rectangles: fpdf2's rect() would cost ~2 ms; its own drawing methods write
    # operators with _out, and so does this, as one path filled once.
    pdf._out("\n".join(rectangles) + "\nf")


def render_certificate_pdf(
    *,
    learner_name: str,
    course_title: str,
    date_text: str,
    organisation: str,
    commit: str,
    verify_url: str,
    short_url: str,
    credential: Mapping[str, Any],
    labels: Mapping[str, str],
    language: str,
    university: str | None = None,
    university_logo: bytes | None = None,
    created: datetime | None = None,
    font_dir: Path = FONT_DIR,
) -> bytes:
    """The certificate as PDF bytes, with ``credential`` attached as ``credential.json``.

    ``labels`` must hold every key of ``LABEL_KEYS``, already translated, and may hold those of
    ``SENTENCE_KEYS``; ``date_text`` is the
    issue date formatted for ``language``; ``short_url`` is printed under the QR code, which
    holds ``verify_url``.
    """
    missing = [key for key in LABEL_KEYS if not labels.get(key)]
    if missing:
        raise ValueError("labels missing: " + ", ".join(missing))
    learner_name = printable_name(learner_name)  # one line of text, whatever was stored
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf_fonts.add_fonts(
        pdf,
        FONT_FAMILY,
        {
            "": font_dir / "NotoSans-Regular-LatinCyrillic.ttf",
            "B": font_dir / "NotoSans-Bold-LatinCyrillic.ttf",
        },
    )
    pdf.set_lang(language)
    pdf.set_title(f"{labels['title']}: {learner_name}, {course_title}")
    pdf.set_author(organisation)
    pdf.set_subject(course_title)
    pdf.set_creator(organisation)
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_page()
    pdf_design.paper(pdf, width=PAGE_W, height=PAGE_H)

    # Header: the site's mark and name on the left, the university on the right, then the title.
    side = (PAGE_W - 48) / 2 - 4
    pdf_design.mark(pdf, x=24, y=21, size=11, font=FONT_FAMILY)
    pdf.set_text_color(*ACCENT)
    size = _fit_size(pdf, organisation, style="B", size=13, minimum=8, width=side - 14)
    pdf.set_font(FONT_FAMILY, "B", size)
    pdf.set_xy(38, 21)
    pdf.cell(side - 14, 11, organisation)
    if university and university_logo:
        side -= 16  # the logo sits at the right edge, the name beside it
        pdf.image(io.BytesIO(university_logo), x=PAGE_W - 24 - 13, y=19, w=13, h=13,
                  keep_aspect_ratio=True)  # fmt: skip
        pdf.set_xy(0, 0)
    if university:
        right = PAGE_W - 24 - (16 if university_logo else 0)
        pdf.set_text_color(*MUTED)
        label = labels["university"].upper()
        pdf.set_font(
            FONT_FAMILY, "", _fit_size(pdf, label, style="", size=7, minimum=5, width=side)
        )
        pdf.set_char_spacing(0.4)
        pdf.set_xy(right - side, 20)
        pdf.cell(side, 4, label, align="R")
        pdf.set_char_spacing(0)
        pdf.set_text_color(*INK)
        size = _fit_size(pdf, university, style="B", size=11, minimum=7, width=side)
        pdf.set_font(FONT_FAMILY, "B", size)
        pdf.set_xy(right - side, 25)
        pdf.cell(side, 6, university, align="R")
    pdf.set_char_spacing(0)
    title = _block(pdf, labels["title"], style="B", size=28, minimum=16, max_lines=2)
    bottom = _draw_block(pdf, title, top=40, colour=ACCENT)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    pdf.line(PAGE_W / 2 - 28, bottom + 4, PAGE_W / 2 - 4, bottom + 4)
    pdf.line(PAGE_W / 2 + 4, bottom + 4, PAGE_W / 2 + 28, bottom + 4)
    pdf.set_fill_color(*GOLD)
    pdf.star(PAGE_W / 2, bottom + 4, 0.8, 2.2, 4, style="F")

    # Body, centred between the ornament and the footer: who completed what.
    footer_top = PAGE_H - 22 - QR_SIZE
    name = _block(pdf, learner_name, style="B", size=40, minimum=18, max_lines=2)
    course = _block(pdf, course_title, style="B", size=22, minimum=13, max_lines=3)
    caption = 7.0
    gap = 4.0
    before, after = labels.get("completed", ""), labels.get("completed_after", "")
    height = caption + gap + name.height + gap + course.height
    height += (caption + gap if before else 0) + (gap + caption if after else 0)
    y = bottom + 4 + max(8.0, (footer_top - 4 - (bottom + 4) - height) / 2)
    pdf.set_font(FONT_FAMILY, "", 13)
    pdf.set_text_color(*MUTED)
    pdf.set_xy((PAGE_W - TEXT_W) / 2, y)
    pdf.cell(TEXT_W, caption, labels["certifies"], align="C")
    y = _draw_block(pdf, name, top=y + caption + gap, colour=INK)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.3)
    pdf.line(PAGE_W / 2 - 70, y + gap / 2, PAGE_W / 2 + 70, y + gap / 2)
    y += gap + 1
    if before:
        _caption(pdf, before, top=y, height=caption)
        y += caption + gap
    y = _draw_block(pdf, course, top=y, colour=ACCENT)
    if after:
        _caption(pdf, after, top=y + gap, height=caption)

    # Footer: facts on the left, QR code on the right.
    top = footer_top
    fields = [(labels["date"], date_text), (labels["issuer"], organisation)]
    # The course's Git commit stays in the signed credential; on paper it would only puzzle.
    left, right = 24.0, PAGE_W - 24 - QR_SIZE - 10 - 34
    pdf_design.seal(pdf, x=right + 19, y=top + 17, radius=15, font=FONT_FAMILY)
    width = (right - left) / len(fields)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.25)
    pdf.line(left, top + 10, right, top + 10)
    for position, (label, value) in enumerate(fields):
        _field(
            pdf, x=left + position * width, y=top + 14, width=width - 5, label=label, value=value
        )

    qr_x = PAGE_W - 24 - QR_SIZE
    _draw_qr(pdf, verify_url, x=qr_x, y=top - 4, size=QR_SIZE)
    pdf.set_text_color(*MUTED)
    size = _fit_size(pdf, labels["verify"], style="", size=7, minimum=5, width=QR_SIZE + 14)
    pdf.set_font(FONT_FAMILY, "", size)
    pdf.set_xy(qr_x - 7, top + QR_SIZE - 2)
    pdf.cell(QR_SIZE + 14, 4, labels["verify"], align="C")
    size = _fit_size(pdf, short_url, style="B", size=8, minimum=5, width=QR_SIZE + 14)
    pdf.set_font(FONT_FAMILY, "B", size)
    pdf.set_text_color(*ACCENT)
    pdf.set_xy(qr_x - 7, top + QR_SIZE + 2)
    pdf.cell(QR_SIZE + 14, 4, short_url, align="C", link=verify_url)

    pdf.embed_file(
        bytes=json.dumps(credential, ensure_ascii=False, indent=2).encode("utf-8"),
        basename=ATTACHMENT_NAME,
        desc="Signed Open Badges 3.0 credential (W3C Verifiable Credential)",
        mime_type="application/json",
        compress=True,
        modification_date=created,
    )
    return pdf_fonts.output(pdf)


def extract_embedded_credential(pdf_bytes: bytes) -> dict[str, Any] | None:
    """The credential attached to a certificate PDF, or ``None`` if it has none.

    Raises ``ValueError`` if the bytes are not a readable PDF or the attachment is not JSON.
    """
    try:
        attachments = PdfReader(io.BytesIO(pdf_bytes)).attachments
        contents = attachments.get(ATTACHMENT_NAME)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a readable PDF: {exc}") from exc
    if not contents:
        return None
    data = contents[0]
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValueError("the attached credential is too large")
    try:
        credential = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("the attached credential is not JSON") from exc
    return credential if isinstance(credential, dict) else None
