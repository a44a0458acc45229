"""RDF dataset canonicalisation (RDFC-1.0) over JSON-LD contexts pinned in this repository.

JSON-LD names its vocabularies by URL. Fetching them while signing or verifying would let
whoever serves a context change what a signature covers, so the contexts are copied into
``contexts/`` and served by a loader that never touches the network: any other URL is an
error.

Provenance of the pinned files (SHA-256 is checked by the tests):

- ``https://www.w3.org/ns/credentials/v2`` → ``credentials-v2.json``
- ``https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json`` → ``ob-v3p0-context-3.0.3.json``
- ``https://w3id.org/security/data-integrity/v2`` → ``security-data-integrity-v2.json``

They are the documents served at those URLs as captured on 2026-07-03 (bundled in
openbadgeslib 4.6.3, whose verifier is our independent cross-check). Re-pin them from W3C and
1EdTech before relying on them in production.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

PINNED_CONTEXTS: Mapping[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2": "security-data-integrity-v2.json",
}

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# Terms no pinned context defines expand under this vocabulary, so they can be found and refused:
# JSON-LD silently drops undefined terms, and a dropped term is not covered by the signature.
_UNDEFINED_VOCAB = "https://undefined-term.invalid/#"

# Processed contexts remembered per process (see _Processor); cleared when it gets this big.
PROCESSED_CONTEXTS_MAX = 512


class UnknownContextError(ValueError):
    """A document names a JSON-LD context that is not pinned in the repository."""

    def __init__(self, url: str) -> None:
        super().__init__(f"JSON-LD context {url!r} is not pinned in the repository")
        self.url = url


class UndefinedTermsError(ValueError):
    """A document uses terms that its JSON-LD contexts do not define (they would go unsigned)."""

    def __init__(self, terms: list[str]) -> None:
        super().__init__("fields not defined by the JSON-LD contexts: " + ", ".join(terms))
        self.terms = terms


@cache
def pinned_context(url: str) -> dict[str, Any]:
    """The pinned context document for ``url``; ``UnknownContextError`` for any other URL."""
    filename = PINNED_CONTEXTS.get(url)
    if filename is None:
        raise UnknownContextError(url)
    return json.loads((CONTEXTS_DIR / filename).read_text(encoding="utf-8"))


class Loader:
    """A pyld document loader: pinned contexts (plus the caller's extra ones), never the network.

    ``key`` names what it serves, so contexts processed with it can be remembered safely.
    """

    def __init__(self, extra_contexts: Mapping[str, dict[str, Any]] | None = None) -> None:
        self.extras = dict(extra_contexts or {})
        self.key = json.dumps(self.extras, sort_keys=True, ensure_ascii=False)

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        if url in PINNED_CONTEXTS:
            # "static" lets pyld keep the resolved context for the life of the process; only
            # pinned, immutable documents are tagged so.
            document = pinned_context(url)
            return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}
        if url in self.extras:
            return {"contextUrl": None, "documentUrl": url, "document": self.extras[url]}
        raise UnknownContextError(url)


def document_loader(*, extra_contexts: Mapping[str, dict[str, Any]] | None = None) -> Loader:
    """A pyld document loader: pinned contexts (plus ``extra_contexts``), never the network."""
    return Loader(extra_contexts)


_processed: dict[tuple[Any, ...], Any] = {}


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering processed contexts from one document to the next.

    pyld caches a processed context under the id of the active context it was applied to, but
    type-scoped contexts (Open Badges defines one per type) are applied to a fresh copy each
    time, so it processed them again for every document: about two thirds of the cost of a
    signature. Here the result is remembered under what determines it: the active context's
    id (pyld gives every processed context one, and never changes a processed context), the
    local context's content, the loader's contexts and the options that matter. Per process:
    nothing is shared between workers.
    """

    def _process_context(
        self, active_ctx: dict[str, Any], local_ctx: Any, options: dict[str, Any],
        override_protected: bool = False, propagate: bool = True, validate_scoped: bool = True,
        cycles: set[str] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        loader = options.get("documentLoader")
        uuid = active_ctx.get("_uuid")
        key = None
        if isinstance(loader, Loader) and uuid is not None:
            try:
                local = json.dumps(local_ctx, sort_keys=True, ensure_ascii=False)
            except TypeError:  # not plain JSON data: leave it to pyld
                local = None
            if local is not None:
                key = (uuid, local, loader.key, options.get("base"),
                       options.get("processingMode"), override_protected, propagate,
                       validate_scoped)  # fmt: skip
                if key in _processed:
                    return _processed[key]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected=override_protected,
            propagate=propagate, validate_scoped=validate_scoped, cycles=cycles,
        )  # fmt: skip
        if key is not None:
            if len(_processed) >= PROCESSED_CONTEXTS_MAX:
                _processed.clear()
            _processed[key] = result
        return result


def _unknown_context(exc: BaseException) -> UnknownContextError | None:
    """Find an ``UnknownContextError`` in pyld's chain of wrapped errors."""
    seen: set[int] = set()
    stack: list[Any] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, UnknownContextError):
            return current
        stack.extend([current.__cause__, current.__context__])
        details = getattr(current, "details", None)
        if isinstance(details, dict):
            stack.append(details.get("cause"))
    return None


