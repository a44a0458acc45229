"""What a learner may see of a lab: its texts and public parameters in their language, and
after an attempt its verdict. Never the lab's ``key`` (what only grading reads)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from courses.content import pick_text
from courses.content.labhash import chain_relinked
from courses.models import QuizAttempt, RevisionItem
from courses.selectors.outlines import OutlineEntry, RevisionOutline, cache_version, kept


def lab_with_key(outline: RevisionOutline, entry: OutlineEntry) -> dict:
    """A lab with its answer key, for grading. Pages and the API show `lab_public`."""
    key = f"learning:{cache_version()}:lab:{outline.key}:{entry.revision_item_id}"
    read = RevisionItem.objects.values_list("lab", flat=True).filter(pk=entry.revision_item_id)
    return kept(key, read.get, memo=False)  # a fresh copy each time, like a quiz


def _pick(texts: Any, language: str) -> Any:
    return pick_text(texts or {}, language)[0]


def _chain(public: dict, language: str) -> list[dict[str, Any]]:
    """The blocks as they stand: each holds the hash of the block before it as it is now, so
    changing a block's data changes its hash and every later block's, until re-mined."""
    stored = _pick(public["blocks"], language) or []
    blocks = chain_relinked(
        [block["data"] for block in stored],
        [block["nonce"] for block in stored],
        public["difficulty"],
    )
    return [
        {"number": b.number, "data": b.data, "prev_hash": b.previous, "nonce": b.nonce,
         "hash": b.hash, "valid": b.mined}
        for b in blocks
    ]  # fmt: skip


def _peers(public: dict, language: str) -> list[dict[str, Any]]:
    return [
        {
            "number": index + 1,
            "name": _pick(peer["name"], language)
            or gettext("Peer %(number)s") % {"number": index + 1},
            "records": _pick(peer["records"], language) or [],
        }
        for index, peer in enumerate(public["peers"])
    ]


def _transactions(public: dict, language: str) -> dict[str, Any]:
    def name(owner: str) -> str:
        return _pick(public["owners"].get(owner), language) or owner

    others = {u["owner"] for u in public["utxos"]} | {public["target"]["to"]}
    owners = [public["learner"], *sorted((others | set(public["owners"])) - {public["learner"]})]
    return {
        "learner": public["learner"],
        "people": [{"id": owner, "name": name(owner)} for owner in owners],
        "utxos": [{**utxo, "owner_name": name(utxo["owner"])} for utxo in public["utxos"]],
        "target": {**public["target"], "to_name": name(public["target"]["to"])},
    }


def lab_public(lab: dict, *, language: str) -> dict[str, Any]:
    """The lab's kind, instructions, hints and public parameters in ``language`` (with the
    format's fallback): the candidates and the hash of a hash lab, ``data`` and ``d`` of a
    mining lab, the blocks of a chain as they stand (each checked), the peers' copies of a
    ledger, the outputs and the target of a transactions lab."""
    public, kind = lab["public"], lab["kind"]
    shown: dict[str, Any] = {
        "kind": kind,
        "instructions_html": _pick(lab["instructions_html"], language) or "",
        "hints_html": [text for hint in lab["hints_html"] if (text := _pick(hint, language))],
        "max_attempts": lab.get("max_attempts") or 0,
    }
    if kind == "hash":
        shown.update(
            candidates=_pick(public["candidates"], language),
            target_hash=_pick(public["target_hash"], language),
        )
    elif kind == "mining":
        shown.update(data=_pick(public["data"], language), d=public["difficulty"],
                     zeros="0" * public["difficulty"])  # fmt: skip
    elif kind == "chain":
        shown.update(d=public["difficulty"], blocks=_chain(public, language))
    elif kind == "ledger":
        shown.update(ask=public["ask"], peers=_peers(public, language))
    elif kind == "transactions":
        shown.update(_transactions(public, language))
    return shown


def lab_result(lab: dict, attempt: QuizAttempt, *, language: str) -> dict[str, Any]:
    """After an attempt: whether it was right, why not, and the explanation once right."""
    results = attempt.results or {}
    reason = results.get("reason")
    correct = bool(results.get("correct"))
    return {
        "correct": correct,
        "message": gettext(reason) % (results.get("params") or {}) if reason else None,
        "explanation_html": _pick(lab["explanation_html"], language) if correct else None,
    }
