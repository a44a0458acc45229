"""Line-and-column scanning of lesson files: front matter, links, H1 headings, raw HTML.

Rendering loses source positions, so lint checks read the Markdown text directly. Code
(fenced blocks, inline code spans) and HTML comments are blanked out first, keeping every
offset and newline in place, so an example like ``<script>`` inside a code block is not
reported.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

from courses.content.sanitize import ALLOWED_TAGS, URL_SCHEMES

_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n)[\s\S]){1,4000}?)(?<!`)\1(?!`)")
_INLINE_LINK = re.compile(r"\]\([ \t]*\n?[ \t]*(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_IMAGE = re.compile(r"!\[(?:[^\]\\\n]|\\.)*\]\([ \t]*<?((?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^\s)>]*)")
_ATX_H1 = re.compile(r"^#(?!#)", re.M)
_SETEXT_H1 = re.compile(r"^=+[ \t]*$", re.M)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class FrontMatter:
    """A lesson file split into front matter and body, with where each starts."""

    front: str | None  # None when the file has no (closed) front matter block
    front_line: int  # line of the first front matter line
    body: str
    body_line: int  # line of the first body line
    problem: str | None = None  # "missing" or "unclosed"


def split_front_matter(text: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(None, 1, text, 1, "missing")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return FrontMatter(
                "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1 :]), index + 2
            )
    return FrontMatter(None, 2, "", len(lines) + 1, "unclosed")


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def mask_code(text: str) -> str:
    """Blank out fenced code, inline code spans and HTML comments, keeping offsets."""
    out: list[str] = []
    fence = ""
    for line in text.split("\n"):
        if fence:
            out.append(_blank(line))
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = ""
            continue
        opened = _FENCE_OPEN.match(line)
        if opened and not (opened.group(1)[0] == "`" and "`" in opened.group(2)):
            fence = opened.group(1)
            out.append(_blank(line))
            continue
        out.append(line)
    masked = "\n".join(out)
    masked = _COMMENT.sub(lambda m: _blank(m.group(0)), masked)
    return _CODE_SPAN.sub(lambda m: _blank(m.group(0)), masked)


@dataclass(frozen=True)
class Found:
    """Something found in a body, at an offset of the masked text."""

    kind: str  # "link", "h1", "tag", "attribute", "url"
    value: str
    offset: int


def _unwrap(url: str) -> tuple[str, int]:
    if url.startswith("<") and url.endswith(">"):
        return url[1:-1], 1
    return url, 0


def find_links(masked: str) -> list[Found]:
    """Markdown inline links and images, reference definitions, and href/src/srcset
    attributes."""
    found: list[Found] = []
    for pattern in (_INLINE_LINK, _REFERENCE):
        for match in pattern.finditer(masked):
            url, shift = _unwrap(match.group(1))
            found.append(Found("link", htmllib.unescape(url), match.start(1) + shift))
    for tag in _TAG.finditer(masked):
        for attr in _ATTRIBUTE.finditer(tag.group(2)):
            if attr.group(1).lower() in ("href", "src", "srcset") and attr.group(2):
                raw = attr.group(2)
                quoted = raw[0] in "\"'"
                value = raw[1:-1] if quoted else raw
                offset = tag.start(2) + attr.start(2) + (1 if quoted else 0)
                found.append(Found("link", htmllib.unescape(value), offset))
    return sorted(found, key=lambda f: f.offset)


def find_external_images(masked: str) -> list[Found]:
    """Images whose address is on another site: Markdown images and <img src>. Pages allow only
    the site's own images (its Content-Security-Policy), so a browser will not show them."""
    found = [Found("image", m.group(1), m.start(1)) for m in _IMAGE.finditer(masked)]
    for tag in _TAG.finditer(masked):
        if tag.group(1).lower() != "img":
            continue
        for attr in _ATTRIBUTE.finditer(tag.group(2)):
            if attr.group(1).lower() == "src" and attr.group(2):
                raw = attr.group(2)
                value = raw[1:-1] if raw[0] in "\"'" else raw
                if value.lower().startswith(("http://", "https://", "//")):
                    offset = tag.start(2) + attr.start(2) + (1 if raw[0] in "\"'" else 0)
                    found.append(Found("image", value, offset))
    return sorted(found, key=lambda f: f.offset)


def find_h1(masked: str) -> list[Found]:
    """ATX (``# Title``), setext (``Title`` over ``===``) and raw ``<h1>`` headings."""
    found = [Found("h1", "#", m.start()) for m in _ATX_H1.finditer(masked)]
    for match in _SETEXT_H1.finditer(masked):
        start = match.start()
        if start == 0:
            continue
        previous = masked[masked.rfind("\n", 0, start - 1) + 1 : start - 1]
        if previous.strip() and not previous.lstrip().startswith(("=", "#", "-", "*", ">")):
            found.append(Found("h1", "=", start))
    found += [
        Found("h1", "<h1>", m.start()) for m in _TAG.finditer(masked) if m.group(1).lower() == "h1"
    ]
    return sorted(found, key=lambda f: f.offset)


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see, after entities and control characters are removed."""
    cleaned = _CONTROL.sub("", htmllib.unescape(url))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def find_unsafe_html(masked: str, links: list[Found]) -> list[Found]:
    """Raw HTML the sanitiser will remove: unknown tags, event handlers, ``style``
    attributes, and links with schemes other than http, https and mailto."""
    found: list[Found] = []
    for tag in _TAG.finditer(masked):
        name = tag.group(1).lower()
        if name not in ALLOWED_TAGS:
            found.append(Found("tag", name, tag.start()))
        for attr in _ATTRIBUTE.finditer(tag.group(2)):
            attribute = attr.group(1).lower()
            if attribute.startswith("on") or attribute in ("style", "formaction", "srcdoc"):
                found.append(Found("attribute", attribute, tag.start(2) + attr.start(1)))
    for link in links:
        scheme = url_scheme(link.value)
        if scheme and scheme not in URL_SCHEMES:
            found.append(Found("url", scheme, link.offset))
    return sorted(found, key=lambda f: f.offset)


def position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text`` whose first line is ``first_line``."""
    line = first_line + text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return (line, col)