def _translated(call: Any) -> Any:
    """Run a pyld call, raising ``UnknownContextError`` (not pyld's wrapper) for its cause."""
    try:
        return call()
    except jsonld.JsonLdError as exc:
        unknown = _unknown_context(exc)
        if unknown is not None:
            raise unknown from None
        raise


def _to_rdf(document: Mapping[str, Any], loader: Loader) -> str:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    return _translated(lambda: _Processor().normalize(dict(document), options))


def _probe(document: Mapping[str, Any], loader: Loader) -> str:
    """N-Quads of ``document`` with a vocabulary that names its undefined terms."""
    context = document.get("@context", [])
    contexts = list(context) if isinstance(context, list) else [context]
    # Prepended, so a context that sets its own @vocab still wins over the probe.
    probe = {**document, "@context": [{"@vocab": _UNDEFINED_VOCAB}, *contexts]}
    options = {"format": "application/n-quads", "documentLoader": loader}
    return _translated(lambda: _Processor().to_rdf(probe, options))


def _undefined(nquads: str) -> list[str]:
    found: set[str] = set()
    marker = "<" + _UNDEFINED_VOCAB
    for line in nquads.splitlines():
        start = line.find(marker)
        while start != -1:
            end = line.find(">", start)
            found.add(line[start + len(marker) : end])
            start = line.find(marker, end)
    return sorted(found)


def undefined_terms(
    document: Mapping[str, Any], *, extra_contexts: Mapping[str, dict[str, Any]] | None = None
) -> list[str]:
    """Names of properties and types in ``document`` that its contexts leave undefined."""
    return _undefined(_probe(document, document_loader(extra_contexts=extra_contexts)))


def _nested_context(value: Any) -> bool:
    if isinstance(value, dict):
        return "@context" in value or any(_nested_context(item) for item in value.values())
    if isinstance(value, list):
        return any(_nested_context(item) for item in value)
    return False


def _only_pinned_contexts(document: Mapping[str, Any]) -> bool:
    """Whether the document's contexts are pinned URLs named at its top, and nowhere else."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return all(isinstance(item, str) and item in PINNED_CONTEXTS for item in contexts) and not any(
        _nested_context(value) for key, value in document.items() if key != "@context"
    )


def canonicalize(
    document: Mapping[str, Any],
    *,
    extra_contexts: Mapping[str, dict[str, Any]] | None = None,
    strict: bool = True,
) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document.

    With ``strict`` (the default), a document using undefined terms raises
    ``UndefinedTermsError`` instead of being canonicalised without them.
    """
    loader = document_loader(extra_contexts=extra_contexts)
    if strict and _only_pinned_contexts(document):
        # One pass instead of two. The probe differs from the document only by a vocabulary
        # that the pinned contexts never override and that only undefined terms reach, so
        # when no term reached it, the probe's dataset is the document's.
        nquads = _probe(document, loader)
        missing = _undefined(nquads)
        if not missing:
            options = {
                "algorithm": "URDNA2015",
                "inputFormat": "application/n-quads",
                "format": "application/n-quads",
            }
            return _translated(lambda: _Processor().normalize(nquads, options))
        _to_rdf(document, loader)  # its errors come first, as on the two-pass path
        raise UndefinedTermsError(missing)
    canonical = _to_rdf(document, loader)
    if strict:
        missing = undefined_terms(document, extra_contexts=extra_contexts)
        if missing:
            raise UndefinedTermsError(missing)
    return canonical
