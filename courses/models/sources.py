"""Where courses come from (a Git repository) and the history of every import."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class CourseSource(models.Model):
    """A Git repository whose pushes to one branch publish its courses."""

    name = models.SlugField(
        _("name"), max_length=63, unique=True, help_text=_("Used in the webhook address.")
    )
    repository_url = models.CharField(
        _("repository URL"),
        max_length=500,
        help_text=_("A Git URL (https://, ssh://, file://) or a path on the server."),
    )
    branch = models.CharField(_("branch"), max_length=255, default="main")
    secret = models.CharField(
        _("webhook secret"),
        max_length=255,
        default=_new_secret,
        help_text=_("Paste it into the webhook settings of GitHub, GitLab or Gitea."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    previews = models.BooleanField(
        _("previews of other branches"),
        default=True,
        help_text=_(
            "A push to any other branch builds a preview that only staff and the source's "
            "maintainers can open, and its address is e-mailed to the commit's author."
        ),
    )
    maintainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maintainers"),
        blank=True,
        related_name="maintained_sources",
        help_text=_("Authors who may see the translation status of this source's courses."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("course source")
        verbose_name_plural = _("course sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_webhook_path(self) -> str:
        return reverse("git-webhook", kwargs={"source": self.name})


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        UNCHANGED = "unchanged", _("Unchanged")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused")

    class Trigger(models.TextChoices):
        COMMAND = "command", _("Command line")
        WEBHOOK = "webhook", _("Push")
        ADMIN = "admin", _("Administrator")

    source = models.ForeignKey(
        CourseSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
    )
    location = models.CharField(_("repository"), max_length=500)
    ref = models.CharField(_("ref"), max_length=255, blank=True)
    # The branch a push was made to (a preview's, kept per branch); empty for other imports.
    branch = models.CharField(_("branch"), max_length=255, blank=True)
    preview = models.BooleanField(_("preview"), default=False)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    commit = models.CharField(_("commit"), max_length=64, blank=True)
    commit_author = models.CharField(_("author"), max_length=255, blank=True)
    commit_message = models.CharField(_("commit message"), max_length=500, blank=True)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    diagnostics = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.location}@{self.commit[:10] or self.ref or 'HEAD'} ({self.status})"

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.get("severity") == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.get("severity") == "warning")


class WebhookDelivery(models.Model):
    """One push notification; its delivery id makes a replayed delivery harmless."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("Import queued")
        PREVIEW = "preview", _("Preview queued")
        IGNORED = "ignored", _("Ignored")
        REFUSED = "refused", _("Refused")

    source = models.ForeignKey(CourseSource, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(_("delivery id"), max_length=255)
    host = models.CharField(_("host"), max_length=16)
    event = models.CharField(_("event"), max_length=64, blank=True)
    ref = models.CharField(_("ref"), max_length=255, blank=True)
    commit = models.CharField(_("commit"), max_length=64, blank=True)
    before = models.CharField(_("previous commit"), max_length=64, blank=True)
    forced = models.BooleanField(_("forced push"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "delivery_id"], name="webhook_delivery_unique"
            ),
            models.CheckConstraint(condition=~Q(delivery_id=""), name="webhook_delivery_has_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.delivery_id}"
