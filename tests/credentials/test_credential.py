"""Open Badges 3.0 credentials: shape, signing, and every way verification says no."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError

from courses.credentials.canonical import UndefinedTermsError, UnknownContextError, undefined_terms
from courses.credentials.credential import (
    credential_for_email,
    email_identity_hash,
    sign_credential,
    verify_credential,
)
from courses.credentials.integrity import add_proof
from courses.credentials.keys import generate_private_key
from tests.credentials.conftest import SIGNED_AT, make_credential


def _keys(key: Ed25519PrivateKey, method: str) -> dict[str, Any]:
    return {method: key.public_key()}


def test_credential_has_the_open_badges_shape():
    """The credential names VC 2.0 and OB 3.0.3 contexts, a did:web issuer and a status entry."""
    credential = make_credential()
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:academy.kg"
    assert credential["validFrom"] == "2026-11-21T09:30:00Z"
    subject = credential["credentialSubject"]
    assert subject["achievement"]["version"] == "0123456789abcdef0123456789abcdef01234567"
    assert subject["achievement"]["inLanguage"] == "ky"
    assert subject["source"]["name"] == "Кыргыз улуттук университети"
    assert credential["credentialStatus"] == {
        "id": "https://academy.kg/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://academy.kg/status/1",
    }


def test_credential_uses_only_terms_the_contexts_define():
    """Every field is defined by the pinned contexts, so every field is signed."""
    assert undefined_terms(make_credential()) == []
    assert undefined_terms(make_credential(university=None)) == []


def test_email_is_hashed_with_its_salt_never_in_clear():
    """The learner's e-mail appears only as sha256$hex(lower-cased e-mail + salt)."""
    credential = make_credential()
    assert "aigul@example.kg" not in json.dumps(credential).lower()
    email_identity = credential["credentialSubject"]["identifier"][0]
    assert email_identity["identityHash"] == email_identity_hash(
        email="aigul@example.kg", salt="5f1c0e2a9b7d4c3e8a6f0b1d2c3e4f50"
    )
    assert email_identity["identityHash"].startswith("sha256$")
    assert credential_for_email(credential, email=" AIGUL@example.kg ")
    assert not credential_for_email(credential, email="someone@example.kg")


