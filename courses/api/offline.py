"""/api/v1/ for learning offline: what saving a course fetches, the session a phone's queue is
sent with, and the ``Idempotency-Key`` header of the learner's writes (`once`, used by
`courses.api.learning` for completion and for quiz and lab attempts)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from ninja import Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from courses.api.base import Error, LangParam, _refused
from courses.selectors.offline import offline_course
from courses.services.idempotency import (
    IdempotencyKeyReused,
    idempotent_call,
    request_fingerprint,
)
from courses.services.learner_actions import ActionRefused

router = Router()

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_DOC = (
    "Send an Idempotency-Key header (16-64 letters, digits, - or _; a UUID will do) to make "
    "the request safe to repeat: the same request with the same key is recorded once and "
    "answered with the first response (with Idempotent-Replayed: true). The key is kept per "
    "learner for 30 days; reused for a different request it gets 422."
)


def once(request: HttpRequest, response: HttpResponse, act: Callable[[], Status]) -> Status:
    """``act()`` (a handler's work, which may raise `ActionRefused`), made idempotent when
    the request carries an ``Idempotency-Key``: the first response under a key is kept with
    what the act wrote, and the same request again gets it back without acting."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return act()

    def run() -> tuple[int, object]:
        try:
            result = act()
        except ActionRefused as refused:  # kept too: "no attempts left" stays the answer
            refusal = _refused(request, refused)
            return refusal.status_code, json.loads(refusal.content)
        return result.status_code, json.loads(json.dumps(result.value, cls=NinjaJSONEncoder))

    try:
        outcome = idempotent_call(
            user=request.user, key=key, act=run,
            fingerprint=request_fingerprint(method=request.method or "", path=request.path,
                                            body=request.body),
        )  # fmt: skip
    except IdempotencyKeyReused as refused:  # a status the refusals of acts do not use
        return Status(422, {"code": refused.code, "message": refused.message})
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(outcome.status, outcome.body)


class OfflineFileOut(Schema):
    url: str
    size: int
    immutable: bool


class OfflineOut(Schema):
    course: str
    language: str
    revision: str
    title: str
    size: int
    files: list[OfflineFileOut]


@router.get(
    "/courses/{slug}/offline",
    response={200: OfflineOut, 400: Error, 401: Error, 404: Error},
    auth=None,
    summary="What saving a course for offline use fetches, in one language",
    description=(
        "Every address the course's pages need offline (the course page, each lesson, quiz "
        "and lab, the glossary and its terms, images, styles and scripts), each with its size "
        "to download in bytes (pages estimated), for the live revision named by `revision`."
    ),
)
def course_offline(request: HttpRequest, slug: str, params: Query[LangParam]):
    found = offline_course(slug=slug, language=params.lang)
    return {
        "course": found.slug,
        "language": found.language,
        "revision": found.revision,
        "title": found.title,
        "size": found.size,
        "files": [
            {"url": file.url, "size": file.size, "immutable": file.immutable}
            for file in found.files
        ],
    }


class OfflineSessionOut(Schema):
    csrf: str
    owner: str


@router.get(
    "/offline/session",
    response={200: OfflineSessionOut, 401: Error},
    auth=None,
    summary="A fresh CSRF token and who is signed in, for sending an offline queue",
    description=(
        "`csrf` goes in the X-CSRFToken header of the writes that follow; `owner` names the "
        "signed-in learner without telling who they are (empty for a visitor), so a phone "
        "can tell that its saved pages and queue belong to someone else."
    ),
)
def offline_session(request: HttpRequest, response: HttpResponse):
    response["Cache-Control"] = "no-store"
    user = request.user
    owner = ""
    if user.is_authenticated:
        owner = salted_hmac("bilim.offline.owner", str(user.pk)).hexdigest()[:20]
    return {"csrf": get_token(request), "owner": owner}
