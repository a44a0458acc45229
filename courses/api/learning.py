"""/api/v1/courses/: the catalogue, outlines, lessons, quizzes and labs, enrolment, completion
and quiz and lab attempts, from the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from courses.api.base import Error, LangParam, Language, viewer
from courses.api.labs import AnswerValue, LabDetailFields, LabResultOut, lab_detail
from courses.api.offline import IDEMPOTENCY_DOC, IDEMPOTENCY_HEADER, once
from courses.models import ItemType, Level
from courses.rules import attempts_left
from courses.selectors.catalog import catalog, course_live
from courses.selectors.labs import lab_result
from courses.selectors.learning import course_view, item_view
from courses.selectors.quizzes import attempt_seed, quiz_questions_public, quiz_review
from courses.services.learner_actions import attempt_submit, lesson_mark_done
from courses.services.learning import enrollment_create

router = Router()


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
    labs: int
    languages: list[str]
    complete_in_language: bool
    progress: int | None
    completed: bool
    url: str


@router.get(
    "/courses",
    response={200: list[CourseOut], 400: Error, 401: Error},
    auth=None,
    summary="The catalogue",
)
def courses(request: HttpRequest, filters: Query[Filters]):
    cards = catalog(
        language=filters.lang, user=viewer(request), level=filters.level or "",
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
            "labs": card.revision.lab_count,
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
    labs_passed: int
    labs_total: int
    average_score: float | None
    min_average_score: int | None
    met: bool


class TopicOut(Schema):
    id: str
    name: str


class OutlineOut(Schema):
    slug: str
    title: str
    description_html: str
    level: str
    minutes: int
    topics: list[TopicOut]
    objectives: list[str]
    commit: str
    enrolled: bool
    progress: int
    completed: bool
    requirements: RequirementsOut
    modules: list[ModuleOut]


def _outline(view) -> dict:
    req = view.requirements
    return {
        "slug": view.course.slug,
        "title": view.title,
        "description_html": view.description_html,
        "level": view.revision.level,
        "minutes": view.revision.estimated_minutes,
        "topics": [
            {"id": key, "name": name} for key, name in view.revision.topics_in(view.language)
        ],
        "objectives": view.revision.objectives_in(view.language),
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
            "labs_passed": req.labs_passed,
            "labs_total": req.labs_total,
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


@router.get(
    "/courses/{slug}",
    response={200: OutlineOut, 400: Error, 401: Error, 404: Error},
    auth=None,
    summary="A course's outline",
)
def course_outline(request: HttpRequest, slug: str, params: Query[LangParam]):
    return _outline(course_view(slug=slug, language=params.lang, user=viewer(request)))


class EnrollmentOut(Schema):
    course: str
    enrolled: bool
    created: bool


@router.post(
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
    _enrollment, created = enrollment_create(user=request.user, course=course_live(slug=slug))
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


class ItemDetailOut(LabDetailFields):
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


@router.get(
    "/courses/{slug}/items/{item_id}",
    response={200: ItemDetailOut, 400: Error, 401: Error, 404: Error},
    auth=None,
    summary="A lesson's HTML, a quiz's questions without answers, or a lab's parameters",
)
def item_detail(request: HttpRequest, slug: str, item_id: str, params: Query[LangParam]):
    view = item_view(slug=slug, key=item_id, language=params.lang, user=viewer(request))
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
    elif current.is_lab:
        body.update(lab_detail(view, language=params.lang))
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


IDEMPOTENCY = {
    "parameters": [{"in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
                    "description": IDEMPOTENCY_DOC}],
}  # fmt: skip


@router.post(
    "/courses/{slug}/items/{item_id}/complete",
    response={200: CompleteOut, 400: Error, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Record a lesson as done (idempotent)",
    openapi_extra=IDEMPOTENCY,
)
def complete(request: HttpRequest, response: HttpResponse, slug: str, item_id: str,
             params: Query[LangParam]):  # fmt: skip
    def act() -> Status:
        view = item_view(slug=slug, key=item_id, language=params.lang, user=request.user)
        lesson_mark_done(
            user=request.user, revision_item=view.current.revision_item,
            enrollment=view.course.enrollment,
        )  # fmt: skip
        after = course_view(slug=slug, language=params.lang, user=request.user)
        return Status(200, {"id": item_id, "completed": True, "progress": after.progress,
                            "course_completed": after.completed})  # fmt: skip

    return once(request, response, act)


class AttemptIn(Schema):
    answers: dict[str, AnswerValue]


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
    lab: LabResultOut | None = None


@router.post(
    "/courses/{slug}/items/{item_id}/attempts",
    response={201: AttemptOut, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error,
              422: Error, 429: Error},
    summary="Submit a quiz or lab attempt, graded on the server",
    openapi_extra=IDEMPOTENCY,
)  # fmt: skip
def submit(request: HttpRequest, response: HttpResponse, slug: str, item_id: str,
           payload: AttemptIn, params: Query[LangParam]):  # fmt: skip
    return once(request, response, lambda: _submit(request, slug, item_id, payload, params.lang))


def _submit(request: HttpRequest, slug: str, item_id: str, payload: AttemptIn,
            language: str) -> Status:  # fmt: skip
    view = item_view(slug=slug, key=item_id, language=language, user=request.user)
    outcome = attempt_submit(
        user=request.user, revision_item=view.current.revision_item,
        enrollment=view.course.enrollment, answers=payload.answers, language=language,
    )  # fmt: skip
    attempt = outcome.attempt
    body: dict[str, Any] = {
        "attempt": attempt.number,
        "score": attempt.score,
        "passed": attempt.passed,
        "best_score": outcome.best_score,
        "attempts_left": outcome.attempts_left,
        "course_completed": outcome.course_completed,
        "questions": [],
    }
    if view.current.is_lab:
        body["lab"] = lab_result(view.lab or {}, attempt, language=language)
    else:
        body["questions"] = quiz_review(
            view.quiz, answers=attempt.answers, results=attempt.results, language=language
        )
    return Status(201, body)
