"""Issuer keys: loading from every accepted form, Multikey encoding, did:web documents."""

from __future__ import annotations

import base64

import pytest

from courses.credentials.credential import verify_credential
from courses.credentials.keys import (
    KeyFormatError,
    base58btc_decode,
    base58btc_encode,
    did_document,
    did_web,
    generate_private_key,
    key_fingerprint,
    load_private_key_file,
    load_private_key_pem,
    load_private_key_value,
    private_key_multibase,
    private_key_pem,
    private_key_seed,
    public_key_bytes,
    public_key_from_multibase,
    public_key_multibase,
    public_keys_from_did_document,
)


def test_base58btc_round_trips_including_leading_zeros():
    """Leading zero bytes survive as leading '1's."""
    for data in (b"", b"\0", b"\0\0\x01\x02", bytes(range(256))):
        assert base58btc_decode(base58btc_encode(data)) == data
    assert base58btc_encode(b"\0\0\x01") == "112"


def test_public_key_multibase_is_z6mk_and_round_trips():
    """An Ed25519 Multikey starts with z6Mk (0xed01 prefix) and decodes to the same key."""
    key = generate_private_key().public_key()
    encoded = public_key_multibase(key)
    assert encoded.startswith("z6Mk")
    assert public_key_bytes(public_key_from_multibase(encoded)) == public_key_bytes(key)


def test_key_loads_from_pem_file_multibase_and_base64(tmp_path):
    """An environment value may be PEM, a Multikey secret or base64 of the seed."""
    key = generate_private_key()
    seed = private_key_seed(key)
    path = tmp_path / "issuer.pem"
    path.write_bytes(private_key_pem(key))
    forms = [
        load_private_key_file(path=path),
        load_private_key_pem(data=private_key_pem(key).decode()),
        load_private_key_value(value=private_key_pem(key).decode()),
        load_private_key_value(value=private_key_multibase(key)),
        load_private_key_value(value=base64.b64encode(seed).decode()),
        load_private_key_value(value=base64.urlsafe_b64encode(seed).decode().rstrip("=")),
    ]
    assert {private_key_seed(loaded) for loaded in forms} == {seed}


def test_a_base64_seed_that_starts_with_z_is_read_as_base64():
    """About one random seed in 32 has base64 starting with "z", the multibase prefix: it is
    still read (the key test above failed now and then on such a seed)."""
    seed = next(
        bytes([first]) + bytes(31)
        for first in range(256)
        if base64.b64encode(bytes([first]) + bytes(31)).startswith(b"z")
    )
    for text in (base64.b64encode(seed).decode(), base64.urlsafe_b64encode(seed).decode()):
        assert private_key_seed(load_private_key_value(value=text)) == seed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a key at all!", "neither PEM, multibase nor base64"),
        (base64.b64encode(b"short").decode(), "must hold 32 bytes, not 5"),
        ("z" + base58btc_encode(b"\xed\x01" + bytes(32)), "0x8026 followed by 32 bytes"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "not a readable PEM"),
    ],
)
def test_unreadable_key_values_say_why(value, message):
    """A bad key value fails with a message naming the problem."""
    with pytest.raises(KeyFormatError, match=message):
        load_private_key_value(value=value)


def test_fingerprint_is_stable_grouped_hex():
    """The fingerprint is 16 groups of 4 upper-case hex digits, the same for the same key."""
    key = load_private_key_value(value=base64.b64encode(bytes(range(32))).decode())
    fingerprint = key_fingerprint(key.public_key())
    assert fingerprint == key_fingerprint(key.public_key())
    groups = fingerprint.split(":")
    assert len(groups) == 16
    assert all(len(group) == 4 and group == group.upper() for group in groups)


def test_did_web_encodes_a_port():
    """did:web percent-encodes the colon of a port."""
    assert did_web("academy.kg") == "did:web:academy.kg"
    assert did_web("localhost:8000") == "did:web:localhost%3A8000"


def test_did_document_lists_current_and_rotated_keys():
    """Every key is a Multikey verification method and an assertionMethod, current first."""
    current, old = generate_private_key().public_key(), generate_private_key().public_key()
    document = did_document(domain="academy.kg", keys={"key-2": current, "key-1": old})
    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": "did:web:academy.kg",
        "verificationMethod": [
            {
                "id": "did:web:academy.kg#key-2",
                "type": "Multikey",
                "controller": "did:web:academy.kg",
                "publicKeyMultibase": public_key_multibase(current),
            },
            {
                "id": "did:web:academy.kg#key-1",
                "type": "Multikey",
                "controller": "did:web:academy.kg",
                "publicKeyMultibase": public_key_multibase(old),
            },
        ],
        "assertionMethod": ["did:web:academy.kg#key-2", "did:web:academy.kg#key-1"],
    }


def test_did_document_needs_a_key():
    """An empty key set is a mistake, not an empty document."""
    with pytest.raises(ValueError, match="at least one key"):
        did_document(domain="academy.kg", keys={})


def test_credential_signed_before_rotation_verifies_from_did_document(signed, issuer_key):
    """Keys read from the DID document verify a credential signed by a rotated-out key."""
    document = did_document(
        domain="academy.kg",
        keys={"key-2": generate_private_key().public_key(), "key-1": issuer_key.public_key()},
    )
    keys = public_keys_from_did_document(document)
    assert list(keys) == ["did:web:academy.kg#key-2", "did:web:academy.kg#key-1"]
    assert verify_credential(signed, public_keys=keys).ok


def test_key_dropped_from_did_document_no_longer_verifies(signed):
    """Removing a (compromised) key from did.json makes its credentials fail verification."""
    document = did_document(
        domain="academy.kg", keys={"key-2": generate_private_key().public_key()}
    )
    result = verify_credential(signed, public_keys=public_keys_from_did_document(document))
    assert result.code == "unknown_verification_method"
