"""Catalogue search in Kyrgyz, Russian and English, as the selector, the page and the API see
it, on PostgreSQL (full-text search) and on SQLite (the prefix fallback) alike.

One real Git repository holds three courses, imported once for the module:

- "demo": the demo course of tests/content/helpers.py (its lesson "Хеши", the glossary's
  "Хеш"), beginner, topic "blockchain";
- "wallets": "Кошельки и ключи" / "Wallets and keys" / "Крипто капчыктар", beginner, topic
  "security"; its lesson "keys" is about wallets, keys and a Bitcoin address;
- "hashing": "Хеширование" / "Hashing" / "Хештөө", intermediate, topic "crypto"; it mentions a
  wallet once, in its description, and the glossary term "Nonce" in its lesson.
"""

import re

import pytest

from courses.models import Course, SearchEntry
from courses.selectors import search as search_module
from courses.selectors.catalog import catalog_view
from courses.selectors.search import search
from courses.services.learning import enrollment_create
from courses.services.search_index import search_index_write
from tests.conftest import imported_for_module
from tests.factories import UserFactory
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db

WALLETS_YAML = """\
format: 1
slug: wallets
languages: [ky, ru, en]
default_language: ky
title: {ky: Крипто капчыктар, ru: Кошельки и ключи, en: Wallets and keys}
description:
  ky: Ачкычтарды коопсуз сактоо.
  ru: Как безопасно хранить ключи.
  en: How to keep keys safe.
level: beginner
tags: [security]
modules:
  - id: main
    title: {ky: Негизги, ru: Основное, en: Main}
    items:
      - {type: lesson, id: keys, path: lessons/keys, minutes: 10}
"""
KEYS = {
    "ky": """\
---
title: Жеке ачкыч
---

## Капчык эмнени сактайт

Капчык тыйындарды эмес, жеке ачкычты сактайт. Биткоин дареги ачык ачкычтан алынат.
""",
    "ru": """\
---
title: Закрытый ключ
summary: Что на самом деле хранит кошелёк.
---

## Кошелёк хранит ключи

Кошелёк хранит закрытый ключ, а не монеты. Адрес биткоина получают из открытого ключа.

Алиса & Боб никогда не показывают ключ: `<script>` в письме — признак мошенничества.
""",
    "en": """\
---
title: Private keys
---

## What a wallet keeps

A wallet keeps your private key, not coins. A Bitcoin address comes from the public key.
""",
}
HASHING_YAML = """\
format: 1
slug: hashing
languages: [ky, ru, en]
default_language: ky
title: {ky: Хештөө, ru: Хеширование, en: Hashing}
description:
  ky: Хеш — маалыматтын изи.
  ru: Хеш — отпечаток данных. Даже кошелек проверяет хеши.
  en: A hash is a fingerprint of data. Even a wallet checks hashes.
level: intermediate
tags: [crypto]
modules:
  - id: main
    title: {ky: Негизги, ru: Основное, en: Main}
    items:
      - {type: lesson, id: sha, path: lessons/sha, minutes: 10}
"""
SHA = {
    "ky": "---\ntitle: SHA-256\n---\n\nМайнер нонсту тандайт.\n",
    "ru": "---\ntitle: SHA-256\n---\n\nМайнер перебирает нонс, пока хеш блока не подойдёт.\n",
    "en": "---\ntitle: SHA-256\n---\n\nA miner tries one nonce after another.\n",
}
NONCE_YAML = """\
id: nonce
term: {ky: Нонс, ru: Нонс, en: Nonce}
definition:
  ky: Майнер тандаган сан.
  ru: Число, которое подбирает майнер.
  en: A number a miner picks.
"""


def repository_files() -> dict[str, str]:
    files = {
        "courses/wallets/course.yaml": WALLETS_YAML,
        "courses/hashing/course.yaml": HASHING_YAML,
        "glossary/nonce.yaml": NONCE_YAML,
    }
    for lang in ("ky", "ru", "en"):
        files[f"courses/wallets/lessons/keys/{lang}.md"] = KEYS[lang]
        files[f"courses/hashing/lessons/sha/{lang}.md"] = SHA[lang]
    return files


@pytest.fixture(scope="module")
def courses(tmp_path_factory, django_db_setup, django_db_blocker):
    repo = make_repo(tmp_path_factory.mktemp("search") / "repo", repository_files())
    with imported_for_module(repo.path, django_db_blocker):
        yield


