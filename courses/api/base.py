"""The API's foundation: the `NinjaAPI` object, authentication, the error shape, the language
parameter and every exception handler. The areas of the API are routers (`courses.api.learning`,
`courses.api.cohorts`) that import only this module; `courses.api` puts them together.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from courses.services.learner_actions import ActionRefused
from lms.services import api_token_authenticate

DESCRIPTION = """The JSON API, /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

It shares the selectors and services of the pages. Reads are open to everyone (progress is
added for a known learner); writes need a session (with the X-CSRFToken header) or a personal
token (``Authorization: Bearer <token>``). Errors are ``{"code": ..., "message": ...}`` in
the language of the ``lang`` parameter.
"""

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
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    auth=[BearerToken(), Session()],
)


class Error(Schema):
    code: str
    message: str


def error(request: HttpRequest, status: int, code: str, message: str):
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", _("There is nothing at this address."))


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return error(request, 401, "unauthorized", _("Log in or send a valid API token to do this."))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return error(request, 400, "invalid", _("The request is not valid: %(errors)s") % {
        "errors": "; ".join(
            ".".join(str(part) for part in error.get("loc", ())) + ": " + str(error.get("msg"))
            for error in exc.errors
        )
    })  # fmt: skip


@api.exception_handler(ActionRefused)
def _refused(request, exc: ActionRefused):
    """A learner's act the rules refuse (see courses.services.learner_actions)."""
    status = {"no_attempts_left": 409, "too_many_requests": 429}.get(exc.code, 400)
    return error(request, status, exc.code, exc.message)


@api.exception_handler(HttpError)
def _httperror(request, exc):
    if exc.status_code == 403:  # ninja's own: a failed CSRF check
        message = _("The CSRF token is missing or wrong: send it in the X-CSRFToken header.")
        return error(request, 403, "csrf_failed", message)
    if exc.status_code == 400:  # ninja's own: a body it cannot parse
        return error(request, 400, "invalid", _("The request body is not valid JSON."))
    codes = {409: "conflict", 429: "too_many_requests"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


def viewer(request: HttpRequest):
    """The learner behind a read request: a bearer token, else the session, else anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(raw=header[7:].strip())
        if user is None:
            raise AuthenticationError
        return user
    return request.user


class LangParam(Schema):
    lang: Language = "ky"


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    message = _("Only the organisation's administrators can do this.")
    return error(request, 403, "forbidden", message)
