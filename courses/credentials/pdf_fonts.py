"""Fonts for fpdf2 documents, parsed once per process and subset without fontTools.

``FPDF.add_font`` parses the TrueType file again for every document (about 4 ms a font), and
``FPDF.output`` subsets each font with fontTools and writes a 128 KB CIDToGIDMap (6-15 ms a
font). For one certificate after another that was most of the cost of the PDF. Here:

- ``add_fonts`` gives a document a copy of a font parsed once per process (the copy has its
  own subset map and font descriptor; the parsed tables are shared and never changed);
- ``output`` writes the document with ``OutputProducer``, which embeds each font as a subset
  made by ``truetype.FontProgram``, numbered so that glyph id = character code (CIDToGIDMap
  ``/Identity``), with the widths and the ToUnicode map fpdf2 would write.

The cache is per process and holds no open files, so Celery's prefork children may inherit it.
"""

from __future__ import annotations

import copy
import functools
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import CIDSystemInfo, OutputProducer, PDFFont, PDFFontStream, PDFType3Font
from fpdf.syntax import Name, PDFArray, PDFContentStream

from courses.credentials.truetype import FontProgram

FONT_NAME_PREFIX = "MPDFAA+"  # what fpdf2 puts before a subset font's name

logger = logging.getLogger(__name__)


@functools.cache
def _prototype(family: str, style: str, path: str) -> TTFFont:
    """The font as ``FPDF.add_font`` parses it, for documents to copy; its file is closed."""
    scratch = FPDF()
    scratch.add_font(family, style, path)
    font = scratch.fonts[f"{family.lower()}{''.join(sorted(style.upper()))}"]
    if not isinstance(font, TTFFont) or font.color_font or font.is_cff:
        raise ValueError(f"{path} is not a plain TrueType font")
    font.close()  # nothing reads the file later; no descriptor is left to a forked child
    return font


@functools.cache
def _program(path: str) -> tuple[FontProgram, Mapping[str, int]]:
    """The font file parsed for subsetting, and its glyph ids by glyph name."""
    with TTFont(path, lazy=True) as parsed:
        order = parsed.getGlyphOrder()
    return FontProgram.parse(Path(path).read_bytes()), {name: gid for gid, name in enumerate(order)}


def add_fonts(pdf: FPDF, family: str, files: Mapping[str, Path]) -> None:
    """Add the font files (style -> path) to ``pdf`` under ``family``, from the process's cache.
    Write the document with ``output``."""
    for style, path in files.items():
        prototype = _prototype(family, style, str(path))
        font = copy.copy(prototype)  # shares the parsed tables, which documents only read
        font.i = len(pdf.fonts) + 1
        font.desc = copy.copy(prototype.desc)  # output gives it an object id and a font file
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        pdf.fonts[font.fontkey] = font


def _widths(widths: Mapping[int, int]) -> str:
    """A CIDFont ``/W`` array: runs of consecutive codes with their widths."""
    parts: list[str] = []
    run: list[int] = []
    previous = -2
    for code in sorted(widths):
        if code != previous + 1 and run:
            parts.append(f"{previous - len(run) + 1} [{' '.join(map(str, run))}]")
            run = []
        run.append(widths[code])
        previous = code
    if run:
        parts.append(f"{previous - len(run) + 1} [{' '.join(map(str, run))}]")
    return f"[{' '.join(parts)}]"


def _code_points(text: int | tuple[int, ...]) -> tuple[int, ...]:
    return (text,) if isinstance(text, int) else text


def _to_unicode(unicodes: Mapping[int, tuple[int, ...]]) -> bytes:
    """A ToUnicode CMap (character code -> text), so text can be searched and copied."""
    entries = [
        f"<{code:04X}> <{''.join(map(chr, text)).encode('utf-16-be').hex().upper()}>\n"
        for code, text in sorted(unicodes.items())
    ]
    blocks = "".join(
        f"{len(entries[start : start + 100])} beginbfchar\n"
        f"{''.join(entries[start : start + 100])}endbfchar\n"
        for start in range(0, len(entries), 100)  # at most 100 per block (Adobe TN 5014)
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("latin-1")


class _OutputProducer(OutputProducer):
    """fpdf2's producer, with the fonts of ``add_fonts`` embedded by ``FontProgram``."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> dict[int, PDFFont | PDFType3Font]:
        fonts = sorted(self.fpdf.fonts.values(), key=lambda font: font.i)
        unsupported = [
            font.fontkey for font in fonts
            if not isinstance(font, TTFFont) or font.color_font or font.is_cff
        ]  # fmt: skip
        if unsupported:
            raise ValueError("only plain TrueType fonts can be subset: " + ", ".join(unsupported))
        objects: dict[int, PDFFont | PDFType3Font] = {
            font.i: self._add_font(font) for font in fonts if isinstance(font, TTFFont)
        }  # every font is one, as checked above
        SubsetMap.pick.cache_clear()  # fpdf2 caches per map, for every map: free them
        SubsetMap.get_glyph.cache_clear()
        return objects

    def _add_font(self, font: TTFFont) -> PDFFont:
        # The glyph for character code n is glyph n of the subset; .notdef is code and glyph 0.
        program, glyph_ids = _program(str(font.ttffile))
        if font.missing_glyphs:  # drawn as nothing, as fpdf2 does; say so, as it does
            logger.warning(
                "font %s has no glyph for %s", font.name,
                ", ".join(f"U+{point:04X}" for point in font.missing_glyphs[:10]),
            )  # fmt: skip
        used = [(glyph, code) for glyph, code in font.subset.items() if glyph is not None]
        order: list[int | None] = [None] * (max(code for _glyph, code in used) + 1)
        order[0] = 0
        for glyph, code in used:
            order[code] = glyph_ids[glyph.glyph_name]
        # fpdf2 types a glyph's text as a code point or a tuple; a TrueType subset's are tuples.
        texts = {code: _code_points(glyph.unicode) for glyph, code in used if glyph.unicode}
        cmap = {text[0]: code for code, text in texts.items() if len(text) == 1 and text[0]}
        subset = program.subset(order, unicodes=cmap)

        name = FONT_NAME_PREFIX + font.name
        composite = PDFFont(subtype="Type0", base_font=name, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        widths = {code: glyph.glyph_width for glyph, code in used}
        cid_font = PDFFont(
            subtype="CIDFontType2", base_font=name, d_w=font.desc.missing_width,
            w=_widths(widths),
        )  # fmt: skip
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])
        to_unicode = PDFContentStream(_to_unicode(texts), compress=True)
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode
        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info
        descriptor = font.desc
        descriptor.font_name = Name(name)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor
        cid_font.c_i_d_to_g_i_d_map = Name("Identity")  # type: ignore[assignment]
        stream = PDFFontStream(contents=subset)
        self._add_pdf_obj(stream, "fonts")
        descriptor.font_file2 = stream  # type: ignore[attr-defined]
        return composite


def output(pdf: FPDF) -> bytes:
    """The document's bytes; its fonts must all come from ``add_fonts``."""
    return bytes(pdf.output(output_producer_class=_OutputProducer))
