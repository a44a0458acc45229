"""The learning pages as a learner sees them: catalogue, course, lesson, quiz, dashboard.

One real Git repository holds three courses:

- "demo": the demo course of tests/content/helpers.py, its quiz "check" rewritten so every
  explanation and accepted answer is a sentinel that must never reach a page before the
  learner submits; its single-choice question has four options, so shuffling shows.
- "defi": complete in Kyrgyz and Russian, its lesson missing in English (fallback), with a
  practice quiz of unlimited attempts and no shuffling; intermediate, tagged "defi".
- "kyonly": offered in Kyrgyz only, so never listed under /en/.
"""

import re
import time

import pytest

from courses.models import (
    Course,
    Enrollment,
    Item,
    ItemProgress,
    QuizAttempt,
)
from courses.services.certificates import certificate_issue, certificate_request
from courses.services.learner_actions import QUIZ_SUBMISSIONS_PER_MINUTE
from courses.services.learning import enrollment_create, lesson_complete
from tests.conftest import imported_for_module
from tests.content.helpers import COURSE_DIR
from tests.factories import PASSWORD, UserFactory
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db

SENTINEL_QUIZ = """\
format: 1
id: check
title: {ky: Текшерүү, ru: Проверка, en: Check}
pass_threshold: 60
max_attempts: 3
shuffle_options: true
questions:
  - id: block-stores
    type: single
    prompt: {ky: "Блок эмнени сактайт?", ru: "Что хранит блок?", en: "What does a block store?"}
    options:
      - id: prev-hash
        correct: true
        text: {ky: Мурунку хешти, ru: Хеш предыдущего, en: The previous hash}
        explanation: {ky: Aardvark-ky, ru: Aardvark-ru, en: Aardvark-en}
      - id: password
        text: {ky: Сыр сөздү, ru: Пароль, en: A password}
        explanation: {ky: Badger-ky, ru: Badger-ru, en: Badger-en}
      - {id: photo, text: {ky: Сүрөттү, ru: Фото, en: A photo}}
      - {id: nothing, text: {ky: Эч нерсени, ru: Ничего, en: Nothing}}
    explanation: {ky: Capybara-ky, ru: Capybara-ru, en: Capybara-en}
  - id: properties
    type: multiple
    scoring: partial
    prompt: {ky: "Касиеттер?", ru: "Свойства?", en: "Properties?"}
    options:
      - {id: open, correct: true, text: {ky: Ачык, ru: Открытый, en: Open}}
      - {id: append, correct: true, text: {ky: Толукталат, ru: Дополняемый, en: Append-only}}
      - {id: owned, text: {ky: Ээси бар, ru: Есть владелец, en: Owned}}
    explanation: {ky: Dugong-ky, ru: Dugong-ru, en: Dugong-en}
  - id: hash-changes
    type: true_false
    answer: true
    prompt: {ky: "Хеш өзгөрөбү?", ru: "Хеш меняется?", en: "Does the hash change?"}
    explanation: {ky: Echidna-ky, ru: Echidna-ru, en: Echidna-en}
  - id: sha-length
    type: number
    answer: 7919
    tolerance: 0
    prompt: {ky: "Кайсы сан?", ru: "Какое число?", en: "Which number?"}
    explanation: {ky: Fossa-ky, ru: Fossa-ru, en: Fossa-en}
  - id: term
    type: text
    prompt: {ky: "Бул эмне?", ru: "Что это?", en: "What is it?"}
    accept: {ky: [gerenuk-ky], ru: [gerenuk-ru, hyrax-ru], en: [gerenuk-en]}
    explanation: {ky: Ibex-ky, ru: Ibex-ru, en: Ibex-en}
"""
SECRETS = [
    f"{word}-{lang}"
    for word in ("Aardvark", "Badger", "Capybara", "Dugong", "Echidna", "Fossa", "Ibex",
                 "gerenuk", "hyrax")
    for lang in ("ky", "ru", "en")
] + ["7919"]  # fmt: skip
ALL_RIGHT = {
    "q-block-stores": "prev-hash",
    "q-properties": ["open", "append"],
    "q-hash-changes": "true",
    "q-sha-length": "7919",
    "q-term": "  GERENUK-en ",
}
TWO_RIGHT = {"q-block-stores": "prev-hash", "q-hash-changes": "true"}  # 40

LESSON_EN = """\
---
title: What is a blockchain?
summary: A ledger kept by many.
---

## Records

A blockchain is a ledger whose records are grouped into **blocks**.

## Links

Every block points to the one before.

| Block | Stores |
| --- | --- |
| 1 | the first records |
| 2 | the hash of block 1 |
"""

DEFI = "courses/defi"
DEFI_YAML = """\
format: 1
slug: defi
languages: [ky, ru, en]
default_language: ky
title: {ky: DeFi негиздери, ru: Основы DeFi, en: DeFi basics}
description:
  ky: Борбордон ажыратылган каржы.
  ru: Децентрализованные финансы.
  en: Decentralised finance explained.
level: intermediate
estimated_minutes: 20
tags: [defi]
pass_threshold: 50
certificate:
  enabled: false
modules:
  - id: main
    title: {ky: Негизги, ru: Основное, en: Main}
    items:
      - {type: lesson, id: pools, path: lessons/pools, minutes: 10}
      - {type: quiz, id: practice, path: quizzes/practice.yaml, minutes: 10}
"""
PRACTICE_YAML = """\
format: 1
id: practice
title: {ky: Машыгуу, ru: Практика, en: Practice}
max_attempts: 0
questions:
  - id: pool
    type: single
    prompt: {ky: "Пул?", ru: "Пул?", en: "A pool?"}
    options:
      - {id: first, correct: true, text: {ky: Биринчи, ru: Первый, en: First}}
      - {id: second, text: {ky: Экинчи, ru: Второй, en: Second}}
      - {id: third, text: {ky: Үчүнчү, ru: Третий, en: Third}}
"""
KYONLY_YAML = """\
format: 1
slug: kyonly
languages: [ky]
default_language: ky
title: {ky: Кыргызча гана}
description: {ky: Кыргыз тилинде гана.}
level: advanced
estimated_minutes: 5
tags: [blockchain]
modules:
  - id: main
    title: {ky: Негизги}
    items:
      - {type: lesson, id: only, path: lessons/only, minutes: 5}
"""


def repository_files() -> dict[str, str]:
    return {
        f"{COURSE_DIR}/quizzes/check.yaml": SENTINEL_QUIZ,
        f"{COURSE_DIR}/lessons/01-what-is/en.md": LESSON_EN,
        f"{DEFI}/course.yaml": DEFI_YAML,
        f"{DEFI}/lessons/pools/ky.md": "---\ntitle: Пулдар\n---\n\nПул — бул резерв.\n",
        f"{DEFI}/lessons/pools/ru.md": "---\ntitle: Пулы\n---\n\nПул — это резерв.\n",
        f"{DEFI}/quizzes/practice.yaml": PRACTICE_YAML,
        "courses/kyonly/course.yaml": KYONLY_YAML,
        "courses/kyonly/lessons/only/ky.md": "---\ntitle: Жалгыз\n---\n\nТекст.\n",
    }


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("pages") / "repo", repository_files())


@pytest.fixture(scope="module")
def courses(repo, django_db_setup, django_db_blocker):
    """The three courses, imported and committed once for the module."""
    with imported_for_module(repo.path, django_db_blocker):
        yield


@pytest.fixture
def learner(client, courses):
    """A signed-in learner, not yet enrolled anywhere."""
    user = UserFactory(language="en")
    client.force_login(user)
    return user


@pytest.fixture
def enrolled(learner):
    """The signed-in learner, enrolled in the demo course."""
    enrollment_create(user=learner, course=Course.objects.get(slug="demo"))
    return learner


def url(slug: str, key: str = "", lang: str = "en") -> str:
    return f"/{lang}/courses/{slug}/{key + '/' if key else ''}"


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def enrollment_of(user, slug: str = "demo") -> Enrollment:
    return Enrollment.objects.get(user=user, course__slug=slug)


def state_of(html: str, key: str) -> str:
    """The state class of the outline entry linking to item ``key``."""
    match = re.search(r'<li class="state-([a-z_]+)[^"]*">\s*<a href="[^"]*/' + key + '/"', html)
    assert match, key
    return match.group(1)


