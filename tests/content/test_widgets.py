"""Lesson widgets: a ```widget sha256``` block becomes, at import, a box that works without
JavaScript (the text and its SHA-256), labelled in the lesson's language, added after the
sanitiser; an unknown widget is an error at its line and column."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from courses.content import lint_path, parse_repository
from courses.content.glossary_links import link_glossary_terms
from courses.content.render import render_markdown
from courses.content.widgets import LABELS, MARKER, WIDGETS, find_widget_fences
from tests.content.helpers import COURSE_DIR, lesson, write_repo

KY = f"{COURSE_DIR}/lessons/01-what-is/ky.md"
ROOT = Path(__file__).resolve().parents[2]
SALAM = hashlib.sha256(b"Salam").hexdigest()


def _widget(html: str) -> str:
    found = re.search(r'<div class="widget widget-sha256".*?aria-live="polite"></p></div>', html,
                      re.S)  # fmt: skip
    assert found, html
    return found.group(0)


def test_widget_shows_the_text_and_its_hash_without_javascript():
    """The starting text is shown as written and its SHA-256 is computed at import."""
    html = render_markdown("Intro.\n\n```widget sha256\nSalam\n```\n", language="en").html
    box = _widget(html)
    assert MARKER in box
    assert '<pre class="widget-text"><code>Salam</code></pre>' in box
    assert f'<code id="widget-sha256-1-hash">{SALAM}</code>' in box
    assert '<div class="widget-live" hidden>' in box  # the typing box waits for the script
    assert 'aria-live="polite"' in box


def test_blank_lines_around_the_text_do_not_count_and_markup_is_escaped():
    """The hash is of the text between the blank lines, and HTML in it is shown, not run."""
    text = "<b>Aigul</b> & Bakyt\nline two"
    html = render_markdown(f"```widget sha256\n\n{text}\n\n```\n", language="en").html
    assert hashlib.sha256(text.encode()).hexdigest() in html
    assert "&lt;b&gt;Aigul&lt;/b&gt; &amp; Bakyt\nline two</code>" in html
    assert "<b>Aigul</b>" not in html


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_labels_are_in_the_lessons_language(language):
    """A lesson file is rendered in its own language, and so are its widget's labels."""
    box = _widget(render_markdown("```widget sha256\nSalam\n```\n", language=language).html)
    labels = LABELS[language]
    for key in ("title", "text", "input", "hash"):
        assert labels[key] in box, key
    assert labels["note"].replace("'", "&#x27;") in box
    others = [LABELS[other]["input"] for other in LABELS if other != language]
    assert not any(other in box for other in others)


def test_every_language_has_every_label_with_the_scripts_placeholders():
    assert set(LABELS) == {"ky", "ru", "en"}
    for language, labels in LABELS.items():
        assert set(labels) == set(LABELS["en"]), language
        assert "{changed}" in labels["differ"], language
        assert {"{changed}", "{start}"} <= set(re.findall(r"\{\w+\}", labels["announce"]))


def test_two_widgets_get_their_own_ids_and_one_inside_an_admonition_works():
    body = '```widget sha256\nA\n```\n\n!!! note "Try"\n    ```widget sha256\n    B\n    ```\n'
    html = render_markdown(body, language="ru").html
    assert 'id="widget-sha256-1"' in html and 'id="widget-sha256-2"' in html
    assert hashlib.sha256(b"B").hexdigest() in html
    assert html.count(MARKER) == 2


def test_an_example_inside_a_longer_fence_stays_code():
    """Documentation of the syntax (a widget block inside a ```` fence) is not a widget."""
    body = "````markdown\n```widget sha256\nSalam\n```\n````\n"
    html = render_markdown(body, language="en").html
    assert MARKER not in html
    assert "```widget</span>" in html  # shown as the code it is
    assert list(find_widget_fences(body)) == []


