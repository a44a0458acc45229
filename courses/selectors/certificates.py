from typing import Any
from uuid import UUID

from django.db import connection

from courses.models import Certificate, CohortMembership, Course, CourseRevision, StatusList
from courses.models.catalog import revision_text_fields
from courses.selectors.prepared import db_datetime, db_json, model_from_row, prepared_rows
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


# The one query of a verify page: the certificate without its PDF, its course's slug and the
# live revision's titles. Written out and prepared (see `prepared.prepared_rows`): built by the
# ORM (select_related with deferred columns) it cost more than the rest of the page.
_VERIFY_FIELDS = (
    "id", "public_id", "status", "language", "learner_name", "course_title", "commit",
    "issuer_name", "university", "key_fingerprint", "holder_did", "issued_at", "revoked_at",
    "revoked_reason", "user_id", "course_id", "credential",
)  # fmt: skip
_COLUMNS = ", ".join(f'ce."{name}"' for name in _VERIFY_FIELDS)  # commit is a keyword
_VERIFY_SQL = (
    f"SELECT {_COLUMNS}, co.slug, co.live_revision_id, r.title, r.languages"  # noqa: S608 - constants
    " FROM courses_certificate ce JOIN courses_course co ON co.id = ce.course_id"
    " LEFT JOIN courses_courserevision r ON r.id = co.live_revision_id"
    " WHERE ce.public_id = %s"
)  # fmt: skip


def certificate_verified(*, public_id: UUID) -> Certificate | None:
    """What a verify page shows of the certificate ``public_id`` (not its PDF), with its
    course's slug and live revision's titles and languages; one query."""
    key = public_id.hex if connection.vendor == "sqlite" else public_id
    rows = prepared_rows(_VERIFY_SQL, [key])
    if not rows:
        return None
    values = dict(zip(_VERIFY_FIELDS, rows[0], strict=False))
    slug, live_revision_id, title, languages = rows[0][len(_VERIFY_FIELDS) :]
    for name in ("issued_at", "revoked_at"):
        values[name] = db_datetime(values[name])
    values["public_id"] = public_id
    values["credential"] = db_json(values["credential"])
    certificate = model_from_row(Certificate, values)
    course = model_from_row(
        Course, {"id": values["course_id"], "slug": slug, "live_revision_id": live_revision_id}
    )
    if live_revision_id is not None:
        course.live_revision = model_from_row(
            CourseRevision,
            {"id": live_revision_id, "course_id": course.pk, "title": db_json(title),
             "languages": db_json(languages)},
        )  # fmt: skip
    else:
        course.live_revision = None
    certificate.course = course
    return certificate
