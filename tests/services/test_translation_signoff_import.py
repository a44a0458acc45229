"""The import reads `Translations-Checked` trailers as the linter does: after a Kyrgyz typo
fix and an empty commit signing off Russian and English, the import reports no W106, keeps
the sign-off with each text, and the new revision's texts are current."""

import pytest

from courses.content.lint import lint
from courses.models import Course, ImportRun, ItemText
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.helpers import COURSE_DIR, LESSON_KY
from tests.gitrepo import make_repo

pytestmark = pytest.mark.django_db
LESSON = f"{COURSE_DIR}/lessons/01-what-is"


def imported(location) -> ImportRun:
    run = import_run_create(location=str(location))
    import_run_execute(run=run)
    run.refresh_from_db()
    return run


def w106(diagnostics) -> list[str]:
    return sorted(d["path"] if isinstance(d, dict) else d.path for d in diagnostics
                  if (d["code"] if isinstance(d, dict) else d.code) == "W106")  # fmt: skip


def test_import_and_lint_agree_on_a_signed_off_typo_fix(tmp_path):
    repo = make_repo(tmp_path / "repo")
    repo.commit({f"{LESSON}/ky.md": LESSON_KY.replace("Блокчейн —", "Блокчейн -")}, "Dash")
    stale = imported(repo.path)
    assert w106(stale.diagnostics) == w106(lint(repo.path).diagnostics) == [
        f"{LESSON}/en.md", f"{LESSON}/ru.md",
    ]  # fmt: skip
    check = repo.commit(None, "Translations checked\n\nTranslations-Checked: ru, en")
    run = imported(repo.path)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert w106(run.diagnostics) == w106(lint(repo.path).diagnostics) == []
    live = Course.objects.get(slug="demo").live_revision
    assert live.commit == check
    ru = ItemText.objects.get(revision_item__revision=live, revision_item__item__key="what-is",
                              language="ru")  # fmt: skip
    assert ru.translation["state"] == "current"
    assert ru.translation["checked"]["sha"] == check
