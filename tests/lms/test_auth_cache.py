"""The logged-in user comes from the cache, and every change to them is seen at once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from lms.auth import user_cache_key, user_forget
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _user_cache(settings):
    """On as with Redis; the local-memory cache of this one process serves as well here."""
    settings.USER_CACHE = True


ABOUT = "/en/about/"
PROFILE = "/en/accounts/profile/"


def menu_name(client) -> str:
    html = client.get(ABOUT).content.decode()
    start = html.index('<span class="menu-user">') + len('<span class="menu-user">')
    return html[start : html.index("</span>", start)]


def test_a_logged_in_page_reads_the_user_once_then_from_the_cache(client):
    from django.db import connection

    user = UserFactory(name="Aida Toktogulova")
    client.force_login(user)
    assert menu_name(client) == "Aida"
    with CaptureQueriesContext(connection) as queries:
        assert menu_name(client) == "Aida"
    assert not any('FROM "lms_user"' in query["sql"] for query in queries)


def test_a_saved_change_shows_on_the_next_page(client):
    user = UserFactory(name="Aida Toktogulova")
    client.force_login(user)
    assert menu_name(client) == "Aida"
    user.name = "Bermet Asanova"
    user.save()
    assert menu_name(client) == "Bermet"


def test_a_password_changed_elsewhere_ends_this_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(PROFILE).status_code == 200
    user.set_password("another-" + PASSWORD)
    user.save()
    response = client.get(PROFILE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_or_deleted_account_is_logged_out_at_once(client):
    for end in ("deactivate", "delete"):
        user = UserFactory()
        client.force_login(user)
        assert client.get(PROFILE).status_code == 200
        if end == "deactivate":
            user.is_active = False
            user.save()
        else:
            user.delete()
        assert client.get(PROFILE).status_code == 302, end


def test_a_change_written_without_a_signal_is_seen_once_forgotten(client):
    user = UserFactory(name="Aida")
    client.force_login(user)
    assert menu_name(client) == "Aida"
    get_user_model().objects.filter(pk=user.pk).update(name="Bermet")
    assert menu_name(client) == "Aida"  # what the warning in lms/auth.py is about
    user_forget(user.pk)
    assert menu_name(client) == "Bermet"


def test_a_copy_cached_while_a_change_was_uncommitted_is_dropped_at_commit(
    django_capture_on_commit_callbacks,
):
    """A request that reads the user between the save and the commit caches the row as it
    was; the commit forgets it again."""
    user = UserFactory(name="Aida")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        user.name = "Bermet"
        user.save()
        stale = get_user_model()(pk=user.pk, email=user.email, name="Aida")
        cache.set(user_cache_key(user.pk), stale)
    assert cache.get(user_cache_key(user.pk)) is None


def test_the_session_and_its_user_are_read_in_one_round_trip(
    client, redis_url, settings, monkeypatch
):
    """After the first page, a logged-in page asks Redis once: the session and the user
    together."""
    import redis.client

    if settings.SESSION_ENGINE != "lms.sessions":
        pytest.skip("sessions are not in Redis")
    user = UserFactory(name="Aida")
    client.force_login(user)
    assert menu_name(client) == "Aida"
    sent = []
    original = redis.client.Redis.execute_command

    def spy(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    with monkeypatch.context() as patched:
        patched.setattr(redis.client.Redis, "execute_command", spy)
        assert menu_name(client) == "Aida"
    assert sent == ["MGET"]
    user.name = "Bermet"
    user.save()
    assert menu_name(client) == "Bermet"


def test_without_a_shared_cache_the_user_is_read_from_the_database(client, settings):
    from django.db import connection

    settings.USER_CACHE = False
    user = UserFactory(name="Aida Toktogulova")
    client.force_login(user)
    menu_name(client)
    with CaptureQueriesContext(connection) as queries:
        assert menu_name(client) == "Aida"
    assert any('FROM "lms_user"' in query["sql"] for query in queries)
