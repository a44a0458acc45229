"""HTML sanitising with nh3 (ammonia) and an explicit allowlist.

What survives: the tags Markdown and the pymdown extensions produce (headings with ``id``,
code with Pygments classes, admonitions, details, tabs, tables, footnotes, task lists,
images, and ``<picture>`` with a ``<source>`` for an image's narrow variant). What never
survives: ``script``, ``style``, ``iframe``, ``object``, ``embed``, ``svg``, forms, event
handlers, ``style`` attributes and any URL scheme but http, https and mailto (so no
``javascript:`` or ``data:``). Links to other sites get ``rel="noopener nofollow"``.

Relative URLs (``images/chain.svg``, ``../02-blocks/``, ``#anchor``) go through an optional
``rewrite_url`` callable; it returns the URL to use, or None to drop the attribute. A
``<source>`` keeps only ``media="(max-width: 599px)"`` and a ``srcset`` of one relative URL,
which goes through ``rewrite_url`` as well: it can only name the course's own files. A
``<source>`` without that media query is removed.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from functools import partial

import nh3

from courses.content.variants import NARROW_MEDIA

UrlRewriter = Callable[[str], str | None]

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd",
        "label", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "small",
        "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "u", "ul", "var",
    }
)  # fmt: skip

# Tags removed together with everything inside them.
CLEAN_CONTENT_TAGS: frozenset[str] = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "applet", "noscript", "template",
        "svg", "math", "frameset", "frame", "noframes", "noembed", "xmp", "textarea",
        "select", "title",
    }
)  # fmt: skip

_CLASSED = (
    "code",
    "pre",
    "span",
    "div",
    "p",
    "details",
    "ul",
    "ol",
    "li",
    "a",
    "sup",
    "table",
    "blockquote",
    "input",
    "label",
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{f"h{level}": {"id"} for level in range(1, 7)},
    **{tag: {"class"} for tag in _CLASSED},
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "source": {"media", "srcset"},
    "abbr": {"title"},
    "dfn": {"title"},
    "li": {"id", "class"},
    "sup": {"id", "class"},
    "ol": {"start", "class"},
    "details": {"open", "class"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "col": {"span"},
    "input": {"type", "checked", "disabled", "id", "name", "class"},
    "label": {"for", "class"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

_TAB_ID = re.compile(r"^__tabbed_\d+(?:_\d+)?$")
_FOOTNOTE_ID = re.compile(r"^fn(?:ref\d*)?:[\w-]+$")
_CLASS_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SIZE = re.compile(r"^\d{1,4}%?$")
_ALIGN = frozenset({"left", "right", "center"})
# A start tag as html5ever serialises it: attribute values always in double quotes.
_START_TAG = r"<{tag}((?:\s+[^\s=>/\"]+(?:=\"[^\"]*\")?)*)\s*/?>"
_A_TAG = re.compile(_START_TAG.format(tag="a"))
_INPUT_TAG = re.compile(_START_TAG.format(tag="input"))
_SOURCE_TAG = re.compile(_START_TAG.format(tag="source"))
_HREF = re.compile(r'\shref="([^"]*)"')


def _keep(url: str) -> str:
    return url


def _own_file(value: str, rewrite_url: UrlRewriter) -> str | None:
    """A ``srcset`` naming one file of the course: a single relative URL (no scheme, no
    descriptor, no second candidate), rewritten like an ``src``."""
    url = value.strip()
    if not url or any(c in url for c in ":,\\") or url.startswith(("/", "#")):
        return None
    if any(c.isspace() or ord(c) < 0x20 for c in url):
        return None
    return rewrite_url(url)


def _attribute_filter(
    tag: str, attribute: str, value: str, *, rewrite_url: UrlRewriter = _keep
) -> str | None:
    if tag == "source":
        if attribute == "media":
            return NARROW_MEDIA if value.strip() == NARROW_MEDIA else None
        return _own_file(value, rewrite_url) if attribute == "srcset" else None
    if attribute == "class":
        tokens = [t for t in value.split() if _CLASS_TOKEN.match(t)]
        return " ".join(tokens) or None
    if tag == "input":
        if attribute == "type":
            return value.lower() if value.lower() in ("checkbox", "radio") else "checkbox"
        if attribute in ("id", "name"):
            return value if _TAB_ID.match(value) else None
    if tag == "label" and attribute == "for":
        return value if _TAB_ID.match(value) else None
    if tag in ("li", "sup") and attribute == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    if attribute in ("width", "height"):
        return value if _SIZE.match(value.strip()) else None
    if attribute == "align":
        return value.lower() if value.lower() in _ALIGN else None
    if attribute in ("start", "span", "colspan", "rowspan"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def is_external(url: str) -> bool:
    """True for absolute http(s) and protocol-relative URLs."""
    lowered = url.strip().lower()
    return lowered.startswith(("http://", "https://", "//"))


def _finish_link(match: re.Match[str]) -> str:
    attributes = match.group(1)
    href = _HREF.search(attributes)
    if href and is_external(htmllib.unescape(href.group(1))):
        return f'<a{attributes} rel="noopener nofollow">'
    return f"<a{attributes}>"


def _finish_source(match: re.Match[str]) -> str:
    """A <source> that lost its media query would apply at every width: it goes."""
    return match.group(0) if ' media="' in match.group(1) else ""


def _finish_input(match: re.Match[str]) -> str:
    attributes = match.group(1)
    if ' type="' not in attributes:
        # An <input> without a type is a text box: make it an inert checkbox.
        attributes += ' type="checkbox" disabled=""'
    return f"<input{attributes}>"


def sanitize_html(html: str, *, rewrite_url: UrlRewriter | None = None) -> str:
    """Clean ``html`` with the allowlist; relative URLs go through ``rewrite_url``."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=partial(_attribute_filter, rewrite_url=rewrite_url or _keep),
        strip_comments=True,
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
        url_relative=rewrite_url if rewrite_url is not None else _keep,
    )
    cleaned = _A_TAG.sub(_finish_link, cleaned)
    cleaned = _SOURCE_TAG.sub(_finish_source, cleaned)
    return _INPUT_TAG.sub(_finish_input, cleaned)


def anchors_only(url: str) -> str | None:
    """A rewriter for texts that have no folder of their own (descriptions, quiz texts,
    glossary definitions): anchors and protocol-relative links stay, other relative URLs go."""
    return url if url.startswith(("#", "//")) else None


def html_to_text(html: str) -> str:
    """The text of an HTML fragment, without tags."""
    return htmllib.unescape(nh3.clean(html, tags=set(), clean_content_tags={"script", "style"}))
