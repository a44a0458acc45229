"""A key the learner holds: ``did:key`` identifiers and holder presentations.

A learner may bind a certificate to an Ed25519 key that only they hold; the credential then
names them ``credentialSubject.id = did:key:z6Mk…``. To show they hold it, they sign a
presentation over a verifier's challenge (the *holder proof*):

- a VC 2.0 ``VerifiablePresentation`` whose ``holder`` is the did:key and whose
  ``verifiableCredential`` is the signed certificate;
- one ``DataIntegrityProof`` (``eddsa-rdfc-2022``, the same canonicalisation the issuer signs
  with), ``proofPurpose: authentication``, ``verificationMethod: <did:key>#<z6Mk…>``, and the
  verifier's ``challenge`` and ``domain``.

Binding on the site is simpler: the browser signs the UTF-8 bytes of
:func:`binding_message` with the new key.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from courses.credentials.canonical import VC_CONTEXT
from courses.credentials.integrity import (
    CRYPTOSUITE,
    PROOF_TYPE,
    VERIFIED,
    VerificationResult,
    failure,
    format_datetime,
    hash_data,
)
from courses.credentials.keys import (
    KeyFormatError,
    base58btc_decode,
    base58btc_encode,
    load_private_key_pem,
    public_key_from_multibase,
    public_key_multibase,
)

DID_KEY_PREFIX = "did:key:"
HOLDER_PROOF_PURPOSE = "authentication"
MAX_PRESENTATION_BYTES = 96 * 1024


def did_key(public_key: Ed25519PublicKey) -> str:
    """``did:key:z6Mk…``: multicodec 0xed01 and the raw key, base58btc multibase."""
    return DID_KEY_PREFIX + public_key_multibase(public_key)


def public_key_from_did_key(did: str) -> Ed25519PublicKey:
    """Inverse of :func:`did_key`; ``KeyFormatError`` for anything else."""
    if not did.startswith(DID_KEY_PREFIX):
        raise KeyFormatError("not a did:key")
    return public_key_from_multibase(did.removeprefix(DID_KEY_PREFIX))


def did_key_method(did: str) -> str:
    """The verification method of a did:key: ``did:key:z6Mk…#z6Mk…``."""
    return f"{did}#{did.removeprefix(DID_KEY_PREFIX)}"


def binding_message(*, certificate_id: str, challenge: str) -> bytes:
    """What the browser signs to bind a certificate to a key."""
    return f"bilim-holder-binding:{certificate_id}:{challenge}".encode()


def verify_binding(
    *, public_key: bytes, signature: bytes, certificate_id: str, challenge: str
) -> str | None:
    """The did:key of ``public_key`` if ``signature`` signs the binding message, else None."""
    if len(public_key) != 32 or len(signature) != 64:
        return None
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
        key.verify(signature, binding_message(certificate_id=certificate_id, challenge=challenge))
    except (InvalidSignature, ValueError):
        return None
    return did_key(key)


def holder_presentation(
    credential: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    challenge: str,
    domain: str,
    created: datetime,
) -> dict[str, Any]:
    """A presentation of ``credential`` signed by the holder's key over ``challenge``."""
    did = did_key(private_key.public_key())
    document: dict[str, Any] = {
        "@context": [VC_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": did,
        "verifiableCredential": [dict(credential)],
    }
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": did_key_method(did),
        "proofPurpose": HOLDER_PROOF_PURPOSE,
        "challenge": challenge,
        "domain": domain,
    }
    data = hash_data(document=document, proof_config=proof)
    proof["proofValue"] = "z" + base58btc_encode(private_key.sign(data))
    return {**document, "proof": proof}


def presented_credential(presentation: Mapping[str, Any]) -> dict[str, Any] | None:
    """The one credential a holder presentation carries, or None."""
    found = presentation.get("verifiableCredential")
    if isinstance(found, list) and len(found) == 1:
        found = found[0]
    return found if isinstance(found, dict) else None


def _shape(presentation: Mapping[str, Any]) -> VerificationResult | None:
    types = presentation.get("type")
    if "VerifiablePresentation" not in (types if isinstance(types, list) else [types]):
        return failure("not_a_presentation", "the file is not a VerifiablePresentation")
    proof = presentation.get("proof")
    if not isinstance(proof, dict):
        return failure("missing_proof", "the presentation has no single proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return failure("wrong_proof_type", f"the proof is not a {PROOF_TYPE} {CRYPTOSUITE}")
    if proof.get("proofPurpose") != HOLDER_PROOF_PURPOSE:
        return failure("wrong_proof_purpose", "the proof's purpose is not authentication")
    if presented_credential(presentation) is None:
        return failure("no_credential", "the presentation does not carry one credential")
    return None


def verify_presentation(
    presentation: Mapping[str, Any], *, challenge: str, domain: str | None
) -> VerificationResult:
    """Check the holder's proof: signed by the did:key the credential names as its subject,
    over ``challenge`` (and ``domain`` when given). The credential itself is checked
    separately, against the issuer's keys."""
    if len(repr(presentation).encode()) > MAX_PRESENTATION_BYTES:
        return failure("too_large", "the presentation is too large")
    problem = _shape(presentation)
    if problem is not None:
        return problem
    proof = presentation["proof"]
    credential = presented_credential(presentation) or {}
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    if not isinstance(subject_id, str) or not subject_id.startswith(DID_KEY_PREFIX):
        return failure("unbound", "the certificate is not bound to a key the learner holds")
    if presentation.get("holder") != subject_id:
        return failure("wrong_holder", "the presentation's holder is not the certificate's")
    if proof.get("verificationMethod") != did_key_method(subject_id):
        return failure("wrong_key", "the proof was made with a key other than the certificate's")
    if proof.get("challenge") != challenge:
        return failure("wrong_challenge", "the proof was made over another challenge")
    if domain is not None and proof.get("domain") != domain:
        return failure("wrong_domain", "the proof was made for another verifier (domain)")
    value = proof.get("proofValue")
    try:
        key = public_key_from_did_key(subject_id)
        signature = base58btc_decode(str(value)[1:]) if str(value).startswith("z") else b""
        data = hash_data(document=presentation, proof_config=proof)
        key.verify(signature, data)
    except KeyFormatError:
        return failure("bad_did", "the certificate's did:key is not an Ed25519 key")
    except InvalidSignature:
        return failure(
            "signature_mismatch",
            "the holder's signature does not match: the presentation was changed, "
            "or signed with another key",
        )
    except Exception as exc:  # pyld raises many kinds of errors on malformed JSON-LD
        return failure("invalid_document", f"the presentation is not valid ({type(exc).__name__})")
    return VERIFIED


def load_holder_key(data: bytes) -> Ed25519PrivateKey:
    """The holder's private key from the file the page offered: a JWK (``kty: OKP``,
    ``crv: Ed25519``, ``d``) or PKCS#8 PEM."""
    text = data.strip()
    if text.startswith(b"{"):
        try:
            jwk = json.loads(text)
            if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
                raise KeyFormatError("the JWK is not an Ed25519 (OKP) key")
            seed = base64.urlsafe_b64decode(str(jwk["d"]) + "=" * (-len(str(jwk["d"])) % 4))
        except (ValueError, KeyError, AttributeError, binascii.Error) as exc:
            raise KeyFormatError(f"not a readable JWK private key: {exc}") from exc
        if len(seed) != 32:
            raise KeyFormatError("an Ed25519 JWK's d holds 32 bytes")
        return Ed25519PrivateKey.from_private_bytes(seed)
    return load_private_key_pem(data=text)
