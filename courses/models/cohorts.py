"""Universities and their cohorts.

An `Organization` (a university) has administrators; a `Cohort` runs one course for a group of
learners with instructors. A `CohortMembership` ties a learner's ordinary `Enrollment` to the
cohort, so progress stays the learner's own: removing a member only marks the membership
removed. Unknown e-mail addresses from a CSV upload wait as `CohortInvitation`s until someone
signs up with that address. Uploads, exports and messages are rows too, so a Celery worker can
process them and the page can show how far it got.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.content import pick_text

# No 0/O, 1/I/L: a code read aloud in a lecture hall or copied from a projector stays right.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


class Organization(models.Model):
    slug = models.SlugField(_("slug"), max_length=63, unique=True)
    names = models.JSONField(
        _("name"), default=dict, help_text=_('Per language, for example {"ky": "…", "ru": "…"}.')
    )
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=32, blank=True, editable=False)
    logo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("administrators"),
        related_name="administered_organizations",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_in("en")

    @property
    def logo_url(self) -> str:
        if not self.logo_sha256:
            return ""
        return reverse("organization-logo", kwargs={"slug": self.slug, "sha256": self.logo_sha256})

    def name_in(self, language: str) -> str:
        name, _used = pick_text(self.names or {}, language)
        return name or self.slug


class Cohort(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    course = models.ForeignKey(
        "courses.Course", verbose_name=_("course"), on_delete=models.PROTECT,
        related_name="cohorts",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        help_text=_("Invitations to people without an account are written in this language."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    certificate_deadline = models.DateField(
        _("certificate deadline"),
        null=True,
        blank=True,
        help_text=_("Certificates of courses completed by this day carry the university's name."),
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        related_name="taught_cohorts",
        blank=True,
    )
    join_code = models.CharField(_("join code"), max_length=16, unique=True, default=new_join_code)
    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    join_expires_at = models.DateTimeField(_("joining closes"), null=True, blank=True)
    seat_limit = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Not a field: set by `courses.selectors.cohort_access.cohort_for` for the viewer (site
    # staff or an administrator of the cohort's organisation).
    can_manage: bool

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:detail", kwargs={"cohort_id": self.pk})


class CohortMembership(models.Model):
    class Via(models.TextChoices):
        CODE = "code", _("Join code")
        LINK = "link", _("Invite link")
        UPLOAD = "upload", _("CSV upload")
        INVITATION = "invitation", _("Invitation")
        API = "api", _("API")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )  # fmt: skip
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    via = models.CharField(_("joined by"), max_length=16, choices=Via.choices)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in cohort {self.cohort_id}"


class CohortInvitation(models.Model):
    """An address from a CSV upload without an account yet; accepted when someone signs up
    with it and confirms it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    name = models.CharField(_("full name"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="invitation_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class Job(models.TextChoices):
    """States of work a worker does for a page that shows how far it got."""

    PENDING = "pending", pgettext_lazy("job status", "Waiting")
    RUNNING = "running", pgettext_lazy("job status", "Working")
    READY = "ready", pgettext_lazy("job status", "Ready to apply")
    APPLYING = "applying", pgettext_lazy("job status", "Applying")
    DONE = "done", pgettext_lazy("job status", "Done")
    FAILED = "failed", pgettext_lazy("job status", "Failed")


class CohortUpload(models.Model):
    """A CSV of e-mail addresses: read and previewed first, applied only when confirmed."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=200)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    text = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Job.choices,
                              default=Job.PENDING)  # fmt: skip
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("CSV upload")
        verbose_name_plural = _("CSV uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class CohortExport(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=Job.choices,
                              default=Job.PENDING)  # fmt: skip
    content = models.BinaryField(null=True, editable=False)
    row_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("CSV export")
        verbose_name_plural = _("CSV exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} of cohort {self.cohort_id}"


class CohortMessage(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    finished_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to a cohort")
        verbose_name_plural = _("messages to cohorts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class CohortMessageDelivery(models.Model):
    """One recipient of a message; the unique row makes a retried task skip who has it."""

    message = models.ForeignKey(CohortMessage, on_delete=models.CASCADE,
                                related_name="deliveries")  # fmt: skip
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")  # fmt: skip
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} to {self.user_id}"
