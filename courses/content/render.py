"""Markdown to sanitised HTML: Python-Markdown with the pymdown extensions, then nh3.

Lesson bodies get admonitions (``!!! note``), collapsible blocks (``??? tip``), tabs
(``=== "Tab"``), tables, footnotes, task lists, fenced code highlighted by Pygments with CSS
classes (the site's stylesheet colours ``.highlight``), and heading ids that keep Cyrillic
("Блокчейн деген эмне?" becomes ``блокчейн-деген-эмне``).

Descriptions, prompts, options, explanations and glossary definitions are rendered as
fragments: the same Markdown without footnotes or heading ids, through the same sanitiser.

An image with a narrow variant (`courses.content.variants`) becomes a ``<picture>``:
``<source media="(max-width: 599px)" srcset="NARROW">`` and the ``<img>`` itself.

A lesson's ``widget`` fences (`courses.content.widgets`) leave a placeholder that survives the
sanitiser; the widget's own HTML, labelled in the lesson's language, replaces it afterwards.

Markdown instances are built once per thread and reset between documents.
"""

from __future__ import annotations

import html as htmllib
import math
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from courses.content.parsed import TocEntry
from courses.content.sanitize import UrlRewriter, anchors_only, html_to_text, sanitize_html
from courses.content.variants import NARROW_MEDIA
from courses.content.widgets import custom_fence, insert_widgets, take_pending

NarrowUrl = Callable[[str], str | None]

RENDER_VERSION = "3"  # 2: task list items are labelled checkboxes; 3: lesson widgets
WORDS_PER_MINUTE = 200

_BACKLINK_TITLES = {
    "ky": "Текстке кайтуу ({})",
    "ru": "Вернуться к сноске {} в тексте",
    "en": "Jump back to footnote {} in the text",
}
_HIGHLIGHT = {
    "use_pygments": True,
    "noclasses": False,
    "css_class": "highlight",
    "guess_lang": False,
}
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_SOLE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p[ >]).)*)</p>$", re.S)


@dataclass(frozen=True)
class RenderOutput:
    html: str
    toc: tuple[TocEntry, ...]
    word_count: int
    reading_minutes: int


class _Pictures(Treeprocessor):
    """Wraps each image that has a narrow variant in a ``<picture>``; ``narrow_url`` (set per
    document) gives the variant's URL for an image's ``src``, or None."""

    narrow_url: NarrowUrl | None = None

    def run(self, root: etree.Element) -> None:
        if self.narrow_url is None:
            return
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                src = child.get("src") if child.tag == "img" else None
                narrow = self.narrow_url(src) if src else None
                if narrow is None:
                    continue
                picture = etree.Element("picture")
                etree.SubElement(picture, "source", {"media": NARROW_MEDIA, "srcset": narrow})
                picture.tail, child.tail = child.tail, None
                picture.append(child)
                parent[index] = picture


def _document_markdown(language: str) -> markdown.Markdown:
    backlink = _BACKLINK_TITLES.get(language, _BACKLINK_TITLES["en"])
    configs: dict[str, dict[str, Any]] = {
        "toc": {"slugify": slugify(case="lower"), "permalink": False},
        "footnotes": {"BACKLINK_TITLE": backlink},
        "pymdownx.tabbed": {"alternate_style": True},
        "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
        "pymdownx.highlight": _HIGHLIGHT,
        "pymdownx.superfences": {"custom_fences": [custom_fence()]},
        "tables": {"use_align_attribute": True},
    }
    md = markdown.Markdown(
        extensions=[
            "admonition",
            "pymdownx.details",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "pymdownx.tabbed",
            "pymdownx.tasklist",
            "tables",
            "footnotes",
            "toc",
            "sane_lists",
        ],
        extension_configs=configs,
        output_format="html",
    )
    md.treeprocessors.register(_Pictures(md), "pictures", -1)  # after "unescape"
    return md


def _fragment_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "admonition",
            "pymdownx.details",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "tables",
            "sane_lists",
        ],
        extension_configs={
            "pymdownx.highlight": _HIGHLIGHT,
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )


_local = threading.local()


def _instance(kind: str, language: str = "") -> markdown.Markdown:
    cache: dict[tuple[str, str], markdown.Markdown] = _local.__dict__.setdefault("md", {})
    key = (kind, language)
    if key not in cache:
        cache[key] = _document_markdown(language) if kind == "document" else _fragment_markdown()
    md = cache[key]
    md.reset()
    return md


def render_markdown(
    text: str,
    *,
    language: str = "en",
    rewrite_url: UrlRewriter | None = None,
    narrow_url: NarrowUrl | None = None,
) -> RenderOutput:
    """Render a lesson body to sanitised HTML with its table of contents and reading time.

    ``rewrite_url`` maps each relative URL of a link or image to the URL to publish (None
    drops it); see `courses.content.sanitize`. ``narrow_url`` gives the relative URL of an
    image's narrow variant (None when it has none); that URL goes through ``rewrite_url`` too.
    """
    md = _instance("document", language)
    pictures = md.treeprocessors["pictures"]
    assert isinstance(pictures, _Pictures)
    pictures.narrow_url = narrow_url
    try:
        raw = md.convert(text)
    finally:
        pictures.narrow_url = None
        widgets = take_pending(md)
    toc = tuple(_flatten_toc(getattr(md, "toc_tokens", [])))
    html = label_task_items(sanitize_html(raw, rewrite_url=rewrite_url))
    words = count_words(html)  # a widget's labels are not reading
    html = insert_widgets(html, widgets, language)
    return RenderOutput(
        html=html, toc=toc, word_count=words, reading_minutes=reading_minutes(words)
    )


# A task list item's checkbox and the text after it, up to the item's end, a nested list or the
# paragraph's end (inline markup such as <em> or <code> may be inside).
_TASK_ITEM = re.compile(
    r'(<li class="task-list-item">(?:\s*<p>)?)(<input type="checkbox"[^>]*>)'
    r"((?:[^<]|<(?!/?(?:li|ul|ol|p)\b)[^>]*>)*)"
)


def label_task_items(html: str) -> str:
    """Wrap each task list checkbox and its text in a <label>: a checkbox without a name is
    an accessibility error (WCAG 4.1.2), and the item's own text is its name."""
    return _TASK_ITEM.sub(r"\1<label>\2\3</label>", html)


def render_fragment(
    text: str, *, inline: bool = False, rewrite_url: UrlRewriter | None = None
) -> str:
    """Render a short Markdown text (a description, prompt or explanation) to sanitised HTML.

    With ``inline`` a single paragraph loses its ``<p>`` wrapper. Relative URLs other than
    anchors are dropped unless ``rewrite_url`` says otherwise.
    """
    if not text:
        return ""
    rewrite = rewrite_url if rewrite_url is not None else anchors_only
    html = sanitize_html(_instance("fragment").convert(text), rewrite_url=rewrite).strip()
    if inline:
        sole = _SOLE_PARAGRAPH.match(html)
        if sole:
            return sole.group(1)
    return html


def _flatten_toc(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        title = htmllib.unescape(str(token.get("name", "")))
        entries.append(TocEntry(id=str(token["id"]), title=title, level=int(token["level"])))
        entries.extend(_flatten_toc(token.get("children", [])))
    return entries


def count_words(html: str) -> int:
    """Words in the text of an HTML fragment (letters of any script, digits, joined words)."""
    return len(_WORD.findall(html_to_text(html)))


def reading_minutes(words: int) -> int:
    """Reading time at `WORDS_PER_MINUTE`, at least one minute."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
