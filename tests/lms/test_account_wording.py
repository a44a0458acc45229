"""What the account pages say: the log-in message names the learner, never their e-mail, and
does not welcome a new learner "back"; the Kyrgyz pages call the password «Сырсөз» (never
allauth's «купуя») and the e-mail «Эмейл», in labels that start with a capital letter and
stand above their fields without a colon; the error pages need no database."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, lang: str, email: str):
    response = client.post(f"/{lang}/accounts/login/", {"login": email, "password": PASSWORD},
                           follow=True)  # fmt: skip
    assert response.wsgi_request.user.is_authenticated
    return response


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)] or re.findall(
        r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S
    )


def test_the_login_message_names_the_learner_not_their_email(client):
    UserFactory(email="aida.bekova@example.org", name="Aida Bekova", language="en")
    response = log_in(client, "en", "aida.bekova@example.org")
    shown = messages_of(response)
    assert shown == ["Hello, Aida! You are logged in."]
    assert "aida.bekova@example.org" not in response.content.decode()
    assert "back" not in " ".join(shown).lower()


def test_a_learner_without_a_name_is_not_greeted_by_their_email(client):
    UserFactory(email="noname@example.org", name="", language="en")
    response = log_in(client, "en", "noname@example.org")
    assert messages_of(response) == ["You are logged in."]


def test_the_kyrgyz_login_message_greets_by_name(client):
    UserFactory(email="aigul@example.org", name="Айгүл Өмүрбекова", language="ky")
    response = log_in(client, "ky", "aigul@example.org")
    assert messages_of(response) == ["Саламатсызбы, Айгүл! Сиз аккаунтуңузга кирдиңиз."]


def labels(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in
            re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/ky/accounts/login/", ["Эмейл", "Сырсөз", "Мени эстеп кал"]),
        ("/ky/accounts/signup/", ["Эмейл", "Аты-жөнү", "Сырсөз", "Сырсөз (дагы бир жолу)"]),
        ("/ky/accounts/password/reset/", ["Эмейл"]),
    ],
)
def test_kyrgyz_entrance_pages_say_syrsoz_with_capitalised_labels(client, path, expected):
    html = client.get(path).content.decode()
    assert [label for label in labels(html) if "Тил" not in label] == expected
    assert not re.search(r"[Кк]упуя", html)
    assert "экат" not in html


def test_kyrgyz_password_pages_of_a_learner_say_syrsoz(client):
    client.force_login(UserFactory())
    html = client.get("/ky/accounts/password/change/").content.decode()
    assert labels(html) == ["Азыркы сырсөз", "Жаңы сырсөз", "Жаңы сырсөз (дагы бир жолу)"]
    assert "<h1>Сырсөздү өзгөртүү</h1>" in html.replace("\n", "").replace("    ", "")
    assert not re.search(r"[Кк]упуя", html)
    menu = client.get("/ky/").content.decode()
    assert "Сырсөздү өзгөртүү" in menu and not re.search(r"[Кк]упуя", menu)


def test_the_server_error_page_needs_no_database_and_no_context_processors():
    with translation.override("ky"), CaptureQueriesContext(connection) as queries:
        html = render_to_string("500.html")
    assert not queries.captured_queries
    assert '<html lang="ky">' in html and 'href="/ky/"' in html
    assert "Бир нерсе туура эмес болуп кетти" in html
