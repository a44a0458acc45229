"""/api/v1/search: the catalogue's search, from the same selector as the page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from courses.api.base import Error, Language
from courses.models import Level
from courses.selectors.catalog import catalog_view

router = Router()


class SearchParams(Schema):
    q: str = ""
    lang: Language = "ky"
    level: Level | None = None
    tag: str | None = None


class FoundCourseOut(Schema):
    slug: str
    title: str
    summary: str
    url: str


class FoundLessonOut(Schema):
    course: str
    course_title: str
    item: str
    title: str
    passage_html: str
    url: str


class SearchOut(Schema):
    courses: list[FoundCourseOut]
    lessons: list[FoundLessonOut]


@router.get(
    "/search",
    response={200: SearchOut, 400: Error},
    auth=None,
    summary="Search the catalogue",
    description=(
        "Live courses offered in `lang` that match every word of `q` (titles, topics, "
        "glossary terms, descriptions and lessons), best first, and the best matching "
        "lessons with their passage: HTML-escaped text with the matches in `<mark>`."
    ),
)
def search(request: HttpRequest, params: Query[SearchParams]):
    view = catalog_view(
        language=params.lang, level=params.level or "", tag=(params.tag or "")[:63],
        query=params.q[:100],
    )  # fmt: skip
    return {
        "courses": [
            {
                "slug": card.course.slug,
                "title": card.title,
                "summary": card.summary,
                "url": card.course.get_absolute_url(),
            }
            for card in view.cards
        ]
        if params.q.strip()
        else [],
        "lessons": [
            {
                "course": hit.course_slug,
                "course_title": hit.course_title,
                "item": hit.item_key,
                "title": hit.title,
                "passage_html": hit.snippet_html,
                "url": hit.url,
            }
            for hit in view.lesson_hits
        ],
    }
