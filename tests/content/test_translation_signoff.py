"""Signing translations off with a commit trailer, `Translations-Checked: ru, en`, in real Git
repositories: a typo fix in the default language that needs no translation, an empty commit
for the whole repository, named paths, and the order of commits. The linter and the import
read the same history (`read_history`) and compare with the same code, so they agree."""

from __future__ import annotations

from pathlib import Path

from courses.content import parse_repository
from courses.content.git import NoHistory, read_history
from courses.content.history import course_stale_translations
from courses.content.lint import lint
from courses.content.signoffs import signoff_parse
from courses.content.translations import CourseTranslations, course_translations
from tests.content.helpers import COURSE_DIR, LESSON_KY, QUIZ_YAML, valid_files, write_repo
from tests.gitrepo import GitRepo, git, make_repo
from tests.labfiles import LAB_PATHS, lab_repo, lab_yaml

C = COURSE_DIR
LESSON = f"{C}/lessons/01-what-is"
HASHES = f"{C}/lessons/02-hashes"
QUIZ = f"{C}/quizzes/check.yaml"
KY_FIX = {f"{LESSON}/ky.md": LESSON_KY.replace("Блокчейн —", "Блокчейн -")}


def status(path: Path) -> CourseTranslations:
    parsed = parse_repository(path)
    assert parsed.ok, parsed.diagnostics
    history = read_history(path)
    assert not isinstance(history, NoHistory)
    return course_translations(course=parsed.courses[0], history=history)


def states(found: CourseTranslations, item: str) -> dict[str, str]:
    return {t.language: t.state for t in found.texts if t.item == item}


def text(found: CourseTranslations, item: str, language: str):
    return next(t for t in found.texts if t.item == item and t.language == language)


def signed(message: str, *trailers: str) -> str:
    return "\n\n".join([message, "\n".join(trailers)])


def w106(path: Path) -> list[str]:
    return [d.path for d in lint(path).diagnostics if d.code == "W106"]


def test_a_typo_fix_signed_off_for_some_languages_keeps_just_those_current(tmp_path: Path):
    """The trailer names the languages the committer checked; the others go stale as
    before, and the sign-off is kept with the text for the status page."""
    repo = make_repo(tmp_path / "repo")
    assert "Блокчейн —" in LESSON_KY
    fix = repo.commit(KY_FIX, signed("Fix a dash in lesson 1", "Translations-Checked: ru"))
    found = status(repo.path)
    assert states(found, "what-is") == {"ky": "current", "ru": "current", "en": "stale"}
    ru = text(found, "what-is", "ru")
    assert ru.checked is not None and ru.checked.sha == fix
    assert ru.checked.message == "Fix a dash in lesson 1"
    assert ru.as_json()["checked"]["sha"] == fix
    assert text(found, "what-is", "en").checked is None
    assert states(found, "hashes") == {"ky": "current", "ru": "current", "en": "current"}
    assert w106(repo.path) == [f"{LESSON}/en.md"]


def test_an_empty_commit_signs_off_every_item_and_lint_agrees(tmp_path: Path):
    """`git commit --allow-empty` with the trailer marks the named languages current for every
    item of the repository, lessons and quizzes alike; the linter then reports nothing."""
    repo = make_repo(tmp_path / "repo")
    ky_quiz = QUIZ_YAML.replace('ky: "Касиеттер?"', 'ky: "Кандай касиеттер?"')
    repo.commit({**KY_FIX, QUIZ: ky_quiz}, "Kyrgyz corrections")
    assert sorted(w106(repo.path)) == sorted([f"{LESSON}/en.md", f"{LESSON}/ru.md", QUIZ, QUIZ])
    check = repo.commit(None, signed("Translations reviewed", "Translations-Checked: ru, en"))
    assert git(repo.path, "show", "--name-only", "--format=", check) == ""  # empty indeed
    found = status(repo.path)
    assert found.stale() == []
    assert course_stale_translations(translations=found) == []
    assert text(found, "check", "en").checked.sha == check
    assert w106(repo.path) == []


def test_a_later_default_change_makes_the_texts_stale_again_with_the_diff_from_the_sign_off(
    tmp_path: Path,
):
    """A sign-off covers the default text as it was at that commit, not what comes after;
    the diff then starts at the sign-off, where the translator last saw the text."""
    repo = make_repo(tmp_path / "repo")
    repo.commit(KY_FIX, "Kyrgyz dash")
    check = repo.commit(None, signed("Checked", "Translations-Checked: ru"))
    changed = LESSON_KY.replace("Блокчейн —", "Блокчейн -") + "\nЖаңы сап.\n"
    repo.commit({f"{LESSON}/ky.md": changed}, "A new line")
    ru = text(status(repo.path), "what-is", "ru")
    assert ru.state == "stale" and ru.checked is None
    assert ru.change.sha != check  # the text's own last change is still named
    assert ("+", "Жаңы сап.") in ru.diff
    assert not any("Блокчейн —" in line for _, line in ru.diff)  # the dash was seen


