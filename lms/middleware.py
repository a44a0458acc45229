from django.conf import settings
from django.utils import translation


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
