"""The base layout: small, self-contained, accessible pages with hashed static files."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_load_nothing_from_other_sites(client):
    html = client.get("/ky/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # The layout works without JavaScript; it loads one small deferred script that offers
    # the offline features (static/js/offline/boot.js) and nothing else.
    scripts = re.findall(r"<script[^>]*>", html)
    assert len(scripts) == 1, scripts
    assert re.match(r'<script src="/static/js/offline/boot\.[0-9a-f]{12}\.js" ', scripts[0])
    assert scripts[0].endswith(" defer>")


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
    assert len(body) < 13_000, "keep the one stylesheet small (the design system aims at 12 KB)"


def test_home_page_is_small(client):
    """The home page's HTML, as it travels (gzip), stays a small part of the 60 KB a first
    visit may transfer."""
    import gzip

    assert len(gzip.compress(client.get("/ky/").content)) < 8_000


def test_home_page_title_has_a_separator(client):
    html = client.get("/en/").content.decode()
    assert "<title>Bilim · Learn blockchain in your language</title>" in html


def test_header_offers_log_in_and_sign_up_to_visitors_returning_to_the_same_page(client):
    html = client.get("/ky/accounts/password/reset/").content.decode()
    assert 'href="/ky/accounts/login/?next=/ky/accounts/password/reset/"' in html
    assert 'href="/ky/accounts/signup/?next=/ky/accounts/password/reset/"' in html


def test_header_shows_the_account_menu_with_a_post_logout(client):
    client.force_login(UserFactory(name="Нурлан Садыков", email="n@example.org"))
    html = client.get("/ky/").content.decode()
    summary = re.search(r'<details class="site-menu">\s*<summary>(.*?)</summary>', html).group(1)
    assert '<span class="menu-user">Нурлан</span>' in summary
    assert '<span class="menu-lang">KY</span>' in summary
    assert 'action="/ky/accounts/logout/" method="post"' in html


def test_a_new_learner_is_welcomed_and_one_with_a_course_welcomed_back(client, demo_course):
    """A learner who has started a course is welcomed back and offered to continue it; a new
    one is welcomed."""
    from courses.services.learning import enrollment_create

    user = UserFactory(name="Нурлан Садыков")
    client.force_login(user)
    html = client.get("/en/").content.decode()
    assert "Welcome to Bilim, Нурлан!" in html
    assert "Welcome back" not in html
    assert ">Start learning</a>" in html
    enrollment_create(user=user, course=demo_course)
    html = client.get("/en/").content.decode()
    assert "Welcome back, Нурлан." in html
    assert 'href="/en/courses/demo/">Continue “Demo course”</a>' in html
    assert "Кайра кош келиңиз, Нурлан." in client.get("/ky/").content.decode()


def test_the_home_page_features_courses_and_points_to_the_glossary_and_universities(
    client, demo_course
):
    html = client.get("/ru/").content.decode()
    featured = re.search(r'aria-labelledby="featured-title">.*?</section>', html, re.S).group(0)
    assert '<a href="/ru/courses/demo/">Демо курс</a>' in featured
    assert 'class="cover-art' in featured or 'class="cover"' in featured
    assert 'href="/ru/about/#universities"' in html
    assert 'id="universities"' in client.get("/ru/about/").content.decode()


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