def option_order(html: str, question: str) -> list[str]:
    return re.findall(rf'id="q-{question}-([a-z0-9-]+)"', html)


def submit(client, answers: dict, slug: str = "demo", key: str = "check"):
    return client.post(url(slug, key) + "attempts/", answers)


def messages_in(html: str) -> list[str]:
    return re.findall(r'<li class="message[^"]*">(.*?)</li>', html)


# Catalogue -------------------------------------------------------------------------------


def card_titles(html: str) -> list[str]:
    return re.findall(r'<li class="card">\s*<h2><a href="[^"]*">([^<]*)</a>', html)


def test_catalogue_lists_courses_offered_in_the_language_and_marks_fallback(client, courses):
    html = get(client, "/en/courses/")
    assert card_titles(html) == ["DeFi basics", "Demo course"]
    cards = html.split('<li class="card">')[1:]
    assert "fallback-note" in cards[0]  # its lesson is not in English
    assert "Some parts are not yet translated into this language." in cards[0]
    assert "fallback-note" not in cards[1]
    assert card_titles(get(client, "/ky/courses/")) == [
        "DeFi негиздери", "Демо курс", "Кыргызча гана",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("?level=intermediate", ["DeFi basics"]),
        ("?level=beginner", ["Demo course"]),
        ("?level=advanced", []),
        ("?tag=defi", ["DeFi basics"]),
        ("?tag=blockchain", ["Demo course"]),
        ("?q=demo", ["Demo course"]),
        ("?q=SHORT+description", ["Demo course"]),  # the summary, in any case
        ("?q=finance", ["DeFi basics"]),
        ("?q=%D0%9A%D1%8B%D1%81%D0%BA%D0%B0", []),  # "Кыска": Kyrgyz text, English page
        ("?q=finance&level=beginner", []),
        ("?level=nonsense", ["DeFi basics", "Demo course"]),
    ],
)
def test_catalogue_filters_by_level_and_tag_and_searches_the_current_language(
    client, courses, query, titles
):
    html = get(client, "/en/courses/" + query)
    assert card_titles(html) == titles
    if not titles:
        assert "No course matches your search." in html


def test_catalogue_search_uses_the_language_of_the_page(client, courses):
    assert card_titles(get(client, "/ky/courses/?q=%D0%BA%D1%8B%D1%81%D0%BA%D0%B0")) == [
        "Демо курс"
    ]


def test_catalogue_card_shows_progress_only_when_enrolled(client, enrolled):
    user = enrolled
    demo = Course.objects.get(slug="demo")
    lesson = Item.objects.get(course=demo, key="what-is")
    lesson_complete(enrollment=enrollment_of(user), item=lesson)
    cards = get(client, "/en/courses/").split('<li class="card">')[1:]
    assert "<progress" not in cards[0]  # DeFi: not enrolled
    assert '<progress max="100" value="33"' in cards[1]
    assert "33% done" in cards[1]


# Course page -----------------------------------------------------------------------------


def test_course_page_invites_a_visitor_to_sign_up_and_come_back(client, courses):
    html = get(client, url("demo"))
    assert "Lessons are free to read." in html
    assert 'href="/en/accounts/signup/?next=/en/courses/demo/"' in html
    assert "<progress" not in html
    assert [state_of(html, key) for key in ("what-is", "hashes", "check")] == ["not_started"] * 3
    assert "Lessons read: 0 of 2" in html
    assert "Quizzes passed: 0 of 1" in html
    assert "Average best quiz score of at least 75%" in html


def test_enrolling_from_the_course_page_leads_to_the_first_item(client, learner):
    html = get(client, url("demo"))
    assert "Enrol in this course" in html
    response = client.post(url("demo") + "enroll/")
    assert response.status_code == 302
    assert response["Location"] == url("demo", "what-is")
    assert "You are enrolled. Good luck!" in messages_in(get(client, response["Location"]))
    client.post(url("demo") + "enroll/")  # a double click
    assert Enrollment.objects.filter(user=learner).count() == 1


