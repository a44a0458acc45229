"""The name a learner types at sign-up and in the profile, as certificates will print it:
runs of whitespace (line breaks too) become one space; control and invisible characters are
refused with a message in the page's language; at most 150 characters."""

import pytest

from lms.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

UNPRINTABLE = {
    "en": "The name contains an invisible or control character. Please type it again.",
    "ru": "В имени есть невидимый или управляющий символ. Пожалуйста, введите его заново.",
    "ky": "Атта көрүнбөгөн же башкаруучу белги бар. Аны кайра териңиз.",
}


def sign_up(client, name: str, lang: str = "en"):
    return client.post(f"/{lang}/accounts/signup/", {
        "email": "aida@example.org", "name": name, "password1": PASSWORD, "password2": PASSWORD,
    })  # fmt: skip


def test_line_breaks_and_runs_of_spaces_in_a_new_name_become_one_space(client):
    response = sign_up(client, "  Аида\r\n\r\nТоктогулова\t ")
    assert response.status_code == 302
    assert User.objects.get(email="aida@example.org").name == "Аида Токтогулова"


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
@pytest.mark.parametrize("name", ["Аида\x07", "Аида\x00", "Аида\u202eавоклуготкоТ", "А\u200bида"])
def test_a_name_with_a_control_or_invisible_character_is_refused_at_sign_up(client, lang, name):
    response = sign_up(client, name, lang)
    assert response.status_code == 200
    assert UNPRINTABLE[lang] in response.content.decode()
    assert not User.objects.filter(email="aida@example.org").exists()


def test_a_name_longer_than_150_characters_is_refused_but_spaces_do_not_count(client):
    assert sign_up(client, "А" * 151).status_code == 200
    assert not User.objects.exists()
    response = sign_up(client, "Аида" + " " * 300 + "Токтогулова")
    assert response.status_code == 302
    assert User.objects.get().name == "Аида Токтогулова"


def test_the_profile_collapses_a_name_and_refuses_control_characters(client):
    user = UserFactory(name="Асан", language="ru")
    client.force_login(user)
    response = client.post("/ru/accounts/profile/", {"name": "Асан\x1b[31m", "language": "ru"})
    assert response.status_code == 200
    assert UNPRINTABLE["ru"] in response.content.decode()
    user.refresh_from_db()
    assert user.name == "Асан"
    response = client.post("/ru/accounts/profile/", {"name": "Асан\nУсонов", "language": "ru"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Асан Усонов"


def test_the_profile_may_still_leave_the_name_empty(client):
    """Certificates then carry the e-mail address, as before."""
    user = UserFactory(name="Асан", language="en")
    client.force_login(user)
    assert (
        client.post("/en/accounts/profile/", {"name": " \n ", "language": "en"}).status_code == 302
    )
    user.refresh_from_db()
    assert user.name == ""
