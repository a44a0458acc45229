"""Grading a lab attempt: right (score 100) or wrong (score 0), with the reason a wrong
answer is wrong, for the learner to learn from. Pure: the stored lab (see
`courses.content.labdata.lab_payload`) and answers cleaned by
`courses.content.labanswers.lab_answers_clean` in, a `LabGrade` out.

The rules are the ones docs/course-format.md ("Labs") states. Texts a learner reads in
several languages count in any of them: a learner who switched language half-way through is
not failed for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from courses.content.answers import normalize_text_answer
from courses.content.diagnostics import gettext_noop as _
from courses.content.labhash import chain_relinked, meets, nonce_hash, sha256_hex
from courses.content.languages import pick_text

NOT_THE_TEXT = _("The SHA-256 of that text is %(hash)s, not the hash shown.")
NOT_MINED = _(
    "The SHA-256 of the data followed by %(nonce)s is %(hash)s: it does not start with %(zeros)s."
)
BLOCK_NOT_MINED = _(
    "Block %(number)s is not mined: its hash %(hash)s does not start with %(zeros)s."
)
NOT_OUTVOTED = _("Peer %(number)s's copy agrees with the majority: it is not the one outvoted.")
NOT_OUTVOTED_NAMED = _("%(name)s's copy agrees with the majority: it is not the one outvoted.")
NOT_THE_VALUE = _("That is not the value most copies hold.")
BAD_SIGNATURE = _("The signature does not verify: it is not the challenge signed with this key.")
NO_INPUTS = _("Choose at least one unspent output to spend.")
NO_SUCH_OUTPUT = _("There is no output “%(id)s”.")
NOT_YOURS = _("Output %(id)s belongs to %(owner)s, not to you.")
ALREADY_SPENT = _("Output %(id)s is already spent.")
SPENT_TWICE = _("Output %(id)s is spent twice.")
STRANGER = _("An output pays “%(to)s”, who is neither the recipient nor you.")
NOT_BALANCED = _(
    "The outputs (%(outputs)s) and the fee (%(fee)s) add up to %(total)s, not to the inputs' "
    "%(inputs)s."
)
FEE_TOO_LOW = _("The fee %(fee)s is below the %(required)s the task asks for.")
WRONG_AMOUNT = _("%(name)s receives %(paid)s, not %(amount)s.")


@dataclass(frozen=True)
class LabGrade:
    correct: bool
    reason: str | None = None  # an English template: why the answer is wrong
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> int:
        return 100 if self.correct else 0

    @property
    def passed(self) -> bool:
        return self.correct

    def results(self) -> dict[str, Any]:
        """What an attempt stores: the verdict and the reason, translated when shown."""
        return {"correct": self.correct, "reason": self.reason, "params": self.params}


RIGHT = LabGrade(correct=True)


def wrong(reason: str, **params: Any) -> LabGrade:
    return LabGrade(correct=False, reason=reason, params=params)


def signature_verifies(public_key: str, signature: str, message: str) -> bool:
    """Whether ``signature`` (hex) is the Ed25519 signature of the UTF-8 bytes of ``message``
    by the key ``public_key`` (hex)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), message.encode("utf-8"))
    except (ValueError, InvalidSignature):
        return False
    return True


def _in(texts: Mapping[str, Any], language: str) -> Any:
    return pick_text(texts, language)[0]


def _hash(lab: Mapping[str, Any], answers: dict, language: str, challenge: str | None) -> LabGrade:
    public, target = lab["public"], lab["key"]["target"]
    if "text_index" in answers:
        if answers["text_index"] == target:
            return RIGHT
        text = _in(public["candidates"], language)[answers["text_index"]]
    else:
        text = answers["text"]
        if sha256_hex(text) in public["target_hash"].values():
            return RIGHT
    return wrong(NOT_THE_TEXT, hash=sha256_hex(text))


def _mining(lab: Mapping[str, Any], answers: dict, language: str, challenge: str | None) -> (
    LabGrade
):  # fmt: skip
    public, nonce = lab["public"], answers["nonce"]
    difficulty = public["difficulty"]
    if any(meets(nonce_hash(data, nonce), difficulty) for data in set(public["data"].values())):
        return RIGHT
    digest = nonce_hash(_in(public["data"], language), nonce)
    return wrong(NOT_MINED, nonce=nonce, hash=digest, zeros="0" * difficulty)


def _chain(lab: Mapping[str, Any], answers: dict, language: str, challenge: str | None) -> (
    LabGrade
):  # fmt: skip
    public, nonces = lab["public"], answers["nonces"]
    difficulty = public["difficulty"]
    datas = {tuple(b["data"] for b in blocks) for blocks in public["blocks"].values()}
    if any(all(b.mined for b in chain_relinked(data, nonces, difficulty)) for data in datas):
        return RIGHT
    shown = [b["data"] for b in _in(public["blocks"], language)]
    bad = next(b for b in chain_relinked(shown, nonces, difficulty) if not b.mined)
    return wrong(BLOCK_NOT_MINED, number=bad.number, hash=bad.hash, zeros="0" * difficulty)


def _ledger(lab: Mapping[str, Any], answers: dict, language: str, challenge: str | None) -> (
    LabGrade
):  # fmt: skip
    key = lab["key"]
    if "peer" in answers:
        if answers["peer"] == key["peer"]:
            return RIGHT
        name = _in(lab["public"]["peers"][answers["peer"]]["name"] or {}, language)
        if name:
            return wrong(NOT_OUTVOTED_NAMED, name=name)
        return wrong(NOT_OUTVOTED, number=answers["peer"] + 1)
    accepted = {normalize_text_answer(value) for value in key["value"].values()}
    return RIGHT if normalize_text_answer(answers["value"]) in accepted else wrong(NOT_THE_VALUE)


def _keys(lab: Mapping[str, Any], answers: dict, language: str, challenge: str | None) -> (
    LabGrade
):  # fmt: skip
    if challenge is not None and signature_verifies(
        answers["public_key"], answers["signature"], challenge
    ):
        return RIGHT
    return wrong(BAD_SIGNATURE)


def _transactions(
    lab: Mapping[str, Any], answers: dict, language: str, challenge: str | None
) -> LabGrade:
    public = lab["public"]
    learner, target = public["learner"], public["target"]
    utxos = {utxo["id"]: utxo for utxo in public["utxos"]}

    def name(owner: str) -> str:
        return _in(public["owners"].get(owner) or {}, language) or owner

    if not answers["inputs"]:
        return wrong(NO_INPUTS)
    seen: set[str] = set()
    for utxo_id in answers["inputs"]:
        utxo = utxos.get(utxo_id)
        if utxo is None:
            return wrong(NO_SUCH_OUTPUT, id=utxo_id)
        if utxo["owner"] != learner:
            return wrong(NOT_YOURS, id=utxo_id, owner=name(utxo["owner"]))
        if utxo["spent"]:
            return wrong(ALREADY_SPENT, id=utxo_id)
        if utxo_id in seen:
            return wrong(SPENT_TWICE, id=utxo_id)
        seen.add(utxo_id)
    for output in answers["outputs"]:
        if output["to"] not in (target["to"], learner):
            return wrong(STRANGER, to=output["to"])
    inputs = sum(utxos[utxo_id]["amount"] for utxo_id in answers["inputs"])
    outputs = sum(output["amount"] for output in answers["outputs"])
    fee = answers["fee"]
    if outputs + fee != inputs:
        return wrong(NOT_BALANCED, outputs=outputs, fee=fee, total=outputs + fee, inputs=inputs)
    if fee < target["fee"]:
        return wrong(FEE_TOO_LOW, fee=fee, required=target["fee"])
    paid = sum(output["amount"] for output in answers["outputs"] if output["to"] == target["to"])
    if paid != target["amount"]:
        return wrong(WRONG_AMOUNT, name=name(target["to"]), paid=paid, amount=target["amount"])
    return RIGHT


_GRADERS: dict[str, Callable[[Mapping[str, Any], dict, str, str | None], LabGrade]] = {
    "hash": _hash, "mining": _mining, "chain": _chain, "ledger": _ledger, "keys": _keys,
    "transactions": _transactions,
}  # fmt: skip


def lab_grade(
    lab: Mapping[str, Any], answers: dict, *, language: str, challenge: str | None = None
) -> LabGrade:
    """Grade ``answers`` (cleaned) against ``lab``; ``challenge`` is the text a keys lab's
    signature must be of (None: there is none to sign, and no signature is right)."""
    return _GRADERS[lab["kind"]](lab, answers, language, challenge)