def test_enrolling_from_a_lesson_stays_on_that_lesson(client, learner):
    html = get(client, url("demo", "hashes"))
    form = re.search(r'<form class="complete" method="post" action="([^"]+)">.*?</form>', html,
                     re.S)  # fmt: skip
    assert form.group(1) == url("demo") + "enroll/"
    assert '<input type="hidden" name="next" value="/en/courses/demo/hashes/">' in form.group(0)
    response = client.post(form.group(1), {"next": url("demo", "hashes")})
    assert response["Location"] == url("demo", "hashes")
    assert "Mark as complete" in get(client, url("demo", "hashes"))


def test_enrolling_never_redirects_off_the_site(client, learner):
    response = client.post(url("demo") + "enroll/", {"next": "https://evil.example/"})
    assert response["Location"] == url("demo", "what-is")


def test_a_completed_course_celebrates_shows_the_certificate_and_offers_no_continue(
    client, enrolled
):
    """At 100% the course page congratulates, shows the certificate (once issued) and no
    longer offers to continue or start."""
    for key in ("what-is", "hashes"):
        client.post(url("demo", key) + "complete/")
    submit(client, ALL_RIGHT)
    get(client, url("demo", "hashes"))
    enrollment = enrollment_of(enrolled)
    assert enrollment.completed_at is not None
    html = get(client, url("demo"))
    assert '<progress max="100" value="100"' in html
    assert '<div class="celebrate">' in html
    assert "You have completed this course." in html
    assert "Continue where you left off" not in html and "Start the course" not in html
    assert 'class="side-card"' not in html

    certificate = certificate_issue(certificate_id=certificate_request(enrollment=enrollment).pk)
    html = get(client, url("demo"))
    celebration = re.search(r'<div class="celebrate">.*?</aside>', html, re.S).group(0)
    assert f'href="{certificate.get_absolute_url()}">View your certificate</a>' in celebration
    assert "Continue where you left off" not in html


def test_the_next_step_names_the_item_continue_leads_to(client, enrolled):
    client.post(url("demo", "what-is") + "complete/")
    html = get(client, url("demo"))
    side = re.search(r'<aside class="course-side".*?</aside>', html, re.S).group(0)
    assert "<strong>Hashes</strong>" in side
    assert f'<a class="button" href="{url("demo", "hashes")}">Continue where you left off' in side


def test_visitors_are_sent_to_log_in_to_enrol(client, courses):
    response = client.post(url("demo") + "enroll/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert not Enrollment.objects.exists()


def test_course_page_shows_states_progress_and_where_to_continue(client, enrolled):
    html = get(client, url("demo"))
    assert "Start the course" in html
    client.post(url("demo", "what-is") + "complete/")
    submit(client, TWO_RIGHT)
    html = get(client, url("demo"))
    assert [state_of(html, key) for key in ("what-is", "hashes", "check")] == [
        "done", "not_started", "failed",
    ]  # fmt: skip
    assert '<progress max="100" value="33"' in html
    assert "Not passed yet, best 40%" in html
    continue_link = re.search(r'<a class="button" href="([^"]+)">Continue where you left off', html)
    assert continue_link and continue_link.group(1) == url("demo", "hashes")
    assert "Lessons read: 1 of 2" in html
    assert "Quizzes passed: 0 of 1" in html
    assert "yours: 40%" in html


def test_unknown_course_or_item_is_not_found(client, courses):
    assert client.get(url("nope")).status_code == 404
    assert client.get(url("demo", "nope")).status_code == 404


def test_previews_are_for_staff_only(client, learner):
    revision = Course.objects.get(slug="demo").live_revision_id
    path = f"/en/courses/demo/preview/{revision}/"
    assert client.get(path).status_code == 404
    learner.is_staff = True
    learner.save()
    assert "Preview of commit" in get(client, path)


# Lesson page -----------------------------------------------------------------------------


def test_lesson_is_readable_without_an_account_with_toc_neighbours_and_outline(client, courses):
    html = get(client, url("demo", "what-is"))
    assert "<h1>What is a blockchain?</h1>" in html
    assert "grouped into <strong>blocks</strong>" in html
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("records", "Records"), ("links", "Links"),
    ]  # fmt: skip
    assert 'id="records"' in html
    assert 'rel="prev"' not in html
    assert f'rel="next" href="{url("demo", "hashes")}"' in html
    assert re.search(r'class="state-not_started current">\s*<a href="/en/courses/demo/what-is/"'
                     r' aria-current="page"', html)  # fmt: skip
    assert "Mark as complete" not in html
    assert "Create a free account to save your progress and take the quizzes." in html
    next_param = "/en/courses/demo/what-is/"
    assert f'href="/en/accounts/signup/?next={next_param}"' in html
    assert f'href="/en/accounts/login/?next={next_param}"' in html

    html = get(client, url("demo", "hashes"))
    assert f'rel="prev" href="{url("demo", "what-is")}"' in html
    assert f'rel="next" href="{url("demo", "check")}"' in html


