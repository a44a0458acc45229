"""Ed25519 issuer keys: generation, loading, Multikey encoding and the did:web document."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# Multicodec prefixes (unsigned varints) of Ed25519 keys, as Multikey uses them.
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: i for i, char in enumerate(_B58_ALPHABET)}


class KeyFormatError(ValueError):
    """A key could not be read."""


def base58btc_encode(data: bytes) -> str:
    """Bitcoin base58 (no checksum)."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58_ALPHABET[rem])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    """Inverse of :func:`base58btc_encode`; ``ValueError`` on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ValueError(f"not a base58btc character: {char!r}")
        number = number * 58 + _B58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def generate_private_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 key from the operating system's random source."""
    return Ed25519PrivateKey.generate()


def private_key_seed(private_key: Ed25519PrivateKey) -> bytes:
    """The 32-byte secret seed of a key."""
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def private_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, unencrypted (keep it in a secret store)."""
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    """``z`` + base58btc(0x8026 ‖ seed): the Multikey secret key form, for an environment value."""
    return "z" + base58btc_encode(ED25519_PRIV_PREFIX + private_key_seed(private_key))


def load_private_key_pem(*, data: bytes | str, password: bytes | None = None) -> Ed25519PrivateKey:
    """Read a PEM (PKCS#8) Ed25519 private key."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    try:
        key = serialization.load_pem_private_key(raw, password=password)
    except (ValueError, TypeError) as exc:
        raise KeyFormatError(f"not a readable PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("the PEM key is not an Ed25519 key")
    return key


def load_private_key_file(*, path: str | Path, password: bytes | None = None) -> Ed25519PrivateKey:
    """Read a PEM Ed25519 private key from a file."""
    return load_private_key_pem(data=Path(path).read_bytes(), password=password)


def load_private_key_value(*, value: str) -> Ed25519PrivateKey:
    """Read a key from an environment value.

    Accepted: a PEM text, a Multikey secret (``z…``, 0x8026 prefix), or standard or URL-safe
    base64 of the 32-byte seed.
    """
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return load_private_key_pem(data=text)
    seed = _base64_seed(text)
    if text.startswith("z") and not (seed is not None and len(seed) == 32):
        # Multibase; base64 of a 32-byte seed may also start with "z" (43 or 44 characters,
        # where a Multikey secret has 48), so that is tried first.
        try:
            decoded = base58btc_decode(text[1:])
        except ValueError as exc:
            raise KeyFormatError(f"not a multibase key: {exc}") from exc
        if len(decoded) != 34 or not decoded.startswith(ED25519_PRIV_PREFIX):
            raise KeyFormatError("a multibase secret key must be 0x8026 followed by 32 bytes")
        return Ed25519PrivateKey.from_private_bytes(decoded[2:])
    if seed is None:
        raise KeyFormatError("the key value is neither PEM, multibase nor base64")
    if len(seed) != 32:
        raise KeyFormatError(f"a base64 key must hold 32 bytes, not {len(seed)}")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _base64_seed(text: str) -> bytes | None:
    """The bytes of standard or URL-safe base64 ``text``, or None when it is not base64."""
    try:
        padded = text + "=" * (-len(text) % 4)
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    """The raw 32 bytes of a public key."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """``z`` + base58btc(0xed01 ‖ key): the Multikey ``publicKeyMultibase`` (``z6Mk…``)."""
    return "z" + base58btc_encode(ED25519_PUB_PREFIX + public_key_bytes(public_key))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Inverse of :func:`public_key_multibase`."""
    if not value.startswith("z"):
        raise KeyFormatError("a Multikey public key starts with 'z' (base58btc)")
    try:
        decoded = base58btc_decode(value[1:])
    except ValueError as exc:
        raise KeyFormatError(f"not a multibase key: {exc}") from exc
    if len(decoded) != 34 or not decoded.startswith(ED25519_PUB_PREFIX):
        raise KeyFormatError("an Ed25519 Multikey is 0xed01 followed by 32 bytes")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, as colon-separated hex groups, for people to compare."""
    digest = hashlib.sha256(public_key_bytes(public_key)).hexdigest().upper()
    return ":".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def did_web(domain: str) -> str:
    """``did:web`` for a host name; a port's colon is percent-encoded (``localhost%3A8000``)."""
    return "did:web:" + quote(domain.lower(), safe=".-")


def verification_method_id(*, domain: str, key_id: str) -> str:
    """``did:web:<domain>#<key-id>``."""
    return f"{did_web(domain)}#{key_id}"


def did_document(*, domain: str, keys: Mapping[str, Ed25519PublicKey]) -> dict[str, Any]:
    """The did:web document served at ``/.well-known/did.json``.

    ``keys`` maps key ids to public keys, the current key first and rotated keys after it:
    every key stays an ``assertionMethod`` so credentials signed before a rotation verify.
    Leave a compromised key out instead.
    """
    if not keys:
        raise ValueError("a DID document needs at least one key")
    did = did_web(domain)
    methods = [
        {
            "id": f"{did}#{key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_multibase(key),
        }
        for key_id, key in keys.items()
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    }


def public_keys_from_did_document(document: Mapping[str, Any]) -> dict[str, Ed25519PublicKey]:
    """The ``assertionMethod`` Multikeys of a DID document, keyed by verification method id."""
    allowed = {item for item in document.get("assertionMethod", []) if isinstance(item, str)}
    keys: dict[str, Ed25519PublicKey] = {}
    for method in document.get("verificationMethod", []):
        if (
            isinstance(method, dict)
            and method.get("id") in allowed
            and method.get("type") == "Multikey"
            and method.get("controller") == document.get("id")
        ):
            keys[method["id"]] = public_key_from_multibase(str(method.get("publicKeyMultibase")))
    return keys
