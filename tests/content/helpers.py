"""Small course repositories written into a temporary folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from courses.content import Diagnostic

COURSE_DIR = "courses/demo"

COURSE_YAML = """\
format: 1
slug: demo
languages: [ky, ru, en]
default_language: ky
title: {ky: Демо курс, ru: Демо курс, en: Demo course}
description:
  ky: Кыска **сүрөттөмө**.
  ru: Краткое **описание**.
  en: A short **description**.
level: beginner
estimated_minutes: 30
cover: cover.png
tags: {blockchain: {ky: Блокчейн, ru: Блокчейн, en: Blockchain}}
pass_threshold: 70
certificate:
  enabled: true
  require: [all_lessons, all_quizzes]
  min_average_score: 75
  title: {ky: Сертификат, ru: Сертификат, en: Certificate}
modules:
  - id: intro
    title: {ky: Киришүү, ru: Введение, en: Introduction}
    items:
      - {type: lesson, id: what-is, path: lessons/01-what-is, minutes: 10}
      - {type: lesson, id: hashes, path: lessons/02-hashes, minutes: 10}
      - {type: quiz, id: check, path: quizzes/check.yaml, minutes: 10}
"""

# Every answer of the demo quiz (QUIZ_YAML below) right: a score of 100.
ALL_RIGHT = {
    "block-stores": "prev-hash",
    "properties": ["open"],
    "hash-changes": True,
    "sha-length": "64",
    "term": "hash",
}

LESSON_KY = """\
---
title: Блокчейн деген эмне?
summary: Көп катышуучу жүргүзгөн реестр.
objectives: [Блокту түшүнүү]
keywords: [блок, хеш]
---

## Блокчейн деген эмне?

Блокчейн — жазуулары **блокторго** топтолгон реестр.

!!! note "Эсиңизде болсун"
    Блокчейн — маалымат базасынын бир түрү.

Кийинки сабак: [хештер](../02-hashes/).
"""

LESSON_RU = """\
---
title: Что такое блокчейн?
summary: Реестр, который ведут многие участники.
---

## Что такое блокчейн?

Блокчейн — реестр, записи которого собраны в **блоки**.
"""

LESSON_EN = """\
---
title: What is a blockchain?
---

## What is a blockchain?

A blockchain is a ledger whose records are grouped into **blocks**.
See [the source](https://example.org/ledger).
"""

HASHES = {
    "ky": ("Хештер", "Ар бир блок мурунку блоктун хешин сактайт."),
    "ru": ("Хеши", "Каждый блок хранит хеш предыдущего блока."),
    "en": ("Hashes", "Every block stores the hash of the previous block."),
}

# Every answer of QUIZ_YAML right, as the API and the services take them.
QUIZ_RIGHT_ANSWERS = {
    "block-stores": "prev-hash",
    "properties": ["open"],
    "hash-changes": True,
    "sha-length": 64,
    "term": "hash",
}

QUIZ_YAML = """\
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
      - id: password
        text: {ky: Сыр сөздү, ru: Пароль, en: A password}
  - id: properties
    type: multiple
    scoring: partial
    prompt: {ky: "Касиеттер?", ru: "Свойства?", en: "Properties?"}
    options:
      - {id: open, correct: true, text: {ky: Ачык, ru: Открытый, en: Open}}
      - {id: owned, text: {ky: Ээси бар, ru: Есть владелец, en: Owned}}
  - id: hash-changes
    type: true_false
    answer: true
    prompt: {ky: "Хеш өзгөрөбү?", ru: "Хеш меняется?", en: "Does the hash change?"}
  - id: sha-length
    type: number
    answer: 64
    tolerance: 0
    prompt: {ky: "Канча белги?", ru: "Сколько символов?", en: "How many characters?"}
    explanation: {ky: "256 / 4 = 64", ru: "256 / 4 = 64", en: "256 / 4 = 64"}
  - id: term
    type: text
    prompt: {ky: "Бул эмне?", ru: "Что это?", en: "What is it?"}
    accept: {ky: [хеш], ru: [хеш, хэш], en: [hash]}
"""

GLOSSARY_YAML = """\
id: hash
term: {ky: Хеш, ru: Хеш, en: Hash}
definition:
  ky: Маалыматтын кыска **изи**.
  ru: Короткий **отпечаток** данных.
  en: A short **fingerprint** of data.
"""

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'
SVG_KY = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g/></svg>\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def hashes_lesson(lang: str) -> str:
    title, text = HASHES[lang]
    return f"---\ntitle: {title}\n---\n\n{text}\n\n![chain](images/chain.svg)\n"


def valid_files() -> dict[str, str | bytes]:
    """Every file of a valid repository: one course with two lessons, a quiz, a glossary."""
    c = COURSE_DIR
    files: dict[str, str | bytes] = {
        f"{c}/course.yaml": COURSE_YAML,
        f"{c}/cover.png": PNG,
        f"{c}/lessons/01-what-is/ky.md": LESSON_KY,
        f"{c}/lessons/01-what-is/ru.md": LESSON_RU,
        f"{c}/lessons/01-what-is/en.md": LESSON_EN,
        f"{c}/lessons/02-hashes/images/chain.svg": SVG,
        f"{c}/lessons/02-hashes/images/chain.ky.svg": SVG_KY,
        f"{c}/quizzes/check.yaml": QUIZ_YAML,
        "glossary/hash.yaml": GLOSSARY_YAML,
    }
    for lang in HASHES:
        files[f"{c}/lessons/02-hashes/{lang}.md"] = hashes_lesson(lang)
    return files


def write_repo(
    root: Path,
    changes: Mapping[str, str | bytes | None] | None = None,
    *,
    base: Mapping[str, str | bytes] | None = None,
) -> Path:
    """Write the valid repository with ``changes`` applied (None deletes a file)."""
    files: dict[str, str | bytes | None] = dict(valid_files() if base is None else base)
    files.update(changes or {})
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def course_yaml(old: str, new: str) -> dict[str, str]:
    """A change to course.yaml replacing ``old`` (which must occur) with ``new``."""
    assert old in COURSE_YAML, old
    return {f"{COURSE_DIR}/course.yaml": COURSE_YAML.replace(old, new, 1)}


def quiz_yaml(old: str, new: str) -> dict[str, str]:
    assert old in QUIZ_YAML, old
    return {f"{COURSE_DIR}/quizzes/check.yaml": QUIZ_YAML.replace(old, new, 1)}


def lesson(body: str, *, lang: str = "ky", front: str = "title: Сабак\n") -> dict[str, str]:
    """Replace the first lesson's file with front matter (lines 1-3) and ``body`` (line 4 on)."""
    return {f"{COURSE_DIR}/lessons/01-what-is/{lang}.md": f"---\n{front}---\n{body}"}


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def where(diagnostics: list[Diagnostic], code: str) -> list[tuple[str, int, int]]:
    return [(d.path, d.line, d.col) for d in diagnostics if d.code == code]
