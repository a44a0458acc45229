"""Writing the search index of a revision: at import, and again on `manage.py reindex_search`."""

from __future__ import annotations

from django.db import transaction

from courses.content.searchtext import LessonSource, revision_entries
from courses.models import CourseRevision, GlossaryTerm, ItemText, ItemType, SearchEntry


@transaction.atomic
def search_index_write(*, revision: CourseRevision) -> int:
    """Replace the search rows of ``revision`` with rows made from its stored texts: the
    course in each language it has a title in, and each lesson in each language it is
    written in. Returns the number of rows."""
    texts = list(
        ItemText.objects.filter(revision_item__revision=revision)
        .order_by("revision_item__position", "language")
        .values_list(
            "revision_item__item_id", "revision_item__item__key", "revision_item__item__type",
            "language", "title", "summary", "html", "keywords", "objectives",
        )
    )  # fmt: skip
    item_ids = {key: item_id for item_id, key, *_rest in texts}
    quiz_titles: dict[str, dict[str, str]] = {}
    lessons: list[LessonSource] = []
    for _id, key, type_, language, title, summary, html, keywords, objectives in texts:
        if type_ != ItemType.LESSON:  # a quiz or a lab: its title only
            quiz_titles.setdefault(key, {})[language] = title
            continue
        lessons.append(
            LessonSource(
                key=key, language=language, title=title, summary=summary, html=html,
                keywords=tuple(k for k in keywords or () if isinstance(k, str)),
                objectives=tuple(o for o in objectives or () if isinstance(o, str)),
            )
        )  # fmt: skip
    entries = revision_entries(
        languages=list(revision.languages),
        title=revision.title,
        description_html=revision.description_html,
        tags=[tag for tag in revision.tags if isinstance(tag, str)],
        topic_names=getattr(revision, "topic_names", None),
        glossary=list(
            GlossaryTerm.objects.filter(revision=revision)
            .order_by("key")
            .values_list("term", "definition_html")
        ),
        quiz_titles=list(quiz_titles.values()),
        lessons=lessons,
    )
    SearchEntry.objects.filter(revision=revision).delete()
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                revision=revision,
                item_id=item_ids[entry.item_key] if entry.item_key else None,
                language=entry.language,
                title=entry.title[:300],
                terms=entry.terms,
                body=entry.body,
                extra=entry.extra,
                folded=entry.folded,
            )
            for entry in entries
        ]
    )
    return len(entries)


def search_index_rebuild(*, every_revision: bool = False) -> int:
    """Rewrite the index of every live revision (of every stored revision with
    ``every_revision``), one transaction per revision. Returns how many were indexed."""
    revisions = CourseRevision.objects.order_by("pk")
    if not every_revision:
        revisions = revisions.filter(live_for__isnull=False)
    count = 0
    for revision in revisions.iterator(chunk_size=50):
        search_index_write(revision=revision)
        count += 1
    return count
