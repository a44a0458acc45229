"""Sign-up does not tell a visitor whether an address already has an account: with mandatory
e-mail verification (production) and with optional verification (development) alike."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lms.models import User
from tests.factories import PASSWORD, UserFactory
from tests.mailbox import sent_mail

pytestmark = pytest.mark.django_db
MODES = ["mandatory", "optional"]


def _sign_up(email: str, language: str = "en"):
    """A visitor of their own (a fresh session) signs up and follows the answer."""
    client = Client()
    response = client.post(f"/{language}/accounts/signup/", {
        "email": email, "name": "Айбек", "password1": PASSWORD, "password2": PASSWORD,
    })  # fmt: skip
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return client, response, page


def _seen(page, email: str) -> str:
    """The page as the visitor sees it, with their own address and CSRF token blanked."""
    html = page.content.decode().replace(email, "ADDRESS")
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


@pytest.mark.parametrize("mode", MODES)
def test_signing_up_with_a_taken_address_looks_exactly_like_signing_up_with_a_new_one(
    settings, mode
):
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    UserFactory(email="taken@example.org")
    new_client, new, new_page = _sign_up("fresh@example.org")
    taken_client, taken, taken_page = _sign_up("taken@example.org")

    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    assert new["Location"] == "/en/accounts/confirm-email/"
    assert _seen(taken_page, "taken@example.org") == _seen(new_page, "fresh@example.org")
    assert "ADDRESS" in _seen(new_page, "fresh@example.org")  # "we sent an e-mail to …"
    assert "_auth_user_id" not in new_client.session
    assert "_auth_user_id" not in taken_client.session
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert User.objects.filter(email="fresh@example.org").count() == 1


@pytest.mark.parametrize("mode", MODES)
def test_the_owner_of_a_taken_address_is_told_in_their_language_and_the_new_one_confirms(
    settings, mode
):
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    UserFactory(email="taken@example.org", language="ru")
    _sign_up("fresh@example.org")
    _sign_up("taken@example.org")
    by_address = {message.to[0]: message for message in sent_mail()}
    assert set(by_address) == {"fresh@example.org", "taken@example.org"}
    owner = by_address["taken@example.org"].body
    assert "уже" in owner  # "…уже зарегистрирован…": allauth's account_already_exists, in ru
    assert "/ru/accounts/password/reset/" in owner
    assert "/en/accounts/confirm-email/" in by_address["fresh@example.org"].body


@pytest.mark.parametrize("mode", MODES)
def test_a_new_account_signed_up_with_optional_verification_logs_in_without_confirming(
    settings, mode
):
    """The sign-up no longer logs the learner in (that would tell the two cases apart); with
    optional verification they log in straight after, confirmed or not."""
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    client, _response, _page = _sign_up("fresh@example.org")
    response = client.post("/en/accounts/login/", {"login": "fresh@example.org",
                                                   "password": PASSWORD})  # fmt: skip
    logged_in = "_auth_user_id" in client.session
    assert logged_in == (mode == "optional"), response.get("Location")
