"""The certificate as a small picture (PNG, 1200 × 630: the size link previews use).

The same design as the PDF (``pdf_design``: paper, frame, the site's mark, the seal, the
learner's name as the centre), drawn with Pillow from the same fonts, so a page can show the
certificate without rasterising the PDF. Every word comes in as data, already translated.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from courses.credentials import pdf_design as design
from courses.credentials.names import printable_name

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
WIDTH, HEIGHT = 1200, 630
REVOKED_RED = (176, 42, 55)


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _fitted(text: str, *, bold: bool, size: int, minimum: int, width: int, font_dir: Path):
    name = "NotoSans-Bold-LatinCyrillic.ttf" if bold else "NotoSans-Regular-LatinCyrillic.ttf"
    path = str(font_dir / name)
    while size > minimum and _font(path, size).getlength(text) > width:
        size -= 2
    return _font(path, size)


def _shorten(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text``, cut at a word with an ellipsis if it is wider than ``width`` at ``font``."""
    if font.getlength(text) <= width:
        return text
    words = text.split()
    while len(words) > 1 and font.getlength(" ".join(words) + "…") > width:
        words.pop()
    return " ".join(words) + "…"


def _centred(draw: ImageDraw.ImageDraw, text: str, *, y: int, font, fill) -> None:
    draw.text((WIDTH / 2, y), text, font=font, fill=fill, anchor="mm")


def _mark(draw: ImageDraw.ImageDraw, *, x: int, y: int, size: int, font_dir: Path) -> None:
    draw.rounded_rectangle((x, y, x + size, y + size), radius=size * 0.22, fill=design.MARK_BLUE)
    draw.polygon(
        [(x + size, y + size * 0.45), (x + size, y + size * 0.78),
         (x + size * 0.78, y + size), (x + size * 0.45, y + size)],
        fill=design.MARK_GREEN,
    )  # fmt: skip
    font = _font(str(font_dir / "NotoSans-Bold-LatinCyrillic.ttf"), int(size * 0.7))
    draw.text((x + size / 2, y + size / 2), "B", font=font, fill="white", anchor="mm")


def _seal(draw: ImageDraw.ImageDraw, *, x: int, y: int, radius: int, font_dir: Path) -> None:
    draw.regular_polygon((x, y, radius), 36, fill=design.GOLD)
    draw.ellipse((x - radius * 0.86, y - radius * 0.86, x + radius * 0.86, y + radius * 0.86),
                 fill=design.GOLD_LIGHT, outline=design.GOLD, width=3)  # fmt: skip
    size = int(radius * 0.8)
    _mark(draw, x=x - size // 2, y=y - size // 2, size=size, font_dir=font_dir)


def render_certificate_card(
    *,
    learner_name: str,
    course_title: str,
    title: str,
    date_text: str,
    organisation: str,
    university: str | None = None,
    university_logo: bytes | None = None,
    revoked: str | None = None,
    font_dir: Path = FONT_DIR,
) -> bytes:
    """The certificate as PNG bytes; ``revoked`` (a translated word) stamps it across."""
    image = Image.new("RGB", (WIDTH, HEIGHT), design.PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH * 0.62, 10), fill=design.MARK_BLUE)
    draw.rectangle((WIDTH * 0.62, 0, WIDTH, 10), fill=design.MARK_GREEN)
    draw.rectangle((24, 24, WIDTH - 24, HEIGHT - 24), outline=design.ACCENT, width=5)
    draw.rectangle((34, 34, WIDTH - 34, HEIGHT - 34), outline=design.GOLD, width=2)

    _mark(draw, x=70, y=66, size=52, font_dir=font_dir)
    font = _fitted(organisation, bold=True, size=30, minimum=18, width=440, font_dir=font_dir)
    draw.text((138, 92), organisation, font=font, fill=design.ACCENT, anchor="lm")
    right = WIDTH - 70
    if university and university_logo:
        try:
            logo = Image.open(io.BytesIO(university_logo)).convert("RGBA")
        except (OSError, ValueError):
            logo = None  # an unreadable upload: the name alone
        if logo is not None:
            logo.thumbnail((64, 64))
            image.paste(logo, (right - logo.width, 92 - logo.height // 2), logo)
            right -= logo.width + 16
    if university:
        font = _fitted(university, bold=True, size=26, minimum=16, width=440, font_dir=font_dir)
        draw.text((right, 92), university, font=font, fill=design.INK, anchor="rm")

    font = _fitted(title, bold=True, size=48, minimum=26, width=1000, font_dir=font_dir)
    _centred(draw, title, y=180, font=font, fill=design.ACCENT)
    draw.line((WIDTH / 2 - 110, 222, WIDTH / 2 + 110, 222), fill=design.GOLD, width=3)

    name = printable_name(learner_name)
    font = _fitted(name, bold=True, size=76, minimum=34, width=1040, font_dir=font_dir)
    _centred(draw, _shorten(name, font, 1040), y=310, font=font, fill=design.INK)
    draw.line((WIDTH / 2 - 300, 366, WIDTH / 2 + 300, 366), fill=design.GOLD, width=2)
    font = _fitted(course_title, bold=True, size=40, minimum=26, width=1040, font_dir=font_dir)
    _centred(draw, _shorten(course_title, font, 1040), y=418, font=font, fill=design.ACCENT)

    font = _font(str(font_dir / "NotoSans-Regular-LatinCyrillic.ttf"), 28)
    draw.text((70, 530), date_text, font=font, fill=design.MUTED, anchor="lm")
    _seal(draw, x=WIDTH - 140, y=510, radius=66, font_dir=font_dir)

    if revoked:
        font = _fitted(
            revoked.upper(), bold=True, size=72, minimum=30, width=700, font_dir=font_dir
        )
        stamp = Image.new("RGBA", (800, 150), (0, 0, 0, 0))
        ImageDraw.Draw(stamp).rounded_rectangle((4, 4, 796, 146), radius=18,
                                                outline=REVOKED_RED, width=8)  # fmt: skip
        ImageDraw.Draw(stamp).text((400, 75), revoked.upper(), font=font, fill=REVOKED_RED,
                                   anchor="mm")  # fmt: skip
        stamp = stamp.rotate(12, expand=True, resample=Image.Resampling.BICUBIC)
        image.paste(stamp, ((WIDTH - stamp.width) // 2, (HEIGHT - stamp.height) // 2), stamp)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
