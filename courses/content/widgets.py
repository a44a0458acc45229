"""Ungraded widgets inside a lesson: a fenced block whose info string is ``widget NAME``.

````markdown
```widget sha256
Salam
```
````

The block's content is the widget's starting text. At import the block becomes HTML that
works without JavaScript (the text and its SHA-256, computed here with hashlib), with labels
in the lesson file's own language; ``static/js/widgets/<name>.js`` makes it live on the page.
The lesson page loads that script only when the lesson holds `MARKER`.

Rendering (`courses.content.render`) lets the fence through Python-Markdown as a placeholder
that survives the sanitiser and puts the widget's HTML in its place afterwards, so the
sanitiser still strips every author's raw HTML and only this module's markup is added.
Linting (`check_widgets`) reads the Markdown text: a widget name other than those in
`WIDGETS` is an error at its line and column.
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from courses.content import messages as M
from courses.content.diagnostics import FileReport
from courses.content.scan import position

WIDGETS = ("sha256",)
MARKER = 'data-widget="sha256"'  # what the lesson page looks for to load the script
FENCE_NAME = "widget"

_FENCE_OPEN = re.compile(r"^[ \t>]*(`{3,}|~{3,})(.*)$")
_WIDGET_INFO = re.compile(r"^([ \t]*\.?)widget(?=[ \t]|$)[ \t]*(.*?)[ \t]*$")
_TOKEN = secrets.token_hex(8)  # unguessable: an author cannot write a placeholder by hand
_SLOT = re.compile(rf'<div class="widget-slot-{_TOKEN}-(\d+)"></div>')

# Labels per language, as render.py's footnote titles: the content package has no Django, and
# a lesson is rendered once per file in its own language. The texts shown in the page avoid
# the glossary's exact terms (a glossary link would otherwise land inside the widget); the
# two the script fills in (``differ``, ``announce``) live in attributes, which are not linked.
LABELS: dict[str, dict[str, str]] = {
    "ky": {
        "title": "Байкап көрүңүз: SHA-256",
        "text": "Текст",
        "input": "Каалаган текстти жазыңыз",
        "hash": "Тексттин SHA-256 хеши (64 он алтылык белги)",
        "note": (
            "Бул маани сабак жарыяланганда эсептелген. Өз текстиңизди байкап көрүү үчүн "
            "браузерде JavaScript'ти күйгүзүңүз."
        ),
        "differ": "Баштапкы хештен айырмаланган белгилер: {changed} (64 белгинин ичинен)",
        "announce": (
            "Хеш өзгөрдү: анын 64 белгисинин {changed} баштапкы хештен айырмаланат. "
            "Эми ал {start} менен башталат."
        ),
    },
    "ru": {
        "title": "Попробуйте: SHA-256",
        "text": "Текст",
        "input": "Введите любой текст",
        "hash": "SHA-256 этого текста (64 шестнадцатеричных символа)",
        "note": (
            "Это значение вычислено при публикации урока. Чтобы попробовать свой текст, "
            "включите в браузере JavaScript."
        ),
        "differ": "Символов, не совпадающих с исходным хешем: {changed} из 64",
        "announce": (
            "Хеш изменился: {changed} из 64 символов не совпадают с исходным хешем. "
            "Теперь он начинается с {start}."
        ),
    },
    "en": {
        "title": "Try it: SHA-256",
        "text": "Text",
        "input": "Type any text",
        "hash": "SHA-256 of the text (64 hexadecimal characters)",
        "note": (
            "This value was computed when the lesson was published. Turn on JavaScript in "
            "your browser to try your own text."
        ),
        "differ": "Characters that differ from the starting hash: {changed} of 64",
        "announce": (
            "The hash has changed: {changed} of its 64 characters differ from the starting "
            "hash. It now begins with {start}."
        ),
    },
}


@dataclass(frozen=True)
class WidgetFence:
    """A ``widget`` fence in a lesson's Markdown: where its name starts and the name."""

    offset: int  # of the name (or of the end of the info string when there is none)
    name: str


