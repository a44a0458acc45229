"""The W3C vc-di-eddsa test vectors for eddsa-rdfc-2022, reproduced byte for byte.

Values from w3c/vc-di-eddsa, TestVectors/keyPair.json and TestVectors/eddsa-rdfc-2022/ (the
"Alumni credential" of the specification's test-vector appendix).
"""

from __future__ import annotations

import copy
import hashlib

import nacl.signing
from pyld import jsonld

from courses.credentials.canonical import canonicalize, document_loader
from courses.credentials.credential import verify_credential
from courses.credentials.integrity import hash_data
from courses.credentials.keys import (
    base58btc_decode,
    base58btc_encode,
    load_private_key_value,
    private_key_seed,
    public_key_from_multibase,
    public_key_multibase,
)

PUBLIC_KEY_MULTIBASE = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SECRET_KEY_MULTIBASE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
METHOD = "https://vc.example/issuers/5678#" + PUBLIC_KEY_MULTIBASE
EXAMPLES_CONTEXT = {
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}

UNSIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
PROOF_OPTIONS = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": METHOD,
    "proofPurpose": "assertionMethod",
}
PROOF_CANONICAL = (
    '_:c14n0 <http://purl.org/dc/terms/created> "2023-02-24T23:36:38Z"'
    "^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/security#DataIntegrityProof> .\n"
    '_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"'
    "^^<https://w3id.org/security#cryptosuiteString> .\n"
    "_:c14n0 <https://w3id.org/security#proofPurpose> "
    "<https://w3id.org/security#assertionMethod> .\n"
    "_:c14n0 <https://w3id.org/security#verificationMethod> "
    "<https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2> .\n"
)
PROOF_HASH = "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
DOCUMENT_HASH = "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
SIGNATURE_HEX = (
    "3237ba3b695c09e199540507ead17a58300cc4efe91ce19d582ad7e001455190"
    "f1ea3d13bdeff2cbaf7f30da7fe9f24b475511ef3875b6efe7cc9f49d3f55b02"
)
PROOF_VALUE = (
    "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
)


def _signed() -> dict:
    return {**copy.deepcopy(UNSIGNED), "proof": {**PROOF_OPTIONS, "proofValue": PROOF_VALUE}}


def test_secret_key_derives_the_published_public_key():
    """The vector's Multikey secret key loads and yields the published publicKeyMultibase."""
    key = load_private_key_value(value=SECRET_KEY_MULTIBASE)
    assert public_key_multibase(key.public_key()) == PUBLIC_KEY_MULTIBASE


def test_proof_configuration_canonicalises_as_published():
    """The proof options with the document's @context canonicalise to the vector's N-Quads."""
    config = {**PROOF_OPTIONS, "@context": UNSIGNED["@context"]}
    canonical = canonicalize(config, extra_contexts=EXAMPLES_CONTEXT)
    assert canonical == PROOF_CANONICAL
    assert hashlib.sha256(canonical.encode()).hexdigest() == PROOF_HASH


def test_document_hash_matches_the_vector():
    """SHA-256 of the canonical unsigned document is the vector's document hash."""
    canonical = canonicalize(UNSIGNED, extra_contexts=EXAMPLES_CONTEXT)
    assert hashlib.sha256(canonical.encode()).hexdigest() == DOCUMENT_HASH


def test_canonical_form_is_pylds_urdna2015_output():
    """Our canonicalisation is exactly pyld's URDNA2015 N-Quads for the same document."""
    expected = jsonld.normalize(
        UNSIGNED,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader(extra_contexts=EXAMPLES_CONTEXT),
        },
    )
    assert canonicalize(UNSIGNED, extra_contexts=EXAMPLES_CONTEXT) == expected


def test_hash_data_and_signature_match_the_vector():
    """hashData is proofHash ‖ documentHash; signing it gives the published signature."""
    data = hash_data(document=UNSIGNED, proof_config=PROOF_OPTIONS, extra_contexts=EXAMPLES_CONTEXT)
    assert data.hex() == PROOF_HASH + DOCUMENT_HASH
    key = load_private_key_value(value=SECRET_KEY_MULTIBASE)
    signature = key.sign(data)
    assert signature.hex() == SIGNATURE_HEX
    assert "z" + base58btc_encode(signature) == PROOF_VALUE


def test_independent_ed25519_gives_the_same_signature():
    """PyNaCl (libsodium), signing the same hashData with the same seed, agrees byte for byte."""
    key = load_private_key_value(value=SECRET_KEY_MULTIBASE)
    data = hash_data(document=UNSIGNED, proof_config=PROOF_OPTIONS, extra_contexts=EXAMPLES_CONTEXT)
    signing = nacl.signing.SigningKey(private_key_seed(key))
    assert signing.sign(data).signature.hex() == SIGNATURE_HEX
    signing.verify_key.verify(data, base58btc_decode(PROOF_VALUE[1:]))


def test_published_signed_credential_verifies():
    """The vector's signed credential verifies with the published public key."""
    keys = {METHOD: public_key_from_multibase(PUBLIC_KEY_MULTIBASE)}
    result = verify_credential(_signed(), public_keys=keys, extra_contexts=EXAMPLES_CONTEXT)
    assert result.ok, result.reason


def test_published_signed_credential_rejects_a_changed_subject():
    """Changing alumniOf in the vector breaks its proof."""
    keys = {METHOD: public_key_from_multibase(PUBLIC_KEY_MULTIBASE)}
    document = _signed()
    document["credentialSubject"]["alumniOf"] = "The School of Counterfeits"
    result = verify_credential(document, public_keys=keys, extra_contexts=EXAMPLES_CONTEXT)
    assert (result.ok, result.code) == (False, "signature_mismatch")
