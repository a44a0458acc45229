"""Sign-up that never tells a visitor whether an address already has an account.

allauth hides it only when e-mail verification is mandatory. Here both modes answer alike:
a new address gets its account and a confirmation e-mail, an address with an account gets
no second one and its owner is told by e-mail that someone tried to sign up; either way the
visitor lands on the "check your e-mail" page, not logged in. With optional verification
the new learner then logs in at once, without confirming first.
"""

from __future__ import annotations

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.login import perform_login
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import Login
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (with our extra fields, lms.forms.SignupForm)."""

    def validate_unique_email(self, value: str) -> str:
        self.account_already_exists = bool(filter_users_by_email(value))
        return value

    def try_save(self, request):
        email = self.cleaned_data["email"]
        if self.account_already_exists:
            # Spend the time hashing a password takes, as a new account does.
            make_password(self.cleaned_data.get("password1"))
            login = Login(user=None, email=email, signup=True,
                          email_verification=EmailVerificationMethod.MANDATORY)  # fmt: skip
            return None, perform_login(request, login)
        user = self.save(request)
        response = complete_signup(
            request, user=user, email_verification=EmailVerificationMethod.MANDATORY
        )
        return user, response
