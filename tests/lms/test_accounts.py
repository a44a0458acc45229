"""Accounts through the real allauth views: sign up, verify, log in, log out, reset, email."""

import re

import pytest
from allauth.account.models import EmailAddress

from lms.models import User
from tests.factories import PASSWORD, UserFactory
from tests.mailbox import sent_mail

pytestmark = pytest.mark.django_db


def _link(message, pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/\S*{pattern}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_verify_log_in_and_log_out(client):
    """The whole path a new learner takes, in Russian."""
    response = client.post(
        "/ru/accounts/signup/",
        {
            "email": "aida@example.org",
            "name": "Аида Токтогулова",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/confirm-email/"
    user = User.objects.get(email="aida@example.org")
    assert user.name == "Аида Токтогулова"
    assert user.language == "ru"

    # Verification is mandatory: logging in before confirming sends to the notice page.
    response = client.post(
        "/ru/accounts/login/", {"login": "aida@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/ru/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    assert len(sent_mail()) >= 1
    message = sent_mail()[-1]
    assert message.to == ["aida@example.org"]
    confirm_path = _link(message, "confirm-email")
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert '<html lang="ru">' in page.content.decode()
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="aida@example.org").verified

    response = client.post(
        "/ru/accounts/login/", {"login": "aida@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/"
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/ru/").content.decode()
    welcome = re.search(r'<p class="hero-welcome">(.*?)</p>', home).group(1)
    assert "Аида" in welcome and "С возвращением" not in welcome  # new: welcomed, not back

    response = client.post("/ru/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_takes_the_learner_to_their_own_language(client):
    UserFactory(email="bek@example.org", language="en")
    response = client.post(
        "/ky/accounts/login/", {"login": "bek@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert response.cookies["bilim_language"].value == "en"


def test_login_keeps_the_page_the_learner_came_from(client):
    UserFactory(email="bek@example.org", language="ru")
    response = client.post(
        "/ru/accounts/login/?next=/ru/accounts/email/",
        {"login": "bek@example.org", "password": PASSWORD},
    )
    assert response["Location"] == "/ru/accounts/email/"


def test_wrong_password_shows_a_translated_error(client):
    UserFactory(email="bek@example.org")
    response = client.post(
        "/ky/accounts/login/", {"login": "bek@example.org", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "Эмейл дарек же сырсөз туура эмес." in (response.content.decode())


def test_repeated_failed_logins_are_rate_limited(client):
    """After five failures for one address even the right password is refused for a while."""
    UserFactory(email="bek@example.org")
    for _ in range(5):
        client.post("/ky/accounts/login/", {"login": "bek@example.org", "password": "nope"})
    response = client.post(
        "/ky/accounts/login/", {"login": "bek@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Кирүүгө өтө көп жолу ийгиликсиз аракет жасалды." in response.content.decode()


def test_too_many_sign_ups_from_one_address_get_a_translated_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for n in range(2):
        client.post("/ru/accounts/signup/", {"email": f"s{n}@example.org"})
    response = client.post("/ru/accounts/signup/", {"email": "s3@example.org"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Слишком много попыток" in html
    assert 'class="site-header"' in html


def test_password_reset_by_email(client):
    UserFactory(email="bek@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "bek@example.org"})
    assert response.status_code == 302
    reset_path = _link(sent_mail()[-1], "password/reset/key")
    response = client.get(reset_path)
    assert response.status_code == 302  # allauth moves the key into the session
    new_password = "a-brand-new-passphrase-42"
    response = client.post(
        response["Location"], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert client.login(email="bek@example.org", password=new_password)


def test_changing_email_needs_confirmation_of_the_new_address(client):
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    response = client.post("/en/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert sent_mail()[-1].to == ["new@example.org"]
    assert not EmailAddress.objects.get(email="new@example.org").verified


def test_signup_with_a_taken_email_does_not_reveal_the_account_but_tells_its_owner(client):
    UserFactory(email="taken@example.org", language="en")  # told in the owner's language
    response = client.post(
        "/en/accounts/signup/",
        {"email": "taken@example.org", "name": "X", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert sent_mail()[-1].to == ["taken@example.org"]
    assert "already" in sent_mail()[-1].body


def test_signup_with_mismatched_passwords_shows_the_error_in_kyrgyz(client):
    response = client.post(
        "/ky/accounts/signup/",
        {"email": "n@example.org", "name": "N", "password1": PASSWORD, "password2": "other-pass"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="n@example.org").exists()
    assert "Эки жолу бирдей сырсөз териңиз." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/{lang}/accounts/login/",
        "/{lang}/accounts/signup/",
        "/{lang}/accounts/password/reset/",
        "/{lang}/accounts/confirm-email/",
    ],
)
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_anonymous_account_pages_use_the_site_layout_in_the_page_language(client, path, lang):
    response = client.get(path.format(lang=lang))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert 'class="site-header"' in html
    assert 'class="language-switcher"' in html


@pytest.mark.parametrize(
    "path", ["/{lang}/accounts/email/", "/{lang}/accounts/password/change/",
             "/{lang}/accounts/logout/"]
)  # fmt: skip
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_account_management_pages_use_the_site_layout(client, path, lang):
    client.force_login(UserFactory())
    response = client.get(path.format(lang=lang))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert 'class="site-header"' in html


def test_login_page_is_translated_into_kyrgyz(client):
    html = client.get("/ky/accounts/login/").content.decode()
    assert "Кирүү" in html
    assert "Sign In" not in html


def test_management_pages_need_login(client):
    response = client.get("/ky/accounts/email/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ky/accounts/login/")
