"""lint_course and import_course, as authors and operators run them."""

import os
import pty
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from courses.models import Course, ImportRun
from tests.conftest import ROOT
from tests.content.helpers import COURSE_DIR, course_yaml, write_repo
from tests.gitrepo import make_repo


def lint(path, *args):
    """Run lint_course as an author's CI would: no settings, no database, no broker."""
    return subprocess.run(
        [sys.executable, "manage.py", "lint_course", str(path), *args],
        cwd=ROOT, env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_lint_of_a_clean_repository_exits_zero_with_nothing_configured(tmp_path):
    result = lint(write_repo(tmp_path))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("clean: 1 course, 3 items"), result.stdout


def test_lint_prints_every_problem_with_file_line_and_column_and_exits_one(tmp_path):
    repo = write_repo(tmp_path, course_yaml("level: beginner", "levl: beginner"))
    result = lint(repo)
    assert result.returncode == 1
    assert f"{COURSE_DIR}/course.yaml:10:1: error E002: " in result.stdout
    assert "did you mean 'level'?" in result.stdout
    assert f"{COURSE_DIR}/course.yaml:1:1: error E003: " in result.stdout


def test_lint_strict_exits_two_on_warnings_alone(tmp_path):
    repo = write_repo(tmp_path, {f"{COURSE_DIR}/lessons/01-what-is/en.md": None})
    assert lint(repo).returncode == 0
    strict = lint(repo, "--strict")
    assert strict.returncode == 2
    assert "warning W101" in strict.stdout


@pytest.mark.django_db
def test_import_prints_a_summary_and_a_second_import_is_unchanged(tmp_path, capsys):
    repo = make_repo(tmp_path / "repo")
    call_command("import_course", str(repo.path))
    out = capsys.readouterr().out
    assert (
        f"Imported commit {repo.head[:12]}: demo (3 items; languages en, ky, ru; 0 warnings;" in out
    )
    call_command("import_course", repo.url)
    assert "Unchanged: commit" in capsys.readouterr().out
    assert Course.objects.get(slug="demo").live_revision.commit == repo.head


@pytest.mark.django_db
def test_failed_import_prints_the_errors_like_lint_and_changes_nothing(tmp_path, capsys):
    repo = make_repo(tmp_path / "repo", course_yaml("level: beginner", "level: expert"))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_course", str(repo.path))
    err = capsys.readouterr().err
    assert f"{COURSE_DIR}/course.yaml:10:8: error E004:" in err
    assert not Course.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


@pytest.mark.django_db
def test_dry_run_reports_without_writing(tmp_path, capsys):
    repo = make_repo(tmp_path / "repo")
    call_command("import_course", str(repo.path), "--dry-run")
    assert "Dry run of commit" in capsys.readouterr().out
    assert not Course.objects.exists()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_preview_import_keeps_the_live_revision(tmp_path, capsys):
    repo = make_repo(tmp_path / "repo")
    call_command("import_course", str(repo.path))
    live = Course.objects.get().live_revision_id
    call_command("import_course", str(repo.path), "--ref", "main", "--preview")
    assert "The live course is unchanged." in capsys.readouterr().out
    assert Course.objects.get().live_revision_id == live


@pytest.mark.django_db(transaction=True)
def test_import_shows_a_progress_bar_on_a_terminal(tmp_path, postgres):
    """Only on a terminal: run the command in a pseudo-terminal and read what it drew."""
    from tests.conftest import shared_database_url

    repo = make_repo(tmp_path / "repo")
    controller, terminal = pty.openpty()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "DATABASE_URL": shared_database_url(), "VAR_DIR": str(tmp_path / "var")}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_course", str(repo.path)],
        cwd=ROOT, env=env, stdout=terminal, stderr=terminal,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0
    text = output.decode()
    assert "[" in text and "%" in text and "Publishing" in text
    assert "Imported commit" in text
