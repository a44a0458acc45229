"""The Idempotency-Key header of the learner's writes (completion, quiz and lab attempts): the
same request sent twice under one key is recorded once and answered the same way; keys are
per learner; a malformed key or a key reused for another request is refused with a message
in the request's language; the rules of the act apply when the first copy arrives."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.utils.translation import gettext, override

from courses.models import IdempotentRequest, ItemProgress, QuizAttempt
from courses.services.idempotency import KEPT_FOR
from lms.services import api_token_create
from tests.content.helpers import QUIZ_RIGHT_ANSWERS
from tests.factories import UserFactory
from tests.labfiles import publish_labs

pytestmark = pytest.mark.django_db

QUIZ = "/api/v1/courses/demo/items/check/attempts"
COMPLETE = "/api/v1/courses/demo/items/what-is/complete"
LAB = "/api/v1/courses/demo/items/find-text/attempts"


def learner_api() -> tuple:
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="tests")
    return user, Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def post(api: Client, path: str, body: dict | None = None, *, key: str | None, lang: str = "en"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(f"{path}?lang={lang}", json.dumps(body or {}),
                    content_type="application/json", headers=headers)  # fmt: skip


def test_a_quiz_attempt_sent_twice_with_one_key_is_recorded_once_with_the_same_answer(
    demo_course,
):
    user, api = learner_api()
    key = str(uuid.uuid4())
    first = post(api, QUIZ, {"answers": QUIZ_RIGHT_ANSWERS}, key=key)
    second = post(api, QUIZ, {"answers": QUIZ_RIGHT_ANSWERS}, key=key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert first.json()["score"] == 100 and first.json()["attempt"] == 1
    assert "Idempotent-Replayed" not in first and second["Idempotent-Replayed"] == "true"
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 1
    assert IdempotentRequest.objects.filter(user=user, key=key).count() == 1


def test_a_lesson_marked_done_twice_with_one_key_is_recorded_once(demo_course):
    user, api = learner_api()
    first = post(api, COMPLETE, key="offline-queue-entry-0001")
    second = post(api, COMPLETE, key="offline-queue-entry-0001")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {
        "id": "what-is", "completed": True, "progress": 33, "course_completed": False,
    }  # fmt: skip
    assert ItemProgress.objects.filter(enrollment__user=user, completed_at__isnull=False).count()
    assert IdempotentRequest.objects.filter(user=user).count() == 1


def test_different_keys_are_different_attempts(demo_course):
    user, api = learner_api()
    for _ in range(2):
        assert post(api, QUIZ, {"answers": {}}, key=str(uuid.uuid4())).status_code == 201
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 2


def test_the_same_key_from_another_learner_is_an_independent_request(demo_course):
    aigul, aigul_api = learner_api()
    bakyt, bakyt_api = learner_api()
    key = str(uuid.uuid4())
    wrong = post(aigul_api, QUIZ, {"answers": {}}, key=key)
    right = post(bakyt_api, QUIZ, {"answers": QUIZ_RIGHT_ANSWERS}, key=key)
    assert (wrong.json()["score"], right.json()["score"]) == (0, 100)
    assert "Idempotent-Replayed" not in right
    for user in (aigul, bakyt):
        assert QuizAttempt.objects.filter(enrollment__user=user).count() == 1


@pytest.mark.parametrize(
    "key", ["short", "x" * 65, "has space in it 123", "кириллица-ключ-1234", "a/b/c/d/e/f/g/h/i"]
)
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_a_malformed_key_is_a_400_in_the_requests_language_and_records_nothing(
    demo_course, key, lang
):
    _user, api = learner_api()
    response = post(api, QUIZ, {"answers": QUIZ_RIGHT_ANSWERS}, key=key, lang=lang)
    assert response.status_code == 400
    with override(lang):
        message = gettext(
            "The Idempotency-Key header must be 16 to 64 letters, digits, hyphens or "
            "underscores (a UUID will do)."
        )
    assert response.json() == {"code": "invalid_idempotency_key", "message": message}
    assert not QuizAttempt.objects.exists() and not IdempotentRequest.objects.exists()


def test_a_key_reused_for_another_request_is_a_422(demo_course):
    user, api = learner_api()
    key = str(uuid.uuid4())
    assert post(api, QUIZ, {"answers": {}}, key=key).status_code == 201
    other = post(api, QUIZ, {"answers": QUIZ_RIGHT_ANSWERS}, key=key)
    elsewhere = post(api, COMPLETE, key=key)
    assert other.status_code == elsewhere.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 1
    assert not ItemProgress.objects.filter(completed_at__isnull=False).exists()


def test_limits_apply_when_the_request_arrives_and_a_refusal_is_kept(tmp_path):
    """A lab allows three attempts: the fourth, queued offline and sent later, is refused with
    409 in the learner's language; sent again under its key it gets the same refusal and
    still records nothing, while a request under its own new key is refused afresh."""
    publish_labs(tmp_path / "labs")
    user, api = learner_api()
    for _ in range(3):
        assert (
            post(api, LAB, {"answers": {"text_index": "0"}}, key=str(uuid.uuid4())).status_code
            == 201
        )
    key = str(uuid.uuid4())
    refused = post(api, LAB, {"answers": {"text_index": "1"}}, key=key, lang="ky")
    again = post(api, LAB, {"answers": {"text_index": "1"}}, key=key, lang="ky")
    with override("ky"):
        message = gettext("You have used all your attempts for this lab.")
    assert refused.status_code == again.status_code == 409
    assert refused.json() == again.json() == {"code": "no_attempts_left", "message": message}
    assert again["Idempotent-Replayed"] == "true"
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 3


def test_a_rate_limited_request_is_not_kept_so_the_same_key_can_succeed_later(
    demo_course, monkeypatch
):
    from courses.services import learner_actions

    user, api = learner_api()
    monkeypatch.setattr(learner_actions, "QUIZ_SUBMISSIONS_PER_MINUTE", 0)
    key = str(uuid.uuid4())
    assert post(api, QUIZ, {"answers": {}}, key=key).status_code == 429
    assert not IdempotentRequest.objects.exists()
    monkeypatch.setattr(learner_actions, "QUIZ_SUBMISSIONS_PER_MINUTE", 10)
    assert post(api, QUIZ, {"answers": {}}, key=key).status_code == 201
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 1


def test_without_a_key_every_request_acts_as_before(demo_course):
    user, api = learner_api()
    for _ in range(2):
        assert post(api, QUIZ, {"answers": {}}, key=None).status_code == 201
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 2
    assert not IdempotentRequest.objects.exists()


def test_a_session_learner_needs_the_csrf_token_and_a_refused_token_is_not_kept(demo_course):
    """The browser's queue sends with the session: without the CSRF token it is a 403 that
    is not kept, and the same key then succeeds with the token."""
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    key = str(uuid.uuid4())
    assert post(browser, COMPLETE, key=key).status_code == 403
    token = browser.get("/api/v1/offline/session").json()["csrf"]
    sent = browser.post(COMPLETE, "{}", content_type="application/json",
                        headers={"Idempotency-Key": key, "X-CSRFToken": token})  # fmt: skip
    assert sent.status_code == 200
    assert IdempotentRequest.objects.get(user=user, key=key).status == 200


def test_keys_older_than_a_month_are_forgotten(demo_course):
    _user, api = learner_api()
    old = str(uuid.uuid4())
    post(api, QUIZ, {"answers": {}}, key=old)
    IdempotentRequest.objects.filter(key=old).update(created_at=IdempotentRequest.objects.get(
        key=old).created_at - KEPT_FOR - KEPT_FOR)  # fmt: skip
    post(api, QUIZ, {"answers": {}}, key=str(uuid.uuid4()))
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) != [old]
    assert not IdempotentRequest.objects.filter(key=old).exists()
