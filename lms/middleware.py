from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _


class ApiLanguageMiddleware:
    """The API's texts and error messages follow its ``lang`` query parameter."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.GET.get("lang", "")
        if request.path.startswith("/api/") and language in self.languages:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_response(request) -> HttpResponse:
    """413 in the request's language: ``{"code", "message"}`` under /api/, a page elsewhere."""
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if request.path.startswith("/api/"):
        message = _("The request body is larger than %(limit)s, the most this API accepts.")
        return JsonResponse({"code": "too_large", "message": message % {"limit": limit}},
                            status=413)  # fmt: skip
    return render(request, "413.html", {"limit": limit}, status=413)


class RequestSizeMiddleware:
    """A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is answered 413, never a bare 400.

    Django raises `RequestDataTooBig` wherever the body is first read (CsrfViewMiddleware,
    a view, django-ninja's parser), and its handler answers any such error with a bare 400.
    The declared length is checked here, before anything reads the body. A multipart body
    may be larger (only its non-file fields count), so a multipart form is read in
    `process_view`, just before CsrfViewMiddleware would read it, and `process_exception`
    covers views that read one themselves. Placed after the language middleware, so the
    answer is in the request's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if (
            limit is not None
            and _declared_length(request) > limit
            and not request.content_type.startswith("multipart/")
        ):
            return too_large_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not getattr(view_func, "csrf_exempt", False)
        ):
            try:
                request.POST  # noqa: B018 - read now, as CSRF protection is about to
            except RequestDataTooBig:
                return too_large_response(request)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return too_large_response(request)
        return None
