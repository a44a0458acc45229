"""Every broken repository of the content table, pushed as a new commit over a good import:
the import fails with that code at that place, and the content tables are byte-for-byte
what they were."""

import shutil

import pytest

from courses.models import ImportRun
from courses.services.publishing import import_run_create, import_run_execute
from tests.content.test_codes import CASES
from tests.gitrepo import git, make_repo
from tests.services.test_publishing import content_snapshot

pytestmark = pytest.mark.django_db

ERROR_CASES = [case for case in CASES if case[2].startswith("E")]


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("base") / "repo")


@pytest.mark.parametrize(
    ("changes", "code", "path", "line", "col"),
    [pytest.param(c[1], c[2], c[3], c[4], c[5], id=c[0]) for c in ERROR_CASES],
)
def test_a_broken_commit_is_rejected_and_changes_nothing(
    tmp_path, base_repo, changes, code, path, line, col
):
    repo_path = tmp_path / "repo"
    shutil.copytree(base_repo.path, repo_path, symlinks=True)
    repo = type(base_repo)(repo_path)
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    assert run.status == ImportRun.Status.SUCCEEDED
    before = content_snapshot()

    repo.commit(changes, "A broken change")
    broken = import_run_create(location=str(repo.path))
    import_run_execute(run=broken)

    broken.refresh_from_db()
    assert broken.status == ImportRun.Status.FAILED
    assert broken.commit == git(repo.path, "rev-parse", "HEAD")
    found = {(d["code"], d["path"], d["line"], d["col"]) for d in broken.diagnostics}
    assert (code, path, line, col) in found, broken.diagnostics
    assert content_snapshot() == before
