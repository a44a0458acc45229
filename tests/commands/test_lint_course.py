"""lint_course as an author and their CI run it: a one-line summary when clean, JSON for
machines, and the same translation warnings (W106) as the import, read from the same Git
history."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from courses.models import ImportRun
from courses.services.publishing import import_run_create, import_run_execute
from tests.commands.test_course_commands import lint
from tests.content.helpers import COURSE_DIR, LESSON_KY, course_yaml, write_repo
from tests.gitrepo import git, make_repo

KY = f"{COURSE_DIR}/lessons/01-what-is/ky.md"
DIAGNOSTIC_KEYS = {"file", "line", "col", "code", "severity", "message", "hint"}


def test_clean_repository_prints_one_summary_line(tmp_path):
    """Nothing to report: one line that says so, what was checked, and whether translations
    were compared (in Git they are, at the commit named)."""
    repo = make_repo(tmp_path / "repo")
    result = lint(repo.path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "clean: 1 course, 3 items (en, ky, ru); translations checked against Git history at "
        f"{repo.head[:10]}\n"
    )
    outside = lint(write_repo(tmp_path / "plain"))
    assert outside.stdout == (
        "clean: 1 course, 3 items (en, ky, ru); translations not checked: not in a Git repository\n"
    )


def test_json_report_has_a_stable_schema_and_exits_one_on_errors(tmp_path):
    repo = write_repo(tmp_path, course_yaml("level: beginner", "levl: beginner"))
    result = lint(repo, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"version", "path", "clean", "summary", "diagnostics"}
    assert (report["version"], report["clean"]) == (1, False)
    assert report["summary"] == {
        "courses": 1, "items": 3, "languages": ["en", "ky", "ru"], "errors": 2, "warnings": 0,
        "history": "not-a-repository", "commit": None,
    }  # fmt: skip
    first = report["diagnostics"][0]
    assert set(first) == DIAGNOSTIC_KEYS
    assert (first["file"], first["line"], first["col"], first["code"], first["severity"]) == (
        f"{COURSE_DIR}/course.yaml", 1, 1, "E003", "error",
    )  # fmt: skip
    assert [d["code"] for d in report["diagnostics"]] == ["E003", "E002"]
    assert report["diagnostics"][1]["hint"] == "did you mean 'level'?"


def test_stale_translation_is_a_warning_in_lint_exactly_as_at_import(tmp_path, db):
    """W106 read from the same history: the linter's and the import's are the same problems,
    with the same file, line, column and words."""
    repo = make_repo(tmp_path / "repo")
    repo.commit({KY: LESSON_KY + "\nЖаңы сап.\n"}, "Kyrgyz only")
    result = lint(repo.path, "--format", "json", "--strict")
    assert result.returncode == 2
    linted = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "W106"]
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    imported = [
        {key: d[key] for key in ("line", "col", "code", "severity", "message", "hint")}
        | {"file": d["path"]}
        for d in run.diagnostics
        if d["code"] == "W106"
    ]
    assert linted == imported
    assert [d["file"] for d in linted] == [
        f"{COURSE_DIR}/lessons/01-what-is/en.md",
        f"{COURSE_DIR}/lessons/01-what-is/ru.md",
    ]


def test_uncommitted_change_to_the_default_language_is_reported_before_committing(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo.path / KY).write_text(LESSON_KY + "\nЖаңы сап.\n", encoding="utf-8")
    result = lint(repo.path)
    assert result.returncode == 0
    assert (
        f"{COURSE_DIR}/lessons/01-what-is/ru.md:1:1: warning W106: ru.md was last changed in "
        f"commit {repo.head[:10]}, and ky.md (the default language) has uncommitted changes "
        "since; the translation may be out of date (see what changed: git diff "
        f"{repo.head[:10]} -- {KY})"
    ) in result.stdout.splitlines()
    assert "clean:" not in result.stdout
    no_history = lint(repo.path, "--no-history")
    assert no_history.stdout.startswith("clean: ")
    assert "(--no-history)" in no_history.stdout


def test_shallow_clone_says_translations_were_not_checked(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.commit({KY: LESSON_KY + "\nЖаңы сап.\n"}, "Kyrgyz only")
    git(tmp_path, "clone", "-q", "--depth", "1", repo.url, "shallow")
    result = lint(tmp_path / "shallow", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"]["history"] == "shallow"
    assert result.stderr.startswith("note: translations not checked: a shallow clone")
    assert "fetch-depth: 0" in result.stderr


def test_the_management_command_prints_what_the_pure_linter_prints(tmp_path):
    """`call_command("lint_course")` (Django loaded) and `manage.py lint_course` (no Django)
    agree, in both formats."""
    repo = make_repo(tmp_path / "repo")
    repo.commit({KY: LESSON_KY + "\nЖаңы сап.\n"}, "Kyrgyz only")
    for args in ((), ("--format", "json")):
        out = StringIO()
        call_command("lint_course", str(repo.path), *args, stdout=out)
        assert out.getvalue() == lint(repo.path, *args).stdout
    with pytest.raises(SystemExit) as exited:
        call_command("lint_course", str(repo.path), "--strict", stdout=StringIO())
    assert exited.value.code == 2
