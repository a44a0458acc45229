"""Binding a certificate to a key the learner holds, and proving it with verify_certificate."""

import base64
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.utils import timezone
from openbadgeslib.ob3.ldp import OB3LdpVerifier

from courses.credentials import credential as vc
from courses.credentials.holder import did_key
from courses.credentials.keys import private_key_pem, public_key_bytes
from courses.models import Certificate, HolderChallenge
from courses.services import signing
from courses.services.certificates import certificate_issue, certificate_request, certificate_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_completion) -> Certificate:
    enrollment = make_completion(language="ru", name="Бакыт Үсөнов")
    return certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _challenge(client, certificate) -> dict:
    page = client.post(f"/en/verify/{certificate.public_id}/holder-challenge/")
    assert page.status_code == 200
    return page.json()


def _bind(client, certificate, key, *, signer=None, challenge=None, lang="en"):
    given = challenge or _challenge(client, certificate)
    signature = (signer or key).sign(given["message"].encode())
    return client.post(
        f"/{lang}/verify/{certificate.public_id}/holder-key/",
        data=json.dumps(
            {
                "challenge": given["challenge"],
                "public_key": _b64(public_key_bytes(key.public_key())),
                "signature": _b64(signature),
            }
        ),
        content_type="application/json",
    )


def test_owner_binds_a_key_and_the_credential_names_it(client, certificate):
    """The re-issued credential has the did:key as subject, verifies with our verifier and
    openbadgeslib, and the earlier credential is kept and still verifies."""
    key = Ed25519PrivateKey.generate()
    client.force_login(certificate.user)
    earlier = certificate.credential
    page = _bind(client, certificate, key)
    assert page.status_code == 200, page.content
    certificate.refresh_from_db()
    did = did_key(key.public_key())
    assert page.json()["did"] == did == certificate.holder_did
    assert certificate.credential["credentialSubject"]["id"] == did
    assert certificate.credential["credentialStatus"] == earlier["credentialStatus"]
    assert certificate.credential["id"] == earlier["id"]
    assert vc.verify_credential(certificate.credential, public_keys=signing.verification_keys())
    assert certificate.earlier_credentials == [earlier]
    assert vc.verify_credential(earlier, public_keys=signing.verification_keys())
    pem = signing.current_key().public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    OB3LdpVerifier(pubkey_pem=pem).verify(json.dumps(certificate.credential))
    assert did in client.get(f"/ky/verify/{certificate.public_id}/").content.decode()


def test_signature_by_another_key_is_refused(client, certificate):
    """A signature made by another key than the one posted: 400, nothing stored."""
    client.force_login(certificate.user)
    page = _bind(client, certificate, Ed25519PrivateKey.generate(),
                 signer=Ed25519PrivateKey.generate())  # fmt: skip
    assert page.status_code == 400
    assert page.json()["error"] == ("The signature was not made with this key over this challenge.")
    certificate.refresh_from_db()
    assert certificate.holder_did == "" and "id" not in certificate.credential["credentialSubject"]


def test_reused_and_expired_challenges_are_refused(client, certificate):
    """A challenge works once; an expired one not at all."""
    client.force_login(certificate.user)
    key = Ed25519PrivateKey.generate()
    given = _challenge(client, certificate)
    assert _bind(client, certificate, key, challenge=given).status_code == 200
    again = _bind(client, certificate, Ed25519PrivateKey.generate(), challenge=given)
    assert again.status_code == 400
    assert "already used" in again.json()["error"]
    late = _challenge(client, certificate)
    HolderChallenge.objects.filter(challenge=late["challenge"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = _bind(client, certificate, key, challenge=late)
    assert (expired.status_code, expired.json()["code"]) == (400, "expired_challenge")


def test_bad_encoding_and_other_users_are_refused(client, certificate):
    """Bad base64 is a 400 with a message; someone else gets a 404; anonymous is sent to log in."""
    assert client.post(f"/en/verify/{certificate.public_id}/holder-challenge/").status_code == 302
    client.force_login(UserFactory())
    assert client.post(f"/en/verify/{certificate.public_id}/holder-challenge/").status_code == 404
    client.force_login(certificate.user)
    given = _challenge(client, certificate)
    page = client.post(
        f"/en/verify/{certificate.public_id}/holder-key/",
        data=json.dumps({"challenge": given["challenge"], "public_key": "%%%", "signature": "!"}),
        content_type="application/json",
    )
    assert (page.status_code, page.json()["code"]) == (400, "bad_encoding")


def test_holder_proof_is_checked_by_verify_certificate(client, certificate, tmp_path, capsys):
    """A proof by the holder over the challenge passes; another key or challenge fails."""
    key = Ed25519PrivateKey.generate()
    client.force_login(certificate.user)
    assert _bind(client, certificate, key).status_code == 200
    certificate.refresh_from_db()
    (tmp_path / "cert.json").write_text(json.dumps(certificate.credential))
    (tmp_path / "key.pem").write_bytes(private_key_pem(key))
    (tmp_path / "other.pem").write_bytes(private_key_pem(Ed25519PrivateKey.generate()))

    def proof(key_file: str, name: str) -> str:
        call_command("certificate_holder_proof", str(tmp_path / "cert.json"),
                     key=str(tmp_path / key_file), challenge="n-42", domain="hr.kg")  # fmt: skip
        (tmp_path / name).write_text(capsys.readouterr().out)
        return str(tmp_path / name)

    good = proof("key.pem", "good.json")
    call_command("verify_certificate", holder_proof=good, challenge="n-42", domain="hr.kg")
    assert "holder proved" in capsys.readouterr().out
    with pytest.raises(CommandError, match="other challenge"):
        call_command("verify_certificate", holder_proof=good, challenge="n-43", domain="hr.kg")
    with pytest.raises(CommandError, match="holder is not the certificate"):
        call_command("verify_certificate", holder_proof=proof("other.pem", "bad.json"),
                     challenge="n-42", domain="hr.kg")  # fmt: skip


def test_section_offers_binding_to_the_owner_only_and_explains_without_javascript(
    client, certificate
):
    """The owner sees the button (hidden until the script runs) and a noscript explanation;
    a visitor sees neither, only how a holder proves the certificate is theirs."""
    url = f"/en/verify/{certificate.public_id}/"
    visitor = client.get(url).content.decode()
    assert "holder-key-make" not in visitor and "certificate_holder_proof" in visitor
    client.force_login(certificate.user)
    owner = client.get(url).content.decode()
    assert 'id="holder-key-make" hidden' in owner
    assert "Binding a key needs JavaScript" in owner
    assert "js/holder_key" in owner and "<script>" not in owner


def test_too_many_attempts_are_refused(client, certificate):
    """After the limit, the owner gets a 429 with a message and no new challenge."""
    client.force_login(certificate.user)
    for _attempt in range(20):
        _challenge(client, certificate)
    page = client.post(f"/en/verify/{certificate.public_id}/holder-challenge/")
    assert page.status_code == 429
    assert page.json()["error"].startswith("Too many attempts")
    assert HolderChallenge.objects.filter(certificate=certificate).count() == 20


def test_a_revoked_certificate_cannot_be_bound(client, certificate):
    """The owner of a revoked certificate is told why no key can be bound."""
    certificate_revoke(certificate=certificate, reason="test")
    client.force_login(certificate.user)
    page = client.post(f"/en/verify/{certificate.public_id}/holder-challenge/")
    assert (page.status_code, page.json()["code"]) == (400, "not_issued")
    assert "revoked" in page.json()["error"]
