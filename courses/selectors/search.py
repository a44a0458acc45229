"""Catalogue search: live courses ranked for a query, and the lessons it finds with their
matching passage, in one database query.

PostgreSQL searches the stored tsvectors of the index (``courses.models.search``): each query
word, folded (ё as е), matches as the language's stem or as its crude prefix
(``courses.content.searchtext.word_prefix``), both as prefixes, every word required; ts_rank
weighs title A, terms B, body C, extra D; ts_headline cuts the passage of the returned
lessons only. SQLite narrows the rows with LIKE on the folded text and ranks them in Python
by the same rules. A course scores its own row's rank plus half its best lesson's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.urls import reverse

from courses.content.searchtext import (
    MARK_START,
    MARK_STOP,
    fold,
    headline_html,
    query_words,
    rank_fields,
    snippet_html,
    word_prefix,
)
from courses.models import SearchEntry
from courses.selectors.prepared import prepared_rows
from lms.memo import Memo

CONFIGS = {"ky": "simple", "ru": "russian", "en": "english"}
MAX_LESSON_HITS = 10
LESSON_SHARE = 0.5  # of a course's best lesson rank, added to the course's own
HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=35, MinWords=15, ShortWord=2, "
    "MaxFragments=1"
)


@dataclass(frozen=True)
class LessonHit:
    course_slug: str
    course_title: str
    item_key: str
    title: str
    snippet_html: str  # escaped, the matches in <mark>
    rank: float = 0.0

    @property
    def url(self) -> str:
        return reverse(
            "courses:item-detail", kwargs={"slug": self.course_slug, "key": self.item_key}
        )


@dataclass(frozen=True)
class SearchResults:
    words: list[str]  # the query's words as searched; empty: nothing to search for
    course_ids: list[int] = field(default_factory=list)  # best first
    lesson_hits: list[LessonHit] = field(default_factory=list)  # best first


def search(language: str, query: str, level: str = "", tag: str = "") -> SearchResults:
    """Live courses offered in ``language`` that match every word of ``query`` (in their own
    row or a lesson's), best first, and the best lessons with their passage."""
    words = query_words(query)
    if not words:
        return SearchResults(words=[])
    if connection.vendor == "postgresql":
        return _postgresql(language, words, level, tag)
    return _fallback(language, words, level, tag)


# Results of recent searches, in this process, by language, words, filters and the live
# revisions searched (a new revision is another key, so nothing stale is ever returned). The
# words a learner types repeat ("биткоин", "hash"): each is searched once per set of live
# revisions instead of on every page (docs/performance.md).
MEMO_SIZE = 512
_memo: Memo[SearchResults] = Memo(MEMO_SIZE)


def search_memo(
    language: str, query: str, *, level: str = "", tag: str = "", revisions: tuple
) -> SearchResults:
    """`search`, remembered for ``revisions`` (the live courses' ids and revision uids)."""
    key = (language, tuple(query_words(query)), level, tag, revisions)
    return _memo.get_or_build(key, lambda: search(language, query, level=level, tag=tag))


def _tsquery(language: str, words: list[str]) -> tuple[str, list[str]]:
    """Every word as the language's stem (not a stop word) or its crude prefix, both as
    prefixes, all of them required. The words are letters and digits, passed as parameters."""
    config = CONFIGS.get(language, "simple")
    parts: list[str] = []
    params: list[str] = []
    for word in words:
        stem = "to_tsquery(%s::regconfig, quote_literal(%s) || ':*')"
        parts.append(
            f"(CASE WHEN numnode({stem}) = 0 THEN ''::tsquery "
            f"ELSE {stem} || to_tsquery('simple', quote_literal(%s) || ':*') END)"
        )
        params += [config, word, config, word, word_prefix(word, language)]
    return " && ".join(parts), params


def _postgresql(language: str, words: list[str], level: str, tag: str) -> SearchResults:
    tsquery, params = _tsquery(language, words)
    filters = ""
    filter_params: list[str] = []
    if level:
        filters += " AND r.level = %s"
        filter_params.append(level)
    if tag:
        filters += " AND r.tags @> %s::jsonb"
        filter_params.append(json.dumps([tag]))
    # Only fixed fragments are formatted in; every value is a parameter.
    sql = f"""
        WITH q AS (SELECT {tsquery} AS query),
        matched AS (
            SELECT e.id, e.item_id, e.title, e.body, r.course_id,
                   r.title ->> %s AS course_title,
                   ts_rank('{{0.1, 0.2, 0.4, 1.0}}', e.document, q.query) AS rank
            FROM courses_searchentry e
            JOIN courses_course c ON c.live_revision_id = e.revision_id
            JOIN courses_courserevision r ON r.id = e.revision_id
            CROSS JOIN q
            WHERE e.language = %s AND e.document @@ q.query
              AND (r.title ->> %s) IS NOT NULL{filters}
        ),
        lessons AS (
            SELECT * FROM matched WHERE item_id IS NOT NULL ORDER BY rank DESC, id LIMIT %s
        )
        SELECT NULL, course_id,
               COALESCE(MAX(rank) FILTER (WHERE item_id IS NULL), 0)
               + %s * COALESCE(MAX(rank) FILTER (WHERE item_id IS NOT NULL), 0),
               NULL, NULL, NULL, NULL
        FROM matched GROUP BY course_id
        UNION ALL
        SELECT c.slug, l.course_id, l.rank, l.course_title, i.key, l.title,
               ts_headline(%s::regconfig, translate(l.body, 'ёЁ', 'еЕ'), q.query, %s)
        FROM lessons l
        JOIN courses_item i ON i.id = l.item_id
        JOIN courses_course c ON c.id = l.course_id
        CROSS JOIN q
    """  # noqa: S608
    all_params = [
        *params, language, language, language, *filter_params, MAX_LESSON_HITS, LESSON_SHARE,
        CONFIGS.get(language, "simple"), HEADLINE,
    ]  # fmt: skip
    rows = prepared_rows(sql, all_params)
    courses: list[tuple[float, int]] = []
    hits: list[LessonHit] = []
    for slug, course_id, rank, course_title, key, title, headline in rows:
        if slug is None:
            courses.append((float(rank), course_id))
            continue
        hits.append(
            LessonHit(
                course_slug=slug, course_title=course_title, item_key=key, title=title,
                snippet_html=headline_html(headline or ""), rank=float(rank),
            )
        )  # fmt: skip
    return _results(words, courses, hits)


def _results(
    words: list[str], courses: list[tuple[float, int]], hits: list[LessonHit]
) -> SearchResults:
    courses.sort(key=lambda scored: (-scored[0], scored[1]))
    hits.sort(key=lambda hit: (-hit.rank, hit.course_slug, hit.item_key))
    return SearchResults(
        words=words,
        course_ids=[course_id for _score, course_id in courses],
        lesson_hits=hits[:MAX_LESSON_HITS],
    )


def _fallback(language: str, words: list[str], level: str, tag: str) -> SearchResults:
    """SQLite: rows whose folded text contains every prefix, ranked here."""
    prefixes = [word_prefix(word, language) for word in words]
    rows = SearchEntry.objects.filter(
        *[Q(folded__contains=prefix) for prefix in prefixes],
        language=language,
        revision__live_for__isnull=False,
    )
    if level:
        rows = rows.filter(revision__level=level)
    best: dict[int, float] = {}
    lessons: dict[int, float] = {}
    found: list[tuple[float, str, str, str, str, str]] = []
    columns = (
        "item__key", "revision__course_id", "revision__course__slug", "revision__title",
        "revision__tags", "title", "terms", "body", "extra",
    )  # fmt: skip
    for (
        item_key,
        course_id,
        slug,
        course_title,
        tags,
        title,
        terms,
        body,
        extra,
    ) in rows.values_list(*columns):
        if language not in course_title or (tag and tag not in tags):
            continue
        fields = {"title": title, "terms": terms, "body": body, "extra": extra}
        rank = rank_fields({name: fold(text) for name, text in fields.items()}, prefixes)
        if rank is None:  # a prefix inside a word, not at its start
            continue
        if item_key is None:
            best[course_id] = max(best.get(course_id, 0.0), rank)
            continue
        lessons[course_id] = max(lessons.get(course_id, 0.0), rank)
        found.append((rank, slug, course_title[language], item_key, title, body))
    found.sort(key=lambda hit: (-hit[0], hit[1], hit[3]))
    hits = [
        LessonHit(
            course_slug=slug, course_title=course_title, item_key=key, title=title,
            snippet_html=snippet_html(body, prefixes), rank=rank,
        )
        for rank, slug, course_title, key, title, body in found[:MAX_LESSON_HITS]
    ]  # fmt: skip
    courses = [
        (best.get(course_id, 0.0) + LESSON_SHARE * lessons.get(course_id, 0.0), course_id)
        for course_id in best.keys() | lessons.keys()
    ]
    return _results(words, courses, hits)
