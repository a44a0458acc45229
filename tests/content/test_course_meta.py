"""course.yaml's topics (``tags`` with their names per language) and ``objectives``: what is
read, and every problem reported at its line."""

from __future__ import annotations

from pathlib import Path

from courses.content import lint_path, parse_repository
from tests.content.helpers import COURSE_DIR, course_yaml, write_repo

CY = f"{COURSE_DIR}/course.yaml"
TAGS = "tags: {blockchain: {ky: Блокчейн, ru: Блокчейн, en: Blockchain}}"

TOPICS = """\
tags:
  wallets: {ky: "Капчыктар", ru: "Кошельки", en: "Wallets"}
  payments: {ky: "Төлөмдөр", ru: "Платежи", en: "Payments"}"""

OBJECTIVES = """\
objectives:
  ky: ["Хешти түшүнүү", "Блокту түшүнүү"]
  ru: ["Понять хеш", "Понять блок"]
  en: ["Understand a hash", "Understand a block"]"""


def lint(tmp_path: Path, text: str) -> list[str]:
    """The printed diagnostics of the demo course with its tags line replaced by ``text``."""
    return [d.format() for d in lint_path(write_repo(tmp_path, course_yaml(TAGS, text)))]


def test_topics_map_gives_ids_in_order_and_names_per_language(tmp_path: Path) -> None:
    parsed = parse_repository(write_repo(tmp_path, course_yaml(TAGS, TOPICS)))
    assert parsed.diagnostics == []
    [course] = parsed.courses
    assert course.tags == ("wallets", "payments")
    assert course.topic_names == {
        "wallets": {"ky": "Капчыктар", "ru": "Кошельки", "en": "Wallets"},
        "payments": {"ky": "Төлөмдөр", "ru": "Платежи", "en": "Payments"},
    }


def test_old_list_form_still_reads_but_warns_for_each_language(tmp_path: Path) -> None:
    """`tags: [a, b]` keeps its ids (once each); every topic is unnamed in every language."""
    changes = course_yaml(TAGS, "tags: [wallets, security, wallets]")
    parsed = parse_repository(write_repo(tmp_path, changes))
    [course] = parsed.courses
    assert course.tags == ("wallets", "security")
    assert course.topic_names == {}
    assert parsed.ok
    found = [(d.line, d.col, d.params_dict()["lang"]) for d in parsed.diagnostics]
    assert [d.code for d in parsed.diagnostics] == ["W108"] * 6
    assert sorted(found) == sorted(
        (13, col, lang) for col in (8, 17) for lang in ("ky", "ru", "en")
    )


def test_topic_missing_a_language_names_what_learners_see(tmp_path: Path) -> None:
    """Without the default language's name learners see the id, else the default's name."""
    text = "tags:\n  wallets: {ru: Кошельки, en: Wallets}\n  payments: {ky: Төлөмдөр}"
    assert lint(tmp_path, text) == [
        f"{CY}:14:3: warning W108: topic 'wallets' is not named in 'ky'; learners will see its "
        "id 'wallets' (name it in every language: wallets: {ky: ..., ru: ..., en: ...})",
        f"{CY}:15:3: warning W108: topic 'payments' is not named in 'en'; learners will see "
        "the Kyrgyz name (name it in every language: payments: {ky: ..., ru: ..., en: ...})",
        f"{CY}:15:3: warning W108: topic 'payments' is not named in 'ru'; learners will see "
        "the Kyrgyz name (name it in every language: payments: {ky: ..., ru: ..., en: ...})",
    ]


def test_topic_without_any_name_warns_for_every_language(tmp_path: Path) -> None:
    out = lint(tmp_path, "tags:\n  wallets:")
    assert [line.split(": ", 2)[1] for line in out] == ["warning W108"] * 3
    assert all(line.startswith(f"{CY}:14:3:") for line in out)


def test_topic_id_must_be_an_id(tmp_path: Path) -> None:
    assert lint(tmp_path, "tags:\n  Smart Contracts: {ky: Акылдуу келишимдер}") == [
        f"{CY}:14:3: error E008: tags 'Smart Contracts' is not a valid id (use a-z, 0-9 and "
        "'-', starting with a letter or digit, at most 63 characters)"
    ]


