"""Markdown rendering: the extensions authors use, Cyrillic anchors, and a sanitiser that lets
no script, event handler, javascript:/data: URL, iframe or style through."""

from __future__ import annotations

import re

import pytest

from courses.content import render_fragment, render_markdown, sanitize_html
from courses.content.render import count_words, reading_minutes

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x.png" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example">'
    '<button formaction="javascript:alert(1)">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<div onclick="alert(1)" onmouseover="alert(1)">x</div>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "![x](javascript:alert(1))",
    "[ref]: javascript:alert(1)\n\n[x][ref]",
    '<input type="text" onfocus="alert(1)" autofocus>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!--<script>alert(1)</script>-->",
    '<a href="https://ok.example" onclick="alert(1)" target="_blank">x</a>',
]

_DANGER = [
    re.compile(r"<\s*script", re.I),
    re.compile(r"<\s*(iframe|style|object|embed|form|meta|base|link|svg|math|button)\b", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:|vbscript:|data:", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\s(srcdoc|formaction|action|target)\s*=", re.I),
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_payload_never_survives_rendering(payload: str) -> None:
    """Whatever raw HTML or Markdown an author writes, no script can run on the page."""
    html = render_markdown(f"Some text.\n\n{payload}\n\nMore text.\n").html
    for pattern in _DANGER:
        assert not pattern.search(html), (pattern.pattern, html)
    if "<math>" not in payload:  # an unclosed <math> swallows the rest, which is removed
        assert "More text." in html


@pytest.mark.parametrize("payload", XSS)
def test_xss_payload_never_survives_fragments(payload: str) -> None:
    """Descriptions, prompts and glossary definitions go through the same sanitiser."""
    html = render_fragment(payload)
    for pattern in _DANGER:
        assert not pattern.search(html), (pattern.pattern, html)


def test_admonition() -> None:
    html = render_markdown('!!! note "Эсиңизде болсун"\n    Блокчейн — реестр.\n').html
    assert '<div class="admonition note">' in html
    assert '<p class="admonition-title">Эсиңизде болсун</p>' in html


def test_collapsible_details() -> None:
    html = render_markdown('??? tip "Кененирээк"\n    Жашырылган текст.\n').html
    assert '<details class="tip">' in html
    assert "<summary>Кененирээк</summary>" in html


def test_tabs_use_the_alternate_style_with_working_radio_inputs() -> None:
    html = render_markdown('=== "Python"\n    one\n\n=== "JS"\n    two\n').html
    assert '<div class="tabbed-set tabbed-alternate">' in html
    assert '<input checked="" id="__tabbed_1_1" name="__tabbed_1" type="radio">' in html
    assert '<label for="__tabbed_1_2">JS</label>' in html


def test_table_keeps_alignment_without_style_attributes() -> None:
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n").html
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style=" not in html


def test_footnotes() -> None:
    html = render_markdown("Текст[^1].\n\n[^1]: Эскертүү.\n", language="ky").html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<li id="fn:1">' in html
    assert 'class="footnote-backref" href="#fnref:1"' in html


def test_task_list_checkboxes_are_disabled() -> None:
    html = render_markdown("- [x] бүттү\n- [ ] калды\n").html
    checked = '<li class="task-list-item"><label><input type="checkbox" disabled="" checked="">'
    assert checked in html
    assert html.count('type="checkbox" disabled=""') == 2


def test_code_is_highlighted_with_classes_not_inline_styles() -> None:
    html = render_markdown("```python\ndef f():\n    return 1\n```\n").html
    assert '<div class="highlight"><pre>' in html
    assert '<span class="k">def</span>' in html
    assert "style=" not in html


def test_cyrillic_heading_gets_a_cyrillic_anchor_and_toc_entry() -> None:
    out = render_markdown("## Блокчейн деген эмне?\n\nТекст.\n\n### Хеш\n")
    assert '<h2 id="блокчейн-деген-эмне">Блокчейн деген эмне?</h2>' in out.html
    assert [(e.id, e.title, e.level) for e in out.toc] == [
        ("блокчейн-деген-эмне", "Блокчейн деген эмне?", 2),
        ("хеш", "Хеш", 3),
    ]


def test_external_links_get_rel_and_internal_ones_do_not() -> None:
    html = render_markdown(
        "[a](https://example.org/x) [b](//example.org) [c](#top) [d](mailto:a@example.org)"
    ).html
    assert '<a href="https://example.org/x" rel="noopener nofollow">a</a>' in html
    assert '<a href="//example.org" rel="noopener nofollow">b</a>' in html
    assert '<a href="#top">c</a>' in html
    assert '<a href="mailto:a@example.org">d</a>' in html


def test_author_rel_is_replaced() -> None:
    html = sanitize_html('<a href="https://example.org" rel="opener">x</a>')
    assert html == '<a href="https://example.org" rel="noopener nofollow">x</a>'


def test_relative_urls_go_through_the_rewriter() -> None:
    html = render_markdown(
        "![chain](images/chain.svg) [next](../02/)",
        rewrite_url=lambda url: f"/media/{url}" if url.startswith("images/") else None,
    ).html
    assert '<img alt="chain" src="/media/images/chain.svg">' in html
    assert "<a>next</a>" in html


def test_text_inputs_become_inert_checkboxes() -> None:
    html = sanitize_html('<input name="password"><input type="text">')
    assert html == '<input type="checkbox" disabled=""><input type="checkbox">'


def test_fragment_inline_drops_a_single_paragraph() -> None:
    assert (
        render_fragment("**bold** `code`", inline=True) == "<strong>bold</strong> <code>code</code>"
    )
    assert render_fragment("a\n\nb", inline=True) == "<p>a</p>\n<p>b</p>"
    assert render_fragment("") == ""


def test_words_and_reading_time() -> None:
    out = render_markdown("Блокчейн — бул реестр. It's a ledger, co-owned by many.\n")
    assert out.word_count == 9
    assert out.reading_minutes == 1
    assert count_words("<p>один два</p>") == 2
    assert reading_minutes(0) == 1
    assert reading_minutes(201) == 2


def test_markdown_instance_is_reset_between_documents() -> None:
    """Footnotes and anchors of one lesson never leak into the next."""
    render_markdown("## Same\n\nA[^1].\n\n[^1]: x\n")
    out = render_markdown("## Same\n")
    assert out.html == '<h2 id="same">Same</h2>'
    assert [e.id for e in out.toc] == ["same"]
