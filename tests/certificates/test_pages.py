"""The public side of certificates: verification page, downloads, keys, status lists, API."""

import json

import pytest

from courses.credentials import keys as vckeys
from courses.models import Certificate
from courses.services.certificates import (
    certificate_issue,
    certificate_request,
    certificate_revoke,
    status_lists_refresh,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_completion) -> Certificate:
    enrollment = make_completion(language="ru", name="Бакыт Үсөнов")
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


def test_verify_page_shows_holder_course_date_issuer_status_and_key(client, certificate):
    page = client.get(f"/ky/verify/{certificate.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Бакыт Үсөнов", certificate.course_title, certificate.key_fingerprint,
                 certificate.commit[:12], f"/certificates/{certificate.public_id}.pdf",
                 f"/certificates/{certificate.public_id}.json", "verify-status valid",
                 'property="og:title"', "linkedin.com/profile/add"):  # fmt: skip
        assert text in html, text


def test_unknown_certificate_gets_a_clear_404(client):
    page = client.get("/en/verify/3f1c8c1e-5d7b-4bde-9a55-4b1b0c1f2a3b/")
    assert page.status_code == 404
    assert "Certificate not found" in page.content.decode()
    assert client.get("/certificates/3f1c8c1e-5d7b-4bde-9a55-4b1b0c1f2a3b.pdf").status_code == 404
    assert client.get("/en/verify/not-a-uuid/").status_code == 404


def test_pdf_and_json_downloads(client, certificate):
    pdf = client.get(f"/certificates/{certificate.public_id}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    credential = client.get(f"/certificates/{certificate.public_id}.json")
    assert credential["Content-Type"] == "application/vc+ld+json"
    assert json.loads(credential.content) == certificate.credential


def test_pending_certificate_is_announced_but_not_downloadable(client, make_completion):
    pending = certificate_request(enrollment=make_completion())
    page = client.get(f"/en/verify/{pending.public_id}/")
    assert page.status_code == 200
    assert "being issued" in page.content.decode()
    assert client.get(f"/certificates/{pending.public_id}.pdf").status_code == 404


def test_did_document_publishes_the_current_and_retired_keys(client, certificate, settings):
    old = vckeys.generate_private_key().public_key()
    settings.CERTIFICATE_RETIRED_KEYS = [f"key-0={vckeys.public_key_multibase(old)}"]
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == "did:web:testserver"
    methods = [m["id"] for m in document["verificationMethod"]]
    assert methods == ["did:web:testserver#key-1", "did:web:testserver#key-0"]
    assert certificate.credential["proof"]["verificationMethod"] == methods[0]


def test_revoked_certificate_shows_date_and_reason_and_the_list_has_its_bit(client, certificate):
    certificate_revoke(certificate=certificate, reason="Списывание на экзамене")
    status_lists_refresh()
    html = client.get(f"/ru/verify/{certificate.public_id}/").content.decode()
    assert "verify-status revoked" in html
    assert "Списывание на экзамене" in html
    status = client.get(f"/status/{certificate.status_list.name}")
    assert status.status_code == 200
    assert status.json()["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]


def test_admin_revokes_with_a_reason(client, certificate):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = "/admin/courses/certificate/"
    form = client.post(url, {"action": "revoke", "_selected_action": [certificate.pk]})
    assert form.status_code == 200 and "reason" in form.content.decode()
    client.post(url, {"action": "revoke", "_selected_action": [certificate.pk], "apply": "1",
                      "reason": "Issued by mistake"})  # fmt: skip
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_reason) == ("revoked", "Issued by mistake")


def test_dashboard_and_course_page_link_the_certificate(client, certificate):
    client.force_login(certificate.user)
    for path in ("/en/dashboard/", "/en/courses/demo/"):
        html = client.get(path).content.decode()
        assert certificate.get_absolute_url().replace("/ky/", "/en/") in html or (
            str(certificate.public_id) in html
        ), path


def test_api_lists_my_certificates_pending_then_issued(client, make_completion):
    enrollment = make_completion()
    pending = certificate_request(enrollment=enrollment)
    client.force_login(enrollment.user)
    rows = client.get("/api/v1/me/certificates?lang=en").json()
    assert [(r["id"], r["status"], r["pdf_url"]) for r in rows] == [
        (str(pending.public_id), "pending", None)
    ]
    certificate_issue(certificate_id=pending.pk)
    row = client.get("/api/v1/me/certificates?lang=en").json()[0]
    assert row["status"] == "issued"
    assert row["pdf_url"].endswith(f"/certificates/{pending.public_id}.pdf")
    assert row["verify_url"].endswith(f"/verify/{pending.public_id}/")
    assert row["issued_at"]
