"""What an API write with an ``Idempotency-Key`` header answered, so that the same request sent
again (a phone replaying its offline queue, a client retrying after a timeout) is answered the
same way and recorded once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """One learner's request under one key: the request's digest (method, path, body) and the
    response it got. Unique per (user, key): the same key from another learner is another
    request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=64)
    fingerprint = models.CharField(_("request digest"), max_length=64)
    status = models.PositiveSmallIntegerField(_("response status"))
    body = models.JSONField(_("response body"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_user_key"),
        ]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
