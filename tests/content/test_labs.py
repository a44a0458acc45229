"""Labs in the pure content layer: reading and checking a lab file (file:line diagnostics),
what is stored of it, and grading every kind with right, wrong and malformed answers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from courses.content import lint_path, parse_repository
from courses.content.answers import AnswerShapeError
from courses.content.labanswers import lab_answers_clean
from courses.content.labdata import lab_payload
from courses.content.labgrading import lab_grade
from courses.content.labhash import chain_mine, chain_relinked, mine, nonce_hash
from tests.content.helpers import COURSE_DIR, write_repo
from tests.labfiles import LAB_COURSE_YAML, LAB_PATHS, LABS, lab_files, lab_yaml

C = COURSE_DIR
CY = f"{C}/course.yaml"
CHAIN_NOW = ["Genesis", "Aigul → Bakyt 5", "Bakyt → Chynara 200", "Chynara → Aigul 1",
             "Aigul → Dastan 3"]  # fmt: skip


@pytest.fixture(scope="module")
def labs(tmp_path_factory) -> dict[str, dict]:
    """The stored payload of each lab of the lab course, by item id."""
    root = write_repo(tmp_path_factory.mktemp("labs"), base=lab_files())
    parsed = parse_repository(root)
    assert parsed.diagnostics == []
    return {key: lab_payload(lab) for key, lab in parsed.courses[0].labs.items()}


def test_the_lab_course_is_clean_and_reads_every_kind(tmp_path):
    root = write_repo(tmp_path, base=lab_files())
    assert lint_path(root) == []
    course = parse_repository(root).courses[0]
    assert {key: lab.kind for key, lab in course.labs.items()} == {
        "find-text": "hash", "mine": "mining", "repair": "chain", "peers": "ledger",
        "sign": "keys", "pay": "transactions",
    }  # fmt: skip
    assert [item.type for item in course.items][-6:] == ["lab"] * 6
    assert course.labs["find-text"].instructions_html["ky"] == (
        "<p>Тапшырма: <strong>жасаңыз</strong>.</p>"
    )
    assert course.labs["find-text"].max_attempts == 3


def test_a_hash_lab_shows_the_hash_of_its_target_in_each_language(labs):
    public = labs["find-text"]["public"]
    assert public["candidates"]["ru"][1] == "Айгуль платит Бакыту 50"
    assert public["candidates"]["en"][0] == "Aigul pays Bakyt 5"  # one text for all
    for lang in ("ky", "ru", "en"):
        text = public["candidates"][lang][1]
        assert public["target_hash"][lang] == hashlib.sha256(text.encode()).hexdigest()
    assert labs["find-text"]["key"] == {"target": 1}


def test_a_chain_lab_is_mined_as_written_then_tampered(labs):
    public = labs["repair"]["public"]
    blocks = public["blocks"]["en"]
    assert [b["data"] for b in blocks] == CHAIN_NOW
    original = [*CHAIN_NOW[:2], "Bakyt → Chynara 2", *CHAIN_NOW[3:]]
    assert [(b["previous"], b["nonce"]) for b in blocks] == chain_mine(original, 2)
    state = chain_relinked(CHAIN_NOW, [b["nonce"] for b in blocks], public["difficulty"])
    assert [b.mined for b in state] == [True, True, False, False, False]  # 3 and all after it


def test_a_ledger_lab_gives_one_peer_a_tampered_copy(labs):
    peers = labs["peers"]["public"]["peers"]
    assert [p["records"]["en"][1] for p in peers] == [
        "Bakyt → Chynara 2", "Bakyt → Chynara 20", "Bakyt → Chynara 2",
    ]  # fmt: skip
    assert peers[0]["name"]["ky"] == "Айгүл" and peers[1]["name"]["ru"] == "Bakyt"


def without_lines(key: str, first: int, last: int) -> str:
    """The lab ``key`` without its lines ``first`` to ``last`` (from 1)."""
    lines = LABS[key].splitlines(keepends=True)
    return "".join(lines[: first - 1] + lines[last:])


# (name, changes to the lab course, code, path, line, column, words in the message)
# fmt: off
CASES = [
    ("unknown-kind", lab_yaml("mine", "kind: mining", "kind: magic"),
     "E004", LAB_PATHS["mine"], 2, 7, "'magic' is not one of hash, mining, chain"),
    ("mining-difficulty", lab_yaml("mine", "difficulty: 2", "difficulty: 7"),
     "E004", LAB_PATHS["mine"], 14, 13, "difficulty must be between 1 and 6, not 7"),
    ("chain-difficulty", lab_yaml("repair", "difficulty: 2", "difficulty: 5"),
     "E004", LAB_PATHS["repair"], 12, 13, "difficulty must be between 1 and 4, not 5"),
    ("key-of-another-kind", lab_yaml("mine", "difficulty: 2", "difficulty: 2\ncandidates: []"),
     "E002", LAB_PATHS["mine"], 15, 1, "key 'candidates' is not used by 'mining' labs"),
    ("lab-id-mismatch", lab_yaml("mine", "id: mine", "id: mining"),
     "E007", LAB_PATHS["mine"], 1, 5, "lab id 'mining' differs from the item id 'mine'"),
    ("lab-not-yaml", {CY: LAB_COURSE_YAML.replace("mine.yaml", "mine.txt"),
                      f"{C}/labs/mine.txt": "x"},
     "E009", CY, 31, 37, "lab path 'labs/mine.txt' must be a .yaml file"),
    ("hash-target-range", lab_yaml("find-text", "target: 2", "target: 4"),
     "E004", LAB_PATHS["find-text"], 18, 9, "target must be between 1 and 3, not 4"),
    ("hash-same-texts", lab_yaml("find-text", '- "aigul pays', '- "Aigul pays'),
     "E004", LAB_PATHS["find-text"], 17, 5, "entries 1 and 3 are the same text"),
    ("hash-one-text", {LAB_PATHS["find-text"]: without_lines("find-text", 16, 17).replace(
        "target: 2", "target: 1")},
     "E004", LAB_PATHS["find-text"], 14, 1, "candidates: expected 2 to 10 entries, found 1"),
    ("text-not-text",
     {LAB_PATHS["mine"]: without_lines("mine", 12, 14) + "data: 12345\ndifficulty: 2\n"},
     "E004", LAB_PATHS["mine"], 12, 7, "got the number 12345 (from 12345)"),
    ("chain-unchanged", lab_yaml("repair", 'data: "Bakyt → Chynara 200"',
                                 'data: "Bakyt → Chynara 2"'),
     "E004", LAB_PATHS["repair"], 21, 9, "the same as the original in 'ky'"),
    ("chain-too-short", lab_yaml("repair", '  - "Aigul → Bakyt 5"\n  - "Bakyt → Chynara 2"\n'
                                 '  - "Chynara → Aigul 1"\n  - "Aigul → Dastan 3"\n', ""),
     "E004", LAB_PATHS["repair"], 13, 1, "blocks: expected 2 to 10 entries, found 1"),
    ("ledger-peer-range", lab_yaml("peers", "peer: 2", "peer: 4"),
     "E004", LAB_PATHS["peers"], 21, 9, "tampered.peer must be between 1 and 3, not 4"),
    ("transactions-unreachable", lab_yaml("pay", "amount: 45, fee: 1", "amount: 55, fee: 1"),
     "E004", LAB_PATHS["pay"], 22, 1, "hold 55, less than the target's amount and fee (56)"),
    ("transactions-pay-yourself", lab_yaml("pay", "to: chynara", "to: aigul"),
     "E004", LAB_PATHS["pay"], 22, 14, "target.to is the learner 'aigul'"),
    ("transactions-owner-not-named", lab_yaml("pay", "owner: bakyt", "owner: dastan"),
     "E004", LAB_PATHS["pay"], 21, 21, "owner 'dastan' is not named in owners"),
    ("transactions-duplicate-output", lab_yaml("pay", "{id: a2,", "{id: a1,"),
     "E007", LAB_PATHS["pay"], 19, 10, "duplicate output id 'a1' (first at line 18)"),
    ("lab-instructions-missing", {LAB_PATHS["sign"]: without_lines("sign", 4, 7)},
     "E003", LAB_PATHS["sign"], 1, 1, "required field 'instructions' is missing"),
    ("lab-kind-parameter-missing", lab_yaml("find-text", "target: 2\n", ""),
     "E003", LAB_PATHS["find-text"], 1, 1, "required field 'target' is missing"),
    ("lab-text-translation-missing", lab_yaml("find-text", ', en: "Aigul pays Bakyt 50"}', "}"),
     "W101", LAB_PATHS["find-text"], 16, 5, "missing 'en' text in candidates.2"),
]
# fmt: on


@pytest.mark.parametrize(
    ("changes", "code", "path", "line", "col", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_lab_problem_is_reported_at_its_file_line_and_column(
    tmp_path: Path, changes, code, path, line, col, words
):
    diagnostics = lint_path(write_repo(tmp_path, changes, base=lab_files()))
    found = [d for d in diagnostics if d.code == code]
    assert [(d.path, d.line, d.col) for d in found] == [(path, line, col)], diagnostics
    assert words in found[0].message
    if code.startswith("E"):  # one problem, one report: nothing follows from it
        assert [d for d in diagnostics if d.is_error] == found, diagnostics


def grade(lab: dict, answers: dict, language: str = "en", challenge: str | None = None):
    return lab_grade(lab, lab_answers_clean(lab=lab, answers=answers), language=language,
                     challenge=challenge)  # fmt: skip


def why(lab: dict, answers: dict, language: str = "en") -> str:
    result = grade(lab, answers, language)
    assert (result.correct, result.score, result.passed) == (False, 0, False)
    return result.reason % result.params


def test_hash_lab_grading(labs):
    lab = labs["find-text"]
    assert grade(lab, {"text_index": 1}).score == 100
    assert grade(lab, {"text_index": "1"}).correct  # from a form
    assert grade(lab, {"text": "Айгүл Бакытка 50 төлөйт"}, "ru").correct  # any language counts
    wrong = hashlib.sha256(b"Aigul pays Bakyt 5").hexdigest()
    assert (
        why(lab, {"text_index": 0}) == f"The SHA-256 of that text is {wrong}, not the hash shown."
    )
    assert why(lab, {"text": "Aigul pays Bakyt 5"}).startswith(
        f"The SHA-256 of that text is {wrong}"
    )


def test_mining_lab_grading_follows_the_exact_rule(labs):
    lab = labs["mine"]
    data = "Block 1: Aigul → Bakyt 5"
    nonce = mine(data, 2)
    assert hashlib.sha256(f"{data}{nonce}".encode()).hexdigest().startswith("00")
    assert grade(lab, {"nonce": nonce}).correct
    assert grade(lab, {"nonce": str(nonce)}).correct
    ky_nonce = mine("Блок 1: Айгүл → Бакыт 5", 2)
    assert grade(lab, {"nonce": ky_nonce}, "en").correct  # the ky data, read in English
    bad = next(n for n in range(1000) if not nonce_hash(data, n).startswith("00"))
    assert why(lab, {"nonce": bad}) == (
        f"The SHA-256 of the data followed by {bad} is {nonce_hash(data, bad)}: it does not start "
        "with 00."
    )


def test_chain_lab_grading_checks_every_link_and_difficulty(labs):
    lab = labs["repair"]
    repaired = [nonce for _previous, nonce in chain_mine(CHAIN_NOW, 2)]
    assert grade(lab, {"nonces": repaired}).correct
    stale = [b["nonce"] for b in lab["public"]["blocks"]["en"]]
    assert why(lab, {"nonces": stale}).startswith("Block 3 is not mined: its hash ")
    only_third = [*repaired[:3], *stale[3:]]  # block 3 fixed, later blocks not re-mined
    found = why(lab, {"nonces": only_third})
    assert found.startswith("Block 4") or found.startswith("Block 5")


def test_ledger_lab_grading(labs):
    lab = labs["peers"]
    assert grade(lab, {"peer": 1}).correct
    assert why(lab, {"peer": 2}) == (
        "Chynara's copy agrees with the majority: it is not the one outvoted."
    )
    value_lab = {**lab, "public": {**lab["public"], "ask": "value"}}
    assert grade(value_lab, {"value": "  bakyt → CHYNARA 2 "}).correct
    assert (
        why(value_lab, {"value": "Bakyt → Chynara 20"}) == "That is not the value most copies hold."
    )


def _keys(challenge: str) -> dict:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    return {"public_key": public.upper(), "signature": key.sign(challenge.encode()).hex()}


def test_keys_lab_grading_verifies_the_ed25519_signature_of_the_challenge(labs):
    lab = labs["sign"]
    answers = _keys("bilim-lab:sign:1")
    assert grade(lab, answers, challenge="bilim-lab:sign:1").correct
    assert not grade(lab, answers, challenge="bilim-lab:sign:2").correct
    assert not grade(lab, answers, challenge=None).correct
    not_a_point = {"public_key": "ff" * 32, "signature": answers["signature"]}
    assert not grade(lab, not_a_point, challenge="bilim-lab:sign:1").correct


PAY = {"inputs": ["a1", "a2"], "outputs": [{"to": "chynara", "amount": 45},
                                            {"to": "aigul", "amount": 9}], "fee": 1}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"inputs": []}, "Choose at least one unspent output to spend."),
        ({"inputs": ["a1", "zz"]}, "There is no output “zz”."),
        ({"inputs": ["a1", "b1"]}, "Output b1 belongs to Bakyt, not to you."),
        ({"inputs": ["a1", "a3"]}, "Output a3 is already spent."),
        ({"inputs": ["a1", "a1"]}, "Output a1 is spent twice."),
        ({"outputs": [{"to": "chynara", "amount": 45}, {"to": "bakyt", "amount": 9}]},
         "An output pays “bakyt”, who is neither the recipient nor you."),
        ({"fee": 2}, "The outputs (54) and the fee (2) add up to 56, not to the inputs' 55."),
        ({"fee": 0, "outputs": [{"to": "chynara", "amount": 45}, {"to": "aigul", "amount": 10}]},
         "The fee 0 is below the 1 the task asks for."),
        ({"outputs": [{"to": "chynara", "amount": 44}, {"to": "aigul", "amount": 10}]},
         "Chynara receives 44, not 45."),
    ],
)  # fmt: skip
def test_transactions_lab_grading_names_the_first_rule_broken(labs, change, reason):
    lab = labs["pay"]
    assert grade(lab, PAY).correct
    assert why(lab, {**PAY, **change}) == reason


NUMBER = "“nonce” must be a whole number (0 or more) of at most 20 digits."
TEXT = "“%s” must be a text of at most %s characters, without control characters."
HEX = "“%s” must be %s hexadecimal digits (0-9, a-f)."
OUTPUT = "Each output must be {“to”: a person's id, “amount”: a whole number above 0}."


@pytest.mark.parametrize(
    ("key", "answers", "message"),
    [
        ("mine", {"nonce": -1}, NUMBER),
        ("mine", {"nonce": 1.5}, NUMBER),
        ("mine", {"nonce": True}, NUMBER),
        ("mine", {"nonce": "١٢"}, NUMBER),  # digits, but not ASCII ones
        ("mine", {"nonce": 10**20}, NUMBER),
        ("mine", {}, "The answer needs “nonce”."),
        ("mine", {"nonce": 1, "extra": 2}, "This lab takes no “extra” in its answer."),
        ("find-text", {"text_index": 3},
         "There is no number 3 in “text_index”: choose from 0 to 2."),
        ("find-text", {"text_index": 1, "text": "x"},
         "Answer with either “text_index” or “text”, not both."),
        ("find-text", {"text": "x" * 501}, TEXT % ("text", 500)),
        ("find-text", {"text": "a\x00b"}, TEXT % ("text", 500)),
        ("repair", {"nonces": [1, 2, 3]}, "“nonces” must hold 5 entries, one for each block."),
        ("repair", {"nonces": list(range(6))}, "“nonces” must be a list of at most 5 entries."),
        ("repair", {"nonces": "1,2,3,4,5"}, "“nonces” must be a list of at most 5 entries."),
        ("peers", {"value": "x"}, "This lab takes no “value” in its answer."),
        ("peers", {"peer": 3}, "There is no number 3 in “peer”: choose from 0 to 2."),
        ("sign", {"public_key": "ab" * 32, "signature": "zz" * 64}, HEX % ("signature", 128)),
        ("sign", {"public_key": "ab" * 31, "signature": "ab" * 64}, HEX % ("public_key", 64)),
        ("pay", {**PAY, "outputs": [{"to": "chynara"}]}, OUTPUT),
        ("pay", {**PAY, "outputs": [{"to": "chynara", "amount": 0}]}, OUTPUT),
        ("pay", {**PAY, "outputs": [["chynara", 45]]}, OUTPUT),
        ("pay", {**PAY, "inputs": [{"id": "a1"}]}, TEXT % ("inputs", 63)),
        ("pay", {**PAY, "inputs": ["a1"] * 31}, "“inputs” must be a list of at most 30 entries."),
    ],
)  # fmt: skip
def test_malformed_answers_are_refused_with_a_message(labs, key, answers, message):
    with pytest.raises(AnswerShapeError) as refused:
        lab_answers_clean(lab=labs[key], answers=answers)
    assert refused.value.template % refused.value.params == message
