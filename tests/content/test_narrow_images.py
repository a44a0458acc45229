"""Narrow variants of lesson images: ``images/chain.narrow.svg`` beside ``images/chain.svg`` is
shown on screens narrower than 600 px through a ``<picture>``, the per-language narrow file
first; the sanitiser keeps exactly that ``<picture>``; a narrow file alone is W109."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from courses.content import lint_path, parse_repository, render_markdown, sanitize_html
from courses.content.render import render_fragment
from courses.content.sanitize import anchors_only
from courses.content.variants import narrow_path, wide_names
from tests.content.helpers import COURSE_DIR, SVG, SVG_KY, write_repo

IMAGES = f"{COURSE_DIR}/lessons/02-hashes/images"
NARROW = b'<svg xmlns="http://www.w3.org/2000/svg" width="3" height="4"></svg>\n'
NARROW_KY = b'<svg xmlns="http://www.w3.org/2000/svg" width="3" height="4"><g/></svg>\n'
MEDIA = 'media="(max-width: 599px)"'


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html)


def test_an_image_with_a_narrow_variant_becomes_a_picture(tmp_path: Path) -> None:
    """ru.md and en.md get the generic narrow file; the wide image stays the <img>."""
    course = parse_repository(write_repo(tmp_path, {f"{IMAGES}/chain.narrow.svg": NARROW})).courses[
        0
    ]
    texts = course.lessons["hashes"].texts
    assert pictures(texts["en"].html) == [
        f'<picture><source {MEDIA} srcset="asset:{sha(NARROW)}/chain.narrow.svg">'
        f'<img alt="chain" src="asset:{sha(SVG)}/chain.svg"></picture>'
    ]
    assert pictures(texts["ru"].html) == pictures(texts["en"].html)
    # ky.md has chain.ky.svg, no chain.narrow.ky.svg: its own wide image, the generic narrow one
    assert pictures(texts["ky"].html) == [
        f'<picture><source {MEDIA} srcset="asset:{sha(NARROW)}/chain.narrow.svg">'
        f'<img alt="chain" src="asset:{sha(SVG_KY)}/chain.ky.svg"></picture>'
    ]


def test_the_narrow_file_is_published_with_the_course(tmp_path: Path) -> None:
    """It is an asset of the course and of the lesson texts that show it, so the importer
    stores it like any image."""
    course = parse_repository(write_repo(tmp_path, {f"{IMAGES}/chain.narrow.svg": NARROW})).courses[
        0
    ]
    narrow = f"{IMAGES}/chain.narrow.svg"
    assert course.assets[narrow].data == NARROW
    assert course.assets[narrow].media_type == "image/svg+xml"
    assert course.lessons["hashes"].texts["en"].assets == (narrow, f"{IMAGES}/chain.svg")


def test_the_language_narrow_variant_wins_for_its_language(tmp_path: Path) -> None:
    changes = {f"{IMAGES}/chain.narrow.svg": NARROW, f"{IMAGES}/chain.narrow.ky.svg": NARROW_KY}
    texts = parse_repository(write_repo(tmp_path, changes)).courses[0].lessons["hashes"].texts
    assert f'srcset="asset:{sha(NARROW_KY)}/chain.narrow.ky.svg"' in texts["ky"].html
    assert f'srcset="asset:{sha(NARROW)}/chain.narrow.svg"' in texts["en"].html
    assert "chain.narrow.ky.svg" not in texts["ru"].html


def test_a_language_narrow_variant_alone_serves_only_its_language(tmp_path: Path) -> None:
    changes = {f"{IMAGES}/chain.narrow.ky.svg": NARROW_KY}
    parsed = parse_repository(write_repo(tmp_path, changes))
    assert parsed.diagnostics == []
    texts = parsed.courses[0].lessons["hashes"].texts
    assert len(pictures(texts["ky"].html)) == 1
    assert pictures(texts["en"].html) == pictures(texts["ru"].html) == []


def test_without_a_narrow_variant_the_image_stays_a_plain_img(tmp_path: Path) -> None:
    texts = parse_repository(write_repo(tmp_path)).courses[0].lessons["hashes"].texts
    for text in texts.values():
        assert "<picture>" not in text.html and "<source" not in text.html
        assert '<img alt="chain" src="asset:' in text.html


def test_adding_a_narrow_variant_changes_the_render_key(tmp_path: Path) -> None:
    """A cached rendering of the lesson is not reused once the narrow file appears."""
    before = parse_repository(write_repo(tmp_path / "a")).courses[0].lessons["hashes"].texts
    changes = {f"{IMAGES}/chain.narrow.svg": NARROW}
    after = parse_repository(write_repo(tmp_path / "b", changes)).courses[0].lessons["hashes"]
    assert after.texts["en"].render_key != before["en"].render_key
    assert after.texts["en"].source_hash == before["en"].source_hash


def test_links_to_an_image_are_not_pictures(tmp_path: Path) -> None:
    """Only images shown in the page get a <source>; a link to the file stays a link."""
    body = "---\ntitle: x\n---\n\n[the diagram](images/chain.svg)\n"
    changes = {f"{IMAGES}/chain.narrow.svg": NARROW, f"{COURSE_DIR}/lessons/02-hashes/en.md": body}
    html = parse_repository(write_repo(tmp_path, changes)).courses[0].lessons["hashes"]
    assert "<picture>" not in html.texts["en"].html


def test_render_markdown_wraps_images_the_hook_names() -> None:
    out = render_markdown(
        "Text ![a](images/a.svg) and ![b](images/b.svg).",
        rewrite_url=lambda url: f"/files/{url}",
        narrow_url=lambda src: "images/a.narrow.svg" if src == "images/a.svg" else None,
    )
    assert out.html == (
        f'<p>Text <picture><source {MEDIA} srcset="/files/images/a.narrow.svg">'
        '<img alt="a" src="/files/images/a.svg"></picture> and '
        '<img alt="b" src="/files/images/b.svg">.</p>'
    )
    # the next document does not inherit the hook
    assert "<picture>" not in render_markdown("![a](images/a.svg)").html


def test_narrow_names() -> None:
    assert narrow_path("images/chain.svg") == "images/chain.narrow.svg"
    assert narrow_path("images/chain.ky.svg") == "images/chain.narrow.ky.svg"
    assert narrow_path("../02/images/keys.png") == "../02/images/keys.narrow.png"
    assert narrow_path("images/chain.narrow.svg") is None
    assert narrow_path("images/chain") is None
    assert narrow_path("images/chain.svg#part") is None
    assert wide_names("chain.narrow.svg") == (
        "chain.svg", "chain.ky.svg", "chain.ru.svg", "chain.en.svg",
    )  # fmt: skip
    assert wide_names("chain.narrow.ky.svg") == ("chain.ky.svg", "chain.svg")
    assert wide_names("chain.narrow.kg.svg") == ()
    assert wide_names("chain.svg") == ()


def test_a_narrow_file_without_its_wide_image_is_w109(tmp_path: Path) -> None:
    changes = {f"{IMAGES}/chian.narrow.svg": NARROW, f"{IMAGES}/keys.narrow.ru.svg": NARROW}
    assert [d.format() for d in lint_path(write_repo(tmp_path, changes))] == [
        f"{IMAGES}/chian.narrow.svg:1:1: warning W109: 'chian.narrow.svg' is a narrow variant, "
        "but there is no 'chian.svg' beside it (a narrow variant is named after its image: "
        "chain.svg and chain.narrow.svg, chain.ky.svg and chain.narrow.ky.svg)",
        f"{IMAGES}/keys.narrow.ru.svg:1:1: warning W109: 'keys.narrow.ru.svg' is a narrow "
        "variant, but there is no 'keys.ru.svg' beside it (a narrow variant is named after its "
        "image: chain.svg and chain.narrow.svg, chain.ky.svg and chain.narrow.ky.svg)",
    ]


def test_a_narrow_file_for_something_not_a_language_is_w109(tmp_path: Path) -> None:
    """chain.narrow.kg.svg is never shown, even beside chain.svg: Kyrgyz is 'ky'."""
    changes = {f"{IMAGES}/chain.narrow.kg.svg": NARROW}
    assert [d.format() for d in lint_path(write_repo(tmp_path, changes))] == [
        f"{IMAGES}/chain.narrow.kg.svg:1:1: warning W109: 'chain.narrow.kg.svg' is a narrow "
        "variant for 'kg', which is not a language; no page shows it (a narrow variant is named "
        "after its image: chain.svg and chain.narrow.svg, chain.ky.svg and chain.narrow.ky.svg)"
    ]


@pytest.mark.parametrize(
    "name",
    ["chain.narrow.svg", "chain.narrow.ky.svg", "chain.narrow.en.svg", "chain.narrow.ru.svg"],
)
def test_a_narrow_file_beside_a_wide_image_is_fine(tmp_path: Path, name: str) -> None:
    """chain.narrow.en.svg stands beside chain.svg, which English readers see."""
    assert lint_path(write_repo(tmp_path, {f"{IMAGES}/{name}": NARROW})) == []


def test_a_narrow_file_that_cannot_be_published_is_reported_at_the_image(tmp_path: Path) -> None:
    lfs = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"
    diagnostics = lint_path(write_repo(tmp_path, {f"{IMAGES}/chain.narrow.svg": lfs}))
    found = sorted((d.path.rsplit("/", 1)[-1], d.line, d.col, d.code) for d in diagnostics)
    assert found == [("en.md", 7, 10, "E009"), ("ky.md", 7, 10, "E009"), ("ru.md", 7, 10, "E009")]
    assert all("is a Git LFS pointer" in d.message for d in diagnostics)


# -- the sanitiser ---------------------------------------------------------------------------

PICTURE = (
    f'<picture><source {MEDIA} srcset="images/a.narrow.svg">'
    '<img src="images/a.svg" alt="A"></picture>'
)


def test_sanitiser_keeps_the_picture_exactly() -> None:
    assert sanitize_html(PICTURE) == PICTURE


def test_sanitiser_rewrites_srcset_like_src() -> None:
    html = sanitize_html(PICTURE, rewrite_url=lambda url: f"/assets/x/{url.split('/')[-1]}")
    assert html == (
        f'<picture><source {MEDIA} srcset="/assets/x/a.narrow.svg">'
        '<img src="/assets/x/a.svg" alt="A"></picture>'
    )


@pytest.mark.parametrize(
    "srcset",
    [
        "https://evil.example/a.svg",
        "//evil.example/a.svg",
        "javascript:alert(1)",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "/etc/a.svg",
        "a.svg 2x",
        "a.svg, b.svg 600w",
        "#x",
        "",
    ],
)
def test_sanitiser_drops_a_srcset_that_is_not_one_own_file(srcset: str) -> None:
    html = sanitize_html(f'<picture><source {MEDIA} srcset="{srcset}"><img src="a.svg"></picture>')
    assert html == f'<picture><source {MEDIA}><img src="a.svg"></picture>'


def test_sanitiser_drops_a_srcset_the_rewriter_refuses() -> None:
    html = sanitize_html(PICTURE, rewrite_url=anchors_only)
    assert html == f'<picture><source {MEDIA}><img alt="A"></picture>'
    assert "srcset" not in render_fragment(PICTURE)


@pytest.mark.parametrize(
    "source",
    [
        '<source media="(min-width: 600px)" srcset="a.svg">',
        '<source media="print" srcset="a.svg">',
        '<source srcset="a.svg" type="image/svg+xml" sizes="100vw" src="b.svg" onerror="x()">',
    ],
)
def test_sanitiser_keeps_no_other_source(source: str) -> None:
    """A <source> whose media query is not the narrow one would apply at every width once the
    query is removed, so it goes altogether."""
    html = sanitize_html(f'<picture>{source}<img src="a.svg"></picture>')
    assert html == '<picture><img src="a.svg"></picture>'


def test_sanitiser_keeps_only_media_and_srcset_on_the_narrow_source() -> None:
    source = f'<source {MEDIA} srcset="a.svg" type="image/svg+xml" sizes="9vw" onerror="x()">'
    html = sanitize_html(f'<picture>{source}<img src="a.svg"></picture>')
    assert html == f'<picture><source {MEDIA} srcset="a.svg"><img src="a.svg"></picture>'
