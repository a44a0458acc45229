"""Labs through the JSON API: the item detail gives each kind's public parameters (``data``
and ``d`` of a mining lab, a keys lab's ``challenge``...) and never the answer; attempts go to
the same endpoint as quiz attempts, with the same statuses; errors are in the request's
language."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client

from courses.content.labhash import chain_mine, chain_relinked, mine, sha256_hex
from courses.models import Enrollment, LabChallenge, QuizAttempt
from lms.services import api_token_create
from tests.factories import UserFactory
from tests.labfiles import certificate_requires, publish_labs

pytestmark = pytest.mark.django_db

ITEM = "/api/v1/courses/demo/items/{key}"
CHAIN_NOW = ["Genesis", "Aigul → Bakyt 5", "Bakyt → Chynara 200", "Chynara → Aigul 1",
             "Aigul → Dastan 3"]  # fmt: skip
REPAIRED = [nonce for _previous, nonce in chain_mine(CHAIN_NOW, 2)]


@pytest.fixture
def lab_course(tmp_path, db):
    return publish_labs(tmp_path / "labs")


@pytest.fixture
def api(lab_course) -> Client:
    _token, raw = api_token_create(user=UserFactory(), name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def attempt(api: Client, key: str, answers: dict, lang: str = "en"):
    return api.post(f"{ITEM.format(key=key)}/attempts?lang={lang}",
                    json.dumps({"answers": answers}), content_type="application/json")  # fmt: skip


def challenge(api: Client, lang: str = "en"):
    return api.post(f"{ITEM.format(key='sign')}/challenge?lang={lang}", "{}",
                    content_type="application/json")  # fmt: skip


def signed(text: str) -> dict:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    return {"public_key": public, "signature": key.sign(text.encode()).hex()}


def test_a_mining_lab_gives_data_and_d(client, lab_course):
    data = client.get(ITEM.format(key="mine") + "?lang=ru").json()
    assert (data["type"], data["kind"], data["d"]) == ("lab", "mining", 2)
    assert data["data"] == "Блок 1: Айгуль → Бакыт 5"
    assert data["instructions_html"] == "<p>Задание: <strong>сделайте</strong>.</p>"
    assert data["hints_html"] == ["<p>Первая подсказка</p>"]
    assert data["attempts_left"] is None and data["questions"] is None


def test_each_kind_gives_its_public_parameters_and_no_answer(client, lab_course):
    found = {key: client.get(ITEM.format(key=key) + "?lang=en").json()
             for key in ("find-text", "repair", "peers", "pay", "sign")}  # fmt: skip
    hash_lab = found["find-text"]
    assert hash_lab["candidates"] == ["Aigul pays Bakyt 5", "Aigul pays Bakyt 50",
                                      "aigul pays Bakyt 5"]  # fmt: skip
    assert hash_lab["target_hash"] == sha256_hex("Aigul pays Bakyt 50")
    assert hash_lab["max_attempts"] == 3 and hash_lab["attempts_left"] == 3
    assert [b["valid"] for b in found["repair"]["blocks"]] == [True, True, False, False, False]
    assert [p["name"] for p in found["peers"]["peers"]] == ["Aigul", "Bakyt", "Chynara"]
    assert found["peers"]["ask"] == "peer"
    assert found["pay"]["target"] == {"to": "chynara", "to_name": "Chynara", "amount": 45,
                                      "fee": 1}  # fmt: skip
    assert [u["id"] for u in found["pay"]["utxos"]] == ["a1", "a2", "a3", "b1"]
    assert found["pay"]["people"][0] == {"id": "aigul", "name": "Aigul (you)"}
    assert found["sign"]["challenge"] is None  # a visitor has none
    body = json.dumps(found, ensure_ascii=False)
    for secret in ('"key"', "tampered", "text_index", "explanation"):
        assert secret not in body
    for block in chain_relinked(CHAIN_NOW, REPAIRED, 2)[2:]:
        assert block.hash not in body


@pytest.mark.parametrize(
    ("key", "answers"),
    [("find-text", {"text_index": 1}), ("find-text", {"text": "Aigul pays Bakyt 50"}),
     ("mine", {"nonce": mine("Block 1: Aigul → Bakyt 5", 2)}), ("repair", {"nonces": REPAIRED}),
     ("peers", {"peer": 1}),
     ("pay", {"inputs": ["a1", "a2"], "outputs": [{"to": "chynara", "amount": 45},
                                                  {"to": "aigul", "amount": 9}], "fee": 1})],
)  # fmt: skip
def test_a_right_attempt_is_201_with_the_explanation(api, key, answers):
    response = attempt(api, key, answers)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["score"], data["passed"], data["best_score"], data["questions"]) == (
        100, True, 100, [],
    )  # fmt: skip
    assert data["lab"] == {"correct": True, "message": None,
                           "explanation_html": "<p>Right, because of the hash.</p>"}  # fmt: skip


def test_a_wrong_attempt_is_201_with_the_reason_in_the_requests_language(api):
    response = attempt(api, "peers", {"peer": 0}, "ru")
    assert response.status_code == 201
    assert response.json()["lab"] == {
        "correct": False, "explanation_html": None,
        "message": "Копия, которую хранит Айгуль, совпадает с большинством: большинство отвергло "
        "не её.",
    }  # fmt: skip
    assert response.json()["score"] == 0


@pytest.mark.parametrize(
    ("lang", "key", "answers", "message"),
    [
        ("ru", "mine", {"nonce": "12a"},
         "«nonce» должно быть целым числом (0 или больше) не длиннее 20 цифр."),
        ("ky", "repair", {"nonces": [1, 2]},
         "«nonces» ар бир блокко бирден, бардыгы 5 маани камтышы керек."),
        ("ru", "pay", {"inputs": ["a1"], "outputs": [{"to": "chynara", "amount": -4}], "fee": 0},
         "Каждый выход должен иметь вид {“to”: идентификатор получателя, “amount”: целое число "
         "больше 0}."),
        ("ky", "sign", {"public_key": "x", "signature": "y"},
         "«public_key» 64 он алтылык цифрадан (0-9, a-f) турушу керек."),
        ("en", "find-text", {"text_index": 1, "oops": 1},
         "This lab takes no “oops” in its answer."),
    ],
)  # fmt: skip
def test_a_malformed_attempt_is_400_never_500_and_stores_nothing(api, lang, key, answers,
                                                                 message):  # fmt: skip
    response = attempt(api, key, answers, lang)
    assert response.status_code == 400, response.content
    assert response.json() == {"code": "invalid_answers", "message": message}
    assert not QuizAttempt.objects.exists() and not Enrollment.objects.exists()


@pytest.mark.parametrize(
    "answers",
    [{"nonce": None}, {"nonce": [1]}, {"nonce": {"a": 1}}, {"nonce": 1e309}, {"nonce": 2**70},
     {"nonce": float("nan")}, {"nonce": ["x" * 1000] * 50}, {"nonce": [[1]]}],
)  # fmt: skip
def test_odd_json_is_a_400_never_a_500(api, answers):
    response = attempt(api, "mine", answers)
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("invalid", "invalid_answers")


def test_a_keys_lab_takes_the_signature_of_its_challenge_once(api):
    first = challenge(api)
    assert first.status_code == 200
    text = first.json()["challenge"]
    assert challenge(api).json()["challenge"] == text  # the same until an attempt uses it
    assert api.get(ITEM.format(key="sign")).json()["challenge"] == text
    answers = signed(text)
    assert attempt(api, "sign", answers).json()["passed"] is True
    replayed = attempt(api, "sign", answers, "ru")
    assert replayed.status_code == 400
    assert replayed.json() == {
        "code": "challenge_used",
        "message": "Эта подпись сделана для текста, который уже использован. Каждый текст "
        "засчитывается один раз: подпишите новый текст, показанный в лабораторной работе.",
    }  # fmt: skip
    assert QuizAttempt.objects.count() == 1
    assert api.get(ITEM.format(key="sign")).json()["challenge"] not in (None, text)


def test_a_keys_attempt_without_a_challenge_is_400(api):
    response = attempt(api, "sign", signed("bilim-lab:sign:guess"), "ky")
    assert response.status_code == 400
    assert response.json() == {
        "code": "no_challenge",
        "message": "Сизде кол коюлуучу текст жок. Аны алуу үчүн лабораториялык ишти кайра ачып, "
        "андан кийин кол коюңуз.",
    }  # fmt: skip


def test_only_a_keys_lab_hands_out_a_challenge(api):
    response = api.post(f"{ITEM.format(key='mine')}/challenge?lang=en", "{}",
                        content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "code": "not_a_keys_lab",
        "message": "Only a keys and signatures lab hands out challenges.",
    }
    assert not LabChallenge.objects.exists() and not Enrollment.objects.exists()


def test_a_lab_out_of_attempts_is_409(api):
    for _ in range(3):
        assert attempt(api, "find-text", {"text_index": 0}).status_code == 201
    response = attempt(api, "find-text", {"text_index": 1})
    assert response.status_code == 409
    assert response.json() == {
        "code": "no_attempts_left",
        "message": "You have used all your attempts for this lab.",
    }


def test_a_lesson_still_takes_no_answers(api):
    response = attempt(api, "what-is", {"nonce": 1})
    assert response.status_code == 400 and response.json()["code"] == "not_a_quiz"


def test_the_outline_counts_labs_in_progress_and_requirements(tmp_path, db):
    publish_labs(tmp_path / "labs", certificate_requires("all_labs"))
    _token, raw = api_token_create(user=UserFactory(), name="tests")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    attempt(api, "peers", {"peer": 1})
    outline = api.get("/api/v1/courses/demo?lang=en").json()
    items = {i["id"]: i for module in outline["modules"] for i in module["items"]}
    assert (items["peers"]["type"], items["peers"]["state"]) == ("lab", "passed")
    assert items["mine"]["state"] == "not_started"
    requirements = outline["requirements"]
    assert (requirements["labs_passed"], requirements["labs_total"]) == (1, 6)
    assert requirements["require"] == ["all_labs"] and not requirements["met"]
    assert outline["progress"] == 11
    assert api.get("/api/v1/courses?lang=en").json()[0]["labs"] == 6
