"""Bad input to the pages gets a clear answer in the page's language, never a 500, and
stores nothing: control characters and oversized answers in the quiz form (checked by the
same code as the API's), and bodies over Django's DATA_UPLOAD_MAX_MEMORY_SIZE on any form.

The demo quiz "check" has five questions: "block-stores" (single, 2 options), "properties"
(multiple, 2 options), "hash-changes" (true/false), "sha-length" (number), "term" (text).
"""

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart

from courses.models import Enrollment, ItemProgress, QuizAttempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
TOO_LARGE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
MULTIPART = "multipart/form-data; boundary=QuizBoundary"  # sent as it is, not re-encoded


@pytest.fixture
def browser(demo_course) -> Client:
    """A logged-in learner's browser that sends the CSRF token as the quiz form does."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(UserFactory())
    browser.get("/en/courses/demo/check/")  # the quiz page sets the CSRF cookie
    return browser


def post(browser: Client, path: str, body: str | bytes, content_type: str = FORM):
    token = browser.cookies["csrftoken"].value
    return browser.post(path, body, content_type=content_type, HTTP_X_CSRFTOKEN=token)


def submit(browser: Client, body: str, lang: str = "en"):
    return post(browser, f"/{lang}/courses/demo/check/attempts/", body)


def messages_in(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'<li class="message[^"]*">(.*?)</li>', html)]


def assert_nothing_stored() -> None:
    assert not QuizAttempt.objects.exists()
    assert not ItemProgress.objects.exists()
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The answer to question “term” contains a control character, such as a null "
               "byte. Remove it and try again."),
        ("ru", "Ответ на вопрос «term» содержит управляющий символ, например нулевой байт. "
               "Уберите его и попробуйте снова."),
    ],
)  # fmt: skip
def test_a_null_byte_in_a_typed_answer_is_refused_on_the_quiz_page(browser, lang, message):
    """%00 in the form reached PostgreSQL's jsonb, which refuses it: a 500."""
    response = submit(browser, "q-block-stores=prev-hash&q-term=ha%00sh", lang)
    assert response.status_code == 400
    html = response.content.decode()
    assert messages_in(html) == [message]
    assert 'class="quiz"' in html  # the quiz is still there to answer
    assert_nothing_stored()


def test_more_choices_than_a_question_has_options_are_refused(browser):
    response = submit(browser, "q-properties=open&q-properties=owned&q-properties=open")
    assert response.status_code == 400
    assert messages_in(response.content.decode()) == [
        "More options were chosen in question “properties” than it has."
    ]
    assert_nothing_stored()


def test_a_typed_answer_over_500_characters_is_refused_not_cut(browser):
    """The form used to cut it silently; the page and the API now share one bound."""
    response = submit(browser, "q-term=" + "x" * 501, "ru")
    assert response.status_code == 400
    assert messages_in(response.content.decode()) == [
        "Ответ на вопрос «term» длиннее 500 символов."
    ]
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("lang", "title", "text"),
    [
        ("en", "Too much data", "What you sent is larger than 2.5\xa0MB, the most this site "
                                "accepts at once. Go back, shorten it and try again."),
        ("ky", "Маалымат өтө көп", "Жөнөткөнүңүздүн көлөмү 2.5\xa0мегабайт чегинен ашат — сайт "
                                   "бир жолу андан көптү кабыл албайт. Артка кайтып, "
                                   "кыскартып, кайра аракет кылыңыз."),
    ],
)  # fmt: skip
def test_a_quiz_form_over_the_upload_limit_gets_a_413_page_in_its_language(
    browser, lang, title, text
):
    """Django's RequestDataTooBig, raised where CSRF protection first reads the form, was a
    bare English "Bad Request (400)" page."""
    response = submit(browser, "q-term=" + "x" * TOO_LARGE, lang)
    assert response.status_code == 413
    html = unescape(response.content.decode())
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert text in html
    assert_nothing_stored()


def test_any_form_over_the_upload_limit_gets_the_413_page(demo_course):
    """The login form, for one, before anyone is logged in."""
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/ru/accounts/login/")
    response = post(visitor, "/ru/accounts/login/", "password=" + "x" * TOO_LARGE)
    assert response.status_code == 413
    assert "<h1>Слишком много данных</h1>" in response.content.decode()


def test_a_multipart_form_with_an_oversized_field_gets_the_413_page(browser):
    """Only a multipart body's fields count against the limit, so it is found while the form
    is read: the answer is the same page."""
    body = encode_multipart("QuizBoundary", {"q-term": "x" * TOO_LARGE})
    response = post(browser, "/ru/courses/demo/check/attempts/", body, MULTIPART)
    assert response.status_code == 413
    assert "<h1>Слишком много данных</h1>" in response.content.decode()
    assert_nothing_stored()


def test_a_file_upload_over_the_limit_still_reaches_its_form(browser):
    """Files do not count against DATA_UPLOAD_MAX_MEMORY_SIZE: a large upload is left to the
    form that takes it (here a quiz, which ignores files and grades an empty attempt)."""
    upload = SimpleUploadedFile("roster.csv", b"a@example.org\n" * (TOO_LARGE // 14 + 1))
    body = encode_multipart("QuizBoundary", {"file": upload})
    response = post(browser, "/en/courses/demo/check/attempts/", body, MULTIPART)
    assert response.status_code == 302
    assert QuizAttempt.objects.count() == 1
