"""Published course content.

Identity and content are separate. `Course` and `Item` are the stable, language-neutral
identities that learners' progress points at (course slug, item id). Everything an import
brings lives in a `CourseRevision`: its modules, the items' place, minutes and quiz keys
(`RevisionItem`), the texts per language (`ItemText`) and the glossary. Publishing a
revision is moving `Course.live_revision`; a preview is a revision that is not live.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.content import pick_text


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class ItemType(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    QUIZ = "quiz", _("Quiz")
    LAB = "lab", _("Lab")


class Course(models.Model):
    slug = models.SlugField(_("slug"), max_length=63, unique=True)
    source = models.ForeignKey(
        "courses.CourseSource",
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
    )
    live_revision = models.OneToOneField(
        "courses.CourseRevision",
        verbose_name=_("live revision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_for",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("courses:course-detail", kwargs={"slug": self.slug})


class CourseRevision(models.Model):
    """One import of a course at one commit. Immutable once written."""

    # Names the revision wherever its data is cached. Database ids recur (a rolled-back
    # transaction, a restored backup, a flushed database); a random id never names other content.
    uid = models.UUIDField(_("unique id"), default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="revisions"
    )
    import_run = models.ForeignKey(
        "courses.ImportRun",
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
    )
    commit = models.CharField(_("commit"), max_length=64, blank=True)
    ref = models.CharField(_("ref"), max_length=255, blank=True)
    is_preview = models.BooleanField(_("preview"), default=False)
    content_hash = models.CharField(_("content hash"), max_length=64)
    languages = models.JSONField(_("languages"), default=list)
    default_language = models.CharField(_("default language"), max_length=8)
    title = models.JSONField(_("title"), default=dict)
    description_html = models.JSONField(_("description"), default=dict)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=0)
    tags = models.JSONField(_("tags"), default=list)
    # {tag: {language: name}}: the topics' names as the author wrote them per language.
    topic_names = models.JSONField(_("topic names"), default=dict, blank=True)
    # {language: [text, ...]}: "what you will learn", shown on the course page.
    objectives = models.JSONField(_("objectives"), default=dict, blank=True)
    pass_threshold = models.PositiveSmallIntegerField(_("pass threshold"), default=70)
    certificate = models.JSONField(_("certificate requirements"), default=dict)
    cover = models.ForeignKey(
        "courses.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coverage = models.JSONField(_("items per language"), default=dict)
    search_text = models.JSONField(_("search text"), default=dict)
    lesson_count = models.PositiveIntegerField(_("lessons"), default=0)
    quiz_count = models.PositiveIntegerField(_("quizzes"), default=0)
    lab_count = models.PositiveIntegerField(_("labs"), default=0)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("course revision")
        verbose_name_plural = _("course revisions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["course", "commit"])]

    def __str__(self) -> str:
        return f"{self.course_id}@{self.commit[:10] or '-'}"

    def title_in(self, language: str) -> tuple[str, str | None]:
        text, used = pick_text(self.title, language)
        return text or "", used

    def topics_in(self, language: str) -> list[tuple[str, str]]:
        """``(topic id, name)`` of each tag, named in ``language``, else in the default
        language, else by its id."""
        topics = []
        for tag in self.tags:
            names = self.topic_names.get(tag) or {}
            topics.append((tag, names.get(language) or names.get(self.default_language) or tag))
        return topics

    def objectives_in(self, language: str) -> list[str]:
        """The objectives ("what you will learn") in ``language``, else in the default
        language."""
        return list(
            self.objectives.get(language) or self.objectives.get(self.default_language) or []
        )

    @property
    def item_count(self) -> int:
        return self.lesson_count + self.quiz_count + self.lab_count

    def is_complete_in(self, language: str) -> bool:
        """Every item has its own text in ``language`` (no fallback anywhere)."""
        return self.coverage.get(language, 0) >= self.item_count


# A revision's long texts (its description and search text in every language): what a page
# that needs only titles leaves out.
REVISION_TEXT_FIELDS = ("description_html", "search_text")


def revision_text_fields(path: str) -> tuple[str, ...]:
    """REVISION_TEXT_FIELDS under the ``select_related`` path ``path``, for ``defer()``."""
    return tuple(f"{path}__{field}" for field in REVISION_TEXT_FIELDS)


class Module(models.Model):
    revision = models.ForeignKey(CourseRevision, on_delete=models.CASCADE, related_name="modules")
    key = models.CharField(_("id"), max_length=63)
    position = models.PositiveIntegerField(_("position"))
    title = models.JSONField(_("title"), default=dict)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="module_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key


class Item(models.Model):
    """A lesson, quiz or lab of a course by its id; progress points here, so it never
    moves."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.CharField(_("id"), max_length=63)
    type = models.CharField(_("type"), max_length=8, choices=ItemType.choices)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["course", "key"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="item_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.key}"


class RevisionItem(models.Model):
    """An item's place and settings in one revision; a quiz's or lab's answer key lives
    here."""

    revision = models.ForeignKey(
        CourseRevision, on_delete=models.CASCADE, related_name="revision_items"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revision_items")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="revision_items")
    position = models.PositiveIntegerField(_("position"))
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500)
    quiz = models.JSONField(_("quiz"), null=True, blank=True)  # settings, questions, answers
    lab = models.JSONField(_("lab"), null=True, blank=True)  # texts, parameters, answer key

    class Meta:
        verbose_name = _("item in a revision")
        verbose_name_plural = _("items in a revision")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "item"], name="revision_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.revision_id}:{self.item_id}"


class ItemText(models.Model):
    """A lesson's or quiz's text in one language, rendered and sanitised at import."""

    revision_item = models.ForeignKey(RevisionItem, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    toc = models.JSONField(_("table of contents"), default=list)
    objectives = models.JSONField(_("objectives"), default=list)
    keywords = models.JSONField(_("keywords"), default=list)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    reading_minutes = models.PositiveIntegerField(_("reading minutes"), default=0)
    source_hash = models.CharField(_("source hash"), max_length=64, blank=True, db_index=True)
    render_key = models.CharField(_("render key"), max_length=64, blank=True)
    # Where the text stands against the default language's, worked out from Git at import
    # (`courses.content.translations.TextStatus.as_json`): its last commit; for a text older
    # than the default language's, that one's commit and a short diff. {} when not known.
    translation = models.JSONField(_("translation status"), default=dict, blank=True)

    class Meta:
        verbose_name = _("item text")
        verbose_name_plural = _("item texts")
        constraints = [
            models.UniqueConstraint(
                fields=["revision_item", "language"], name="item_text_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class GlossaryTerm(models.Model):
    revision = models.ForeignKey(
        CourseRevision, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    key = models.CharField(_("id"), max_length=63)
    term = models.JSONField(_("term"), default=dict)
    definition_html = models.JSONField(_("definition"), default=dict)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="glossary_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key


class Asset(models.Model):
    """A file from a course repository, stored once by content hash, served immutably."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    media_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.CheckConstraint(condition=~Q(media_type=""), name="asset_has_media_type"),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.media_type})"
