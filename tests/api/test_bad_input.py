"""Bad input to the API gets a clear answer in the request's language, never a 500, and
stores nothing: numbers JSON allows but no database or grader can hold, control characters,
answers of unbounded size, and bodies over Django's DATA_UPLOAD_MAX_MEMORY_SIZE.

The demo quiz "check" has five questions: "block-stores" (single, 2 options), "properties"
(multiple, 2 options), "hash-changes" (true/false), "sha-length" (number), "term" (text).
"""

import json

import pytest
from django.conf import settings
from django.test import Client

from courses.models import Enrollment, ItemProgress, QuizAttempt
from lms.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTEMPTS = "/api/v1/courses/demo/items/check/attempts"


@pytest.fixture
def api(db) -> Client:
    _token, raw = api_token_create(user=UserFactory(), name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def send(api: Client, body: str | bytes, lang: str = "en"):
    return api.post(f"{ATTEMPTS}?lang={lang}", body, content_type="application/json")


def assert_nothing_stored() -> None:
    assert not QuizAttempt.objects.exists()
    assert not ItemProgress.objects.exists()
    assert not Enrollment.objects.exists()  # not even the enrolment a submission would make


NUMBER_MESSAGES = {
    "en": "The answer to question “sha-length” must be a finite number of at most 100 digits.",
    "ru": "Ответ на вопрос «sha-length» должен быть конечным числом не длиннее 100 цифр.",
}


@pytest.mark.parametrize(
    "number", ["NaN", "Infinity", "-Infinity", "1e309", "1" + "0" * 400, "-" + "9" * 101]
)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_number_answer_that_is_not_finite_or_too_long_is_refused(api, demo_course, number, lang):
    """JSON parsers read NaN, Infinity, 1e309 and 400-digit integers; PostgreSQL's jsonb cannot
    store the first three and grading overflowed on the last: each was a 500."""
    response = send(api, '{"answers": {"sha-length": NUMBER}}'.replace("NUMBER", number), lang)
    assert response.status_code == 400, response.content
    assert response.json() == {"code": "invalid_answers", "message": NUMBER_MESSAGES[lang]}
    assert_nothing_stored()


@pytest.mark.parametrize(
    "body", ['{"answers": {"sha-length": 1%s}}' % ("0" * 5000), '{"answers": ', "\x00"]
)
def test_a_body_that_is_not_json_is_a_400_in_the_requests_language(api, demo_course, body):
    """Python refuses to read an integer of over 4,300 digits: like any unreadable body, it
    was answered in English only ("Cannot parse request body")."""
    response = send(api, body, "ru")
    assert response.status_code == 400, response.content
    assert response.json() == {
        "code": "invalid", "message": "Тело запроса не является корректным JSON.",
    }  # fmt: skip
    assert_nothing_stored()


@pytest.mark.parametrize("text", ["a\\u0000b", "\\ud800", "bell\\u0007"])
def test_a_control_character_or_lone_surrogate_in_a_text_answer_is_refused(api, demo_course, text):
    """NUL and lone surrogates cannot be stored in PostgreSQL's jsonb (it was a 500)."""
    response = send(api, '{"answers": {"term": "TEXT"}}'.replace("TEXT", text), "ru")
    assert response.status_code == 400, response.content
    assert response.json() == {
        "code": "invalid_answers",
        "message": "Ответ на вопрос «term» содержит управляющий символ, например нулевой байт. "
        "Уберите его и попробуйте снова.",
    }
    assert_nothing_stored()


def test_an_option_id_with_a_null_byte_is_refused(api, demo_course):
    response = send(api, json.dumps({"answers": {"properties": ["open\x00"]}}))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_answers"
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"properties": ["open"] * 200_000},
         "More options were chosen in question “properties” than it has."),
        ({"block-stores": ["prev-hash", "password", "prev-hash"]},
         "More options were chosen in question “block-stores” than it has."),
        ({"term": "x" * 2_300_000},
         "The answer to question “term” is longer than 500 characters."),
        ({"term": "x" * 501}, "The answer to question “term” is longer than 500 characters."),
        ({"term": ["hash"]}, "The answer to question “term” is not in a form this question takes."),
        ({f"q{n}": None for n in range(6)},
         "More answers were sent than the quiz has questions. Send at most one answer for each "
         "question."),
    ],
)  # fmt: skip
def test_answers_are_bounded_like_the_forms(api, demo_course, answers, message):
    """A 200,000-element list and a 2.3 MB string were stored; answers now hold at most one
    entry per question, no more choices than options and at most 500 characters of text."""
    response = send(api, json.dumps({"answers": answers}))
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"code": "invalid_answers", "message": message}
    assert_nothing_stored()


def test_answers_within_the_bounds_are_still_graded(api, demo_course):
    """The longest text and a number near the bound are accepted (and graded wrong)."""
    response = send(api, json.dumps({"answers": {"term": "x" * 500, "sha-length": 9.9e99}}))
    assert response.status_code == 201, response.content
    assert QuizAttempt.objects.get().answers["term"] == "x" * 500


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_body_over_the_upload_limit_is_413_json_in_the_requests_language(api, demo_course, lang):
    """Django's RequestDataTooBig surfaced as a bare HTML 400 page; the API answers 413 with its
    usual error body."""
    body = json.dumps({"answers": {"term": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}})
    response = send(api, body, lang)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    expected = {
        "en": "The request body is larger than 2.5\xa0MB, the most this API accepts.",
        "ru": "Тело запроса превышает 2,5\xa0МБ — больше API не принимает.",
    }[lang]
    assert response.json() == {"code": "too_large", "message": expected}
    assert_nothing_stored()


def test_marking_a_quiz_done_is_refused_in_the_requests_language(api, demo_course):
    response = api.post("/api/v1/courses/demo/items/check/complete?lang=ru", "{}",
                        content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "code": "not_a_lesson", "message": "Отметить как пройденный можно только урок.",
    }  # fmt: skip
    assert_nothing_stored()


def test_a_lesson_takes_no_answers(api, demo_course):
    response = api.post("/api/v1/courses/demo/items/what-is/attempts?lang=en",
                        '{"answers": {}}', content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "code": "not_a_quiz",
        "message": "Only a quiz or a lab takes answers.",
    }
    assert_nothing_stored()


def test_a_multipart_body_over_the_limit_is_413_json_too(api, demo_course):
    """Django lets a multipart body pass its declared length (files do not count); the API
    reads it whole, and the error raised there is answered like any other too-large body."""
    body = b"--QuizBoundary\r\n" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api.post(f"{ATTEMPTS}?lang=en", body,
                        content_type="multipart/form-data; boundary=QuizBoundary")  # fmt: skip
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert_nothing_stored()
