"""The site-wide glossary (/<lang>/glossary/): every term of every live course, in the page's
alphabetical order (Kyrgyz Ң, Ө, Ү where a Kyrgyz reader looks for them), under letter
headings, each linking to the term's page; read in one query however many terms there are.
And a course's own glossary, in the same order."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.selectors.glossary import glossary_index
from tests.conftest import publish
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db


def term(key: str, ky: str | None, ru: str | None, en: str | None) -> str:
    texts = {"ky": ky, "ru": ru, "en": en}
    names = ", ".join(f'{code}: "{text}"' for code, text in texts.items() if text)
    definitions = ", ".join(f'{code}: "{key} ({code})"' for code, text in texts.items() if text)
    return f"id: {key}\nterm: {{{names}}}\ndefinition: {{{definitions}}}\n"


# Kyrgyz order: ... Н Ң О Ө П ... У Ү Ф ...; Python's code-point order puts Ң Ө Ү after Я.
TERMS = {
    "glossary/hash.yaml": term("hash", "Хеш", "Хеш", "Hash"),
    "glossary/umbrella.yaml": term("umbrella", "Үлүш", "Доля", "Stake"),
    "glossary/time.yaml": term("time", "Убакыт", "Время", "Time"),
    "glossary/finance.yaml": term("finance", "Финансы", "Финансы", "Finance"),
    "glossary/measure.yaml": term("measure", "Өлчөм", "Мера", "Measure"),
    "glossary/place.yaml": term("place", "Орун", "Место", "Place"),
    "glossary/profit.yaml": term("profit", "Пайда", "Прибыль", "Profit"),
    "glossary/exact.yaml": term("exact", "Анык", "Точный", "Exact"),
    "glossary/hunt.yaml": term("hunt", "Аңчы", "Охотник", "Hunter"),
    "glossary/open.yaml": term("open", "Ачык ачкыч", "Открытый ключ", "Public key"),
    "glossary/tree.yaml": term("tree", "ёлка", "ёлка", "Fir"),
    "glossary/only-ru.yaml": term("only-ru", None, "Ёмкость", None),
}
KYRGYZ_ORDER = ["Анык", "Аңчы", "Ачык ачкыч", "ёлка", "Ёмкость", "Орун", "Өлчөм", "Пайда",
                "Убакыт", "Үлүш", "Финансы", "Хеш"]  # fmt: skip


@pytest.fixture
def course(tmp_path):
    repo = make_repo(tmp_path / "repo", TERMS)
    publish(repo.path)
    return repo


def listed(html: str) -> list[tuple[str, str]]:
    """(href, term) of each entry of the index, in page order."""
    lists = "".join(re.findall(r'<ul class="term-list">(.*?)</ul>', html, re.S))
    return re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a>', lists)


def test_kyrgyz_index_orders_terms_by_the_kyrgyz_alphabet_under_letter_headings(client, course):
    html = client.get("/ky/glossary/").content.decode()
    assert [text for _href, text in listed(html)] == KYRGYZ_ORDER
    letters = re.findall(r'<h2 id="letter-\d+" class="letter">(.)</h2>', html)
    assert letters == ["А", "Ё", "О", "Ө", "П", "У", "Ү", "Ф", "Х"]
    assert ("/ky/courses/demo/glossary/hunt/", "Аңчы") in listed(html)
    assert 'href="#letter-4">Ө</a>' in html  # the letters at the top jump to their group


def test_russian_and_english_indexes_follow_their_own_alphabets(client, course):
    russian = [text for _href, text in listed(client.get("/ru/glossary/").content.decode())]
    assert russian == ["Время", "Доля", "ёлка", "Ёмкость", "Мера", "Место", "Открытый ключ",
                       "Охотник", "Прибыль", "Точный", "Финансы", "Хеш"]  # fmt: skip
    english = [text for _href, text in listed(client.get("/en/glossary/").content.decode())]
    assert english[:3] == ["Exact", "Finance", "Fir"]
    assert english[-1] == "Ёмкость"  # no English: its Russian text, after the Latin letters


def test_a_term_missing_in_the_page_language_is_shown_in_its_fallback_marked_as_such(
    client, course
):
    html = client.get("/ky/glossary/").content.decode()
    assert '<a href="/ky/courses/demo/glossary/only-ru/" lang="ru">Ёмкость</a>' in html
    assert '<a href="/ky/courses/demo/glossary/hash/">Хеш</a>' in html
    assert client.get("/ky/courses/demo/glossary/only-ru/").status_code == 200


def test_only_live_revisions_are_listed(client, course):
    course.commit({"glossary/finance.yaml": None}, "Drop a term")
    publish(course.path)
    texts = [text for _href, text in listed(client.get("/ky/glossary/").content.decode())]
    assert "Финансы" not in texts and "Хеш" in texts


def test_the_index_is_read_in_one_query_however_many_terms(course, tmp_path):
    with CaptureQueriesContext(connection) as queries:
        letters = glossary_index(language="ky")
    assert len(queries) == 1
    assert sum(len(group.entries) for group in letters) == len(TERMS)


def test_an_empty_glossary_points_to_the_catalogue(client):
    html = client.get("/en/glossary/").content.decode()
    assert "There are no terms yet." in html
    assert 'href="/en/courses/"' in html


def test_a_courses_own_glossary_lists_its_terms_in_the_kyrgyz_alphabet(client, course):
    html = client.get("/ky/courses/demo/glossary/").content.decode()
    terms = re.findall(r'<dt><a href="[^"]+"[^>]*>([^<]+)</a></dt>', html)
    assert terms == KYRGYZ_ORDER
    assert 'href="/ky/glossary/"' in html  # and links to every course's terms


def test_a_term_page_names_the_term_in_the_other_languages(client, course):
    html = client.get("/ru/courses/demo/glossary/umbrella/").content.decode()
    assert "<h1>Доля</h1>" in html
    assert '<dd lang="ky">Үлүш</dd>' in html and '<dd lang="en">Stake</dd>' in html
    assert '<dd lang="ru">' not in html
