"""Certificates: one per learner and course, issued by a worker, verifiable by anyone."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StatusList(models.Model):
    """A Bitstring Status List: one bit per certificate, set when it is revoked."""

    name = models.SlugField(_("name"), max_length=32, unique=True)
    size = models.PositiveIntegerField(_("bits"), default=131072)
    credential = models.JSONField(_("signed status list"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("status-list", kwargs={"name": self.name})


class Certificate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")
        REVOKED = "revoked", _("Revoked")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.OneToOneField(
        "courses.Enrollment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.Course", verbose_name=_("course"), on_delete=models.PROTECT,
        related_name="certificates",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("language"), max_length=8)
    learner_name = models.CharField(_("learner's name"), max_length=150, blank=True)
    course_title = models.CharField(_("course title"), max_length=300, blank=True)
    commit = models.CharField(_("commit"), max_length=64, blank=True)
    issuer_name = models.CharField(_("issued by"), max_length=200, blank=True)
    university = models.CharField(_("university"), max_length=200, blank=True)
    key_id = models.CharField(_("signing key"), max_length=100, blank=True)
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=100, blank=True)
    status_list = models.ForeignKey(
        StatusList, on_delete=models.PROTECT, null=True, blank=True, related_name="certificates"
    )
    status_index = models.PositiveIntegerField(_("status index"), null=True, blank=True)
    credential = models.JSONField(_("signed credential"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("issue attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    holder_did = models.CharField(_("holder's did:key"), max_length=100, blank=True)
    earlier_credentials = models.JSONField(
        _("earlier signed credentials"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="certificate_once_per_course"),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_unique_status_index"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | Q(issued_at__isnull=False, credential__isnull=False),
                name="certificate_issued_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    def get_absolute_url(self) -> str:
        return reverse("courses:verify", kwargs={"public_id": self.public_id})


class HolderChallenge(models.Model):
    """A single-use challenge the owner's browser signs to bind a certificate to a key."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="holder_challenges"
    )
    challenge = models.CharField(_("challenge"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("holder challenge")
        verbose_name_plural = _("holder challenges")

    def __str__(self) -> str:
        return self.challenge
