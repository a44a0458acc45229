"""W3C Bitstring Status List v1.0: revocation bits for issued credentials.

Index ``i`` is bit ``7 - i % 8`` of byte ``i // 8`` (index 0 is the left-most bit). The list
is published as a ``BitstringStatusListCredential`` whose ``encodedList`` is ``u`` +
base64url (no padding) of the GZIP-compressed bitstring, at least 16 KB (131,072 entries) so
that one revoked index tells little about whom it belongs to. Indices are drawn at random for
the same reason.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import secrets
import zlib
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from courses.credentials.canonical import VC_CONTEXT
from courses.credentials.integrity import format_datetime

MIN_LIST_SIZE = 131_072
STATUS_PURPOSE = "revocation"
# A decoded list larger than this is refused (a GZIP bomb would otherwise exhaust memory).
MAX_DECODED_BYTES = 16 * 1024 * 1024


class StatusListError(ValueError):
    """A status list or an entry is malformed."""


def new_bitstring(*, size: int = MIN_LIST_SIZE) -> bytearray:
    """An all-zero bitstring of ``size`` bits (a multiple of 8, at least 131,072)."""
    if size < MIN_LIST_SIZE or size % 8:
        raise StatusListError(f"a status list holds a multiple of 8 bits, at least {MIN_LIST_SIZE}")
    return bytearray(size // 8)


def _position(bits: bytes | bytearray, index: int) -> tuple[int, int]:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} is outside the list of {len(bits) * 8} entries")
    return index // 8, 0x80 >> (index % 8)


def set_bit(bits: bytearray, *, index: int, value: bool = True) -> None:
    """Set (revoke) or clear (reinstate) the entry at ``index`` in place."""
    byte, mask = _position(bits, index)
    if value:
        bits[byte] |= mask
    else:
        bits[byte] &= ~mask & 0xFF


def get_bit(bits: bytes | bytearray, *, index: int) -> bool:
    """Whether the entry at ``index`` is set."""
    byte, mask = _position(bits, index)
    return bool(bits[byte] & mask)


def encode_bitstring(bits: bytes | bytearray) -> str:
    """``encodedList``: multibase base64url (``u``, no padding) of the GZIP'd bitstring.

    The GZIP header carries no timestamp, so equal lists encode equally.
    """
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_bitstring(encoded: str) -> bytearray:
    """Inverse of :func:`encode_bitstring`, refusing lists over ``MAX_DECODED_BYTES``."""
    if not encoded.startswith("u"):
        raise StatusListError("encodedList must be multibase base64url (prefix 'u')")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=31)
        bits = inflater.decompress(compressed, MAX_DECODED_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise StatusListError(f"encodedList is not base64url GZIP data: {exc}") from exc
    if len(bits) > MAX_DECODED_BYTES or inflater.unconsumed_tail:
        raise StatusListError("the status list is too large")
    if len(bits) * 8 < MIN_LIST_SIZE:
        raise StatusListError(f"the status list holds fewer than {MIN_LIST_SIZE} entries")
    return bytearray(bits)


def allocate_index(*, used: Collection[int], size: int = MIN_LIST_SIZE) -> int:
    """A random index in ``[0, size)`` that is not in ``used``.

    ``used`` should be a set for speed. Raises ``StatusListError`` when the list is full.
    """
    if len(used) >= size:
        raise StatusListError("the status list is full")
    if len(used) < size // 2:
        while True:
            index = secrets.randbelow(size)
            if index not in used:
                return index
    free = [index for index in range(size) if index not in used]
    if not free:
        raise StatusListError("the status list is full")
    return secrets.choice(free)


def status_list_entry(
    *, list_url: str, index: int, purpose: str = STATUS_PURPOSE
) -> dict[str, Any]:
    """A credential's ``credentialStatus``: a ``BitstringStatusListEntry``."""
    if index < 0:
        raise StatusListError("a status list index is not negative")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *,
    list_url: str,
    issuer_id: str,
    bits: bytes | bytearray,
    valid_from: datetime,
    valid_until: datetime | None = None,
    purpose: str = STATUS_PURPOSE,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential``; sign it with ``sign_credential``."""
    if len(bits) * 8 < MIN_LIST_SIZE:
        raise StatusListError(f"a status list holds at least {MIN_LIST_SIZE} entries")
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode_bitstring(bits),
    }
    return credential


def credential_status_entry(credential: Mapping[str, Any]) -> tuple[str, int] | None:
    """``(status list URL, index)`` of a credential's revocation entry, or ``None``."""
    entries = credential.get("credentialStatus")
    for entry in entries if isinstance(entries, list) else [entries]:
        if (
            isinstance(entry, dict)
            and entry.get("type") == "BitstringStatusListEntry"
            and entry.get("statusPurpose") == STATUS_PURPOSE
        ):
            try:
                index = int(str(entry.get("statusListIndex")))
            except ValueError as exc:
                raise StatusListError("statusListIndex is not a number") from exc
            return str(entry.get("statusListCredential")), index
    return None


def credential_revoked(credential: Mapping[str, Any], *, status_list: Mapping[str, Any]) -> bool:
    """Whether ``credential`` is revoked according to an already verified ``status_list``.

    Raises ``StatusListError`` if the list is not the one the credential points at.
    """
    entry = credential_status_entry(credential)
    if entry is None:
        return False
    list_url, index = entry
    if status_list.get("id") != list_url:
        raise StatusListError("the status list is not the one the credential names")
    if _issuer(status_list) != _issuer(credential):
        raise StatusListError("the status list has another issuer than the credential")
    subject = status_list.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != STATUS_PURPOSE:
        raise StatusListError("the status list is not a revocation list")
    return get_bit(decode_bitstring(str(subject.get("encodedList", ""))), index=index)


def _issuer(credential: Mapping[str, Any]) -> Any:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer
