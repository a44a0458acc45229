"""Lab answers: whether their shape and size can be graded and stored at all.

`lab_answers_clean` is the one place that decides it, for the lab page's form and the API
alike. An answer it refuses is a 400 with `AnswerShapeError`'s message, and nothing is stored;
an answer it takes is graded (`courses.content.labgrading`), right or wrong. Pure: data in,
data out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from courses.content.answers import MAX_TEXT_LENGTH, AnswerShapeError, _has_forbidden_character
from courses.content.diagnostics import gettext_noop as _

MAX_NONCE_DIGITS = 20
MAX_INPUTS = 30
MAX_OUTPUTS = 10
MAX_AMOUNT_DIGITS = 12
HEX = re.compile(r"^[0-9a-fA-F]*$")

# English templates with named placeholders, translated by the Django layer.
UNKNOWN_FIELD = _("This lab takes no “%(field)s” in its answer.")
MISSING_FIELD = _("The answer needs “%(field)s”.")
NOT_A_NUMBER = _("“%(field)s” must be a whole number (0 or more) of at most %(limit)s digits.")
NOT_HEX = _("“%(field)s” must be %(length)s hexadecimal digits (0-9, a-f).")
NOT_TEXT = _(
    "“%(field)s” must be a text of at most %(limit)s characters, without control characters."
)
NO_SUCH_ENTRY = _("There is no number %(number)s in “%(field)s”: choose from 0 to %(last)s.")
WRONG_COUNT = _("“%(field)s” must hold %(count)s entries, one for each block.")
NOT_A_LIST = _("“%(field)s” must be a list of at most %(limit)s entries.")
NOT_AN_OUTPUT = _("Each output must be {“to”: a person's id, “amount”: a whole number above 0}.")
ONE_OF = _("Answer with either “%(first)s” or “%(second)s”, not both.")


def _whole(value: Any, field: str, *, digits: int = MAX_NONCE_DIGITS) -> int:
    """A whole number ≥ 0, from JSON or from a form field's text."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = value.strip()
        if len(value) <= digits:
            return int(value)
    elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**digits:
        return value
    raise AnswerShapeError(NOT_A_NUMBER, field=field, limit=digits)


def _index(value: Any, field: str, count: int) -> int:
    index = _whole(value, field, digits=3)
    if index >= count:
        raise AnswerShapeError(NO_SUCH_ENTRY, field=field, number=index, last=count - 1)
    return index


def _text(value: Any, field: str, *, limit: int = MAX_TEXT_LENGTH) -> str:
    if not isinstance(value, str) or len(value) > limit or _has_forbidden_character(value):
        raise AnswerShapeError(NOT_TEXT, field=field, limit=limit)
    return value


def _hex(value: Any, field: str, length: int) -> str:
    text = value.strip() if isinstance(value, str) else None
    if text is None or len(text) != length or not HEX.match(text):
        raise AnswerShapeError(NOT_HEX, field=field, length=length)
    return text.lower()


def _list(value: Any, field: str, limit: int) -> list[Any]:
    if not isinstance(value, list | tuple) or len(value) > limit:
        raise AnswerShapeError(NOT_A_LIST, field=field, limit=limit)
    return list(value)


def _hash(lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    given = {name for name in ("text_index", "text") if answers.get(name) not in (None, "")}
    if given == {"text_index", "text"}:
        raise AnswerShapeError(ONE_OF, first="text_index", second="text")
    if "text" in given:
        return {"text": _text(answers["text"], "text")}
    count = len(next(iter(lab["public"]["candidates"].values())))
    return {"text_index": _index(answers.get("text_index"), "text_index", count)}


def _mining(lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    return {"nonce": _whole(answers.get("nonce"), "nonce")}


def _chain(lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    count = len(next(iter(lab["public"]["blocks"].values())))
    nonces = _list(answers.get("nonces"), "nonces", count)
    if len(nonces) != count:
        raise AnswerShapeError(WRONG_COUNT, field="nonces", count=count)
    return {"nonces": [_whole(nonce, "nonces") for nonce in nonces]}


def _ledger(lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    if lab["public"]["ask"] == "value":
        return {"value": _text(answers.get("value"), "value")}
    return {"peer": _index(answers.get("peer"), "peer", len(lab["public"]["peers"]))}


def _keys(lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "public_key": _hex(answers.get("public_key"), "public_key", 64),
        "signature": _hex(answers.get("signature"), "signature", 128),
    }


def _output(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping) or set(value) != {"to", "amount"}:
        raise AnswerShapeError(NOT_AN_OUTPUT)
    to = value["to"]
    if not isinstance(to, str) or not 0 < len(to) <= 63 or _has_forbidden_character(to):
        raise AnswerShapeError(NOT_AN_OUTPUT)
    try:
        amount = _whole(value["amount"], "amount", digits=MAX_AMOUNT_DIGITS)
    except AnswerShapeError:
        raise AnswerShapeError(NOT_AN_OUTPUT) from None
    if amount < 1:
        raise AnswerShapeError(NOT_AN_OUTPUT)
    return {"to": to, "amount": amount}


def _transactions(lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    inputs = _list(answers.get("inputs"), "inputs", MAX_INPUTS)
    outputs = _list(answers.get("outputs"), "outputs", MAX_OUTPUTS)
    return {
        "inputs": [_text(utxo, "inputs", limit=63) for utxo in inputs],
        "outputs": [_output(output) for output in outputs],
        "fee": _whole(answers.get("fee"), "fee", digits=MAX_AMOUNT_DIGITS),
    }


FIELDS: dict[str, tuple[str, ...]] = {
    "hash": ("text_index", "text"),
    "mining": ("nonce",),
    "chain": ("nonces",),
    "ledger": ("peer", "value"),  # "peer" or "value", as the lab's ``ask`` says
    "keys": ("public_key", "signature"),
    "transactions": ("inputs", "outputs", "fee"),
}
_CLEAN: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]] = {
    "hash": _hash, "mining": _mining, "chain": _chain, "ledger": _ledger, "keys": _keys,
    "transactions": _transactions,
}  # fmt: skip


def lab_answers_clean(*, lab: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to grade and store, of the shape ``lab``'s kind takes (see
    docs/course-format.md, "Labs"): whole numbers from JSON numbers or digit strings, hex in
    lower case. Raises `AnswerShapeError` for a field the kind does not take, a missing or
    malformed one, or an index outside the lab's lists."""
    if not isinstance(answers, Mapping):
        raise TypeError("answers must be a mapping")
    kind = lab["kind"]
    fields = FIELDS[kind]
    if kind == "ledger":
        fields = ("value",) if lab["public"]["ask"] == "value" else ("peer",)
    for name in answers:
        if name not in fields:
            raise AnswerShapeError(UNKNOWN_FIELD, field=str(name)[:40])
    required = [name for name in fields if answers.get(name) in (None, "")]
    if kind == "hash":  # one of the two
        required = required if len(required) == len(fields) else []
    if required:
        raise AnswerShapeError(MISSING_FIELD, field=required[0])
    return _CLEAN[kind](lab, answers)
