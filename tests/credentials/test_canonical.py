"""Canonicalisation with processed JSON-LD contexts remembered between documents gives exactly
what pyld gives without them, and never lets one document's contexts leak into another's."""

from __future__ import annotations

import hashlib

import pytest
from pyld import jsonld

from courses.credentials import canonical
from courses.credentials.canonical import (
    UnknownContextError,
    canonicalize,
    document_loader,
    undefined_terms,
)

from .conftest import make_credential
from .test_vectors import DOCUMENT_HASH, EXAMPLES_CONTEXT, PROOF_CANONICAL, PROOF_OPTIONS, UNSIGNED

EXAMPLES_URL = "https://www.w3.org/ns/credentials/examples/v2"


def _pyld(document: dict, **extra) -> str:
    """pyld's own URDNA2015 N-Quads, without our processor."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader(**extra),
        },
    )


@pytest.fixture
def cold():
    """Start with nothing remembered."""
    canonical._processed.clear()
    yield
    canonical._processed.clear()


def test_remembered_contexts_give_pylds_canonical_form(cold):
    """An Open Badges credential (type-scoped contexts) canonicalises the same from a cold and a
    warm cache, for two different learners, and as pyld alone does."""
    first = make_credential()
    second = make_credential(learner_name="Wolfgang Zed", learner_email="w@example.org")
    cold_first = canonicalize(first)
    assert canonical._processed, "processed contexts are remembered"
    assert canonicalize(second) == _pyld(second)
    assert canonicalize(first) == cold_first == _pyld(first)
    assert "Wolfgang Zed" not in cold_first


def test_vectors_canonicalise_as_published_from_a_warm_cache(cold):
    """The W3C vc-di-eddsa vectors still come out byte for byte once contexts are remembered."""
    config = {**PROOF_OPTIONS, "@context": UNSIGNED["@context"]}
    for _round in range(2):
        assert canonicalize(config, extra_contexts=EXAMPLES_CONTEXT) == PROOF_CANONICAL
        document = canonicalize(UNSIGNED, extra_contexts=EXAMPLES_CONTEXT)
        assert hashlib.sha256(document.encode()).hexdigest() == DOCUMENT_HASH


def test_extra_contexts_are_part_of_what_is_remembered(cold):
    """The same context URL served with different content by two loaders is processed for each:
    the second document does not get the first one's vocabulary."""
    first = {EXAMPLES_URL: {"@context": {"@vocab": "https://one.example/#"}}}
    second = {EXAMPLES_URL: {"@context": {"@vocab": "https://two.example/#"}}}
    one = canonicalize(UNSIGNED, extra_contexts=first)
    two = canonicalize(UNSIGNED, extra_contexts=second)
    assert "https://one.example/#alumniOf" in one
    assert "https://two.example/#alumniOf" in two
    assert "one.example" not in two


def test_unknown_contexts_are_refused_every_time(cold):
    """A context that is not pinned is refused, also after other documents warmed the cache."""
    canonicalize(make_credential())
    document = {**make_credential(), "@context": [*make_credential()["@context"], EXAMPLES_URL]}
    for _round in range(2):
        with pytest.raises(UnknownContextError):
            canonicalize(document)


def test_undefined_terms_are_found_from_a_warm_cache(cold):
    """The strict check still finds a field no context defines once contexts are remembered."""
    canonicalize(make_credential())
    document = make_credential()
    document["credentialSubject"]["favouriteColour"] = "blue"
    assert undefined_terms(document) == ["favouriteColour"]


@pytest.mark.parametrize(
    "name",
    ['Айгүл "Ай" Өмүрбекова', "Back\\slash\ttab\nnewline", "Ωмега 😀 \u200b<tag> &amp;", ""],
)
def test_one_pass_canonical_form_matches_pyld_for_awkward_text(cold, name):
    """A credential with only pinned contexts is canonicalised in one pass (its N-Quads are
    parsed back); quotes, escapes, control and astral characters come out as pyld's own."""
    document = make_credential(learner_name=name)
    assert canonicalize(document) == _pyld(document)


def test_nested_contexts_take_the_two_pass_path(cold):
    """A document with a context inside it is checked with and without the probe vocabulary,
    so a term the inner context leaves undefined is still refused."""
    document = make_credential()
    document["credentialSubject"]["@context"] = {"nickname": "https://example.org/#nickname"}
    document["credentialSubject"]["nickname"] = "Ai"
    document["credentialSubject"]["shoeSize"] = 38
    with pytest.raises(canonical.UndefinedTermsError) as refused:
        canonicalize(document)
    assert refused.value.terms == ["shoeSize"]
    del document["credentialSubject"]["shoeSize"]
    assert canonicalize(document) == _pyld(document)


def test_an_inner_context_pyld_refuses_is_still_refused(cold):
    """An inner context with a term that has no IRI (no @id, no vocabulary) is an error in pyld,
    even where the term is never used; the probe's vocabulary must not paper over it."""
    document = make_credential()
    document["credentialSubject"]["@context"] = {"nickname": {"@type": "@id"}}
    with pytest.raises(jsonld.JsonLdError):
        _pyld(document)
    with pytest.raises(jsonld.JsonLdError):
        canonicalize(document)