def test_a_sign_off_before_the_default_change_or_beside_it_does_not_count(tmp_path: Path):
    """Order of commits decides: a sign-off made before the change, or on a branch that did
    not have it, signs off nothing after the merge."""
    repo = make_repo(tmp_path / "repo")
    repo.commit(None, signed("Too early", "Translations-Checked: ru, en"))
    repo.commit(KY_FIX, "Kyrgyz dash")
    assert states(status(repo.path), "what-is")["ru"] == "stale"

    git(repo.path, "checkout", "-q", "-b", "review", "HEAD~1")
    repo.commit(None, signed("Checked on a branch", "Translations-Checked: ru"))
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "merge", "-q", "--no-ff", "--no-edit", "review")
    assert states(status(repo.path), "what-is")["ru"] == "stale"


def test_named_paths_limit_an_empty_sign_off_to_those_items(tmp_path: Path):
    """`Translations-Checked-Path` names a lesson folder, a file in it, a folder above items
    or a pattern, as the linter prints paths; only those items are signed off."""
    repo = make_repo(tmp_path / "repo")
    ky_quiz = QUIZ_YAML.replace('ky: "Касиеттер?"', 'ky: "Кандай касиеттер?"')
    repo.commit({**KY_FIX, QUIZ: ky_quiz}, "Kyrgyz corrections")
    repo.commit(None, signed("Lesson 1 checked", "Translations-Checked: ru, en",
                             f"Translations-Checked-Path: ./{LESSON}/"))  # fmt: skip
    found = status(repo.path)
    assert states(found, "what-is") == {"ky": "current", "ru": "current", "en": "current"}
    assert states(found, "check") == {"ky": "current", "ru": "stale", "en": "stale"}

    repo.commit(None, signed("Quizzes checked", "translations-checked: RU",
                             f"translations-checked-path: {C}/quizzes/*.yaml"))  # fmt: skip
    assert states(status(repo.path), "check") == {"ky": "current", "ru": "current", "en": "stale"}
    repo.commit(None, signed("The rest", "Translations-Checked: en",
                             f"Translations-Checked-Path: {C}/quizzes"))  # fmt: skip
    assert status(repo.path).stale() == []


def test_a_lab_and_a_quiz_changed_with_the_trailer_are_signed_off(tmp_path: Path):
    repo = lab_repo(tmp_path / "repo")
    [(path, content)] = lab_yaml("mine", "Биринчи кеңеш", "Биринчи жана башкы кеңеш").items()
    assert path == LAB_PATHS["mine"]
    repo.commit({path: content}, signed("Kyrgyz hint", "Translations-Checked: ru, en"))
    assert states(status(repo.path), "mine") == {"ky": "current", "ru": "current", "en": "current"}


def test_what_the_trailer_does_not_do(tmp_path: Path):
    """Only a trailer counts (the message's last paragraph, as Git reads trailers); unknown
    language codes are ignored; a commit that changes files only outside the folder read
    touches none of its items; the default language needs no sign-off."""
    outer = tmp_path / "platform"
    content = outer / "content"
    content.mkdir(parents=True)
    git(outer, "init", "-q", "-b", "main")
    write_repo(content, {}, base=valid_files())
    top = GitRepo(outer)
    top.commit(None, "Add the content folder")
    assert states(status(content), "what-is")["ru"] == "current"
    top.commit({f"content/{k}": v for k, v in KY_FIX.items()}, "Kyrgyz dash")
    top.commit(None, "Translations-Checked: ru\n\nnot the last paragraph: not a trailer")
    top.commit(None, signed("Wrong codes", "Translations-Checked: rus, kg, ky"))
    top.commit({"README.md": "The platform.\n"}, signed("Docs only", "Translations-Checked: ru"))
    assert states(status(content), "what-is") == {"ky": "current", "ru": "stale", "en": "stale"}
    top.commit(None, signed("Checked", "Translations-Checked: ru en"))  # spaces do as commas
    assert status(content).stale() == []


def test_signoff_parse_reads_trailer_values_as_git_prints_them():
    found = signoff_parse(sha="a" * 40, languages="ru, EN\x1dky;xx", paths=" ./a/b/ \x1dc, d/*",
                          changed=["examples/x.md", "code.py"], prefix="examples/")  # fmt: skip
    assert found is not None
    assert (found.languages, found.paths) == (frozenset({"ru", "en", "ky"}), ("a/b", "c", "d/*"))
    assert (found.touched, found.empty) == (("x.md",), False)
    assert found.covers("a/b", "ru") and found.covers("a/b/c.md", "en")
    assert found.covers("d/quiz.yaml", "ru") and found.covers("x.md", "ky")
    assert not found.covers("a/bc", "ru") and not found.covers("e", "ru")
    assert signoff_parse(sha="b", languages="kg", paths="", changed=[], prefix="") is None