def test_signed_credential_verifies(signed, issuer_key, method):
    """A freshly signed credential verifies with the issuer's key, and within its dates."""
    result = verify_credential(
        signed, public_keys=_keys(issuer_key, method), now=datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert result.ok, result.reason
    assert signed["proof"]["proofValue"].startswith("z")
    assert signed["proof"]["created"] == "2026-11-21T09:31:00Z"


def test_signing_is_deterministic(issuer_key, method):
    """Ed25519 over canonical RDF: the same credential signs to the same proof value."""
    one = sign_credential(
        make_credential(), private_key=issuer_key, verification_method=method, created=SIGNED_AT
    )
    two = sign_credential(
        make_credential(), private_key=issuer_key, verification_method=method, created=SIGNED_AT
    )
    assert one == two


def test_key_order_and_whitespace_do_not_matter(signed, issuer_key, method):
    """The proof covers the RDF dataset, so re-serialising the JSON keeps it valid."""
    reordered = json.loads(json.dumps(signed, sort_keys=True, indent=4))
    assert verify_credential(reordered, public_keys=_keys(issuer_key, method)).ok


TAMPERING = {
    "learner name": lambda d: d["credentialSubject"]["identifier"][1].update(
        identityHash="Жаңы Адам"
    ),
    "issue date": lambda d: d.update(validFrom="2025-01-01T00:00:00Z"),
    "course title": lambda d: d["credentialSubject"]["achievement"].update(name="Башка курс"),
    "course commit": lambda d: d["credentialSubject"]["achievement"].update(version="f" * 40),
    "added defined field": lambda d: d.update(description="Extra words"),
    "issuer name": lambda d: d["issuer"].update(name="Fake Academy"),
    "university removed": lambda d: d["credentialSubject"].pop("source"),
    "status index": lambda d: d["credentialStatus"].update(statusListIndex="1"),
    "proof created": lambda d: d["proof"].update(created="2020-01-01T00:00:00Z"),
}


@pytest.mark.parametrize("change", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampered_credential_is_rejected(signed, issuer_key, method, change):
    """Any change to a signed field gives "proof does not match the document"."""
    document = copy.deepcopy(signed)
    change(document)
    result = verify_credential(document, public_keys=_keys(issuer_key, method))
    assert (result.ok, result.code) == (False, "signature_mismatch")
    assert result.reason.startswith("proof does not match the document")


def test_added_undefined_field_is_rejected(signed, issuer_key, method):
    """A field no context defines would go unsigned, so it is refused by name."""
    document = copy.deepcopy(signed)
    document["credentialSubject"]["grade"] = "A+"
    result = verify_credential(document, public_keys=_keys(issuer_key, method))
    assert (result.ok, result.code) == (False, "undefined_terms")
    assert "grade" in result.reason


REASONS = {
    "missing proof": (lambda d: d.pop("proof"), "missing_proof", "the document has no proof"),
    "removed proof value": (
        lambda d: d["proof"].pop("proofValue"),
        "malformed_proof",
        "the proof has no proofValue",
    ),
    "removed verification method": (
        lambda d: d["proof"].pop("verificationMethod"),
        "malformed_proof",
        "the proof has no verificationMethod",
    ),
    "wrong cryptosuite": (
        lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022"),
        "wrong_cryptosuite",
        "the cryptosuite is 'eddsa-jcs-2022', not 'eddsa-rdfc-2022'",
    ),
    "wrong proof type": (
        lambda d: d["proof"].update(type="Ed25519Signature2020"),
        "wrong_proof_type",
        "the proof type is 'Ed25519Signature2020', not 'DataIntegrityProof'",
    ),
    "wrong purpose": (
        lambda d: d["proof"].update(proofPurpose="authentication"),
        "wrong_proof_purpose",
        "the proof purpose is 'authentication', not 'assertionMethod'",
    ),
    "garbled proof value": (
        lambda d: d["proof"].update(proofValue="z0OIl"),
        "malformed_proof",
        "the proof value is not a base58btc Ed25519 signature",
    ),
    "unknown context": (
        lambda d: d["@context"].append("https://example.org/evil-context.json"),
        "unknown_context",
        "the document uses an unknown JSON-LD context https://example.org/evil-context.json",
    ),
    "not a credential": (
        lambda d: d.update(type=["OpenBadgeCredential"]),
        "not_a_credential",
        "the document is not a Verifiable Credential 2.0",
    ),
}


@pytest.mark.parametrize("case", REASONS.values(), ids=REASONS.keys())
def test_broken_proofs_are_rejected_with_their_reason(signed, issuer_key, method, case):
    """Each structural problem has its own code and a sentence a person can read."""
    change, code, reason = case
    document = copy.deepcopy(signed)
    change(document)
    result = verify_credential(document, public_keys=_keys(issuer_key, method))
    assert (result.ok, result.code, result.reason) == (False, code, reason)


def test_wrong_key_is_rejected(signed, method):
    """A different key registered under the right method id does not verify the proof."""
    result = verify_credential(signed, public_keys={method: generate_private_key().public_key()})
    assert (result.ok, result.code) == (False, "signature_mismatch")


def test_unknown_verification_method_is_rejected(signed, issuer_key):
    """A proof naming a key the issuer does not list is refused before any cryptography."""
    result = verify_credential(
        signed, public_keys={"did:web:academy.kg#key-0": issuer_key.public_key()}
    )
    assert (result.ok, result.code) == (False, "unknown_verification_method")
    assert result.reason == (
        "the signing key 'did:web:academy.kg#key-1' is not among the issuer's known keys"
    )


def test_key_of_another_issuer_is_rejected(issuer_key):
    """A valid signature by another DID's key does not make it the issuer's credential."""
    other = "did:web:elsewhere.example#key-1"
    signed = add_proof(
        make_credential(), private_key=issuer_key, verification_method=other, created=SIGNED_AT
    )
    result = verify_credential(signed, public_keys={other: issuer_key.public_key()})
    assert (result.ok, result.code) == (False, "issuer_mismatch")
    assert result.reason == (
        "the signing key 'did:web:elsewhere.example#key-1' does not belong to the issuer"
    )


def test_signing_with_a_key_outside_the_issuer_is_refused(issuer_key):
    """sign_credential refuses a verification method of another DID."""
    with pytest.raises(ValueError, match="does not belong"):
        sign_credential(
            make_credential(),
            private_key=issuer_key,
            verification_method="did:web:elsewhere.example#key-1",
            created=SIGNED_AT,
        )


def test_signing_refuses_undefined_fields_and_unknown_contexts(issuer_key, method):
    """Nothing is signed that the signature would not cover."""
    credential = make_credential()
    credential["credentialSubject"]["grade"] = "A+"
    with pytest.raises(UndefinedTermsError, match="grade"):
        sign_credential(
            credential, private_key=issuer_key, verification_method=method, created=SIGNED_AT
        )
    credential = make_credential()
    credential["@context"].append("https://example.org/other.json")
    with pytest.raises(UnknownContextError):
        sign_credential(
            credential, private_key=issuer_key, verification_method=method, created=SIGNED_AT
        )


def test_validity_window_is_checked_when_a_time_is_given(signed, issuer_key, method):
    """Before validFrom the credential is not valid yet; after validUntil it has expired."""
    keys = _keys(issuer_key, method)
    early = verify_credential(signed, public_keys=keys, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert (early.ok, early.code) == (False, "not_yet_valid")
    expiring = sign_credential(
        {**make_credential(), "validUntil": "2026-12-31T00:00:00Z"},
        private_key=issuer_key,
        verification_method=method,
        created=SIGNED_AT,
    )
    late = verify_credential(expiring, public_keys=keys, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert (late.ok, late.code) == (False, "expired")


def test_oversized_document_is_refused_before_canonicalisation(signed, issuer_key, method):
    """Huge or deeply branched documents are refused cheaply (RDFC cost grows fast)."""
    document = copy.deepcopy(signed)
    document["credentialSubject"]["achievement"]["alignment"] = [{"type": ["Alignment"]}] * 100
    result = verify_credential(document, public_keys=_keys(issuer_key, method))
    assert (result.ok, result.code) == (False, "too_large")


def _openbadgeslib_verifier(key: Ed25519PrivateKey) -> OB3LdpVerifier:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return OB3LdpVerifier(pubkey_pem=pem)


def test_openbadgeslib_accepts_our_credential(signed, issuer_key):
    """An independent OB3 verifier (openbadgeslib) accepts the credential and reads it."""
    credential = _openbadgeslib_verifier(issuer_key).verify(json.dumps(signed, ensure_ascii=False))
    assert credential.achievement.name == "Блокчейндин негиздери"
    assert credential.achievement.achievement_type == "Course"
    assert credential.issuer.id == "did:web:academy.kg"


def test_openbadgeslib_rejects_a_tampered_credential(signed, issuer_key):
    """openbadgeslib, too, rejects a changed course title."""
    document = copy.deepcopy(signed)
    document["credentialSubject"]["achievement"]["name"] = "Башка курс"
    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        _openbadgeslib_verifier(issuer_key).verify(document)
