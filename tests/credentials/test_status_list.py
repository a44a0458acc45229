"""Bitstring Status List: bits, encoding, index allocation and the signed list credential."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError

from courses.credentials.credential import sign_credential, verify_credential
from courses.credentials.status_list import (
    MIN_LIST_SIZE,
    StatusListError,
    allocate_index,
    credential_revoked,
    credential_status_entry,
    decode_bitstring,
    encode_bitstring,
    get_bit,
    new_bitstring,
    set_bit,
    status_list_credential,
)
from tests.credentials.conftest import SIGNED_AT

LIST_URL = "https://academy.kg/status/1"


def test_bits_set_read_and_clear():
    """Index 0 is the left-most bit of the first byte; bits are independent."""
    bits = new_bitstring()
    assert len(bits) * 8 == MIN_LIST_SIZE == 131_072
    set_bit(bits, index=0)
    set_bit(bits, index=94567)
    assert bits[0] == 0x80
    assert get_bit(bits, index=0) and get_bit(bits, index=94567)
    assert not get_bit(bits, index=1)
    set_bit(bits, index=0, value=False)
    assert not get_bit(bits, index=0)
    with pytest.raises(StatusListError, match="outside the list"):
        get_bit(bits, index=MIN_LIST_SIZE)


def test_list_is_at_least_16_kb():
    """A list shorter than 131,072 entries (16 KB) is refused."""
    with pytest.raises(StatusListError, match="at least 131072"):
        new_bitstring(size=8 * 1024)


def test_encoded_list_is_multibase_base64url_gzip():
    """encodedList is 'u' + unpadded base64url of GZIP data, and decodes to the same bits."""
    bits = new_bitstring()
    for index in (3, 77, 131_071):
        set_bit(bits, index=index)
    encoded = encode_bitstring(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    body = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert raw == bytes(bits)
    assert decode_bitstring(encoded) == bits
    assert len(encoded) < 200
    assert encode_bitstring(bits) == encoded


def test_decoding_refuses_bombs_and_short_lists():
    """A list that inflates past the limit, or below the minimum size, is refused."""
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    with pytest.raises(StatusListError, match="too large"):
        decode_bitstring("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))
    short = gzip.compress(bytes(1024))
    with pytest.raises(StatusListError, match="fewer than"):
        decode_bitstring("u" + base64.urlsafe_b64encode(short).decode().rstrip("="))
    with pytest.raises(StatusListError, match="prefix 'u'"):
        decode_bitstring("zabc")


def test_allocated_indices_are_random_unused_and_in_range():
    """Allocation avoids used indices, spreads over the list, and says when it is full."""
    used: set[int] = set()
    for _ in range(200):
        index = allocate_index(used=used)
        assert 0 <= index < MIN_LIST_SIZE and index not in used
        used.add(index)
    assert max(used) > MIN_LIST_SIZE // 2
    almost_full = set(range(MIN_LIST_SIZE)) - {12345}
    assert allocate_index(used=almost_full) == 12345
    with pytest.raises(StatusListError, match="full"):
        allocate_index(used=set(range(MIN_LIST_SIZE)))


def _signed_list(
    issuer_key, method, revoked: list[int], *, signed_at: datetime = SIGNED_AT
) -> dict:
    bits = new_bitstring()
    for index in revoked:
        set_bit(bits, index=index)
    return sign_credential(
        status_list_credential(
            list_url=LIST_URL,
            issuer_id="did:web:academy.kg",
            bits=bits,
            valid_from=signed_at,
            valid_until=signed_at + timedelta(days=7),
        ),
        private_key=issuer_key,
        verification_method=method,
        created=signed_at,
    )


def test_status_list_credential_shape_and_proof(issuer_key, method):
    """The list is a signed BitstringStatusListCredential valid for a week."""
    status_list = _signed_list(issuer_key, method, [94567])
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["type"] == "BitstringStatusList"
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    assert status_list["validUntil"] == "2026-11-28T09:31:00Z"
    result = verify_credential(
        status_list,
        public_keys={method: issuer_key.public_key()},
        now=SIGNED_AT,
        expected_type="BitstringStatusListCredential",
    )
    assert result.ok, result.reason
    stale = verify_credential(
        status_list,
        public_keys={method: issuer_key.public_key()},
        now=datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert stale.code == "expired"


def test_revocation_is_read_from_the_list(signed, issuer_key, method):
    """The credential's index in the list tells whether it is revoked."""
    assert credential_status_entry(signed) == (LIST_URL, 94567)
    assert credential_revoked(signed, status_list=_signed_list(issuer_key, method, [94567]))
    assert not credential_revoked(signed, status_list=_signed_list(issuer_key, method, [94568]))
    other = {**_signed_list(issuer_key, method, []), "id": "https://academy.kg/status/2"}
    with pytest.raises(StatusListError, match="not the one"):
        credential_revoked(signed, status_list=other)


def test_openbadgeslib_reads_our_status_list(signed, issuer_key, method):
    """openbadgeslib decodes our list: valid while clear, revoked once the bit is set.

    openbadgeslib verifies only JWT-signed status lists, so its list-proof check is off here;
    our own verifier checks the list's Data Integrity proof (test above). It checks the list's
    validity against the real clock, so the list is signed now, as the site signs it.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    pem = issuer_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verifier = OB3LdpVerifier(pubkey_pem=pem)
    lists = {
        "clear": _signed_list(issuer_key, method, [], signed_at=now),
        "revoked": _signed_list(issuer_key, method, [94567], signed_at=now),
    }
    for state, status_list in lists.items():
        payload = json.dumps(status_list).encode()

        def download(url: str, payload: bytes = payload) -> bytes:
            assert url == LIST_URL
            return payload

        if state == "clear":
            verifier.verify(signed, check_status=True, download=download, verify_status_list=False)
        else:
            with pytest.raises(OB3VerificationError, match="'revocation' is set at index 94567"):
                verifier.verify(
                    signed, check_status=True, download=download, verify_status_list=False
                )
