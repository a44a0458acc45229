"""The JSON API through its real URLs: reads, writes, authentication and errors."""

import json

import pytest
from django.test import Client

from courses.models import Enrollment, ItemProgress, QuizAttempt
from lms.models import ApiToken
from lms.services import api_token_create
from tests.content.helpers import QUIZ_RIGHT_ANSWERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(db):
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="tests")
    return user, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_catalogue_lists_courses_in_the_requested_language(client, demo_course):
    data = client.get("/api/v1/courses?lang=ru").json()
    assert data[0]["slug"] == "demo"
    assert data[0]["title"] == "Демо курс"
    assert data[0]["progress"] is None
    assert data[0]["url"] == "/ru/courses/demo/"


def test_outline_lists_items_with_state_for_a_token_user(demo_course, token_client):
    _user, api = token_client
    post(api, "/api/v1/courses/demo/enrollment")
    post(api, "/api/v1/courses/demo/items/what-is/complete")
    data = api.get("/api/v1/courses/demo?lang=en").json()
    items = [item for module in data["modules"] for item in module["items"]]
    assert [(i["id"], i["type"], i["state"]) for i in items] == [
        ("what-is", "lesson", "done"), ("hashes", "lesson", "not_started"),
        ("check", "quiz", "not_started"),
    ]  # fmt: skip
    assert data["progress"] == 33
    assert data["completed"] is False
    assert data["requirements"]["lessons_done"] == 1


def test_enrolment_is_idempotent(demo_course, token_client):
    user, api = token_client
    first = post(api, "/api/v1/courses/demo/enrollment")
    second = post(api, "/api/v1/courses/demo/enrollment")
    assert (first.status_code, second.status_code) == (201, 200)
    assert Enrollment.objects.filter(user=user).count() == 1


def test_lesson_has_html_and_toc(client, demo_course):
    data = client.get("/api/v1/courses/demo/items/what-is?lang=ky").json()
    assert data["type"] == "lesson"
    assert "<strong>блокторго</strong>" in data["html"]
    assert data["toc"][0]["title"] == "Блокчейн деген эмне?"


def test_quiz_has_questions_but_no_answers_or_explanations(client, demo_course):
    response = client.get("/api/v1/courses/demo/items/check?lang=en")
    data = response.json()
    assert [q["type"] for q in data["questions"]] == [
        "single", "multiple", "true_false", "number", "text",
    ]  # fmt: skip
    raw = response.content.decode()
    for secret in ('"correct"', "explanation", "accept", '"answer"', "tolerance", "digest"):
        assert secret not in raw


def test_complete_is_idempotent(demo_course, token_client):
    user, api = token_client
    for _ in range(2):
        response = post(api, "/api/v1/courses/demo/items/what-is/complete")
        assert response.status_code == 200
    assert ItemProgress.objects.filter(enrollment__user=user).count() == 1


def test_a_quiz_cannot_be_marked_complete(demo_course, token_client):
    _user, api = token_client
    response = post(api, "/api/v1/courses/demo/items/check/complete?lang=ru")
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_lesson"


def test_attempt_is_graded_on_the_server_with_explanations(demo_course, token_client):
    _user, api = token_client
    url = "/api/v1/courses/demo/items/check/attempts?lang=en"
    response = post(api, url, {"answers": QUIZ_RIGHT_ANSWERS})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["score"], data["passed"], data["attempt"]) == (100, True, 1)
    assert data["attempts_left"] == 2
    assert all(q["correct"] for q in data["questions"])
    wrong = post(api, "/api/v1/courses/demo/items/check/attempts?lang=en",
                 {"answers": {"block-stores": "password"}}).json()  # fmt: skip
    assert wrong["score"] == 0 and wrong["best_score"] == 100
    assert wrong["questions"][0]["correct"] is False


def test_no_attempts_left_is_a_conflict(demo_course, token_client):
    user, api = token_client
    for _ in range(3):
        assert (
            post(api, "/api/v1/courses/demo/items/check/attempts", {"answers": {}}).status_code
            == 201
        )
    response = post(api, "/api/v1/courses/demo/items/check/attempts?lang=ru", {"answers": {}})
    assert response.status_code == 409
    assert response.json() == {
        "code": "no_attempts_left", "message": "Вы использовали все попытки для этого теста.",
    }  # fmt: skip
    assert QuizAttempt.objects.filter(enrollment__user=user).count() == 3


def test_writes_need_authentication(client, demo_course):
    response = post(client, "/api/v1/courses/demo/enrollment?lang=en")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_session_write_needs_the_csrf_header(demo_course):
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = post(browser, "/api/v1/courses/demo/enrollment?lang=en")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    browser.get("/en/")  # receives the CSRF cookie, as a page of the site would
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/courses/demo/enrollment", "{}",
                            content_type="application/json", HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert response.status_code == 201


def test_a_revoked_token_is_refused(demo_course):
    user = UserFactory()
    token, raw = api_token_create(user=user, name="old")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at="2026-01-01T00:00Z")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/courses").status_code == 401
    assert post(api, "/api/v1/courses/demo/enrollment").status_code == 401


def test_errors_are_json_in_the_requested_language(client, demo_course):
    response = client.get("/api/v1/courses/nope?lang=ky")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"] == "Бул даректе эч нерсе жок."
    invalid = client.get("/api/v1/courses?lang=kg")
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid"


def test_quiz_submissions_are_rate_limited(demo_course, token_client, settings):
    _user, api = token_client
    statuses = [
        post(api, "/api/v1/courses/demo/items/check/attempts?lang=en", {"answers": {}}).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429


def test_my_courses_lists_enrolments_with_progress(demo_course, token_client):
    _user, api = token_client
    post(api, "/api/v1/courses/demo/items/what-is/complete")
    data = api.get("/api/v1/me/courses?lang=en").json()
    assert [(c["slug"], c["progress"], c["completed"]) for c in data] == [("demo", 33, False)]


def test_openapi_schema_describes_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/api/v1/courses", "/api/v1/courses/{slug}", "/api/v1/courses/{slug}/enrollment",
        "/api/v1/courses/{slug}/items/{item_id}", "/api/v1/courses/{slug}/items/{item_id}/complete",
        "/api/v1/courses/{slug}/items/{item_id}/attempts", "/api/v1/me/courses",
    }  # fmt: skip
