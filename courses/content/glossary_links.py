"""Linking glossary terms in rendered lesson HTML, once, at import.

The first mention of each term in a lesson's running text becomes a link to the term's page.
Text inside links, code, headings and buttons is left alone, so the function is idempotent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "button", "label", "summary"}
VOID = {"br", "hr", "img", "input", "wbr", "col", "area", "source"}


class _Linker(HTMLParser):
    def __init__(self, patterns: list[tuple[re.Pattern[str], str, str]], href) -> None:
        super().__init__(convert_charrefs=False)
        self.patterns = patterns
        self.href = href
        self.out: list[str] = []
        self.skip_depth = 0
        self.linked: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "glossary-link":
            self.linked.update(  # linked by an earlier run: keep it the only link
                key for _pattern, key, _title in self.patterns
                if self.href(key) == attributes.get("href")
            )  # fmt: skip
        if tag in SKIP and tag not in VOID:
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in SKIP and self.skip_depth:
            self.skip_depth -= 1

    def handle_data(self, data):
        if self.skip_depth:
            self.out.append(data)
            return
        self.out.append(self._link(data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def _link(self, text: str) -> str:
        for pattern, key, title in self.patterns:
            if key in self.linked:
                continue
            match = pattern.search(text)
            if match:
                self.linked.add(key)
                before, word, after = text[: match.start()], match.group(0), text[match.end() :]
                link = (
                    f'<a class="glossary-link" href="{html.escape(self.href(key))}" '
                    f'title="{html.escape(title)}">{word}</a>'
                )
                return self._link(before) + link + self._link(after)
        return text


def link_glossary_terms(html_text: str, terms: Iterable[tuple[str, str]], *, href) -> str:
    """Link the first mention of each ``(key, term)`` in ``html_text`` to ``href(key)``.

    Longer terms are tried first ("private key" before "key"); matching ignores case and
    needs word boundaries, Cyrillic included.
    """
    patterns = [
        (re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE), key, term)
        for key, term in sorted(terms, key=lambda pair: -len(pair[1]))
        if term.strip()
    ]
    if not patterns or not html_text:
        return html_text
    linker = _Linker(patterns, href)
    linker.feed(html_text)
    linker.close()
    return "".join(linker.out)
