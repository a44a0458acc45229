"""Each lab kind's parameters: read and checked, then split into what the page shows
(``public``) and what only grading reads (``key``). See `courses.content.labdata`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from courses.content import messages as M
from courses.content.labhash import chain_mine, sha256_hex
from courses.content.schema import ID_RE
from courses.content.yamlsrc import YMap, YNode

if TYPE_CHECKING:
    from courses.content.labdata import LangMap
    from courses.content.labs import LabReader

Params = tuple[dict[str, Any], dict[str, Any]]

KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "hash": ("candidates", "target"),
    "mining": ("data", "difficulty"),
    "chain": ("blocks", "tampered", "difficulty"),
    "ledger": ("records", "tampered"),
    "keys": (),
    "transactions": ("learner", "utxos", "target"),
}
MINING_DIFFICULTY = (1, 6)
CHAIN_DIFFICULTY = (1, 4)  # every block of the chain is mined at import, in every language
CANDIDATES = (2, 10)
BLOCKS = (2, 10)
RECORDS = (2, 10)
PEERS = (3, 7)
DEFAULT_PEERS = 3
UTXOS = (1, 30)
MAX_AMOUNT = 10**9


def read_kind(r: LabReader, kind: str, root: YMap) -> Params:
    readers: dict[str, Callable[[LabReader, YMap], Params]] = {
        "hash": _hash, "mining": _mining, "chain": _chain, "ledger": _ledger,
        "keys": lambda r, root: ({}, {}), "transactions": _transactions,
    }  # fmt: skip
    return readers[kind](r, root)


def _hash(r: LabReader, root: YMap) -> Params:
    c = r.c
    nodes = r.sized_list(root, "candidates", "", minimum=CANDIDATES[0], maximum=CANDIDATES[1])
    texts = r.local_texts(nodes, "candidates")
    maximum = len(nodes) if len(nodes) >= CANDIDATES[0] else None  # else reported already
    target = c.integer(root, "target", minimum=1, maximum=maximum, required=True)
    if target is None or maximum is None or any(text is None for text in texts):
        return {}, {}
    chosen = texts[target - 1]
    assert chosen is not None
    public = {
        "candidates": {lang: [text[lang] for text in texts if text] for lang in r.languages},
        "target_hash": {lang: sha256_hex(chosen[lang]) for lang in r.languages},
    }
    return public, {"target": target - 1}


def _mining(r: LabReader, root: YMap) -> Params:
    c = r.c
    data = r.local_text(c.present(root, "data", "", required=True), "data", root.key("data"))
    low, high = MINING_DIFFICULTY
    difficulty = c.integer(root, "difficulty", minimum=low, maximum=high, required=True)
    if data is None or difficulty is None:
        return {}, {}
    return {"data": data, "difficulty": difficulty}, {}


def _tampered(
    r: LabReader, root: YMap, *, keys: tuple[str, ...], original: list[LangMap | None],
    counts: dict[str, int | None],
) -> tuple[dict[str, int], LangMap | None]:  # fmt: skip
    """The ``tampered`` map: its 1-based numbers (each within ``counts``; None: a list whose
    length was reported wrong) and its data, which must differ from the ``original`` entry it
    replaces in every language."""
    c = r.c
    m = c.as_map(c.present(root, "tampered", "", required=True), "tampered")
    if m is None:
        return {}, None
    c.keys(m, allowed=(*keys, "data"), required=(*keys, "data"), where="tampered")
    numbers = {}
    for key in keys:
        number = c.integer(m, key, "tampered", minimum=1, maximum=counts[key])
        if number is not None:
            numbers[key] = number
    data = r.local_text(c.present(m, "data", "tampered", required=True), "tampered.data",
                        m.key("data"))  # fmt: skip
    index = numbers.get(keys[-1])
    before = original[index - 1] if index is not None and index <= len(original) else None
    if data is not None and before is not None:
        same = next((lang for lang in r.languages if data[lang] == before[lang]), None)
        if same is not None:
            c.report("E004", M.LAB_TAMPERED_UNCHANGED, m.get("data"), lang=same)
            data = None
    return numbers, data


def _count(entries: list[Any], bounds: tuple[int, int]) -> int | None:
    """The number of entries, or None when it is out of ``bounds`` (reported already)."""
    return len(entries) if bounds[0] <= len(entries) <= bounds[1] else None


def _chain(r: LabReader, root: YMap) -> Params:
    c = r.c
    low, high = CHAIN_DIFFICULTY
    difficulty = c.integer(root, "difficulty", minimum=low, maximum=high, required=True)
    nodes = r.sized_list(root, "blocks", "", minimum=BLOCKS[0], maximum=BLOCKS[1])
    texts = [r.local_text(node, f"blocks.{index + 1}") for index, node in enumerate(nodes)]
    counts = {"block": _count(nodes, BLOCKS)}
    numbers, data = _tampered(r, root, keys=("block",), original=texts, counts=counts)
    complete = counts["block"] is not None and all(text is not None for text in texts)
    if difficulty is None or data is None or "block" not in numbers or not complete:
        return {}, {}
    tampered = numbers["block"] - 1
    blocks: dict[str, list[dict[str, Any]]] = {}
    if r.ctx.render:  # mined as authors wrote it, then one block's data changed
        mined: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        for lang in r.languages:
            original = tuple(text[lang] for text in texts if text)
            if original not in mined:
                mined[original] = chain_mine(original, difficulty)
            shown = [data[lang] if i == tampered else text for i, text in enumerate(original)]
            blocks[lang] = [
                {"data": text, "previous": previous, "nonce": nonce}
                for text, (previous, nonce) in zip(shown, mined[original], strict=True)
            ]
    return {"difficulty": difficulty, "blocks": blocks}, {"tampered": tampered}


def _ledger(r: LabReader, root: YMap) -> Params:
    c = r.c
    nodes = r.sized_list(root, "records", "", minimum=RECORDS[0], maximum=RECORDS[1])
    records = [r.local_text(node, f"records.{index + 1}") for index, node in enumerate(nodes)]
    peer_nodes = r.sized_list(root, "peers", "", minimum=PEERS[0], maximum=PEERS[1],
                              required=False)  # fmt: skip
    names = r.local_texts(peer_nodes, "peers") if peer_nodes else [None] * DEFAULT_PEERS
    ask = c.choice(root, "ask", "", ("peer", "value")) or "peer"
    counts = {"peer": _count(names, PEERS) if peer_nodes else DEFAULT_PEERS,
              "record": _count(records, RECORDS)}  # fmt: skip
    numbers, data = _tampered(r, root, keys=("peer", "record"), original=records, counts=counts)
    if data is None or len(numbers) < 2 or not records or any(t is None for t in records):
        return {}, {}
    peer, record = numbers["peer"] - 1, numbers["record"] - 1
    peers = []
    for index, name in enumerate(names):
        copy = {lang: [text[lang] for text in records if text] for lang in r.languages}
        if index == peer:
            for lang in r.languages:
                copy[lang][record] = data[lang]
        peers.append({"name": name, "records": copy})
    return {"ask": ask, "peers": peers}, {"peer": peer, "record": record, "value": records[record]}


def _owner(r: LabReader, node: YNode | None, field: str, owners: dict[str, Any]) -> str | None:
    """An owner's id; E004 when ``owners`` names people and not this one."""
    if node is None:
        return None
    owner = r.c.ident_value(node, field)
    if owner is not None and owners and owner not in owners:
        r.c.report("E004", M.LAB_OWNER_NOT_NAMED, node, owner=owner)
    return owner


