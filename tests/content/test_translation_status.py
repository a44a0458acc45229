"""Translation status worked out from real Git repositories: by commit order, never by date;
lessons by file, quizzes and labs by each language's texts in their one YAML file."""

from __future__ import annotations

from pathlib import Path

from courses.content import parse_repository
from courses.content.git import WORKTREE, NoHistory, read_history
from courses.content.history import course_stale_translations
from courses.content.textdiff import DIFF_MAX_LINES, text_diff
from courses.content.translations import CourseTranslations, course_translations, language_texts
from tests.content.helpers import COURSE_DIR, LESSON_EN, LESSON_KY, LESSON_RU, QUIZ_YAML
from tests.gitrepo import GitRepo, git, make_repo
from tests.labfiles import LAB_PATHS, lab_repo, lab_yaml

C = COURSE_DIR
LESSON = f"{C}/lessons/01-what-is"
QUIZ = f"{C}/quizzes/check.yaml"


def status(repo: GitRepo, *, worktree: bool = False, diffs: bool = True) -> CourseTranslations:
    parsed = parse_repository(repo.path)
    assert parsed.ok, parsed.diagnostics
    history = read_history(repo.path, worktree=worktree)
    assert not isinstance(history, NoHistory)
    return course_translations(course=parsed.courses[0], history=history, diffs=diffs)


def states(translations: CourseTranslations, item: str) -> dict[str, str]:
    return {t.language: t.state for t in translations.texts if t.item == item}


def text(translations: CourseTranslations, item: str, language: str):
    return next(t for t in translations.texts if t.item == item and t.language == language)


def test_translation_committed_before_the_default_changed_is_stale_even_on_the_same_day(
    tmp_path: Path,
) -> None:
    """Two commits a minute apart on one day: the older translations are stale, and W106 names
    the commits."""
    repo = make_repo(tmp_path / "repo")
    first = repo.head
    day = "2026-12-02T10:0{}:00+00:00"
    second = repo.commit({f"{LESSON}/ky.md": LESSON_KY + "\nЖаңы сап.\n"}, "ky", date=day.format(1))
    found = status(repo)
    assert states(found, "what-is") == {"ky": "current", "ru": "stale", "en": "stale"}
    assert states(found, "hashes") == {"ky": "current", "ru": "current", "en": "current"}
    ru = text(found, "what-is", "ru")
    assert (ru.change.sha, ru.source.sha, ru.source_language) == (first, second, "ky")
    assert ru.source.author == "Aigul Author" and ru.source.date.startswith("2026-12-02T10:01")
    [w_ru, _w_en] = course_stale_translations(translations=found)
    assert w_ru.path == f"{LESSON}/ru.md"
    assert f"commit {first[:10]}" in w_ru.message and f"commit {second[:10]}" in w_ru.message
    assert "2026" not in w_ru.message


def test_order_of_commits_decides_not_their_dates(tmp_path: Path) -> None:
    """A default-language change committed later but dated years earlier still makes the
    translations stale; a translation committed after it is current whatever its date."""
    repo = make_repo(tmp_path / "repo")
    repo.commit({f"{LESSON}/ky.md": LESSON_KY + "\nЭски дата.\n"}, "ky", date="2001-01-01T00:00:00")
    assert states(status(repo), "what-is")["ru"] == "stale"
    repo.commit({f"{LESSON}/ru.md": LESSON_RU + "\nОбновлено.\n"}, "ru", date="2000-01-01T00:00:00")
    assert states(status(repo), "what-is") == {"ky": "current", "ru": "current", "en": "stale"}


def test_one_commit_changing_every_language_leaves_them_current(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.commit({
        f"{LESSON}/ky.md": LESSON_KY + "\nА.\n",
        f"{LESSON}/ru.md": LESSON_RU + "\nБ.\n",
        f"{LESSON}/en.md": LESSON_EN + "\nC.\n",
    })  # fmt: skip
    found = status(repo)
    assert found.stale() == []
    assert course_stale_translations(translations=found) == []


def test_translation_made_on_a_branch_that_missed_the_default_change_is_stale(
    tmp_path: Path,
) -> None:
    """A translation committed on a branch that does not hold the latest default-language
    change is stale after the merge, even when committed later; one built on it is not."""
    repo = make_repo(tmp_path / "repo")
    git(repo.path, "checkout", "-q", "-b", "translate")
    repo.commit({f"{LESSON}/ru.md": LESSON_RU + "\nПеревод.\n"}, "ru on a branch")
    git(repo.path, "checkout", "-q", "main")
    repo.commit({f"{LESSON}/ky.md": LESSON_KY + "\nӨзгөрүү.\n"}, "ky on main")
    git(repo.path, "merge", "-q", "--no-edit", "translate")
    assert states(status(repo), "what-is")["ru"] == "stale"

    git(repo.path, "checkout", "-q", "-b", "catch-up")
    repo.commit({f"{LESSON}/ru.md": LESSON_RU + "\nПеревод 2.\n"}, "ru after ky")
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "merge", "-q", "--no-ff", "--no-edit", "catch-up")
    assert states(status(repo), "what-is")["ru"] == "current"


def test_stale_lesson_carries_a_small_diff_of_the_default_text(tmp_path: Path) -> None:
    """The diff goes from the default text as the translation last saw it to the default text
    now, with +/- markers and the line where each part starts."""
    repo = make_repo(tmp_path / "repo")
    body = "Блокчейн — жазуулары **блокторго** топтолгон реестр"
    changed = LESSON_KY.replace(f"{body}.", f"{body}, аны көп адам жүргүзөт.")
    repo.commit({f"{LESSON}/ky.md": changed + "\x1b[31mКызыл\u202e\n"}, "ky")
    diff = text(status(repo), "what-is", "ru").diff
    assert diff[0] == ("@", "8")  # the part starts at line 8 of the Kyrgyz text now
    assert ("-", f"{body}.") in diff
    assert ("+", f"{body}, аны көп адам жүргүзөт.") in diff
    assert ("+", "[31mКызыл") in diff  # the escape and the bidi override are dropped
    assert text(status(repo, diffs=False), "what-is", "ru").diff == ()


