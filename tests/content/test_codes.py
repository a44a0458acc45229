"""One broken repository per diagnostic code: each reports the code at the right file,
line and column, and the valid repository it was made from reports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.content import lint_path
from tests.content.helpers import (
    COURSE_DIR,
    GLOSSARY_YAML,
    SVG,
    course_yaml,
    lesson,
    quiz_yaml,
    write_repo,
)

C = COURSE_DIR
CY = f"{C}/course.yaml"
QZ = f"{C}/quizzes/check.yaml"
KY = f"{C}/lessons/01-what-is/ky.md"

PASSWORD = "      - id: password\n"
PASSWORD_TEXT = "        text: {ky: Сыр сөздү, ru: Пароль, en: A password}\n"
MODULE_TITLE = "title: {ky: Киришүү, ru: Введение, en: Introduction}"
NO_EN_TITLE = "title: {ky: Киришүү, ru: Введение}"
TAGS = "tags: {blockchain: {ky: Блокчейн, ru: Блокчейн, en: Blockchain}}"

# (name, changes to the valid repository, code, path, line, column, words in the message)
# fmt: off
CASES = [
    ("yaml-syntax", quiz_yaml("max_attempts: 3", "max_attempts: 3: 4"),
     "E001", QZ, 5, 16, "YAML syntax error"),
    ("unknown-key", course_yaml("pass_threshold: 70", "pass_treshold: 70"),
     "E002", CY, 14, 1, "did you mean 'pass_threshold'?"),
    ("unknown-question-key", quiz_yaml("scoring: partial", "scoring: partial\n    answer: 1"),
     "E002", QZ, 20, 5, "not used by 'multiple'"),
    ("required-missing", course_yaml("level: beginner\n", ""),
     "E003", CY, 1, 1, "required field 'level'"),
    ("required-empty", course_yaml("slug: demo", "slug:"),
     "E003", CY, 2, 1, "'slug' is empty"),
    ("glossary-definition-missing", {"glossary/hash.yaml": GLOSSARY_YAML.split("definition")[0]},
     "E003", "glossary/hash.yaml", 1, 1, "required field 'definition'"),
    ("single-two-correct", quiz_yaml(PASSWORD, PASSWORD + "        correct: true\n"),
     "E004", QZ, 16, 9, "exactly 1 correct option, found 2"),
    ("multiple-none-correct", quiz_yaml("{id: open, correct: true,", "{id: open,"),
     "E004", QZ, 21, 5, "at least 1 correct option"),
    ("one-option", quiz_yaml(PASSWORD + PASSWORD_TEXT, ""),
     "E004", QZ, 11, 5, "at least 2 options, found 1"),
    ("text-without-accept-language", quiz_yaml(", en: [hash]}", "}"),
     "E004", QZ, 37, 5, "accept list for 'en'"),
    ("true-false-not-boolean", quiz_yaml("answer: true", "answer: maybe"),
     "E004", QZ, 26, 13, "expected true or false"),
    ("number-not-number", quiz_yaml("answer: 64", "answer: sixty-four"),
     "E004", QZ, 30, 13, "expected a number"),
    ("negative-tolerance", quiz_yaml("tolerance: 0", "tolerance: -1"),
     "E004", QZ, 31, 16, "at least 0"),
    ("threshold-range", course_yaml("pass_threshold: 70", "pass_threshold: 150"),
     "E004", CY, 14, 17, "between 0 and 100"),
    ("quiz-threshold-range", quiz_yaml("pass_threshold: 60", "pass_threshold: -5"),
     "E004", QZ, 4, 17, "between 0 and 100"),
    ("max-attempts-negative", quiz_yaml("max_attempts: 3", "max_attempts: -1"),
     "E004", QZ, 5, 15, "at least 0"),
    ("level-enum", course_yaml("level: beginner", "level: expert"),
     "E004", CY, 10, 8, "'expert' is not one of beginner, intermediate, advanced"),
    ("yaml11-no", quiz_yaml('en: "256 / 4 = 64"}', "en: No}"),
     "E004", QZ, 33, 63, "quote it"),
    ("yaml11-octal", course_yaml(TAGS, "tags: [012]"),
     "E004", CY, 13, 8, "the number 10 (from 012)"),
    ("default-text-missing", course_yaml("title: {ky: Демо курс, ", "title: {"),
     "E005", CY, 5, 1, "missing 'ky' text in title"),
    ("default-file-missing", {KY: None},
     "E005", CY, 24, 43, "has no ky.md"),
    ("kg-language", course_yaml("languages: [ky, ru, en]", "languages: [ky, ru, kg]"),
     "E006", CY, 3, 21, "Kyrgyz is 'ky'"),
    ("kg-lesson-file", {f"{C}/lessons/01-what-is/kg.md": "---\ntitle: x\n---\n"},
     "E006", f"{C}/lessons/01-what-is/kg.md", 1, 1, "unknown language 'kg'"),
    ("duplicate-item-id", course_yaml("id: hashes", "id: what-is"),
     "E007", CY, 25, 28, "first at line 24"),
    ("quiz-id-mismatch", quiz_yaml("id: check", "id: checks"),
     "E007", QZ, 2, 5, "differs from the item id 'check'"),
    ("duplicate-option-id", quiz_yaml("{id: owned,", "{id: open,"),
     "E007", QZ, 23, 14, "duplicate option id 'open'"),
    ("duplicate-question-id", quiz_yaml("id: term", "id: properties"),
     "E007", QZ, 34, 9, "duplicate question id 'properties' (first at line 17)"),
    ("duplicate-glossary-id", {"glossary/zz.yaml": GLOSSARY_YAML},
     "E007", "glossary/zz.yaml", 1, 5, "first in glossary/hash.yaml"),
    ("id-form", course_yaml("id: intro", "id: Intro"),
     "E008", CY, 21, 9, "not a valid id"),
    ("reserved-item-id", course_yaml("id: hashes", "id: glossary"),
     "E008", CY, 25, 28, "item id 'glossary' is reserved"),
    ("path-parent", course_yaml("path: lessons/01-what-is", "path: ../01-what-is"),
     "E009", CY, 24, 43, "contains '..'"),
    ("path-missing", course_yaml("quizzes/check.yaml", "quizzes/nope.yaml"),
     "E009", CY, 26, 39, "does not exist"),
    ("duplicate-key", course_yaml("level: beginner\n", "level: beginner\nlevel: advanced\n"),
     "E010", CY, 11, 1, "duplicate key 'level'"),
    ("no-front-matter", {KY: "## Сабак\n\nТекст.\n"},
     "E012", KY, 1, 1, "front matter"),
    ("unclosed-front-matter", {KY: "---\ntitle: Сабак\n\nТекст.\n"},
     "E012", KY, 1, 1, "not closed"),
    ("broken-image", lesson("\nSee ![x](images/missing.png) here.\n"),
     "E013", KY, 5, 10, "images/missing.png"),
    ("link-outside-course", lesson("\n[up](../../../course.yaml)\n"),
     "E013", KY, 5, 6, "outside the course folder"),
    ("not-utf8", {f"{C}/lessons/01-what-is/ru.md": b"---\ntitle: x\n---\nabc\xff\n"},
     "E015", f"{C}/lessons/01-what-is/ru.md", 4, 4, "not UTF-8"),
    ("slug-folder", course_yaml("slug: demo", "slug: other"),
     "E017", CY, 2, 7, "differs from the folder name 'demo'"),
    ("other-language-missing", course_yaml(MODULE_TITLE, NO_EN_TITLE),
     "W101", CY, 22, 5, "missing 'en' text in modules.intro.title; learners will see the Russian"),
    ("other-language-file-missing", {f"{C}/lessons/01-what-is/en.md": None},
     "W101", CY, 24, 43, "has no en.md; learners will see the Russian text"),
    ("h1", lesson("\n# Сабак\n"),
     "W102", KY, 5, 1, "H1 heading"),
    ("setext-h1", lesson("\nСабак\n=====\n"),
     "W102", KY, 6, 1, "H1 heading"),
    ("raw-script", lesson("\nText <script>alert(1)</script>\n"),
     "W103", KY, 5, 6, "<script> will be removed"),
    ("event-handler", lesson('\n<img src="x.png" onerror="alert(1)">\n'),
     "W103", KY, 5, 18, "'onerror'"),
    ("javascript-link", lesson("\n[x](javascript:alert(1))\n"),
     "W103", KY, 5, 5, "'javascript:' URL"),
    ("external-image", lesson("\n![Chain](https://example.org/chain.png)\n"),
     "W103", KY, 5, 10, "https://example.org/chain.png is on another site"),
    ("external-img-tag", lesson('\n<img src="//example.org/chain.png" alt="">\n'),
     "W103", KY, 5, 11, "//example.org/chain.png is on another site"),
    ("bom", {KY: "\ufeff" + lesson("\nТекст.\n")[KY]},
     "W107", KY, 1, 1, "byte order mark"),
    ("front-matter-unknown-key", lesson("", front="title: x\ntitel: y\n"),
     "E002", KY, 3, 1, "did you mean 'title'?"),
    ("front-matter-title-missing", lesson("", front="summary: x\n"),
     "E003", KY, 2, 1, "required field 'title'"),
    ("front-matter-not-a-list", lesson("", front="title: x\nobjectives: 5\n"),
     "E004", KY, 3, 13, "objectives: expected a list"),
    ("front-matter-not-a-mapping", lesson("", front="- title\n"),
     "E012", KY, 2, 1, "must be a mapping"),
    ("front-matter-yaml-syntax", lesson("", front="title: [x\n"),
     "E001", KY, 2, 10, "YAML syntax error"),
    ("quiz-path-is-a-folder", course_yaml("quizzes/check.yaml", "quizzes"),
     "E009", CY, 26, 39, "must be a file"),
    ("lesson-path-is-a-file", course_yaml("lessons/02-hashes", "quizzes/check.yaml"),
     "E009", CY, 25, 42, "must be a folder"),
    ("nul-character", quiz_yaml("max_attempts: 3", "max_attempts: 3\x00"),
     "E001", QZ, 5, 16, "U+0000"),
    ("unknown-language-key", quiz_yaml("ru: Проверка,", "ru: Проверка, de: Prüfung,"),
     "E006", QZ, 3, 37, "use ky, ru or en"),
    ("topic-not-named", course_yaml(TAGS, "tags: {blockchain: {ky: Блокчейн, ru: Блокчейн}}"),
     "W108", CY, 13, 8, "topic 'blockchain' is not named in 'en'; learners will see the Kyrgyz"),
    ("topic-list-form", course_yaml(TAGS, "tags: [blockchain]"),
     "W108", CY, 13, 8, "is not named in 'en'; learners will see its id 'blockchain'"),
    ("topic-id-form", course_yaml(TAGS, "tags: {Blockchain: {ky: Блокчейн}}"),
     "E008", CY, 13, 8, "tags 'Blockchain' is not a valid id"),
    ("topic-name-language", course_yaml(TAGS, "tags: {blockchain: {kg: Блокчейн}}"),
     "E006", CY, 13, 21, "Kyrgyz is 'ky'"),
    ("objectives-not-a-map", course_yaml(TAGS, TAGS + "\nobjectives: [Learn]"),
     "E004", CY, 14, 13, "objectives: expected a map from language code to a list of texts"),
    ("objectives-default-missing", course_yaml(TAGS, TAGS + "\nobjectives: {ru: [Узнать]}"),
     "E005", CY, 14, 1, "missing 'ky' text in objectives"),
    ("narrow-without-wide", {f"{C}/lessons/02-hashes/images/chian.narrow.svg": SVG},
     "W109", f"{C}/lessons/02-hashes/images/chian.narrow.svg", 1, 1,
     "'chian.narrow.svg' is a narrow variant, but there is no 'chian.svg' beside it"),
]
# fmt: on


@pytest.mark.parametrize(
    ("changes", "code", "path", "line", "col", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_problem_is_reported_at_its_file_line_and_column(
    tmp_path: Path, changes: dict, code: str, path: str, line: int, col: int, words: str
) -> None:
    """A repository with one planted problem reports that code where the problem is."""
    diagnostics = lint_path(write_repo(tmp_path, changes))
    found = [d for d in diagnostics if d.code == code]
    assert found, [d.format() for d in diagnostics]
    assert (path, line, col) in [(d.path, d.line, d.col) for d in found], [
        d.format() for d in diagnostics
    ]
    match = next(d for d in found if (d.path, d.line, d.col) == (path, line, col))
    assert words in match.format()
    assert match.severity == ("warning" if code.startswith("W") else "error")


def test_valid_repository_has_no_diagnostics(tmp_path: Path) -> None:
    """The repository every case starts from is clean."""
    assert lint_path(write_repo(tmp_path)) == []


def test_every_code_of_the_format_has_a_case() -> None:
    """Each code of the format that needs no history is covered above."""
    covered = {case[2] for case in CASES}
    expected = {
        "E001",
        "E002",
        "E003",
        "E004",
        "E005",
        "E006",
        "E007",
        "E008",
        "E009",
        "E010",
        "E012",
        "E013",
        "E015",
        "E017",
        "W101",
        "W102",
        "W103",
        "W107",
        "W108",
        "W109",
    }
    assert expected <= covered


def test_diagnostic_prints_as_path_line_col_severity_code_message_hint(tmp_path: Path) -> None:
    """The printed form is what an author's editor can jump to."""
    changes = course_yaml("languages: [ky, ru, en]", "languages: [ky, ru, kg]")
    diagnostics = lint_path(write_repo(tmp_path, changes))
    assert (
        f"{CY}:3:21: error E006: unknown language 'kg' (Kyrgyz is 'ky'; 'kg' is the country code)"
        in [d.format() for d in diagnostics]
    )


def test_yaml11_boolean_in_text_says_quote_it(tmp_path: Path) -> None:
    """`en: No` read as false is an error whose hint says to quote it, and nothing else."""
    diagnostics = lint_path(write_repo(tmp_path, quiz_yaml('en: "256 / 4 = 64"}', "en: No}")))
    assert [d.format() for d in diagnostics] == [
        f"{QZ}:33:63: error E004: questions.sha-length.explanation.en: expected text, got the "
        'boolean false (from No) (quote it: "No")'
    ]


def test_all_problems_are_collected_together(tmp_path: Path) -> None:
    """Problems in several files are all reported in one pass, sorted by path and line."""
    changes = {
        **course_yaml("slug: demo", "slug: other"),
        **quiz_yaml("id: check", "id: checks"),
        **lesson("\n# H1\n"),
    }
    diagnostics = lint_path(write_repo(tmp_path, changes))
    assert [d.code for d in diagnostics] == ["E017", "W102", "E007"]
    assert diagnostics == sorted(diagnostics)
