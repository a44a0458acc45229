"""In Chromium, the owner of a certificate binds it to a key their browser makes, saves the
key, and proves with it that the certificate is theirs."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.utils import timezone
from openbadgeslib.ob3.ldp import OB3LdpVerifier

from courses.credentials import credential as vc
from courses.models import Certificate, Enrollment
from courses.services import signing
from courses.services.certificates import certificate_issue, certificate_request
from tests.e2e.test_accessibility import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_binds_a_key_made_in_the_browser(demo_course, live_server, page, tmp_path, capsys):
    """Click, the key is made and saved, the server records its did:key, the credential names
    it and verifies (ours and openbadgeslib), and the saved key makes a holder proof."""
    user = UserFactory(name="Айгүл Өмүрбекова", language="ky")
    enrollment = Enrollment.objects.create(
        user=user, course=demo_course, completed_at=timezone.now()
    )
    certificate = certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)
    log_in(page.context, live_server, user)
    page.goto(f"{live_server.url}/ky/verify/{certificate.public_id}/")
    page.locator("#holder-key-make").click()
    page.wait_for_selector("#holder-key-status[data-did]")
    did = page.locator("#holder-key-status").get_attribute("data-did")
    with page.expect_download() as download:
        page.locator("#holder-key-jwk").click()
    key_file = tmp_path / "key.jwk.json"
    download.value.save_as(key_file)
    assert json.loads(key_file.read_text())["kty"] == "OKP"

    certificate = Certificate.objects.get(pk=certificate.pk)
    assert did.startswith("did:key:z6Mk") and certificate.holder_did == did
    assert certificate.credential["credentialSubject"]["id"] == did
    assert vc.verify_credential(certificate.credential, public_keys=signing.verification_keys())
    pem = signing.current_key().public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    OB3LdpVerifier(pubkey_pem=pem).verify(json.dumps(certificate.credential))

    (tmp_path / "cert.json").write_text(json.dumps(certificate.credential))
    capsys.readouterr()
    call_command("certificate_holder_proof", str(tmp_path / "cert.json"), key=str(key_file),
                 challenge="n-7", domain="hr.kg")  # fmt: skip
    (tmp_path / "proof.json").write_text(capsys.readouterr().out)
    call_command("verify_certificate", holder_proof=str(tmp_path / "proof.json"),
                 challenge="n-7", domain="hr.kg")  # fmt: skip
    assert did in capsys.readouterr().out