def find_widget_fences(body: str) -> Iterator[WidgetFence]:
    """Every fence opened with the info string ``widget ...``, outside other fences (an
    example of the syntax inside a longer fence is code, not a widget)."""
    offset = 0
    fence = ""
    for line in body.split("\n"):
        if fence:
            stripped = line.strip().lstrip(">").strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = ""
        elif opened := _FENCE_OPEN.match(line):
            info = opened.group(2)
            if not (opened.group(1)[0] == "`" and "`" in info):
                fence = opened.group(1)
                widget = _WIDGET_INFO.match(info)
                if widget:
                    start = offset + opened.start(2) + widget.start(2)
                    yield WidgetFence(offset=start, name=widget.group(2))
        offset += len(line) + 1


def check_widgets(report: FileReport, body: str, first_line: int) -> None:
    """E004 at a widget fence whose name is missing or not one of `WIDGETS`."""
    choices = ", ".join(WIDGETS)
    for fence in find_widget_fences(body):
        if fence.name in WIDGETS:
            continue
        at = position(body, fence.offset, first_line)
        if fence.name:
            report("E004", M.WIDGET_UNKNOWN, at, hint=M.WIDGET_HINT, name=fence.name,
                   choices=choices)  # fmt: skip
        else:
            report("E004", M.WIDGET_NAME_MISSING, at, hint=M.WIDGET_HINT, choices=choices)


# -- rendering -------------------------------------------------------------------------


def starting_text(source: str) -> str:
    """The block's content without blank lines before and after it."""
    lines = source.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _validator(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    options["name"] = " ".join(inputs)
    return True


def _formatter(source: str, language: str, class_name: str, options: dict, md: Any, **kw: Any) -> (
    str
):  # fmt: skip
    name = options.get("name", "")
    if name not in WIDGETS:  # the linter refuses it; never more than a plain block of code
        return f"<pre><code>{html.escape(source)}</code></pre>"
    pending: list[tuple[str, str]] = md.__dict__.setdefault("bilim_widgets", [])
    pending.append((name, starting_text(source)))
    return f'<div class="widget-slot-{_TOKEN}-{len(pending)}"></div>'


def custom_fence() -> dict[str, Any]:
    """The ``pymdownx.superfences`` custom fence for ``widget`` blocks."""
    return {"name": FENCE_NAME, "class": FENCE_NAME, "format": _formatter,
            "validator": _validator}  # fmt: skip


def take_pending(md: Any) -> list[tuple[str, str]]:
    """The widgets a conversion met, in order, and forget them (the instance is reused)."""
    return md.__dict__.pop("bilim_widgets", [])


def insert_widgets(sanitised: str, widgets: list[tuple[str, str]], language: str) -> str:
    """Put each widget's HTML where its placeholder survived the sanitiser."""
    if not widgets:
        return sanitised

    def widget(match: re.Match[str]) -> str:
        number = int(match.group(1))
        name, text = widgets[number - 1]
        return RENDERERS[name](text, language=language, number=number)

    return _SLOT.sub(widget, sanitised)


def sha256_widget(text: str, *, language: str, number: int) -> str:
    """The live SHA-256 box: the starting text and its hash, labelled in ``language``."""
    labels = LABELS.get(language, LABELS["en"])
    e = html.escape
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    wid = f"widget-sha256-{number}"
    return (
        f'<div class="widget widget-sha256" id="{wid}" role="group" '
        f'aria-labelledby="{wid}-title" {MARKER} '
        f'data-differ="{e(labels["differ"])}" data-announce="{e(labels["announce"])}">'
        f'<p class="widget-title" id="{wid}-title">{e(labels["title"])}</p>'
        f'<div class="widget-static"><p class="widget-label">{e(labels["text"])}</p>'
        f'<pre class="widget-text"><code>{e(text)}</code></pre></div>'
        f'<div class="widget-live" hidden><label class="widget-label" for="{wid}-input">'
        f'{e(labels["input"])}</label><textarea class="widget-input" id="{wid}-input" rows="2" '
        f'spellcheck="false" autocomplete="off" autocapitalize="off"></textarea></div>'
        f'<p class="widget-label">{e(labels["hash"])}</p>'
        f'<p class="widget-hash"><code id="{wid}-hash">{digest}</code></p>'
        f'<p class="widget-differ" hidden></p>'
        f'<p class="widget-note">{e(labels["note"])}</p>'
        f'<p class="widget-status visually-hidden" aria-live="polite"></p>'
        "</div>"
    )


RENDERERS = {"sha256": sha256_widget}  # one per name of `WIDGETS`
