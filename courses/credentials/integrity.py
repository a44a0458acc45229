"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (vc-di-eddsa 1.0).

Signing: canonicalise the document without its proof and the proof options (with the
document's ``@context``) with RDFC-1.0; ``hashData = SHA-256(proof) ‖ SHA-256(document)``;
Ed25519-sign ``hashData``; ``proofValue`` is ``z`` + base58btc of the 64-byte signature.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from courses.credentials.canonical import UndefinedTermsError, UnknownContextError, canonicalize
from courses.credentials.keys import base58btc_decode, base58btc_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"

# Bounds on what the verifier canonicalises: RDFC-1.0 costs grow very fast on hostile
# graphs of many look-alike blank nodes, and a certificate is small (about 2 KB, 12 objects).
MAX_DOCUMENT_BYTES = 64 * 1024
MAX_OBJECTS = 64

Contexts = Mapping[str, dict[str, Any]] | None


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of a verification: ``code`` is stable for programs, ``reason`` is for people."""

    ok: bool
    code: str
    reason: str

    def __bool__(self) -> bool:
        return self.ok


VERIFIED = VerificationResult(ok=True, code="ok", reason="the proof matches the document")


def failure(code: str, reason: str) -> VerificationResult:
    return VerificationResult(ok=False, code=code, reason=reason)


def format_datetime(value: datetime) -> str:
    """An XML Schema dateTime in UTC with second precision: ``2026-11-21T10:00:00Z``."""
    if value.tzinfo is None:
        raise ValueError("datetimes in credentials must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str) -> datetime:
    """Parse an XML Schema dateTime that carries a time zone; ``ValueError`` otherwise."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed


def hash_data(
    *, document: Mapping[str, Any], proof_config: Mapping[str, Any], extra_contexts: Contexts = None
) -> bytes:
    """``SHA-256(RDFC(proof config with @context)) ‖ SHA-256(RDFC(document without proof))``."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in proof_config.items() if key != "proofValue"}
    config["@context"] = unsecured.get("@context")
    proof_hash = hashlib.sha256(
        canonicalize(config, extra_contexts=extra_contexts).encode("utf-8")
    ).digest()
    document_hash = hashlib.sha256(
        canonicalize(unsecured, extra_contexts=extra_contexts).encode("utf-8")
    ).digest()
    return proof_hash + document_hash


def add_proof(
    document: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    extra_contexts: Contexts = None,
) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` ``DataIntegrityProof``.

    Raises ``UndefinedTermsError`` if a field would go unsigned, ``UnknownContextError`` for a
    context that is not pinned, and ``ValueError`` if the document already has a proof.
    """
    if "proof" in document:
        raise ValueError("the document already has a proof")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    data = hash_data(document=document, proof_config=proof, extra_contexts=extra_contexts)
    proof["proofValue"] = "z" + base58btc_encode(private_key.sign(data))
    return {**document, "proof": proof}


def _count_objects(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_count_objects(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count_objects(item) for item in value)
    return 0


def _check_proof_shape(proof: Any) -> VerificationResult | None:
    if isinstance(proof, list):
        return failure("several_proofs", "the document carries several proofs; one is expected")
    if not isinstance(proof, dict):
        return failure("malformed_proof", "the proof is not an object")
    if proof.get("type") != PROOF_TYPE:
        return failure(
            "wrong_proof_type", f"the proof type is {proof.get('type')!r}, not {PROOF_TYPE!r}"
        )
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return failure(
            "wrong_cryptosuite",
            f"the cryptosuite is {proof.get('cryptosuite')!r}, not {CRYPTOSUITE!r}",
        )
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return failure(
            "wrong_proof_purpose",
            f"the proof purpose is {proof.get('proofPurpose')!r}, not {PROOF_PURPOSE!r}",
        )
    for field in ("verificationMethod", "proofValue"):
        if not isinstance(proof.get(field), str) or not proof[field]:
            return failure("malformed_proof", f"the proof has no {field}")
    if "created" in proof:
        try:
            parse_datetime(str(proof["created"]))
        except ValueError:
            return failure("malformed_proof", "the proof's creation date is not a valid date")
    return None


def _signature(proof_value: str) -> bytes | None:
    if not proof_value.startswith("z"):
        return None
    try:
        signature = base58btc_decode(proof_value[1:])
    except ValueError:
        return None
    return signature if len(signature) == 64 else None


def verify_proof(
    document: Mapping[str, Any],
    *,
    public_keys: Mapping[str, Ed25519PublicKey],
    extra_contexts: Contexts = None,
) -> VerificationResult:
    """Check the ``eddsa-rdfc-2022`` proof of ``document`` against trusted keys.

    ``public_keys`` maps verification method ids to the keys the caller trusts for them (from
    the issuer's DID document or pinned): a key named only by the proof is never trusted.
    """
    try:
        size = len(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError):
        return failure("invalid_document", "the document is not valid JSON data")
    if size > MAX_DOCUMENT_BYTES or _count_objects(document) > MAX_OBJECTS:
        return failure("too_large", "the document is too large to be a certificate")
    if "proof" not in document:
        return failure("missing_proof", "the document has no proof")
    proof = document["proof"]
    problem = _check_proof_shape(proof)
    if problem is not None:
        return problem
    if "@context" in proof and proof["@context"] != document.get("@context"):
        return failure("malformed_proof", "the proof's @context differs from the document's")
    method = proof["verificationMethod"]
    key = public_keys.get(method)
    if key is None:
        return failure(
            "unknown_verification_method",
            f"the signing key {method!r} is not among the issuer's known keys",
        )
    signature = _signature(proof["proofValue"])
    if signature is None:
        return failure("malformed_proof", "the proof value is not a base58btc Ed25519 signature")
    try:
        data = hash_data(document=document, proof_config=proof, extra_contexts=extra_contexts)
    except UnknownContextError as exc:
        return failure("unknown_context", f"the document uses an unknown JSON-LD context {exc.url}")
    except UndefinedTermsError as exc:
        return failure(
            "undefined_terms",
            "the document has fields that no JSON-LD context defines: " + ", ".join(exc.terms),
        )
    except Exception as exc:  # pyld raises many kinds of errors on malformed JSON-LD
        return failure(
            "invalid_document", f"the document is not valid JSON-LD ({type(exc).__name__})"
        )
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return failure(
            "signature_mismatch",
            "proof does not match the document: it was changed after signing, "
            "or signed with another key",
        )
    return VERIFIED
