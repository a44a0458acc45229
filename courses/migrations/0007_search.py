"""The search index (courses.models.search.SearchEntry).

On PostgreSQL the table also gets ``document``, a stored tsvector generated from the texts
with the row's language's configuration and weights, and a GIN index on it; nothing there
needs an extension. On SQLite the table alone is enough. Revisions imported before this
migration are indexed by it (the live ones; ``manage.py reindex_search`` does the rest).
"""

import django.db.models.deletion
from django.db import migrations, models

CONFIG = (
    "CASE language WHEN 'ru' THEN 'russian'::regconfig WHEN 'en' THEN 'english'::regconfig "
    "ELSE 'simple'::regconfig END"
)
DOCUMENT = " || ".join(
    f"setweight(to_tsvector({CONFIG}, translate({column}, 'ёЁ', 'еЕ')), '{weight}')"
    for column, weight in (("title", "A"), ("terms", "B"), ("body", "C"), ("extra", "D"))
)
POSTGRESQL_FORWARD = [
    f"ALTER TABLE courses_searchentry ADD COLUMN document tsvector "
    f"GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX courses_searchentry_document ON courses_searchentry USING gin (document)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS courses_searchentry_document",
    "ALTER TABLE courses_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


def index_live_revisions(apps, schema_editor):
    """The index of every live revision, from its stored texts (the historical models)."""
    from courses.content.searchtext import LessonSource, revision_entries

    Course = apps.get_model("courses", "Course")
    ItemText = apps.get_model("courses", "ItemText")
    GlossaryTerm = apps.get_model("courses", "GlossaryTerm")
    SearchEntry = apps.get_model("courses", "SearchEntry")
    for course in Course.objects.filter(live_revision__isnull=False).select_related(
        "live_revision"
    ):
        revision = course.live_revision
        items, lessons, quizzes = {}, [], {}
        for text in ItemText.objects.filter(revision_item__revision=revision).select_related(
            "revision_item__item"
        ):
            item = text.revision_item.item
            items[item.key] = item.pk
            if item.type == "quiz":
                quizzes.setdefault(item.key, {})[text.language] = text.title
                continue
            lessons.append(
                LessonSource(
                    key=item.key, language=text.language, title=text.title,
                    summary=text.summary, html=text.html,
                    keywords=tuple(k for k in text.keywords or () if isinstance(k, str)),
                    objectives=tuple(o for o in text.objectives or () if isinstance(o, str)),
                )
            )  # fmt: skip
        entries = revision_entries(
            languages=list(revision.languages),
            title=revision.title,
            description_html=revision.description_html,
            tags=[tag for tag in revision.tags if isinstance(tag, str)],
            topic_names=revision.topic_names,
            glossary=list(
                GlossaryTerm.objects.filter(revision=revision).values_list(
                    "term", "definition_html"
                )
            ),
            quiz_titles=list(quizzes.values()),
            lessons=lessons,
        )
        SearchEntry.objects.filter(revision=revision).delete()
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    revision=revision, item_id=items[e.item_key] if e.item_key else None,
                    language=e.language, title=e.title[:300], terms=e.terms, body=e.body,
                    extra=e.extra, folded=e.folded,
                )
                for e in entries
            ]
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_revision_topics_objectives"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("terms", models.TextField(blank=True, verbose_name="keywords")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("extra", models.TextField(blank=True, verbose_name="more text")),
                ("folded", models.TextField(blank=True, verbose_name="search text")),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courses.item",
                        verbose_name="item",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_entries",
                        to="courses.courserevision",
                        verbose_name="course revision",
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "indexes": [
                    models.Index(fields=["revision", "language"], name="search_revision_language")
                ],
            },
        ),
        migrations.RunPython(_run(POSTGRESQL_FORWARD), _run(POSTGRESQL_BACKWARD)),
        migrations.RunPython(index_live_revisions, migrations.RunPython.noop),
    ]