def test_lesson_tables_scroll_sideways_in_their_own_labelled_box(client, courses):
    """On a phone a wide table scrolls inside its box, not the page: every table of a lesson
    is wrapped in a region that keyboard users can focus and scroll."""
    html = get(client, url("demo", "what-is"))
    body = re.search(r'<div class="lesson-body">(.*?)</div>\s*(?:<form|<p class="invite")', html,
                     re.S).group(1)  # fmt: skip
    assert body.count("<table") == 1
    assert re.search(r'<div class="table-scroll" role="region" tabindex="0" aria-label="Table">'
                     r"<table>.*?</table></div>", body, re.S)  # fmt: skip


def test_a_lessons_reading_time_is_the_minutes_of_the_outline(client, courses):
    """The lesson says it takes as long as the outline (and the course page) says."""
    for key in ("what-is", "hashes"):
        html = get(client, url("demo", key))
        outline_minutes = re.search(
            rf'<a href="/en/courses/demo/{key}/"[^>]*>.*?</a>\s*<span class="item-meta">[^<]*?'
            r"(\d+) min", html, re.S).group(1)  # fmt: skip
        reading = re.search(r'<span class="reading-time">.*?(\d+) minutes? read', html, re.S)
        assert reading.group(1) == outline_minutes == "10"
    course_html = get(client, url("demo"))
    assert re.search(r'<a href="/en/courses/demo/hashes/">.*?</a>\s*<span class="item-meta">'
                     r"Lesson · 10 min", course_html, re.S)  # fmt: skip


def test_logging_in_from_the_invitation_returns_to_the_same_lesson(client, courses):
    user = UserFactory()
    lesson = url("demo", "hashes")
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": PASSWORD, "next": lesson}
    )
    assert response.status_code == 302
    assert response["Location"] == lesson


def test_lesson_in_a_missing_language_falls_back_and_says_so(client, courses):
    html = get(client, url("defi", "pools"))
    assert "<h1>Пулы</h1>" in html  # en → ru
    assert 'class="lesson-body" lang="ru"' in html
    assert "This text is not yet translated; it is shown in Russian." in html


def test_marking_a_lesson_complete_records_it_and_shows_it_done(client, enrolled):
    html = get(client, url("demo", "what-is"))
    assert "Mark as complete" in html
    response = client.post(url("demo", "what-is") + "complete/")
    assert response["Location"] == url("demo", "what-is")
    progress = ItemProgress.objects.get(enrollment__user=enrolled, item__key="what-is")
    assert progress.completed_at is not None
    html = get(client, url("demo", "what-is"))
    assert "Mark as complete" not in html
    assert '<span class="badge ok">Done</span>' in html
    assert state_of(html, "what-is") == "done"
    client.post(url("demo", "what-is") + "complete/")
    assert ItemProgress.objects.filter(enrollment__user=enrolled).count() == 1


def test_complete_and_continue_marks_the_lesson_done_and_moves_on(client, enrolled):
    html = get(client, url("demo", "what-is"))
    assert "Complete and continue" in html
    response = client.post(
        url("demo", "what-is") + "complete/",
        {"go": "next"},
    )
    assert response["Location"] == url("demo", "hashes")
    assert ItemProgress.objects.get(item__key="what-is").completed_at is not None
    html = get(client, url("demo", "what-is"))  # done: a plain link to the next item now
    assert "Complete and continue" not in html
    assert f'rel="next" href="{url("demo", "hashes")}"' in html


def test_completing_the_last_item_and_continuing_leads_back_to_the_course(client, learner):
    response = client.post(
        url("kyonly", "only") + "complete/",
        {"go": "next"},
    )
    assert response["Location"] == url("kyonly")
    assert ItemProgress.objects.get(item__key="only").completed_at is not None
    assert Enrollment.objects.filter(user=learner, course__slug="kyonly").exists()


