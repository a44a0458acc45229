"""A key the learner holds: did:key, the binding signature and holder presentations."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openbadgeslib.ob3.ldp import OB3LdpVerifier

from courses.credentials.credential import sign_credential, verify_credential
from courses.credentials.holder import (
    binding_message,
    did_key,
    holder_presentation,
    public_key_from_did_key,
    verify_binding,
    verify_presentation,
)
from courses.credentials.keys import public_key_bytes
from tests.credentials.conftest import SIGNED_AT, make_credential

HOLDER = Ed25519PrivateKey.from_private_bytes(bytes(range(100, 132)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(200, 232)))
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _bound(issuer_key, method):
    subject = did_key(HOLDER.public_key())
    return sign_credential(
        make_credential(subject_id=subject),
        private_key=issuer_key,
        verification_method=method,
        created=SIGNED_AT,
    )


def test_did_key_is_multicodec_ed25519_base58btc_and_round_trips():
    """A did:key starts with z6Mk and reads back as the same key."""
    did = did_key(HOLDER.public_key())
    assert did.startswith("did:key:z6Mk")
    assert public_key_bytes(public_key_from_did_key(did)) == public_key_bytes(HOLDER.public_key())


def test_binding_accepts_the_holders_signature_and_refuses_another_key():
    """The binding message signed by the key itself gives its did:key; by another, nothing."""
    raw = public_key_bytes(HOLDER.public_key())
    message = binding_message(certificate_id="abc", challenge="c1")
    assert verify_binding(
        public_key=raw, signature=HOLDER.sign(message), certificate_id="abc", challenge="c1"
    ) == did_key(HOLDER.public_key())
    assert (
        verify_binding(
            public_key=raw, signature=OTHER.sign(message), certificate_id="abc", challenge="c1"
        )
        is None
    )
    assert (
        verify_binding(
            public_key=raw, signature=HOLDER.sign(message), certificate_id="abc", challenge="c2"
        )
        is None
    )


def test_bound_credential_names_the_did_key_and_verifies(issuer_key, method):
    """The re-issued credential carries credentialSubject.id and the issuer's proof holds."""
    bound = _bound(issuer_key, method)
    assert bound["credentialSubject"]["id"] == did_key(HOLDER.public_key())
    assert verify_credential(bound, public_keys={method: issuer_key.public_key()}).ok


def test_presentation_by_the_holder_over_the_challenge_verifies(issuer_key, method):
    """A presentation signed by the holder over the verifier's challenge is accepted."""
    presentation = holder_presentation(
        _bound(issuer_key, method), private_key=HOLDER, challenge="n-1", domain="v.kg", created=NOW
    )
    assert verify_presentation(presentation, challenge="n-1", domain="v.kg").ok


def test_presentation_over_another_challenge_or_by_another_key_fails(issuer_key, method):
    """Another challenge, another domain, another key or a changed document are refused."""
    bound = _bound(issuer_key, method)
    good = holder_presentation(
        bound, private_key=HOLDER, challenge="n-1", domain="v.kg", created=NOW
    )
    assert verify_presentation(good, challenge="n-2", domain="v.kg").code == "wrong_challenge"
    assert verify_presentation(good, challenge="n-1", domain="x.kg").code == "wrong_domain"
    other = holder_presentation(
        bound, private_key=OTHER, challenge="n-1", domain="v.kg", created=NOW
    )
    assert verify_presentation(other, challenge="n-1", domain="v.kg").code == "wrong_holder"
    forged = {**other, "holder": good["holder"]}
    forged["proof"] = {**other["proof"], "verificationMethod": good["proof"]["verificationMethod"]}
    result = verify_presentation(forged, challenge="n-1", domain="v.kg")
    assert result.code == "signature_mismatch"
    unbound = sign_credential(
        make_credential(), private_key=issuer_key, verification_method=method, created=SIGNED_AT
    )
    plain = holder_presentation(
        unbound, private_key=HOLDER, challenge="n-1", domain="v.kg", created=NOW
    )
    assert verify_presentation(plain, challenge="n-1", domain="v.kg").code == "unbound"


def test_openbadgeslib_accepts_the_bound_credential(issuer_key, method):
    """openbadgeslib verifies the re-issued credential and reads its subject's did:key."""
    pem = issuer_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    read = OB3LdpVerifier(pubkey_pem=pem).verify(json.dumps(_bound(issuer_key, method)))
    assert read.achievement.name == "Блокчейндин негиздери"
