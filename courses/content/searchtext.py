"""Search text: what the index stores and how a query is read. Pure: no Django.

The same rules serve both databases. PostgreSQL stems Russian and English with its own
dictionaries and matches every query word also by a crude prefix (``word_prefix``); SQLite
has no full-text search here, so the selector matches those prefixes against ``fold``-ed text
and ranks in Python with ``rank_fields``. Kyrgyz has no stemmer anywhere: prefixes only.

Folding is casefolding with ё read as е, one character for one character, so positions in
folded text are positions in the original (``snippet_html`` relies on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

# ts_headline marks matches with these (private-use characters); they are removed from every
# indexed text, so any occurrence in a passage is a mark.
MARK_START = "\ue000"
MARK_STOP = "\ue001"

MAX_WORDS = 8  # query words used; the rest are ignored
MAX_WORD_LENGTH = 40
SUMMARY_LENGTH = 200

# Field weights, as PostgreSQL's ts_rank defaults: A title, B terms, C body, D extra.
WEIGHTS = {"title": 1.0, "terms": 0.4, "body": 0.2, "extra": 0.1}

_WORD = re.compile(r"[^\W_]+")
_UNWANTED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{MARK_START}{MARK_STOP}]")
_SPACES = re.compile(r"\s+")
_EN_ENDINGS = ("ing", "ies", "ed", "es", "s")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "ёЁ":
        return "е"
    folded = char.casefold()
    return folded if len(folded) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Casefolded, ё as е, the same length as ``text``."""
    return "".join(_fold_char(char) for char in text)


def clean(text: str) -> str:
    """``text`` without control characters or marks, its white space collapsed."""
    return _SPACES.sub(" ", _UNWANTED.sub(" ", text)).strip()


def query_words(query: str) -> list[str]:
    """The folded words of a query, each once, in order: letters and digits only, two or
    more of them (a single letter would match every word it begins)."""
    words: list[str] = []
    for word in _WORD.findall(fold(query)):
        word = word[:MAX_WORD_LENGTH]
        if len(word) > 1 and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def word_prefix(word: str, language: str) -> str:
    """What a word of a query must begin a word of the text with: a crude ending strip.

    English loses one common suffix ("hashing" -> "hash"). Kyrgyz loses its common endings
    ("капчыктарды" -> "капчык"), or a word without one its last letter (an ending may change
    it: "капчык", "капчыгы"). Russian endings change the stem too ("кошелёк", "кошельки"): a
    short word keeps three letters, a longer one loses up to three.
    """
    if language == "en":
        for ending in _EN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
        return word
    if language == "ky":
        stem = _kyrgyz_stem(word)
        if stem != word:
            return stem
        return word if len(word) <= 4 else word[: max(4, len(word) - 1)]
    if len(word) <= 3:
        return word
    if len(word) <= 5:
        return word[:3]
    return word[: max(5, len(word) - 3)]


def _variants(*forms: str) -> tuple[str, ...]:
    """Every vowel-harmony variant of suffixes written with "ы" (ы, и, у, ү) or "а" (а, е,
    о, ө)."""
    out: list[str] = []
    for form in forms:
        vowels = "ыиуү" if "ы" in form else "аеоө" if "а" in form else ""
        source = "ы" if "ы" in form else "а"
        out += [form.replace(source, vowel) for vowel in vowels] if vowels else [form]
    return tuple(out)


