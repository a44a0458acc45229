"""What a keys lab hands a learner to sign: a challenge, single-use and expiring."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LabChallenge(models.Model):
    """A text a learner signs in a keys lab. One attempt uses it, right or wrong; an attempt
    with a signature of a used or expired challenge is refused and stores nothing."""

    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.CASCADE, related_name="lab_challenges"
    )
    item = models.ForeignKey("courses.Item", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("challenge"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("lab challenge")
        verbose_name_plural = _("lab challenges")
        indexes = [models.Index(fields=["enrollment", "item", "-created_at"])]

    def __str__(self) -> str:
        return self.text