def _transactions(r: LabReader, root: YMap) -> Params:
    c = r.c
    names: dict[str, LangMap] = {}
    owners_node = c.as_map(c.present(root, "owners", "", required=False), "owners")
    for name, (key, value) in (owners_node.entries if owners_node else {}).items():
        if not ID_RE.match(name):
            c.report("E008", M.BAD_ID, key, hint=M.BAD_ID_HINT, field="owners", id=name)
            continue
        text = r.local_text(value, f"owners.{name}", key)
        if text is not None:
            names[name] = text
    named = names if owners_node else {}
    learner = _owner(r, c.present(root, "learner", "", required=True), "learner", named)
    utxos: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    nodes = r.sized_list(root, "utxos", "", minimum=UTXOS[0], maximum=UTXOS[1])
    for index, node in enumerate(nodes):
        utxo = _utxo(r, node, f"utxos.{index + 1}", named, seen)
        if utxo is not None:
            utxos.append(utxo)
    target = c.as_map(c.present(root, "target", "", required=True), "target")
    if target is None:
        return {}, {}
    c.keys(target, allowed=("to", "amount", "fee"), required=("to", "amount"), where="target")
    to = _owner(r, c.present(target, "to", "target", required=True), "target.to", named)
    amount = c.integer(target, "amount", "target", minimum=1, maximum=MAX_AMOUNT)
    fee = c.integer(target, "fee", "target", minimum=0, maximum=MAX_AMOUNT) or 0
    if to is not None and to == learner:
        c.report("E004", M.LAB_PAY_YOURSELF, target.get("to"), learner=learner)
        return {}, {}
    have = sum(u["amount"] for u in utxos if u["owner"] == learner and not u["spent"])
    if len(utxos) != len(nodes):  # one was reported: what the learner holds is not known
        return {}, {}
    if amount is not None and learner is not None and have < amount + fee:
        c.report("E004", M.LAB_TARGET_UNREACHABLE, root.key("target"), have=have,
                 need=amount + fee)  # fmt: skip
        return {}, {}
    if to is None or amount is None or learner is None:
        return {}, {}
    public = {
        "learner": learner, "owners": names, "utxos": utxos,
        "target": {"to": to, "amount": amount, "fee": fee},
    }  # fmt: skip
    return public, {}


def _utxo(
    r: LabReader, node: YNode, where: str, named: dict[str, Any], seen: dict[str, int]
) -> dict[str, Any] | None:
    c = r.c
    m = c.as_map(node, where)
    if m is None:
        return None
    c.keys(m, allowed=("id", "owner", "amount", "spent"), required=("id", "owner", "amount"),
           where=where)  # fmt: skip
    utxo_id = c.ident(m, "id", where)
    owner = _owner(r, c.present(m, "owner", where, required=True), f"{where}.owner", named)
    amount = c.integer(m, "amount", where, minimum=1, maximum=MAX_AMOUNT)
    spent = bool(c.boolean(m, "spent", where))
    if utxo_id is not None and utxo_id in seen:
        c.report("E007", M.DUPLICATE_ID, m.get("id"), what="output", id=utxo_id,
                 first=seen[utxo_id])  # fmt: skip
        return None
    if utxo_id is None or owner is None or amount is None:
        return None
    seen[utxo_id] = m.line
    return {"id": utxo_id, "owner": owner, "amount": amount, "spent": spent}