def slugs(results) -> list[str]:
    by_id = dict(Course.objects.values_list("pk", "slug"))
    return [by_id[course_id] for course_id in results.course_ids]


def hit_keys(results) -> list[tuple[str, str]]:
    return [(hit.course_slug, hit.item_key) for hit in results.lesson_hits]


# Words and their forms -------------------------------------------------------------------


@pytest.mark.parametrize("query", ["кошелек", "Кошелёк", "КОШЕЛЬКИ", "кошелька"])
def test_russian_forms_of_wallet_find_the_wallet_course_first(courses, query):
    results = search("ru", query)
    assert slugs(results) == ["wallets", "hashing"]  # a title match before a description's
    assert hit_keys(results) == [("wallets", "keys")]


def test_russian_bitcoin_finds_the_lesson_that_names_it_in_another_case(courses):
    results = search("ru", "биткоин")
    assert slugs(results) == ["wallets"]
    assert hit_keys(results) == [("wallets", "keys")]


def test_russian_hash_finds_every_course_about_hashes(courses):
    results = search("ru", "хеш")
    assert set(slugs(results)) == {"hashing", "demo"}
    assert ("demo", "hashes") in hit_keys(results)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("wallets", ["wallets", "hashing"]), ("wallet", ["wallets", "hashing"])],
)
def test_english_word_forms_match_and_the_title_match_ranks_first(courses, query, expected):
    assert slugs(search("en", query)) == expected


def test_english_hashing_finds_hashes(courses):
    results = search("en", "hashing")
    assert set(slugs(results)) == {"hashing", "demo"}
    assert ("demo", "hashes") in hit_keys(results)


@pytest.mark.parametrize("query", ["капчык", "капчыктар", "Капчыктарды", "капчыгыңызды", "ачкыч"])
def test_kyrgyz_matches_by_prefix(courses, query):
    results = search("ky", query)
    assert slugs(results) == ["wallets"]
    assert hit_keys(results) == [("wallets", "keys")]


def test_every_word_of_the_query_must_match(courses):
    assert slugs(search("en", "wallet keys")) == ["wallets"]
    assert slugs(search("en", "wallet zebra")) == []


def test_search_stays_in_the_language_of_the_page(courses):
    assert slugs(search("en", "кошелек")) == []
    assert slugs(search("ky", "wallet")) == []


@pytest.mark.usefixtures("postgres")
def test_postgresql_stems_russian_where_a_prefix_would_not(courses):
    """«ключей» shares no prefix long enough with «ключ»: only the Russian stemmer finds it."""
    results = search("ru", "ключей")
    assert "wallets" in slugs(results)
    assert hit_keys(results) == [("wallets", "keys")]


# What is indexed ---------------------------------------------------------------------------


def test_a_glossary_term_is_indexed_for_the_courses_that_mention_it(courses):
    hashing = SearchEntry.objects.get(
        revision__course__slug="hashing", revision__live_for__isnull=False,
        item__isnull=True, language="en",
    )  # fmt: skip
    demo = SearchEntry.objects.get(
        revision__course__slug="demo", revision__live_for__isnull=False,
        item__isnull=True, language="en",
    )  # fmt: skip
    assert "Nonce" in hashing.terms
    assert "Nonce" not in demo.terms and "Hash" in demo.terms
    assert slugs(search("en", "nonce")) == ["hashing"]


def test_a_topic_name_is_searchable_in_its_language(courses):
    revision = Course.objects.get(slug="wallets").live_revision
    revision.topic_names = {"security": {"ru": "Безопасность", "en": "Security"}}
    revision.save(update_fields=["topic_names"])
    search_index_write(revision=revision)
    assert slugs(search("ru", "безопасность")) == ["wallets"]
    view = catalog_view(language="ru")
    card = next(card for card in view.cards if card.course.slug == "wallets")
    assert card.topics == [("security", "Безопасность")]
    assert ("security", "Безопасность") in view.topics
    assert ("crypto", "crypto") in view.topics  # no name: its id


# Passages ----------------------------------------------------------------------------------


def test_lesson_hits_show_the_matching_passage_marked(courses):
    [hit] = search("ru", "кошелек").lesson_hits
    assert (hit.title, hit.course_title) == ("Закрытый ключ", "Кошельки и ключи")
    assert hit.url.endswith("/courses/wallets/keys/")
    assert re.search(r"<mark>Кошел[её]к</mark>", hit.snippet_html)