def test_visitors_cannot_record_progress(client, courses):
    response = client.post(url("demo", "what-is") + "complete/")
    assert response["Location"].startswith("/en/accounts/login/")
    assert not ItemProgress.objects.exists()


def test_switching_language_keeps_the_item_and_the_progress(client, enrolled):
    client.post(url("demo", "what-is") + "complete/")
    submit(client, ALL_RIGHT)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": url("demo", "hashes")})
    assert response["Location"] == url("demo", "hashes", lang="ru")
    html = get(client, response["Location"])
    assert "<h1>Хеши</h1>" in html
    assert state_of(html, "what-is") == "done"
    assert state_of(html, "check") == "passed"
    html = get(client, url("demo", "what-is", lang="ky"))
    assert "<h1>Блокчейн деген эмне?</h1>" in html
    assert state_of(html, "what-is") == "done"
    assert ItemProgress.objects.filter(enrollment__user=enrolled).count() == 2


# Quiz page -------------------------------------------------------------------------------


def assert_no_answers_in(html: str) -> None:
    """Nothing that tells a right answer from a wrong one: no explanation, no accepted or
    expected answer, no option marked correct, no pre-checked input."""
    for secret in SECRETS:
        assert secret.casefold() not in html.casefold(), secret
    assert "correct" not in html.casefold()
    assert "answer_key" not in html
    assert "checked" not in html
    assert "explanation" not in html.casefold()


def test_visitors_see_an_invitation_and_no_answers_on_the_quiz_page(client, courses):
    html = get(client, url("demo", "check"))
    assert "Create a free account to take this quiz and save your score." in html
    assert 'href="/en/accounts/signup/?next=/en/courses/demo/check/"' in html
    assert '<form class="quiz"' not in html
    assert_no_answers_in(html)


def test_quiz_page_holds_all_five_question_types_and_no_answers_before_submitting(client, enrolled):
    html = get(client, url("demo", "check"))
    assert "5 questions" in html
    assert "Pass mark 60%" in html
    assert "3 attempts left" in html
    assert len(re.findall(r'type="radio" name="q-block-stores"', html)) == 4
    assert len(re.findall(r'type="checkbox" name="q-properties"', html)) == 3
    assert re.findall(r'type="radio" name="q-hash-changes"[^>]*value="(\w+)"', html) == [
        "true", "false",
    ]  # fmt: skip
    assert re.search(r'<input type="text" inputmode="decimal" name="q-sha-length"', html)
    assert re.search(r'<input type="text" name="q-term"', html)
    assert_no_answers_in(html)
    # nor for a signed-in learner who has not enrolled, nor with a made-up attempt number
    client.force_login(UserFactory())
    assert_no_answers_in(get(client, url("demo", "check")))
    assert_no_answers_in(get(client, url("demo", "check") + "?attempt=1"))


def test_a_new_attempt_after_submitting_shows_no_answers_in_its_form(client, enrolled):
    submit(client, TWO_RIGHT)
    html = get(client, url("demo", "check"))
    assert "Try again" not in html
    assert_no_answers_in(html)


def test_another_learners_attempt_is_never_shown(client, enrolled):
    submit(client, ALL_RIGHT)
    client.force_login(UserFactory())
    html = get(client, url("demo", "check") + "?attempt=1")
    assert 'id="result"' not in html
    assert_no_answers_in(html)


def test_submitting_shows_score_result_per_question_and_explanations(client, enrolled):
    response = submit(client, {**TWO_RIGHT, "q-properties": ["open", "owned"]})
    assert response.status_code == 302
    assert response["Location"] == url("demo", "check") + "?attempt=1#result"
    html = get(client, response["Location"])
    assert "Not passed: 40%" in html
    assert "You need 60% to pass." in html
    review = re.search(r'<ol class="review">.*?</ol>\s*</section>', html, re.S).group(0)
    verdicts = re.findall(r'<p class="verdict">(\w+)</p>', review)
    assert verdicts == ["Correct", "Incorrect", "Correct", "Incorrect", "Incorrect"]
    for secret in ("Aardvark-en", "Capybara-en", "Dugong-en", "Echidna-en", "Fossa-en",
                   "Ibex-en", "gerenuk-en", "7919"):  # fmt: skip
        assert secret in review, secret
    assert "Badger-en" not in review  # explains an option neither chosen nor correct
    assert "Correct answer: 7919" in review
    assert "Accepted answers: gerenuk-en" in review
    assert "2 attempts left" in html
    assert "Best score 40%" in html
    assert "Try again" in html


