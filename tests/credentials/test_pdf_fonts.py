"""Fonts parsed once per process and subset by our own TrueType subsetter: the PDFs they make
carry each learner's own text, and look exactly as with fpdf2's own font handling."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image, ImageChops
from pypdf import PdfReader

from courses.credentials import pdf_fonts
from courses.credentials.credential import verify_credential
from courses.credentials.pdf import (
    FONT_DIR,
    FONT_FAMILY,
    extract_embedded_credential,
    render_certificate_pdf,
)
from courses.credentials.truetype import FontFormatError, FontProgram

from .test_pdf import LABELS

REGULAR = FONT_DIR / "NotoSans-Regular-LatinCyrillic.ttf"
BOLD = FONT_DIR / "NotoSans-Bold-LatinCyrillic.ttf"
# Composite glyphs (й ё Ё Ң Ө Ү and accented Latin) as well as simple ones.
SAMPLE = "Жаңыбай Өмүрбеков, Ёлка й Ң Ү ү ө ң — «Блокчейн» Côte Ærø № 12345"

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="needs poppler-utils (pdftoppm, pdftotext)",
)


def _render(signed, *, name: str, university: str | None = "Кыргыз улуттук университети"):
    return render_certificate_pdf(
        learner_name=name,
        course_title="Блокчейндин негиздери: ң ө ү",
        date_text="2026-жылдын 21-ноябры",
        organisation="Bilim Академиясы",
        university=university,
        commit="0123456789abcdef0123456789abcdef01234567",
        verify_url="https://academy.kg/ky/verify/8f0c6a1e-7b4d-4c1e-9a55-0f5d3e2b1c9a/",
        short_url="academy.kg/v/8f0c6a1e",
        credential=signed,
        labels=LABELS["ky"],
        language="ky",
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _poppler_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def _raster(pdf: bytes, dpi: int = 110) -> Image.Image:
    result = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(result.stdout)).convert("RGB")


def _embedded_fonts(pdf: bytes) -> dict[str, tuple[TTFont, str]]:
    """Base font name -> (the embedded font program, the text its ToUnicode map covers)."""
    fonts = {}
    reader = PdfReader(io.BytesIO(pdf))
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        fonts[str(font["/BaseFont"])] = (TTFont(io.BytesIO(data)), cmap)
    return fonts


def test_two_learners_in_a_row_each_get_their_own_name(signed, issuer_key, method):
    """Fonts come from the process's cache, but each PDF holds only its own learner's text."""
    first = _render(signed, name="Айгүл Өмүрбекова")
    second = _render(signed, name="Wolfgang Zed")
    assert "Айгүл Өмүрбекова" in _text(first)
    assert "Wolfgang Zed" in _text(second)
    assert "Wolfgang" not in _text(first)
    assert "Айгүл" not in _text(second)
    for pdf in (first, second):
        assert verify_credential(
            extract_embedded_credential(pdf), public_keys={method: issuer_key.public_key()}
        ).ok


def test_a_document_embeds_only_the_glyphs_it_uses(signed):
    """A second document's fonts do not carry letters only the first one used (the cached
    font's subset map is not shared between documents)."""
    _render(signed, name="ЩЩЩ Ъъъ Ээээ")
    later = _embedded_fonts(_render(signed, name="Wolfgang Zed"))
    bold = next(cmap for name, (_font, cmap) in later.items() if "Bold" in name)
    assert f"{ord('Щ'):04X}" not in bold
    assert f"{ord('W'):04X}" in bold


@needs_poppler
def test_poppler_extracts_kyrgyz_text(signed):
    """Another reader (poppler) finds the Kyrgyz letters too, through the ToUnicode map."""
    pdf = _render(signed, name="ҢӨҮ Жаңыбай Өмүров")
    text = _poppler_text(pdf)
    assert "ҢӨҮ Жаңыбай Өмүров" in text
    assert "Блокчейндин негиздери: ң ө ү" in text


def test_subset_glyphs_match_the_font(signed):
    """Every character drawn with the subset font has the outline (composites resolved) and the
    advance width of the original font's glyph for that character."""
    pdf = _render(signed, name=SAMPLE)
    checked = 0
    for name, (subset, _cmap) in _embedded_fonts(pdf).items():
        original = TTFont(BOLD if "Bold" in name else REGULAR)
        original_glyphs, subset_glyphs = original.getGlyphSet(), subset.getGlyphSet()
        for char, glyph_name in subset.getBestCmap().items():
            expected = original_glyphs[original.getBestCmap()[char]]
            actual = subset_glyphs[glyph_name]
            pens = DecomposingRecordingPen(original_glyphs), DecomposingRecordingPen(subset_glyphs)
            expected.draw(pens[0])
            actual.draw(pens[1])
            assert pens[0].value == pens[1].value, chr(char)
            assert expected.width == actual.width, chr(char)
            checked += 1
        for tag in list(subset.keys()):  # every table decompiles
            subset[tag]
    assert checked > 40


def _draw_sample(pdf: FPDF) -> None:
    pdf.add_page()
    y = 20
    for style, size in (("", 11), ("B", 26), ("", 8.5), ("B", 14)):
        pdf.set_font(FONT_FAMILY, style, size)
        pdf.set_xy(15, y)
        pdf.multi_cell(260, size * 0.45, SAMPLE, align="C")
        y += size * 1.6


@needs_poppler
def test_pages_look_exactly_as_with_fpdf2_fonts():
    """The same drawing with fpdf2's own add_font and output rasterises to the same pixels."""
    stock = FPDF(orientation="landscape", unit="mm", format="A4")
    stock.add_font(FONT_FAMILY, "", str(REGULAR))
    stock.add_font(FONT_FAMILY, "B", str(BOLD))
    _draw_sample(stock)
    cached = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf_fonts.add_fonts(cached, FONT_FAMILY, {"": REGULAR, "B": BOLD})
    _draw_sample(cached)
    stock_image, cached_image = _raster(bytes(stock.output())), _raster(pdf_fonts.output(cached))
    assert stock_image.size == cached_image.size
    assert ImageChops.difference(stock_image, cached_image).getbbox() is None


def test_font_program_refuses_other_data():
    """Bytes that are no TrueType font are refused with a clear error."""
    with pytest.raises(FontFormatError, match="not a TrueType font"):
        FontProgram.parse(b"OTTO" + bytes(100))


def test_cached_fonts_keep_no_file_open():
    """The per-process prototypes hold no open file, so forked workers share nothing live."""
    pdf = FPDF()
    pdf_fonts.add_fonts(pdf, FONT_FAMILY, {"": REGULAR, "B": BOLD})
    for font in pdf.fonts.values():
        reader = font.ttfont.reader
        assert reader is None or reader.file.closed


def test_characters_the_font_lacks_are_reported(signed, caplog):
    """A character outside the fonts is left out of the page, and the log says which."""
    with caplog.at_level("WARNING", logger="courses.credentials.pdf_fonts"):
        pdf = _render(signed, name="Айгүл 中")
    assert "U+4E2D" in caplog.text
    assert "Айгүл" in _text(pdf)