def test_the_sanitiser_still_strips_raw_html_and_a_hand_made_placeholder_does_nothing():
    """Only the fence makes a widget: an author's own markup is sanitised as before."""
    body = (
        "<textarea>x</textarea><script>alert(1)</script>\n\n"
        '<div class="widget-slot-0000000000000000-1"></div>\n\n'
        '<div class="widget widget-sha256" data-widget="sha256" onclick="x()">y</div>\n'
    )
    html = render_markdown(body, language="en").html
    assert "<textarea" not in html and "<script" not in html and "onclick" not in html
    assert "data-widget" not in html
    assert "widget-static" not in html


def test_reading_time_does_not_count_the_widgets_labels():
    plain = render_markdown("One two three.\n", language="en")
    with_widget = render_markdown("One two three.\n\n```widget sha256\nx\n```\n", language="en")
    assert with_widget.word_count == plain.word_count


def test_glossary_links_never_land_inside_a_widget():
    """The glossary's terms, in every language, are not linked in a widget's labels (a link
    there would take the term's one link away from the lesson's text)."""
    terms = []
    for path in sorted((ROOT / "examples" / "glossary").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        terms += [(data["id"], text) for text in data["term"].values()]
    for language in LABELS:
        box = _widget(render_markdown("```widget sha256\nSalam\n```\n", language=language).html)
        linked = link_glossary_terms(box, terms, href=lambda key: f"/g/{key}/")
        assert "glossary-link" not in linked, language


def test_a_lesson_with_a_widget_is_imported_with_it(tmp_path):
    changes = lesson("\n## Хеш\n\n```widget sha256\nSalam\n```\n")
    parsed = parse_repository(write_repo(tmp_path, changes))
    assert not [d for d in parsed.diagnostics if d.is_error]
    html = parsed.courses[0].lessons["what-is"].texts["ky"].html
    assert LABELS["ky"]["title"] in html and SALAM in html


@pytest.mark.parametrize(
    ("fence", "line", "col", "words"),
    [
        ("```widget sha512", 7, 11, "unknown widget 'sha512' (the widgets are: sha256;"),
        ("~~~ widget chain", 7, 12, "unknown widget 'chain'"),
        ("```widget", 7, 10, "a widget block needs the widget's name after 'widget'"),
        ("```widget sha256 sha256", 7, 11, "unknown widget 'sha256 sha256'"),
    ],
)
def test_an_unknown_or_missing_widget_name_is_an_error_at_its_line(
    tmp_path, fence, line, col, words
):
    closing = fence[:3]
    changes = lesson(f"\nText.\n\n{fence}\nSalam\n{closing}\n")
    diagnostics = [d for d in lint_path(write_repo(tmp_path, changes)) if d.code == "E004"]
    assert [(d.path, d.line, d.col, d.severity) for d in diagnostics] == [
        (KY, line, col, "error")
    ], [d.format() for d in diagnostics]
    assert words in diagnostics[0].format()


def test_a_known_widget_and_a_widget_inside_code_are_not_reported(tmp_path):
    body = "\n```widget sha256\nSalam\n```\n\n````markdown\n```widget nope\n```\n````\n"
    assert lint_path(write_repo(tmp_path, lesson(body))) == []


def test_the_lesson_page_loads_the_script_when_the_marker_is_there():
    """item_detail.html looks for the very marker the widget carries, and the script and
    stylesheet it names exist."""
    template = (ROOT / "templates" / "courses" / "item_detail.html").read_text()
    assert f"'{MARKER}' in view.text.html" in template
    for name in WIDGETS:
        assert f"js/widgets/{name}.js" in template
        assert (ROOT / "static" / "js" / "widgets" / f"{name}.js").exists()
    assert (ROOT / "static" / "css" / "widgets.css").exists()


def test_every_widget_name_has_a_renderer():
    from courses.content.widgets import RENDERERS

    assert set(RENDERERS) == set(WIDGETS)