def review_entries(html: str) -> list[str]:
    """The review of a submitted attempt, one piece of HTML per question in quiz order."""
    review = re.search(r'<ol class="review">(.*?)</ol>\s*</section>', html, re.S).group(1)
    return re.split(r'<li class="(?:right|wrong)">', review)[1:]


def test_the_review_marks_wrong_choices_and_shows_right_ones_each_with_its_explanation(
    client, enrolled
):
    response = submit(client, {"q-block-stores": "password", "q-properties": ["open", "owned"]})
    entries = review_entries(get(client, response["Location"]))
    block, properties = entries[0], entries[1]

    chosen = re.search(r'<li class="is-wrong is-chosen">A password(.*?)</li>', block, re.S)
    assert chosen, "the learner's wrong choice is marked"
    assert '<span class="badge bad">your answer</span>' in chosen.group(1)
    assert re.search(r'<div class="explanation">(<p>)?Badger-en', chosen.group(1))
    right = re.search(r'<li class="is-correct">The previous hash(.*?)</li>', block, re.S)
    assert right, "the right answer is shown"
    assert '<span class="badge ok">correct answer</span>' in right.group(1)
    assert re.search(r'<div class="explanation">(<p>)?Aardvark-en', right.group(1))
    assert '<li class="">A photo</li>' in block  # neither chosen nor right: unmarked
    assert "Capybara-en" in block  # the question's own explanation

    assert '<li class="is-correct is-chosen">Open' in properties
    assert '<li class="is-wrong is-chosen">Owned' in properties
    assert '<li class="is-correct">Append-only' in properties  # missed: shown as right


def test_review_numbers_each_question_inside_its_card(client, enrolled):
    response = submit(client, TWO_RIGHT)
    entries = review_entries(get(client, response["Location"]))
    assert [re.search(r'<span class="number">(\d+)</span>', e).group(1) for e in entries] == [
        "1", "2", "3", "4", "5",
    ]  # fmt: skip
    form = get(client, url("demo", "check"))
    legends = re.findall(r'<legend><span class="number">(\d+)</span><span class="prompt-text">',
                         form)  # fmt: skip
    assert legends == ["1", "2", "3", "4", "5"]


def test_best_score_is_kept_and_attempts_run_out(client, enrolled):
    submit(client, ALL_RIGHT)
    html = get(client, url("demo", "check") + "?attempt=1")
    assert "Passed: 100%" in html
    assert "Well done!" in html
    submit(client, TWO_RIGHT)
    response = submit(client, {})
    html = get(client, response["Location"])
    assert "Not passed: 0%" in html
    assert "Best score 100%" in html
    assert "0 attempts left" in html
    assert "You have used all your attempts for this quiz." in html
    assert '<form class="quiz"' not in html

    response = submit(client, ALL_RIGHT)
    assert response["Location"] == url("demo", "check")
    assert messages_in(get(client, response["Location"])) == [
        "You have used all your attempts for this quiz."
    ]
    assert QuizAttempt.objects.filter(enrollment__user=enrolled).count() == 3
    assert state_of(get(client, url("demo")), "check") == "passed"


def test_answers_are_graded_on_the_server_whatever_the_form_claims(client, enrolled):
    response = submit(client, {"q-block-stores": "password", "score": "100",
                               "passed": "true", "q-sha-length": "7919.0001"})  # fmt: skip
    html = get(client, response["Location"])
    assert "Not passed: 0%" in html
    assert QuizAttempt.objects.get().score == 0