# Kyrgyz endings, longest first: possessive, plural and case endings (with their voiced and
# unvoiced first consonants). A light strip, not a stemmer: enough for "капчыктарды" to
# search as "капчык".
_KY_SUFFIXES = tuple(
    sorted(
        set(
            _variants(
                "ыңыз", "ңыз", "ыбыз", "быз", "ым", "ың", "сы",
                "лар", "дар", "тар",
                "нын", "дын", "тын", "ны", "ды", "ты",
                "га", "ка", "да", "та", "дан", "тан", "нан",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
_KY_VOICED = {"г": "к", "б": "п", "ғ": "к"}


def _kyrgyz_stem(word: str) -> str:
    """``word`` without up to three Kyrgyz endings, keeping at least three letters; a stem
    voiced before an ending that starts with a vowel is unvoiced again ("капчыгы" ->
    "капчык")."""
    for _round in range(3):
        for suffix in _KY_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                if suffix[0] in "ыиуүаеоө" and word[-1] in _KY_VOICED:
                    word = word[:-1] + _KY_VOICED[word[-1]]
                break
        else:
            break
    return word


def _starts_word(prefix: str) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + re.escape(prefix) + r"[^\W_]*")


def rank_fields(fields: dict[str, str], prefixes: list[str]) -> float | None:
    """A score for folded ``fields`` (keys of WEIGHTS) in which every prefix begins a word;
    None when one does not. Each prefix counts with its best field, a little more per
    further mention, so a title match ranks before any number of mentions in the body."""
    score = 0.0
    for prefix in prefixes:
        pattern = _starts_word(prefix)
        best, mentions = 0.0, 0
        for name, text in fields.items():
            found = len(pattern.findall(text))
            if found:
                best = max(best, WEIGHTS[name])
                mentions += found
        if not best:
            return None
        score += best + 0.01 * min(mentions - 1, 10)
    return score


def snippet_html(text: str, prefixes: list[str], width: int = 200) -> str:
    """About ``width`` characters of ``text`` around its first match, cut at words and
    escaped, with every word a prefix begins in <mark>."""
    if not text:
        return ""
    folded = fold(text)
    patterns = [_starts_word(p) for p in prefixes]
    starts = [m.start() for p in patterns if (m := p.search(folded))]
    first = min(starts) if starts else 0
    begin = max(0, first - width // 3)
    end = min(len(text), begin + width)
    if begin > 0:
        space = text.find(" ", begin, first) if first > begin else -1
        begin = space + 1 if space >= 0 else begin
    if end < len(text):
        space = text.rfind(" ", max(first, begin), end)
        end = space if space > begin else end
    spans = sorted(
        {(m.start(), m.end()) for pattern in patterns for m in pattern.finditer(folded, begin, end)}
    )
    parts: list[str] = ["… " if begin > 0 else ""]
    cursor = begin
    for start, stop in spans:
        if start < cursor:
            continue
        parts += [escape(text[cursor:start]), "<mark>", escape(text[start:stop]), "</mark>"]
        cursor = stop
    parts.append(escape(text[cursor:end]))
    parts.append(" …" if end < len(text) else "")
    return "".join(parts)


def headline_html(headline: str) -> str:
    """A passage from PostgreSQL's ts_headline (matches between MARK_START and MARK_STOP),
    escaped, with the matches in <mark>."""
    return escape(headline.strip()).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")


def summary_text(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The beginning of ``text``, at most ``length`` characters, cut at a word."""
    text = text.strip()
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.—–-") + "…"


_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
    "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip


_STOPS = ".!?:;…·"


def join_sentences(parts: list[str]) -> str:
    """``parts`` as running text: a part that does not end a sentence is followed by " · ",
    so a heading or a list item does not run into the next one in a passage."""
    joined = ""
    for part in parts:
        part = clean(part)
        if not part:
            continue
        if joined:
            joined += " " if joined[-1] in _STOPS else " · "
        joined += part
    return joined


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def _break(self) -> None:
        self.blocks.append("".join(self.current))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "template"):
            self.skip += 1
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)


def plain_text(html: str) -> str:
    """The text of sanitised HTML, its blocks kept apart (see ``join_sentences``)."""
    if not html:
        return ""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._break()
    return join_sentences(parser.blocks)


@dataclass(frozen=True)
class EntryText:
    """One row of the index: the course itself (``item_key`` None) or one lesson, in one
    language."""

    item_key: str | None
    language: str
    title: str
    terms: str
    body: str
    extra: str

    @property
    def folded(self) -> str:
        """Everything folded, one field a line: what SQLite matches."""
        return fold("\n".join((self.title, self.terms, self.body, self.extra)))


@dataclass(frozen=True)
class LessonSource:
    key: str
    language: str
    title: str
    summary: str
    html: str
    keywords: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()


def _text(value: object) -> str:
    return clean(value) if isinstance(value, str) else ""


def _names(mapping: object, language: str) -> str:
    return _text(mapping.get(language)) if isinstance(mapping, dict) else ""


def revision_entries(
    *,
    languages: list[str],
    title: dict,
    description_html: dict,
    tags: list[str],
    topic_names: object,
    glossary: list[tuple[dict, dict]],
    quiz_titles: list[dict],
    lessons: list[LessonSource],
) -> list[EntryText]:
    """The index rows of one revision: per language in which the course has a title, each
    lesson written in that language (title; keywords; summary, objectives and text) and the
    course (title; topics, tags and glossary terms; description; glossary definitions and
    quiz titles). The glossary belongs to the whole repository, so a course gets only the
    terms its description or lessons mention in that language. ``topic_names`` is
    ``{tag: {language: name}}``, read defensively."""
    topics = topic_names if isinstance(topic_names, dict) else {}
    entries: list[EntryText] = []
    for language in languages:
        course_title = _names(title, language)
        if not course_title:
            continue
        description = plain_text(_names(description_html, language))
        lesson_entries = [
            EntryText(
                item_key=lesson.key,
                language=language,
                title=_text(lesson.title),
                terms=" · ".join(_text(k) for k in lesson.keywords if _text(k)),
                body=join_sentences(
                    [_text(part) for part in (lesson.summary, *lesson.objectives)]
                    + [plain_text(lesson.html)]
                ),
                extra="",
            )
            for lesson in lessons
            if lesson.language == language
        ]
        mentioned = fold(" ".join([description, *(e.folded for e in lesson_entries)]))
        used = [
            (_names(term, language), definition)
            for term, definition in glossary
            if _names(term, language) and _mentions(mentioned, fold(_names(term, language)))
        ]
        terms = [_names(topics.get(tag), language) for tag in tags]
        terms += [_text(tag) for tag in tags]
        terms += [term for term, _definition in used]
        extra = [plain_text(_names(definition, language)) for _term, definition in used]
        extra += [_names(quiz_title, language) for quiz_title in quiz_titles]
        entries.append(
            EntryText(
                item_key=None,
                language=language,
                title=course_title,
                terms=" · ".join(t for t in terms if t),
                body=description,
                extra=" · ".join(t for t in extra if t),
            )
        )
        entries += lesson_entries
    return entries


def _mentions(folded_text: str, folded_term: str) -> bool:
    """``folded_text`` has ``folded_term`` as whole words (the term's own form, or the start of
    a longer word: "хеш" in "хеши")."""
    return re.search(r"(?<![^\W_])" + re.escape(folded_term), folded_text) is not None
