"""Routing per language, the root redirect, the language switcher and the learner's language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_languages_are_kyrgyz_russian_english_with_kyrgyz_first():
    assert [code for code, _ in settings.LANGUAGES] == ["ky", "ru", "en"]
    assert settings.LANGUAGE_CODE == "ky"


@pytest.mark.parametrize(
    ("headers", "cookies", "expected"),
    [
        ({}, {}, "/ky/"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru-RU,ru;q=0.9,en;q=0.5"}, {}, "/ru/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, {}, "/en/"),
        ({"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}, {}, "/ky/"),
        ({"HTTP_ACCEPT_LANGUAGE": "ru"}, {"bilim_language": "en"}, "/en/"),
    ],
)
def test_root_redirects_by_cookie_then_accept_language_then_kyrgyz(
    client, headers, cookies, expected
):
    for name, value in cookies.items():
        client.cookies[name] = value
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ky", "Блокчейнди өз тилиңизде үйрөнүңүз"),
        ("ru", "Изучайте блокчейн на своём языке"),
        ("en", "Learn blockchain in your language"),
    ],
)
def test_home_page_is_served_in_the_language_of_its_url(client, language, heading):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert heading in html


def test_unknown_language_prefix_is_not_found(client):
    assert client.get("/kg/").status_code == 404


def test_switcher_is_on_every_page_and_points_back_to_it(client):
    for path in ["/ky/", "/ru/accounts/login/", "/en/accounts/signup/"]:
        html = client.get(path).content.decode()
        assert 'action="/i18n/setlang/"' in html
        assert f'name="next" value="{path}"' in html
        assert all(f'value="{code}"' in html for code in ("ky", "ru", "en"))


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/ky/", "ru", "/ru/"),
        ("/ky/accounts/login/", "en", "/en/accounts/login/"),
        ("/en/accounts/password/reset/?next=/en/", "ky", "/ky/accounts/password/reset/?next=/en/"),
    ],
)
def test_switching_language_keeps_the_current_page(client, path, language, expected):
    response = client.post(reverse("set-language"), {"language": language, "next": path})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    follow = client.get(response["Location"])
    assert f'<html lang="{language}">' in follow.content.decode()


def test_switching_language_refuses_a_next_url_on_another_site(client):
    response = client.post(
        reverse("set-language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_switching_language_is_remembered_for_a_logged_in_learner(client):
    user = UserFactory(language="ky")
    client.force_login(user)
    client.post(reverse("set-language"), {"language": "en", "next": "/ky/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_switching_language_needs_post(client):
    assert client.get(reverse("set-language"), {"language": "ru"}).status_code == 405


def test_switcher_form_carries_a_csrf_token(client):
    html = client.get("/ky/").content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)