def test_passages_are_escaped_except_for_the_marks(courses):
    [hit] = search("ru", "Алиса").lesson_hits
    assert "<mark>Алиса</mark>" in hit.snippet_html
    assert "&amp; Боб" in hit.snippet_html
    assert "<" not in re.sub(r"</?mark>", "", hit.snippet_html)


# Filters, queries, odd input -------------------------------------------------------------


def test_level_and_topic_filter_courses_and_lessons(courses):
    intermediate = search("ru", "кошелек", level="intermediate")
    assert (slugs(intermediate), hit_keys(intermediate)) == (["hashing"], [])
    security = search("ru", "кошелек", tag="security")
    assert (slugs(security), hit_keys(security)) == (["wallets"], [("wallets", "keys")])


def test_a_search_is_one_query(courses, django_assert_num_queries):
    with django_assert_num_queries(1):
        results = search("ru", "кошелёк ключ")
    assert slugs(results) == ["wallets"]


def test_the_catalogue_runs_a_fixed_number_of_queries(courses, django_assert_num_queries):
    search_module._memo.clear()
    with django_assert_num_queries(1):
        catalog_view(language="en")
    with django_assert_num_queries(2):
        catalog_view(language="en", query="wallet")
    with django_assert_num_queries(1):  # the same words: remembered
        catalog_view(language="en", query="Wallet!")
    user = UserFactory()
    enrollment_create(user=user, course=Course.objects.get(slug="wallets"))
    with django_assert_num_queries(3):
        view = catalog_view(language="en", user=user, query="wallets")
    assert [(c.course.slug, c.started, c.progress) for c in view.cards] == [
        ("wallets", True, 0), ("hashing", False, None),
    ]  # fmt: skip


ODD = [
    "x" * 5000, "!!!", "& | ! :*", "'\"", "a\x00b", "кошелек\x00", "\\", "%_", "<script>",
    "(", "a:* & !b", "''::tsquery", "ё" * 300, "word " * 200,
]  # fmt: skip


@pytest.mark.parametrize("query", ODD)
def test_odd_queries_never_fail(courses, query):
    results = search("ru", query)
    assert isinstance(results.course_ids, list)


def test_a_query_with_no_words_finds_nothing_without_asking_the_database(
    courses, django_assert_num_queries
):
    with django_assert_num_queries(0):
        results = search("en", "& | ! :*")
    assert (results.words, results.course_ids, results.lesson_hits) == ([], [], [])


# The page and the API ----------------------------------------------------------------------


def card_titles(html: str) -> list[str]:
    return re.findall(r'<li class="card">\s*<h2><a href="[^"]*">([^<]*)</a>', html)


def test_the_catalogue_page_lists_results_best_first_with_the_lessons(client, courses):
    response = client.get("/ru/courses/", {"q": "Кошелёк"})
    html = response.content.decode()
    assert card_titles(html) == ["Кошельки и ключи", "Хеширование"]
    hits = re.search(r'<section class="search-hits".*?</section>', html, re.S).group(0)
    assert "Уроки" in hits or "Lessons" in hits
    assert 'href="/ru/courses/wallets/keys/"' in hits
    assert "<mark>" in hits


def test_the_catalogue_page_without_a_query_shows_no_lessons(client, courses):
    html = client.get("/en/courses/").content.decode()
    assert card_titles(html) == ["Demo course", "Hashing", "Wallets and keys"]
    assert "search-hits" not in html


@pytest.mark.parametrize("query", ODD)
def test_the_catalogue_page_answers_odd_queries(client, courses, query):
    assert client.get("/en/courses/", {"q": query}).status_code == 200


def test_the_query_is_escaped_in_the_search_box(client, courses):
    html = client.get("/en/courses/", {"q": '"><script>x</script>'}).content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_the_search_api_uses_the_same_search(client, courses):
    data = client.get("/api/v1/search", {"q": "кошелек", "lang": "ru"}).json()
    assert [course["slug"] for course in data["courses"]] == ["wallets", "hashing"]
    [lesson] = data["lessons"]
    assert (lesson["course"], lesson["item"]) == ("wallets", "keys")
    assert "<mark>" in lesson["passage_html"]
    listed = client.get("/api/v1/courses", {"q": "кошелек", "lang": "ru"}).json()
    assert [course["slug"] for course in listed] == ["wallets", "hashing"]


def test_the_search_api_answers_odd_input(client, courses):
    for query in ODD:
        response = client.get("/api/v1/search", {"q": query, "lang": "en"})
        assert response.status_code == 200, query
        assert set(response.json()) == {"courses", "lessons"}
