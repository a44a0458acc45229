"""The verify page as an employer sees it: the certificate's picture first, its state, link
previews, "Add to LinkedIn" and the technical details folded away."""

import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from courses.models import Certificate
from courses.services.certificates import (
    certificate_issue,
    certificate_request,
    certificate_revoke,
)

pytestmark = pytest.mark.django_db

STATES = {"ky": "Жарактуу", "ru": "Действителен", "en": "Valid certificate"}


@pytest.fixture
def certificate(make_completion) -> Certificate:
    enrollment = make_completion(language="en", name="Бакыт Үсөнов")
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


def _meta(html: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert found, key
    return unescape(found.group(1))


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_verify_page_leads_with_the_picture_and_folds_the_technical_details(
    client, certificate, language
):
    """The picture (with its size and a description) comes before the facts; the commit and
    the key sit in a closed <details>."""
    html = client.get(f"/{language}/verify/{certificate.public_id}/").content.decode()
    image = re.search(r'<img src="([^"]+)" width="1200" height="630" alt="([^"]+)"', html)
    assert image, "no picture"
    assert image.group(1).startswith(f"/certificates/{certificate.public_id}.png")
    assert "Бакыт Үсөнов" in unescape(image.group(2))
    assert html.index("verify-card") < html.index('class="facts"')
    assert "verify-status valid" in html
    details = re.search(r'<details class="verify-technical">(.*?)</details>', html, re.S)
    assert details, "no technical details"
    assert certificate.commit[:12] in details.group(1)
    assert certificate.key_fingerprint in details.group(1)
    assert certificate.commit[:12] not in html.replace(details.group(1), "")


def test_revoked_certificate_shows_its_picture_and_state(client, certificate):
    certificate_revoke(certificate=certificate, reason="Ошибка")
    html = client.get(f"/ru/verify/{certificate.public_id}/").content.decode()
    assert "verify-status revoked" in html
    assert "verify-card revoked" in html


def test_link_previews_have_absolute_urls_and_a_large_image(client, certificate, settings):
    settings.SITE_URL = "https://academy.example"
    html = client.get(f"/ru/verify/{certificate.public_id}/").content.decode()
    assert _meta(html, "og:image") == (
        f"https://academy.example/certificates/{certificate.public_id}.png?lang=ru"
    )  # the page's language, which the course comes in
    assert _meta(html, "twitter:image") == _meta(html, "og:image")
    assert _meta(html, "og:url") == f"https://academy.example/ru/verify/{certificate.public_id}/"
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert "Бакыт Үсөнов" in _meta(html, "og:title")
    assert "Бакыт Үсөнов" in _meta(html, "og:description")


@pytest.mark.parametrize("revoke", [False, True])
def test_picture_endpoint_returns_a_png_for_issued_and_revoked(client, certificate, revoke):
    if revoke:
        certificate_revoke(certificate=certificate, reason="Ошибка")
    response = client.get(f"/certificates/{certificate.public_id}.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_picture_endpoint_is_404_for_unknown_and_pending(client, make_completion):
    pending = certificate_request(enrollment=make_completion())
    assert client.get(f"/certificates/{pending.public_id}.png").status_code == 404
    unknown = "3f1c8c1e-5d7b-4bde-9a55-4b1b0c1f2a3b"
    assert client.get(f"/certificates/{unknown}.png").status_code == 404


def test_linkedin_link_fills_every_field_of_the_certification_form(client, certificate):
    html = client.get(f"/en/verify/{certificate.public_id}/").content.decode()
    link = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html)
    assert link, "no LinkedIn link"
    query = {k: v[0] for k, v in parse_qs(urlsplit(unescape(link.group(1))).query).items()}
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": certificate.issuer_name,
        "issueYear": str(certificate.issued_at.year),
        "issueMonth": str(certificate.issued_at.month),
        "certUrl": query["certUrl"],
        "certId": str(certificate.public_id),
    }
    assert query["certUrl"].endswith(f"/verify/{certificate.public_id}/")
    assert query["certUrl"].startswith(("http://", "https://"))
