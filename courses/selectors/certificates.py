from typing import Any
from uuid import UUID

from courses.models import Certificate, CohortMembership, StatusList
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


def certificate_university_logo(*, certificate: Certificate) -> bytes | None:
    """The logo of the university a certificate was earned through (its cohort's organisation),
    or ``None`` outside a cohort or when the organisation has no logo."""
    if not certificate.university or not certificate.enrollment_id:
        return None
    logo = (
        CohortMembership.objects.filter(
            enrollment_id=certificate.enrollment_id,
            removed_at__isnull=True,
            cohort__course_id=certificate.course_id,
        )
        .exclude(cohort__organization__logo_sha256="")
        .order_by("joined_at")
        .values_list("cohort__organization__logo", flat=True)
        .first()
    )
    return bytes(logo) if logo else None