def test_topic_names_are_checked_like_other_texts(tmp_path: Path) -> None:
    """A name that is not a language map is E004 (and no W108 on top); an unknown language
    E006; a name YAML read as a number E004 with "quote it"."""
    assert lint(tmp_path, "tags:\n  wallets: Wallets") == [
        f"{CY}:14:12: error E004: tags.wallets: expected a map from language code to text "
        "(for example {ky: ..., ru: ..., en: ...})"
    ]
    out = lint(tmp_path, "tags:\n  wallets: {ky: Капчыктар, ru: Кошельки, en: Wallets, de: X}")
    assert out == [f"{CY}:14:55: error E006: unknown language 'de' (use ky, ru or en)"]
    out = lint(tmp_path, "tags:\n  web3: {ky: Web3, ru: Web3, en: 3}")
    assert out == [
        f"{CY}:14:34: error E004: tags.web3.en: expected text, got the number 3 (from 3) "
        '(quote it: "3")'
    ]


def test_tags_of_another_shape_are_refused(tmp_path: Path) -> None:
    assert lint(tmp_path, "tags: wallets") == [
        f"{CY}:13:7: error E004: tags: expected a mapping of keys to values"
    ]


def test_objectives_are_read_per_language(tmp_path: Path) -> None:
    parsed = parse_repository(write_repo(tmp_path, course_yaml(TAGS, f"{TAGS}\n{OBJECTIVES}")))
    assert parsed.diagnostics == []
    [course] = parsed.courses
    assert course.objectives == {
        "ky": ("Хешти түшүнүү", "Блокту түшүнүү"),
        "ru": ("Понять хеш", "Понять блок"),
        "en": ("Understand a hash", "Understand a block"),
    }


def test_objectives_are_optional(tmp_path: Path) -> None:
    [course] = parse_repository(write_repo(tmp_path)).courses
    assert course.objectives == {}


def test_objectives_missing_in_another_language_fall_back_to_the_default(tmp_path: Path) -> None:
    text = f"{TAGS}\nobjectives:\n  ky: [Хешти түшүнүү]\n  ru: []"
    assert lint(tmp_path, text) == [
        f"{CY}:14:1: warning W101: missing 'en' text in objectives; learners will see the "
        "Kyrgyz text",
        f"{CY}:14:1: warning W101: missing 'ru' text in objectives; learners will see the "
        "Kyrgyz text",
    ]


def test_objectives_without_the_default_language_are_an_error(tmp_path: Path) -> None:
    """Only when another language has objectives; W101 then has no fallback to name."""
    text = f"{TAGS}\nobjectives:\n  ru: [Понять хеш]\n  en: [Understand a hash]"
    assert lint(tmp_path, text) == [
        f"{CY}:14:1: error E005: missing 'ky' text in objectives (the course's default language)"
    ]


def test_objectives_of_the_wrong_shape(tmp_path: Path) -> None:
    """E004 for a language's value that is not a list and for an entry that is not text,
    E003 for an empty entry, E006 for an unknown language."""
    text = (
        f"{TAGS}\nobjectives:\n  ky: Хешти түшүнүү\n  ru: [Понять хеш, 12, '']\n"
        "  en: [Understand a hash]\n  kg: [Хеш]"
    )
    assert lint(tmp_path, text) == [
        f"{CY}:15:7: error E004: objectives.ky: expected a list",
        f"{CY}:16:20: error E004: objectives.ru.2: expected text, got the number 12 (from 12) "
        '(quote it: "12")',
        f"{CY}:16:24: error E003: field 'objectives.ru.3' is empty",
        f"{CY}:18:3: error E006: unknown language 'kg' (Kyrgyz is 'ky'; 'kg' is the country code)",
    ]


def test_objectives_in_a_language_the_course_does_not_offer_are_ignored(tmp_path: Path) -> None:
    changes = course_yaml("languages: [ky, ru, en]", "languages: [ky]")
    changes = {CY: changes[CY].replace(TAGS, f"{TAGS}\nobjectives:\n  en: [Understand a hash]")}
    parsed = parse_repository(write_repo(tmp_path, changes))
    [course] = parsed.courses
    assert course.objectives == {}
    assert [d for d in parsed.diagnostics if "objectives" in d.message] == []
