from typing import Literal, cast

from django.conf import settings
from django.http import HttpResponse

# What Django accepts for a cookie's SameSite (lms.settings sets it as a plain string).
SameSite = Literal["Lax", "Strict", "None", False] | None


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """Remember `language` in the browser, as Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    return response
