import pytest

from courses.models import Course, ImportRun
from courses.services.publishing import import_run_create, import_run_execute
from tests.gitrepo import make_repo


@pytest.fixture
def demo_course(tmp_path, db) -> Course:
    repo = make_repo(tmp_path / "repo")
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    return Course.objects.get(slug="demo")
