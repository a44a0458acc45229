"""Where a certificate's languages show: the verify page, the dashboard, the course page, and
the owner's choice of the language of their certificate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import Certificate
from courses.services.certificates import certificate_issue, certificate_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_completion) -> Certificate:
    enrollment = make_completion(language="ky", name="Айгүл Өмүрбекова")
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


def test_verify_page_shows_the_course_title_and_date_in_the_pages_language(client, certificate):
    assert certificate.issued_at is not None
    day = timezone.localtime(certificate.issued_at).date()
    english = client.get(f"/en/verify/{certificate.public_id}/").content.decode()
    assert "<h1>Demo course</h1>" in english
    assert day.strftime("%B ") + f"{day.day}, {day.year}" in english
    kyrgyz = client.get(f"/ky/verify/{certificate.public_id}/").content.decode()
    assert "<h1>Демо курс</h1>" in kyrgyz
    assert f"{day.day}-" in kyrgyz and f" {day.year}-ж." in kyrgyz


def test_verify_page_offers_the_pdf_in_every_language_of_the_course(client, certificate):
    html = client.get(f"/ru/verify/{certificate.public_id}/").content.decode()
    for code, name in (("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")):
        link = f'href="http://testserver/certificates/{certificate.public_id}.pdf?lang={code}"'
        assert link in html and f">{name}</a>" in html, code
    assert "certificate-language" not in html  # only the owner may change it


def test_dashboard_and_course_page_offer_the_pdf_in_every_language(client, certificate):
    client.force_login(certificate.user)
    for path in ("/en/dashboard/", "/en/courses/demo/"):
        html = client.get(path).content.decode()
        for code in ("ky", "ru", "en"):
            assert f"/certificates/{certificate.public_id}.pdf?lang={code}" in html, (path, code)


def test_owner_changes_the_language_of_the_default_pdf(client, certificate):
    client.force_login(certificate.user)
    page = client.get(f"/en/verify/{certificate.public_id}/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'name="language"' in page
    response = client.post(
        f"/en/verify/{certificate.public_id}/language/", {"language": "ru"}, follow=True
    )
    assert "Your certificate&#x27;s PDF is now in Русский." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.language == "ru"
    pdf = client.get(f"/certificates/{certificate.public_id}.pdf")
    assert pdf["Content-Language"] == "ru"
    assert pdf.content == client.get(f"/certificates/{certificate.public_id}.pdf?lang=ru").content
    assert client.get(f"/certificates/{certificate.public_id}.pdf?lang=ky").content == bytes(
        certificate.pdf
    )  # the PDF issued in Kyrgyz stays as it was


def test_owner_asking_for_a_language_the_course_lacks_is_told_which_there_are(client, certificate):
    client.force_login(certificate.user)
    response = client.post(
        f"/en/verify/{certificate.public_id}/language/", {"language": "de"}, follow=True
    )
    assert (
        "This certificate is not available in the language “de”. "
        "It is available in: Кыргызча, Русский, English."
    ) in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.language == "ky"


def test_only_the_owner_may_change_the_language(client, certificate):
    url = f"/en/verify/{certificate.public_id}/language/"
    anonymous = client.post(url, {"language": "en"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.post(url, {"language": "en"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.language == "ky"


def test_changing_the_language_needs_the_csrf_token(certificate):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(certificate.user)
    url = f"/en/verify/{certificate.public_id}/language/"
    assert browser.post(url, {"language": "en"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.language == "ky"
