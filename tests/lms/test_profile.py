"""The learner edits the name printed on certificates and their preferred language."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_needs_login(client):
    response = client.get("/ru/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/login/?next=/ru/accounts/profile/"


def test_saving_the_profile_switches_to_the_chosen_language(client):
    user = UserFactory(name="Old Name", language="ky")
    client.force_login(user)
    response = client.post("/ky/accounts/profile/", {"name": "  Жылдыз Бекова ", "language": "ru"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/profile/"
    assert response.cookies["bilim_language"].value == "ru"
    user.refresh_from_db()
    assert (user.name, user.language) == ("Жылдыз Бекова", "ru")
    page = client.get(response["Location"]).content.decode()
    assert "Профиль сохранён." in page


def test_profile_rejects_an_unknown_language_and_changes_nothing(client):
    user = UserFactory(name="Асан", language="ky")
    client.force_login(user)
    response = client.post("/en/accounts/profile/", {"name": "Other", "language": "kg"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    user.refresh_from_db()
    assert (user.name, user.language) == ("Асан", "ky")


def test_profile_page_is_in_the_account_layout(client):
    client.force_login(UserFactory())
    html = client.get("/ky/accounts/profile/").content.decode()
    assert 'class="account-nav"' in html
    assert 'name="csrfmiddlewaretoken"' in html
