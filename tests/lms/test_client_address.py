"""The client's address behind our proxy: every rate limit counts clients, not the proxy, and
no client that talks to the site directly can pick an address with X-Forwarded-For.

Through the real allauth views and the join page, as the test client sends them: REMOTE_ADDR
is the proxy's address and X-Forwarded-For ends with the address the proxy was reached from.
"""

import json
import logging
import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from courses.models import CourseSource
from lms.clientip import client_address
from tests.conftest import ROOT
from tests.factories import PASSWORD, UserFactory
from tests.webhooks import push_payload, signed_headers

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
MALLORY = "203.0.113.66"
ALICE = "198.51.100.7"
TOO_MANY_LOGINS = "Too many failed login attempts. Try again later."


@pytest.fixture
def behind_proxy(settings):
    """BEHIND_PROXY=true: one proxy of ours appends the client's address."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def direct(settings):
    """gunicorn reached directly: no proxy is trusted."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0


def via_proxy(address: str, claimed: str = "") -> dict[str, str]:
    """What gunicorn sees of a request that came through the proxy from ``address``, whose
    sender put ``claimed`` in its own X-Forwarded-For."""
    forwarded = f"{claimed}, {address}" if claimed else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def bad_webhook(client, **meta: str):
    """A push to the "basics" source signed with the wrong secret."""
    source = CourseSource.objects.create(name="basics", repository_url="/srv/basics")
    body = json.dumps(push_payload(branch="main", commit="c" * 40, host="github")).encode()
    headers = signed_headers(host="github", secret="wrong", body=body)
    return client.post(f"/hooks/git/{source.name}/", body, content_type="application/json",
                       **headers, **meta)  # fmt: skip


def fail_login(client, n: int, **meta: str):
    """A failed login for an address of its own (the per-address limit, not the per-account
    one: five failures for one account lock that account whoever sends them)."""
    return client.post(
        "/en/accounts/login/", {"login": f"nobody{n}@example.org", "password": "nope"}, **meta
    )


def trusted_proxies(**environment: str) -> str:
    """TRUSTED_PROXY_COUNT and allauth's, as lms/settings.py reads them from ``environment``."""
    unset = {"DEBUG", "BEHIND_PROXY", "TRUSTED_PROXY_COUNT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="lms.settings", **environment)
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "print(s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT)")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_one_proxy_is_trusted_behind_a_proxy_none_otherwise_and_allauth_agrees():
    assert trusted_proxies() == "0 0"
    assert trusted_proxies(BEHIND_PROXY="true") == "1 1"
    assert trusted_proxies(BEHIND_PROXY="true", TRUSTED_PROXY_COUNT="2") == "2 2"


# --- the function -----------------------------------------------------------------------

