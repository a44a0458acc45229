"""The JSON API, /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

It shares the selectors and services of the pages. Reads are open to everyone (progress is
added for a known learner); writes need a session (with the X-CSRFToken header) or a personal
token (``Authorization: Bearer <token>``). Errors are ``{"code": ..., "message": ...}`` in
the language of the ``lang`` parameter.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from courses.models import Certificate, Course, ItemType, Level
from courses.rules import attempts_left
from courses.selectors.catalog import catalog
from courses.selectors.certificates import certificates_for_learner
from courses.selectors.dashboard import dashboard
from courses.selectors.learning import course_view, item_view
from courses.selectors.quizzes import attempt_seed, quiz_questions_public, quiz_review
from courses.services.learner_actions import ActionRefused, lesson_mark_done, quiz_submit
from courses.services.learning import enrollment_create
from courses.services.notifications import certificate_links
from lms.services import api_token_authenticate

Language = Literal["ky", "ru", "en"]


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The site's login session; unsafe methods also need the X-CSRFToken header."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None  # 401, not a CSRF complaint, for a visitor without a session
        return super().__call__(request)


api = NinjaAPI(
    title="Bilim API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    docs_url=None,
    auth=[BearerToken(), Session()],
)


class Error(Schema):
    code: str
    message: str


def _error(request: HttpRequest, status: int, code: str, message: str):
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("There is nothing at this address."))


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _error(request, 401, "unauthorized", _("Log in or send a valid API token to do this."))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _error(request, 400, "invalid", _("The request is not valid: %(errors)s") % {
        "errors": "; ".join(
            ".".join(str(part) for part in error.get("loc", ())) + ": " + str(error.get("msg"))
            for error in exc.errors
        )
    })  # fmt: skip


@api.exception_handler(ActionRefused)
def _refused(request, exc: ActionRefused):
    """A learner's act the rules refuse (see courses.services.learner_actions)."""
    status = {"no_attempts_left": 409, "too_many_requests": 429}.get(exc.code, 400)
    return _error(request, status, exc.code, exc.message)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 403:  # ninja's own: a failed CSRF check
        message = _("The CSRF token is missing or wrong: send it in the X-CSRFToken header.")
        return _error(request, 403, "csrf_failed", message)
    if exc.status_code == 400:  # ninja's own: a body it cannot parse
        return _error(request, 400, "invalid", _("The request body is not valid JSON."))
    codes = {409: "conflict", 429: "too_many_requests"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


def _viewer(request: HttpRequest):
    """The learner behind a read request: a bearer token, else the session, else anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(raw=header[7:].strip())
        if user is None:
            raise AuthenticationError
        return user
    return request.user


class Filters(Schema):
    lang: Language = "ky"
    level: Level | None = None
    tag: str | None = None
    q: str | None = None


class CourseOut(Schema):
    slug: str
    title: str
    level: str
    minutes: int
    lessons: int
    quizzes: int
    languages: list[str]
    complete_in_language: bool
    progress: int | None
    completed: bool
    url: str


@api.get(
    "/courses",
    response={200: list[CourseOut], 400: Error, 401: Error},
    auth=None,
    summary="The catalogue",
)
def courses(request: HttpRequest, filters: Query[Filters]):
    cards = catalog(
        language=filters.lang, user=_viewer(request), level=filters.level or "",
        tag=(filters.tag or "")[:63], query=(filters.q or "")[:100],
    )  # fmt: skip
    return [
        {
            "slug": card.course.slug,
            "title": card.title,
            "level": card.revision.level,
            "minutes": card.revision.estimated_minutes,
            "lessons": card.revision.lesson_count,
            "quizzes": card.revision.quiz_count,
            "languages": card.revision.languages,
            "complete_in_language": card.complete_in_language,
            "progress": card.progress,
            "completed": card.completed,
            "url": card.course.get_absolute_url(),
        }
        for card in cards
    ]


class ItemOut(Schema):
    id: str
    type: str
    title: str
    minutes: int | None
    state: str
    best_score: int | None


class ModuleOut(Schema):
    id: str
    title: str
    items: list[ItemOut]


class RequirementsOut(Schema):
    certificate: bool
    require: list[str]
    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int
    average_score: float | None
    min_average_score: int | None
    met: bool


class OutlineOut(Schema):
    slug: str
    title: str
    description_html: str
    level: str
    minutes: int
    commit: str
    enrolled: bool
    progress: int
    completed: bool
    requirements: RequirementsOut
    modules: list[ModuleOut]


class LangParam(Schema):
    lang: Language = "ky"


def _outline(view) -> dict:
    req = view.requirements
    return {
        "slug": view.course.slug,
        "title": view.title,
        "description_html": view.description_html,
        "level": view.revision.level,
        "minutes": view.revision.estimated_minutes,
        "commit": view.revision.commit,
        "enrolled": view.enrollment is not None,
        "progress": view.progress,
        "completed": view.completed,
        "requirements": {
            "certificate": bool(view.revision.certificate.get("enabled")),
            "require": list(req.require),
            "lessons_done": req.lessons_done,
            "lessons_total": req.lessons_total,
            "quizzes_passed": req.quizzes_passed,
            "quizzes_total": req.quizzes_total,
            "average_score": req.average_score,
            "min_average_score": req.min_average_score,
            "met": req.met,
        },
        "modules": [
            {
                "id": module.key,
                "title": module.title,
                "items": [
                    {
                        "id": entry.key,
                        "type": entry.item.type,
                        "title": entry.title,
                        "minutes": entry.minutes,
                        "state": entry.state,
                        "best_score": entry.best_score,
                    }
                    for entry in module.items
                ],
            }
            for module in view.modules
        ],
    }


@api.get(
    "/courses/{slug}",
    response={200: OutlineOut, 400: Error, 401: Error, 404: Error},
    auth=None,
    summary="A course's outline",
)
def course_outline(request: HttpRequest, slug: str, params: Query[LangParam]):
    return _outline(course_view(slug=slug, language=params.lang, user=_viewer(request)))


class EnrollmentOut(Schema):
    course: str
    enrolled: bool
    created: bool


@api.post(
    "/courses/{slug}/enrollment",
    response={
        200: EnrollmentOut,
        201: EnrollmentOut,
        400: Error,
        401: Error,
        403: Error,
        404: Error,
    },
    summary="Enrol (idempotent)",
)
def enroll(request: HttpRequest, slug: str, params: Query[LangParam]):
    course = Course.objects.filter(slug=slug, live_revision__isnull=False).first()
    if course is None:
        raise Http404
    _enrollment, created = enrollment_create(user=request.user, course=course)
    return Status(201 if created else 200, {"course": slug, "enrolled": True, "created": created})


class TocOut(Schema):
    id: str
    title: str
    level: int


class OptionOut(Schema):
    id: str
    text_html: str


class QuestionOut(Schema):
    id: str
    type: str
    points: int
    prompt_html: str
    options: list[OptionOut]


class ItemDetailOut(Schema):
    id: str
    type: str
    title: str
    language: str | None
    fallback: bool
    state: str
    best_score: int | None
    html: str | None = None
    toc: list[TocOut] | None = None
    reading_minutes: int | None = None
    pass_threshold: int | None = None
    max_attempts: int | None = None
    attempts_left: int | None = None
    questions: list[QuestionOut] | None = None


@api.get(
    "/courses/{slug}/items/{item_id}",
    response={200: ItemDetailOut, 400: Error, 401: Error, 404: Error},
    auth=None,
    summary="A lesson's HTML, or a quiz's questions without answers",
)
def item_detail(request: HttpRequest, slug: str, item_id: str, params: Query[LangParam]):
    view = item_view(slug=slug, key=item_id, language=params.lang, user=_viewer(request))
    current = view.current
    body: dict[str, Any] = {
        "id": current.key,
        "type": current.item.type,
        "title": view.text.title if view.text else current.title,
        "language": view.text_language,
        "fallback": view.fallback,
        "state": current.state,
        "best_score": current.best_score,
    }
    if current.item.type == ItemType.LESSON:
        body.update(
            html=view.text.html if view.text else "",
            toc=view.text.toc if view.text else [],
            reading_minutes=view.text.reading_minutes if view.text else 0,
        )
    else:
        quiz = view.quiz
        used = len(view.attempts)
        enrollment = view.course.enrollment
        body.update(
            pass_threshold=quiz["pass_threshold"],
            max_attempts=quiz["max_attempts"],
            attempts_left=attempts_left(max_attempts=quiz["max_attempts"], used=used),
            questions=quiz_questions_public(
                quiz,
                language=params.lang,
                seed=attempt_seed(
                    enrollment_id=enrollment.pk if enrollment else None,
                    item_id=current.item.pk,
                    number=used + 1,
                ),
            ),
        )
    return body


class CompleteOut(Schema):
    id: str
    completed: bool
    progress: int
    course_completed: bool


@api.post(
    "/courses/{slug}/items/{item_id}/complete",
    response={200: CompleteOut, 400: Error, 401: Error, 403: Error, 404: Error},
    summary="Record a lesson as done (idempotent)",
)
def complete(request: HttpRequest, slug: str, item_id: str, params: Query[LangParam]):
    view = item_view(slug=slug, key=item_id, language=params.lang, user=request.user)
    lesson_mark_done(
        user=request.user, revision_item=view.current.revision_item,
        enrollment=view.course.enrollment,
    )  # fmt: skip
    after = course_view(slug=slug, language=params.lang, user=request.user)
    return Status(200, {"id": item_id, "completed": True, "progress": after.progress,
                        "course_completed": after.completed})  # fmt: skip


class AttemptIn(Schema):
    answers: dict[str, str | list[str] | bool | float | int | None]


class ReviewOptionOut(Schema):
    id: str
    text_html: str
    explanation_html: str | None
    correct: bool
    chosen: bool


class ReviewOut(Schema):
    id: str
    type: str
    correct: bool
    explanation_html: str | None
    options: list[ReviewOptionOut]
    answer: bool | float | int | None
    accept: list[str]


class AttemptOut(Schema):
    attempt: int
    score: int
    passed: bool
    best_score: int
    attempts_left: int | None
    course_completed: bool
    questions: list[ReviewOut]


@api.post(
    "/courses/{slug}/items/{item_id}/attempts",
    response={201: AttemptOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error,
              429: Error},
    summary="Submit a quiz attempt, graded on the server",
)  # fmt: skip
def submit(request: HttpRequest, slug: str, item_id: str, payload: AttemptIn,
           params: Query[LangParam]):  # fmt: skip
    view = item_view(slug=slug, key=item_id, language=params.lang, user=request.user)
    outcome = quiz_submit(
        user=request.user, revision_item=view.current.revision_item,
        enrollment=view.course.enrollment, answers=payload.answers, language=params.lang,
    )  # fmt: skip
    attempt = outcome.attempt
    return Status(
        201,
        {
            "attempt": attempt.number,
            "score": attempt.score,
            "passed": attempt.passed,
            "best_score": outcome.best_score,
            "attempts_left": outcome.attempts_left,
            "course_completed": outcome.course_completed,
            "questions": quiz_review(
                view.quiz, answers=attempt.answers, results=attempt.results, language=params.lang
            ),
        },
    )


class MyCourseOut(Schema):
    slug: str
    title: str
    progress: int
    completed: bool
    completed_at: str | None
    enrolled_at: str


@api.get(
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


@api.get(
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


from courses.api_cohorts import router as cohorts_router  # noqa: E402 - needs `api` above

api.add_router("/cohorts", cohorts_router)
