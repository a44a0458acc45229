from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import translation

from lms.language import set_language_cookie
from lms.mail import email_queue
from lms.models import User


class AccountAdapter(DefaultAccountAdapter):
    """Keeps the learner's language: stored at sign-up, used after every login and for the
    account's e-mails, which the request writes and a worker sends (lms/mail.py)."""

    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        if not user.language:
            user.language = translation.get_language() or settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "language", "")
        if language:
            url = translate_url(url, language)
        return url

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Write the message in its reader's language and queue it: sign-up, password reset
        and e-mail change answer at once, and the message goes when SMTP can take it."""
        request = allauth_context.request
        language = _reader_language(email, context.get("user"))
        ctx = {"request": request, "email": email, "current_site": get_current_site(request),
               **context}  # fmt: skip
        for name, value in ctx.items():  # links open the site in the reader's language
            if name.endswith("_url") and isinstance(value, str):
                ctx[name] = translate_url(value, language)
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        email_queue(message=message)

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse | None:
        response = super().post_login(request, user, **kwargs)
        if user.language and response is not None:
            set_language_cookie(response, user.language)
        return response


def _reader_language(email: str, user: User | None) -> str:
    """The language of whoever reads ``email``: the account's, else the page's."""
    language = getattr(user, "language", "")
    if not language:
        language = (
            User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        )
    return language or translation.get_language() or settings.LANGUAGE_CODE