def test_options_are_shuffled_per_attempt_and_stay_put_on_reload(client, courses):
    orders = set()
    demo = Course.objects.get(slug="demo")
    for _ in range(6):
        user = UserFactory()
        enrollment_create(user=user, course=demo)
        client.force_login(user)
        first = option_order(get(client, url("demo", "check")), "block-stores")
        assert option_order(get(client, url("demo", "check")), "block-stores") == first
        assert sorted(first) == ["nothing", "password", "photo", "prev-hash"]
        orders.add(tuple(first))
    assert len(orders) > 1


def test_options_keep_their_order_when_the_quiz_does_not_shuffle(client, learner):
    for _ in range(3):
        assert option_order(get(client, url("defi", "practice")), "pool") == [
            "first", "second", "third",
        ]  # fmt: skip
        submit(client, {"q-pool": "second"}, slug="defi", key="practice")


def test_submitting_quizzes_is_rate_limited_per_learner(client, learner):
    seconds_left = 60 - time.time() % 60  # the limit counts per clock minute
    if seconds_left < 10:
        time.sleep(seconds_left)
    for _ in range(QUIZ_SUBMISSIONS_PER_MINUTE):
        response = submit(client, {"q-pool": "first"}, slug="defi", key="practice")
        assert "?attempt=" in response["Location"]
    response = submit(client, {"q-pool": "first"}, slug="defi", key="practice")
    assert response["Location"] == url("defi", "practice")
    assert messages_in(get(client, response["Location"])) == [
        "You are submitting too fast. Wait a minute and try again."
    ]
    assert QuizAttempt.objects.filter(enrollment__user=learner).count() == 10
    client.force_login(UserFactory())  # another learner is not held back
    assert "?attempt=1" in submit(client, {"q-pool": "first"}, slug="defi",
                                  key="practice")["Location"]  # fmt: skip


def test_visitors_cannot_submit_a_quiz(client, courses):
    response = submit(client, ALL_RIGHT)
    assert response["Location"].startswith("/en/accounts/login/")
    assert not QuizAttempt.objects.exists()


# Dashboard -------------------------------------------------------------------------------


def test_dashboard_needs_an_account(client, courses):
    response = client.get("/en/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_dashboard_shows_my_courses_completed_courses_and_recent_quiz_results(client, enrolled):
    html = get(client, "/en/dashboard/")
    assert "Completed courses" not in html
    assert "Recent quiz results" not in html
    client.post(url("demo", "hashes") + "complete/")
    submit(client, TWO_RIGHT)
    client.post(url("defi", "pools") + "complete/")
    submit(client, {"q-pool": "first"}, slug="defi", key="practice")
    assert enrollment_of(enrolled, "defi").completed_at is not None

    html = get(client, "/en/dashboard/")
    mine = re.search(r'id="current-title".*?</section>', html, re.S).group(0)
    assert "Demo course" in mine and "DeFi" not in mine
    assert '<progress max="100" value="33"' in mine
    done = re.search(r'id="done-title".*?</section>', html, re.S).group(0)
    assert "DeFi basics" in done and "Demo course" not in done
    results = re.search(r'id="quiz-title".*?</section>', html, re.S).group(0)
    rows = re.findall(r'<a class="result-quiz" href="([^"]+)">(.*?)</a>\s*<span class="meta">'
                      r"(.*?) · .*?<strong>(\d+)%</strong>", results, re.S)  # fmt: skip
    rows = [(course, href, quiz, score) for href, quiz, course, score in rows]
    assert rows == [
        ("DeFi basics", url("defi", "practice") + "?attempt=1#result", "Practice", "100"),
        ("Demo course", url("demo", "check") + "?attempt=1#result", "Check", "40"),
    ]
    html = get(client, "/ru/dashboard/")
    assert "Проверка" in re.search(r'id="quiz-title".*?</section>', html, re.S).group(0)


# Glossary --------------------------------------------------------------------------------


def test_glossary_lists_terms_and_shows_a_definition_in_the_language_of_the_page(client, courses):
    html = get(client, url("demo", "glossary"))
    assert f'<a href="{url("demo")}glossary/hash/">Hash</a>' in html
    html = get(client, url("demo") + "glossary/hash/")
    assert "A short <strong>fingerprint</strong> of data." in html
    assert "Короткий <strong>отпечаток</strong> данных." in get(
        client, url("demo", lang="ru") + "glossary/hash/"
    )
    assert client.get(url("demo") + "glossary/nope/").status_code == 404
