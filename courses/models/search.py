"""The search index: rows written at import, one per revision, language and searchable thing.

A row is the course itself (``item`` empty: its title, topics, tags, glossary terms and
description) or one lesson in one language. On PostgreSQL the table also has ``document``, a
stored tsvector generated from the four texts with the language's configuration (ky
``simple``, ru ``russian``, en ``english``; weights A title, B terms, C body, D extra) and a
GIN index: migration 0007 adds both, and only raw SQL in ``courses.selectors.search`` reads
them. ``folded`` is the same text folded for SQLite, which matches prefixes in it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    revision = models.ForeignKey(
        "courses.CourseRevision",
        verbose_name=_("course revision"),
        on_delete=models.CASCADE,
        related_name="search_entries",
    )
    item = models.ForeignKey(
        "courses.Item",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=300)
    terms = models.TextField(_("keywords"), blank=True)  # weight B
    body = models.TextField(_("text"), blank=True)  # weight C
    extra = models.TextField(_("more text"), blank=True)  # weight D
    folded = models.TextField(_("search text"), blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["revision", "language"], name="search_revision_language")]

    def __str__(self) -> str:
        return f"{self.revision_id}:{self.item_id or '-'} ({self.language})"
