"""The sample course "Blockchain Basics" uses the catalogue fields and narrow diagrams as the
format describes them: named topics, objectives, a small self-contained cover and a narrow
variant of every diagram, in every language."""

from __future__ import annotations

import re
from pathlib import Path

from courses.content import lint_path, parse_repository

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COURSE = EXAMPLES / "courses" / "blockchain-basics"
REL = "courses/blockchain-basics/"


def sample():
    parsed = parse_repository(EXAMPLES)
    return next(course for course in parsed.courses if course.slug == "blockchain-basics")


def test_sample_course_has_no_diagnostic_at_all():
    assert [d.format() for d in lint_path(EXAMPLES) if d.path.startswith(REL)] == []


def test_every_topic_is_named_in_every_language():
    course = sample()
    assert course.tags == ("blockchain", "bitcoin", "ethereum", "wallets", "security")
    for tag in course.tags:
        assert set(course.topic_names[tag]) == {"ky", "ru", "en"}, tag
    assert course.topic_names["wallets"] == {"ky": "Капчыктар", "ru": "Кошельки", "en": "Wallets"}


def test_objectives_are_three_to_six_texts_in_every_language():
    objectives = sample().objectives
    assert set(objectives) == {"ky", "ru", "en"}
    assert {len(texts) for texts in objectives.values()} <= {3, 4, 5, 6}
    assert len({len(texts) for texts in objectives.values()}) == 1


def test_cover_is_a_small_self_contained_svg_with_its_own_background():
    cover = sample().cover
    assert cover is not None
    assert (cover.path, cover.media_type) == (f"{REL}cover.svg", "image/svg+xml")
    assert cover.size <= 6 * 1024
    svg = cover.data.decode()
    assert 'viewBox="0 0 640 360"' in svg  # 16:9
    for forbidden in ("<script", "<image", "<foreignObject", "@font-face", "<style", " on"):
        assert forbidden not in svg, forbidden
    # the only address is the SVG namespace; references stay inside the file
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", svg))
    assert re.search(r'<rect width="640" height="360" fill="[^"]+"/>', svg)  # background


def test_every_diagram_has_a_portrait_narrow_variant_with_readable_text():
    images = sorted(COURSE.glob("lessons/*/images/*.svg"))
    wide = [p for p in images if ".narrow." not in p.name]
    assert len(wide) == 6
    for path in wide:
        stem, _, rest = path.name.partition(".")
        narrow = path.with_name(f"{stem}.narrow.{rest}")
        assert narrow.is_file(), narrow
        svg = narrow.read_text(encoding="utf-8")
        width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
        assert width == 360 and height > width, narrow
        sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 14, narrow
        assert "<script" not in svg


def test_lessons_show_the_narrow_diagram_of_their_language():
    lessons = sample().lessons
    for lesson_id, name in (("hashes-and-blocks", "chain"), ("wallets-and-keys", "keys")):
        texts = lessons[lesson_id].texts
        for lang, narrow in (
            ("ky", f"{name}.narrow.ky.svg"),
            ("ru", f"{name}.narrow.ru.svg"),
            ("en", f"{name}.narrow.svg"),
        ):
            html = texts[lang].html
            assert '<picture><source media="(max-width: 599px)"' in html, (lesson_id, lang)
            assert re.search(rf'srcset="asset:[0-9a-f]{{64}}/{re.escape(narrow)}"', html)
