"""A lab's page without JavaScript: it explains the task, shows the parameters, takes a typed
answer through a plain form, graded by the same service as the API, and says what came of it.
It never holds the solution, and an explanation shows only after success."""

from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from courses.content.labhash import chain_mine, chain_relinked, mine, nonce_hash, sha256_hex
from courses.models import Enrollment, LabChallenge, QuizAttempt
from tests.factories import UserFactory
from tests.labfiles import publish_labs

pytestmark = pytest.mark.django_db

EXPLANATION = "Right, because of the hash."
CHAIN_NOW = ["Genesis", "Aigul → Bakyt 5", "Bakyt → Chynara 200", "Chynara → Aigul 1",
             "Aigul → Dastan 3"]  # fmt: skip
REPAIRED = [nonce for _previous, nonce in chain_mine(CHAIN_NOW, 2)]


@pytest.fixture
def lab_course(tmp_path, db):
    return publish_labs(tmp_path / "labs")


@pytest.fixture
def learner(client, lab_course):
    user = UserFactory()
    client.force_login(user)
    return user


def page(client, key: str, lang: str = "en", query: str = "") -> str:
    response = client.get(f"/{lang}/courses/demo/{key}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def post(client, key: str, data: dict, lang: str = "en"):
    return client.post(f"/{lang}/courses/demo/{key}/lab/", data)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("key", ["find-text", "mine", "repair", "peers", "sign", "pay"])
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_every_lab_explains_its_task_to_a_visitor_in_every_language(client, lab_course, key, lang):
    html = page(client, key, lang)
    assert "<strong>" in html and "/static/css/labs" in html
    assert re.search(r"<details><summary>[^<]+</summary><div class=\"explanation\"><p>", html)
    assert 'id="lab-params"' in html
    assert 'id="lab-answer"' not in html  # a visitor is invited to sign up instead
    assert EXPLANATION not in html
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_a_hash_lab_shows_the_hash_and_the_texts_but_not_which_text(client, learner):
    html = page(client, "find-text")
    assert (
        f'<code class="lab-hash" id="lab-target-hash">{sha256_hex("Aigul pays Bakyt 50")}' in html
    )
    for other in ("Aigul pays Bakyt 5", "aigul pays Bakyt 5"):
        assert sha256_hex(other) not in html  # no other text's hash to compare with
    assert html.count('name="text_index"') == 3


def test_a_mining_lab_shows_its_data_and_difficulty_and_takes_a_typed_nonce(client, learner):
    html = page(client, "mine")
    data = "Block 1: Aigul → Bakyt 5"
    assert f'<code class="lab-text" id="lab-data">{data}</code>' in html
    assert 'data-difficulty="2"' in html and "<code>00</code>" in html
    nonce = mine(data, 2)
    assert nonce_hash(data, nonce) not in html  # the page holds no solution
    response = post(client, "mine", {"nonce": str(nonce)})
    assert response.status_code == 302
    assert response["Location"] == "/en/courses/demo/mine/?attempt=1#result"
    result = page(client, "mine", query="?attempt=1")
    assert "Solved" in text(result) and EXPLANATION in result
    assert 'class="badge ok">Solved' in result


def test_a_wrong_answer_says_why_and_shows_no_explanation(client, learner):
    data = "Block 1: Aigul → Bakyt 5"
    bad = next(n for n in range(100) if not nonce_hash(data, n).startswith("00"))
    post(client, "mine", {"nonce": str(bad)})
    result = text(page(client, "mine", query="?attempt=1"))
    assert "Not solved yet" in result
    assert f"is {nonce_hash(data, bad)}: it does not start with 00." in result
    assert EXPLANATION not in result
    assert "Try again" in result


def test_a_chain_lab_shows_the_broken_blocks_and_takes_every_nonce(client, learner):
    html = page(client, "repair")
    assert html.count('class="lab-block is-valid"') == 2
    assert html.count('class="lab-block is-invalid"') == 3
    for block in chain_relinked(CHAIN_NOW, REPAIRED, 2)[2:]:
        assert block.hash not in html  # the repaired blocks are not on the page
    answer = {f"nonce-{number}": str(nonce) for number, nonce in enumerate(REPAIRED, start=1)}
    assert post(client, "repair", answer).status_code == 302
    assert QuizAttempt.objects.get(item__key="repair").passed


def test_a_ledger_lab_shows_every_copy_and_takes_the_outvoted_peer(client, learner):
    html = page(client, "peers")
    assert html.count('class="card lab-peer"') == 3
    assert "Bakyt → Chynara 20</code>" in html
    assert post(client, "peers", {"peer": "1"}).status_code == 302
    assert QuizAttempt.objects.get(item__key="peers").passed


def test_a_transactions_lab_takes_inputs_outputs_and_a_fee_from_the_form(client, learner):
    html = page(client, "pay")
    assert "Pay 45 to Chynara, with a fee of at least 1." in text(html)
    assert html.count('name="inputs"') == 4
    form = {"inputs": ["a1", "a2"], "to-1": "chynara", "amount-1": "45", "to-2": "aigul",
            "amount-2": "9", "to-3": "bakyt", "amount-3": "", "fee": "1"}  # fmt: skip
    assert post(client, "pay", form).status_code == 302
    assert QuizAttempt.objects.get(item__key="pay").passed


def _signed(challenge: str) -> dict:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    return {"public_key": public, "signature": key.sign(challenge.encode()).hex()}


def test_a_keys_lab_hands_a_challenge_and_takes_a_typed_signature(client, learner):
    html = page(client, "sign")
    assert 'id="lab-challenge"' not in html  # not enrolled: a button asks for one
    response = client.post("/en/courses/demo/sign/challenge/")
    assert response.status_code == 302 and Enrollment.objects.filter(user=learner).exists()
    challenge = LabChallenge.objects.get().text
    html = page(client, "sign")
    assert f'<code id="lab-challenge">{challenge}</code>' in html
    assert page(client, "sign").count(challenge) == 1 and LabChallenge.objects.count() == 1
    assert post(client, "sign", _signed(challenge)).status_code == 302
    assert QuizAttempt.objects.get(item__key="sign").passed
    assert challenge not in page(client, "sign")  # a new one for the next attempt


REPLAYED = {
    "ky": "Бул кол тамга мурда колдонулган текстке коюлган. Ар бир текст бир жолу гана эсептелет: "
    "лабораториялык иште көрсөтүлгөн жаңы текстке кол коюңуз.",
    "ru": "Эта подпись сделана для текста, который уже использован. Каждый текст засчитывается "
    "один раз: подпишите новый текст, показанный в лабораторной работе.",
}


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_a_replayed_signature_is_a_400_that_says_so(client, learner, lang):
    client.post(f"/{lang}/courses/demo/sign/challenge/")
    answers = _signed(LabChallenge.objects.get().text)
    post(client, "sign", answers, lang)
    response = post(client, "sign", answers, lang)
    assert response.status_code == 400
    assert REPLAYED[lang] in response.content.decode()
    assert QuizAttempt.objects.count() == 1


MALFORMED = {
    "ky": "«nonce» эң көп 20 цифрадан турган бүтүн сан (0 же андан чоң) болушу керек.",
    "ru": "«nonce» должно быть целым числом (0 или больше) не длиннее 20 цифр.",
}


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("nonce", ["abc", "-5", "1" * 21, ""])
def test_a_malformed_answer_is_a_400_in_the_pages_language(client, learner, lang, nonce):
    response = post(client, "mine", {"nonce": nonce}, lang)
    assert response.status_code == 400
    html = response.content.decode()
    if nonce:
        assert MALFORMED[lang] in html
    assert 'id="lab-answer"' in html  # the form again, to correct the answer
    assert not QuizAttempt.objects.exists() and not Enrollment.objects.exists()


def test_a_visitor_cannot_post_an_answer(client, lab_course):
    response = post(client, "mine", {"nonce": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_only_a_lab_takes_answers_on_this_address(client, learner):
    assert post(client, "check", {"nonce": "1"}).status_code == 404
    assert post(client, "what-is", {"nonce": "1"}).status_code == 404


def test_a_lab_with_no_attempts_left_says_so(client, learner):
    for _ in range(3):
        post(client, "find-text", {"text_index": "0"})
    html = text(page(client, "find-text"))
    assert "You have used all your attempts for this lab." in html
    assert post(client, "find-text", {"text_index": "1"}).status_code == 302
    assert QuizAttempt.objects.count() == 3


def test_the_outline_and_progress_count_a_passed_lab(client, learner):
    data = "Block 1: Aigul → Bakyt 5"
    post(client, "mine", {"nonce": str(mine(data, 2))})
    html = page(client, "find-text")
    assert re.search(r'<li class="state-passed">\s*<a href="/en/courses/demo/mine/"', html)
    assert "11% done" in html  # 1 of 9 items
    course = text(client.get("/en/courses/demo/").content.decode())
    assert "11%" in course
