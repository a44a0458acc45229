from typing import Any
from uuid import UUID

from courses.models import Certificate, StatusList
from courses.models.catalog import revision_text_fields
from lms.models import User


def certificates_for_learner(*, user: User) -> list[Certificate]:
    """The learner's certificates, newest first, with their course (one query)."""
    return list(
        Certificate.objects.filter(user=user)
        .select_related("course__live_revision")
        .defer("pdf", "credential", *revision_text_fields("course__live_revision"))
        .order_by("-created_at")
    )


def certificate_public(*, public_id: UUID) -> Certificate | None:
    """The certificate with ``public_id``, with its course and live revision (for the course's
    own certificate title), whatever its state."""
    return (
        Certificate.objects.select_related("course__live_revision")
        .defer(*revision_text_fields("course__live_revision"))
        .filter(public_id=public_id)
        .first()
    )


def status_list_credential(*, name: str) -> dict[str, Any] | None:
    """The signed status list credential ``name``, or None before it is first signed."""
    found = StatusList.objects.filter(name=name).values_list("credential", flat=True).first()
    return found or None
