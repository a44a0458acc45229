"""/api/v1/me/: the learner's own courses and certificates."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from courses.api.base import Error, LangParam
from courses.models import Certificate
from courses.selectors.certificates import certificates_for_learner
from courses.selectors.dashboard import dashboard
from courses.services.notifications import certificate_links

router = Router()


class MyCourseOut(Schema):
    slug: str
    title: str
    progress: int
    completed: bool
    completed_at: str | None
    enrolled_at: str


@router.get(
    "/me/courses",
    response={200: list[MyCourseOut], 400: Error, 401: Error},
    summary="My enrolments",
)
def my_courses(request: HttpRequest, params: Query[LangParam]):
    board = dashboard(user=request.user, language=params.lang)
    return Status(
        200,
        [
            {
                "slug": entry.card.course.slug,
                "title": entry.card.title,
                "progress": entry.card.progress or 0,
                "completed": entry.card.completed,
                "completed_at": entry.enrollment.completed_at.isoformat()
                if entry.enrollment.completed_at
                else None,
                "enrolled_at": entry.enrollment.created_at.isoformat(),
            }
            for entry in board.in_progress + board.completed
        ],
    )


class CertificateOut(Schema):
    id: str
    course: str
    title: str
    status: str
    issued_at: str | None
    verify_url: str
    pdf_url: str | None
    json_url: str | None


@router.get(
    "/me/certificates",
    response={200: list[CertificateOut], 400: Error, 401: Error},
    summary="My certificates (pending until a worker has issued them)",
)
def my_certificates(request: HttpRequest, params: Query[LangParam]):
    public = (Certificate.Status.ISSUED, Certificate.Status.REVOKED)
    rows = []
    for certificate in certificates_for_learner(user=request.user):
        links = certificate_links(certificate)
        ready = certificate.status in public
        rows.append(
            {
                "id": str(certificate.public_id),
                "course": certificate.course.slug,
                "title": certificate.course_title
                or certificate.course.live_revision.title_in(params.lang)[0],
                "status": "pending"
                if certificate.status == Certificate.Status.FAILED
                else certificate.status,
                "issued_at": certificate.issued_at.isoformat() if certificate.issued_at else None,
                "verify_url": links["verify_url"],
                "pdf_url": links["pdf_url"] if ready else None,
                "json_url": links["json_url"] if ready else None,
            }
        )
    return Status(200, rows)
