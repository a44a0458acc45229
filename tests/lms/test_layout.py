"""The base layout: small, self-contained, accessible pages with hashed static files."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_load_nothing_from_other_sites(client):
    html = client.get("/ky/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html  # the layout works without JavaScript


def test_stylesheet_is_hashed_compressed_and_cached_for_a_year(client):
    html = client.get("/ru/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href)
    response = client.get(href, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert len(body) < 6_000, "keep the one stylesheet small"


def test_home_page_is_small(client):
    assert len(client.get("/ky/").content) < 12_000


def test_header_offers_log_in_and_sign_up_to_visitors_returning_to_the_same_page(client):
    html = client.get("/ky/accounts/password/reset/").content.decode()
    assert 'href="/ky/accounts/login/?next=/ky/accounts/password/reset/"' in html
    assert 'href="/ky/accounts/signup/?next=/ky/accounts/password/reset/"' in html


def test_header_shows_the_account_menu_with_a_post_logout(client):
    client.force_login(UserFactory(name="Нурлан Садыков", email="n@example.org"))
    html = client.get("/ky/").content.decode()
    assert "<summary>Нурлан</summary>" in html
    assert 'action="/ky/accounts/logout/" method="post"' in html
    assert "Кайра кош келиңиз, Нурлан." in html


def test_staff_see_the_administration_link(client):
    client.force_login(UserFactory(is_staff=True))
    assert 'href="/admin/"' in client.get("/en/").content.decode()


def test_missing_page_is_a_translated_404_in_the_layout(client):
    response = client.get("/ky/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Барак табылган жок" in html
    assert 'class="site-header"' in html


def test_admin_is_served(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
