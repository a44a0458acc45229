"""The certificate's ornaments: the paper, the frame, the site's mark and the seal.

Pure fpdf2 drawing primitives (shapes and colours, no images), so the page stays small and is
drawn in a few milliseconds. The text around them is laid out by ``pdf``.
"""

from __future__ import annotations

import math

from fpdf import FPDF

INK = (33, 37, 41)
MUTED = (105, 112, 120)
ACCENT = (22, 78, 99)
GOLD = (176, 141, 74)
GOLD_LIGHT = (214, 190, 140)
PAPER = (252, 250, 245)
MARK_BLUE = (11, 107, 203)  # the site's mark (static/favicon.svg), without its gradient
MARK_GREEN = (35, 162, 109)


def paper(pdf: FPDF, *, width: float, height: float) -> None:
    """A warm paper tone, a band of the site's colours at the top and a double frame."""
    pdf.set_fill_color(*PAPER)
    pdf.rect(0, 0, width, height, style="F")
    pdf.set_fill_color(*MARK_BLUE)
    pdf.rect(0, 0, width * 0.62, 4, style="F")
    pdf.set_fill_color(*MARK_GREEN)
    pdf.rect(width * 0.62, 0, width * 0.38, 4, style="F")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.35)
    pdf.rect(13, 13, width - 26, height - 26)
    # Small diamonds at the inner frame's corners.
    pdf.set_fill_color(*GOLD)
    for x, y in ((13, 13), (width - 13, 13), (13, height - 13), (width - 13, height - 13)):
        pdf.star(x, y, 0.9, 2.6, 4, style="F")


def mark(pdf: FPDF, *, x: float, y: float, size: float, font: str) -> None:
    """The site's mark: a rounded square with a white "B", as in the favicon."""
    pdf.set_fill_color(*MARK_BLUE)
    pdf.rect(x, y, size, size, style="F", round_corners=True, corner_radius=size * 0.22)
    pdf.set_fill_color(*MARK_GREEN)  # the gradient's far end, as a corner triangle
    pdf.polygon([(x + size, y + size * 0.45), (x + size, y + size * 0.78),
                 (x + size * 0.78, y + size), (x + size * 0.45, y + size)], style="F")  # fmt: skip
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(font, "B", size * 2.0)
    pdf.set_xy(x, y)
    pdf.cell(size, size, "B", align="C")


def seal(pdf: FPDF, *, x: float, y: float, radius: float, font: str) -> None:
    """A gold seal centred at (x, y): a serrated rim, rings and the site's mark inside."""
    pdf.set_fill_color(*GOLD)
    pdf.star(x, y, radius * 0.9, radius, 36, style="F")
    pdf.set_fill_color(*GOLD_LIGHT)
    pdf.circle(x, y, radius * 0.8, style="F")
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.circle(x, y, radius * 0.72, style="D")
    pdf.set_line_width(0.25)
    pdf.circle(x, y, radius * 0.66, style="D")
    pdf.set_fill_color(*GOLD)
    for angle in range(0, 360, 30):  # small stars around the ring
        rx = x + radius * 0.56 * math.cos(math.radians(angle))
        ry = y + radius * 0.56 * math.sin(math.radians(angle))
        pdf.star(rx, ry, 0.35, 0.9, 5, rotate_degrees=angle + 90, style="F")
    size = radius * 0.62
    mark(pdf, x=x - size / 2, y=y - size / 2, size=size, font=font)