CASES = [
    # (trusted proxies, REMOTE_ADDR, X-Forwarded-For, client address)
    (0, PROXY, None, PROXY),
    (0, "192.0.2.9", "203.0.113.66", "192.0.2.9"),  # no proxy trusted: the header is ignored
    (1, PROXY, None, PROXY),  # a request that did not pass the proxy (a health check)
    (1, PROXY, "", PROXY),
    (1, PROXY, "198.51.100.7", "198.51.100.7"),
    (1, PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the left entry is the client's say
    (1, PROXY, "1.2.3.4,198.51.100.7", "198.51.100.7"),
    (2, PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.1", "198.51.100.7"),  # load balancer + nginx
    (1, PROXY, "198.51.100.7:51234", "198.51.100.7"),
    (1, PROXY, "2001:db8::7", "2001:db8::7"),
    (1, PROXY, "[2001:DB8::7]:51234", "2001:db8::7"),
]
# Headers no proxy of ours writes: allauth answers them with an error page; we fall back to
# the nearest address we know.
FALLBACKS = [
    (2, PROXY, "198.51.100.7", "198.51.100.7"),  # fewer entries than proxies
    (1, PROXY, "not-an-address", PROXY),
]


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "expected"), CASES + FALLBACKS)
def test_the_client_address_is_the_entry_our_outermost_proxy_wrote(
    settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **meta)) == expected


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "expected"), CASES)
def test_allauth_finds_the_same_address_with_the_same_setting(
    settings, trusted, remote, forwarded, expected
):
    """allauth's limits (logins, sign-ups, resets) count the same client as ours do."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    assert get_adapter(request).get_client_ip(request) == client_address(request) == expected


# --- behind the proxy: one client's failures never hold back another ---------------------


def test_behind_a_proxy_one_clients_failed_logins_do_not_lock_out_another(client, behind_proxy):
    UserFactory(email="alice@example.org")
    for n in range(10):
        fail_login(client, n, **via_proxy(MALLORY))
    refused = fail_login(client, 10, **via_proxy(MALLORY))
    assert TOO_MANY_LOGINS in refused.content.decode()  # Mallory is still limited

    response = client.post(
        "/en/accounts/login/",
        {"login": "alice@example.org", "password": PASSWORD},
        **via_proxy(ALICE),
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_a_proxy_an_address_made_up_by_the_client_does_not_escape_the_limit(
    client, behind_proxy
):
    """Mallory puts a new address in her own X-Forwarded-For each time; the proxy appends
    hers after it, and hers is the one counted."""
    for n in range(10):
        fail_login(client, n, **via_proxy(MALLORY, claimed=f"192.0.2.{n}"))
    refused = fail_login(client, 10, **via_proxy(MALLORY, claimed="192.0.2.99"))
    assert TOO_MANY_LOGINS in refused.content.decode()


def test_behind_a_proxy_one_clients_sign_ups_do_not_hold_back_another(client, behind_proxy,
                                                                      settings):  # fmt: skip
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for n in range(2):
        client.post("/en/accounts/signup/", {"email": f"m{n}@example.org"}, **via_proxy(MALLORY))
    refused = client.post("/en/accounts/signup/", {"email": "m3@example.org"},
                          **via_proxy(MALLORY))  # fmt: skip
    assert refused.status_code == 429

    response = client.post(
        "/en/accounts/signup/",
        {"email": "alice@example.org", "name": "Alice", "password1": PASSWORD,
         "password2": PASSWORD},
        **via_proxy(ALICE),
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"


def test_behind_a_proxy_one_visitors_join_codes_do_not_hold_back_another(client, behind_proxy):
    statuses = [
        client.get("/en/join/", {"code": "ZZZZZZZZ"}, **via_proxy(MALLORY)).status_code
        for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    response = client.get("/en/join/", {"code": "ZZZZZZZZ"}, **via_proxy(ALICE))
    assert response.status_code == 200
    assert "No cohort has this code." in response.content.decode()


def test_behind_a_proxy_a_rejected_webhook_logs_the_senders_address(client, behind_proxy,
                                                                    caplog):  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="courses.views.hooks"):
        response = bad_webhook(client, **via_proxy(MALLORY))
    assert response.status_code == 403
    assert f"rejected webhook for basics from {MALLORY}:" in caplog.text


# --- directly: the header is the client's own say and changes nothing ----------------------


def test_directly_a_forged_header_does_not_escape_the_login_limit(client, direct):
    for n in range(10):
        fail_login(client, n, REMOTE_ADDR=MALLORY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    refused = fail_login(client, 10, REMOTE_ADDR=MALLORY, HTTP_X_FORWARDED_FOR=ALICE)
    assert TOO_MANY_LOGINS in refused.content.decode()


def test_directly_a_forged_header_does_not_escape_the_sign_up_limit(client, direct, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    statuses = [
        client.post("/en/accounts/signup/", {"email": f"m{n}@example.org"},
                    REMOTE_ADDR=MALLORY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]  # fmt: skip
    assert statuses[-1] == 429


def test_directly_a_forged_header_does_not_escape_the_join_code_limit(client, direct):
    statuses = [
        client.get("/en/join/", {"code": "ZZZZZZZZ"}, REMOTE_ADDR=MALLORY,
                   HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(11)
    ]  # fmt: skip
    assert statuses == [200] * 10 + [429]


def test_directly_a_forged_header_does_not_blame_another_address_for_a_webhook(
    client, direct, caplog
):
    with caplog.at_level(logging.WARNING, logger="courses.views.hooks"):
        bad_webhook(client, REMOTE_ADDR=MALLORY, HTTP_X_FORWARDED_FOR=ALICE)
    assert f"from {MALLORY}:" in caplog.text
    assert ALICE not in caplog.text