def test_a_large_diff_is_cut() -> None:
    lines, cut = text_diff("", "\n".join(f"line {n}" for n in range(1000)))
    assert cut and len(lines) == DIFF_MAX_LINES
    assert text_diff("a\nb\n", "a\nb\n") == ((), False)


def test_missing_text_names_the_language_learners_see(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {f"{LESSON}/en.md": None})
    en = text(status(repo), "what-is", "en")
    assert (en.state, en.fallback, en.path, en.change) == ("missing", "ru", f"{LESSON}/en.md", None)


def test_quiz_languages_are_compared_by_their_own_texts(tmp_path: Path) -> None:
    """In a quiz's one file, a change to the Kyrgyz prompt alone makes Russian and English
    stale; a later change to the Russian texts makes Russian current; a change to the answer
    key alone changes no language."""
    repo = make_repo(tmp_path / "repo")
    ky_changed = QUIZ_YAML.replace('ky: "Касиеттер?"', 'ky: "Кандай касиеттер?"')
    repo.commit({QUIZ: ky_changed}, "ky prompt")
    found = status(repo)
    assert states(found, "check") == {"ky": "current", "ru": "stale", "en": "stale"}
    en = text(found, "check", "en")
    assert (en.line, en.col) == (3, 37)  # title: {ky: ..., ru: ..., en: ...}
    assert ("+", "questions.properties.prompt: Кандай касиеттер?") in en.diff
    assert ("-", "questions.properties.prompt: Касиеттер?") in en.diff

    ru_changed = ky_changed.replace('ru: "Свойства?"', 'ru: "Какие свойства?"')
    repo.commit({QUIZ: ru_changed}, "ru prompt")
    assert states(status(repo), "check") == {"ky": "current", "ru": "current", "en": "stale"}

    ru_sha = text(status(repo), "check", "ru").change.sha
    repo.commit({QUIZ: ru_changed.replace("answer: 64", "answer: 65")}, "answer key only")
    after = status(repo)
    assert text(after, "check", "ru").change.sha == ru_sha
    assert states(after, "check") == {"ky": "current", "ru": "current", "en": "stale"}


def test_an_unreadable_version_in_history_is_looked_past(tmp_path: Path) -> None:
    """A commit whose YAML could not be read (a syntax error, an alias bomb) neither counts as
    a change of every language nor hides the change made before it."""
    repo = make_repo(tmp_path / "repo")
    ky_changed = QUIZ_YAML.replace('ky: "Касиеттер?"', 'ky: "Кандай касиеттер?"')
    repo.commit({QUIZ: ky_changed}, "ky prompt")
    repo.commit({QUIZ: "a: &x [1]\nb: *x\n"}, "broken")
    repo.commit({QUIZ: ky_changed}, "fixed")
    assert states(status(repo), "check") == {"ky": "current", "ru": "stale", "en": "stale"}
    assert language_texts(b"a: [\n") is None
    assert language_texts(None) == {}


def test_lab_texts_are_compared_per_language(tmp_path: Path) -> None:
    repo = lab_repo(tmp_path / "repo")
    [(path, content)] = lab_yaml("mine", "Первая подсказка", "Первая и главная подсказка").items()
    repo.commit({path: content}, "ru hint")
    assert path == LAB_PATHS["mine"]
    found = status(repo)
    assert states(found, "mine") == {"ky": "current", "ru": "current", "en": "current"}
    content = content.replace("Биринчи кеңеш", "Биринчи жана башкы кеңеш")
    repo.commit({path: content}, "ky hint")
    assert states(status(repo), "mine") == {"ky": "current", "ru": "stale", "en": "stale"}


def test_uncommitted_changes_count_as_the_newest_change(tmp_path: Path) -> None:
    """For the linter, a file changed on disk is changed after HEAD; an import reads commits
    only."""
    repo = make_repo(tmp_path / "repo")
    (repo.path / LESSON / "ky.md").write_text(LESSON_KY + "\nТүзөтүү.\n", encoding="utf-8")
    assert states(status(repo), "what-is")["ru"] == "current"
    found = status(repo, worktree=True)
    ru = text(found, "what-is", "ru")
    assert (ru.state, ru.source.sha, ru.source.uncommitted) == ("stale", WORKTREE, True)
    [_, warning] = course_stale_translations(translations=found)
    assert "has uncommitted changes since" in warning.message


def test_no_history_outside_git_and_in_a_shallow_clone(tmp_path: Path) -> None:
    """Outside Git nothing is stale; a shallow clone, whose oldest commit seems to add every
    file, is not read at all."""
    assert read_history(tmp_path) == NoHistory("not-a-repository")
    git(tmp_path, "init", "-q")
    assert read_history(tmp_path) == NoHistory("no-commits")
    repo = make_repo(tmp_path / "repo")
    repo.commit({f"{LESSON}/ky.md": LESSON_KY + "\nЖаңы.\n"}, "ky")
    git(tmp_path, "clone", "-q", "--depth", "1", repo.url, "shallow")
    assert read_history(tmp_path / "shallow") == NoHistory("shallow")
    parsed = parse_repository(repo.path)
    found = course_translations(course=parsed.courses[0], history=None)
    assert not found.checked and found.stale() == []
