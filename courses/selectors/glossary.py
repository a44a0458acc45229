"""The site-wide glossary: every term of every live course, in alphabetical order."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F

from courses.content import pick_text
from courses.content.alphabets import OTHER, index_letter, sort_key
from courses.models import GlossaryTerm


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    language: str  # the language ``term`` is written in: the page's, or its fallback
    key: str
    course_slug: str
    course_title: str
    course_language: str


@dataclass
class GlossaryLetter:
    letter: str
    entries: list[GlossaryEntry] = field(default_factory=list)


def glossary_index(*, language: str) -> list[GlossaryLetter]:
    """Every term of every live course, each in ``language`` (or its fallback), in the
    alphabetical order of ``language`` and grouped under its first letter. One query."""
    rows = (
        GlossaryTerm.objects.filter(revision__course__live_revision_id=F("revision_id"))
        .values_list("key", "term", "revision__course__slug", "revision__title")
        .order_by()
    )
    entries: list[tuple[tuple, GlossaryEntry]] = []
    for key, term_texts, slug, course_titles in rows:
        term, used = pick_text(term_texts or {}, language)
        if not term or used is None:
            continue
        title, title_language = pick_text(course_titles or {}, language)
        entry = GlossaryEntry(
            term=term,
            language=used,
            key=key,
            course_slug=slug,
            course_title=title or slug,
            course_language=title_language or language,
        )
        entries.append(((sort_key(term, language), sort_key(entry.course_title, language)), entry))
    entries.sort(key=lambda pair: pair[0])
    letters: list[GlossaryLetter] = []
    for _key, entry in entries:
        letter = index_letter(entry.term, language)
        if not letters or letters[-1].letter != letter:
            letters.append(GlossaryLetter(letter=letter))
        letters[-1].entries.append(entry)
    return _other_last(letters)


def _other_last(letters: list[GlossaryLetter]) -> list[GlossaryLetter]:
    """Words under no letter (digits, signs) mostly sort after every letter already; merge
    their groups into one at the end (a word that starts with a dash sorts first)."""
    kept = [group for group in letters if group.letter != OTHER]
    other = [entry for group in letters if group.letter == OTHER for entry in group.entries]
    return [*kept, GlossaryLetter(letter=OTHER, entries=other)] if other else kept
