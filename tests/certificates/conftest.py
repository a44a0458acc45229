import pytest
from django.utils import timezone

from courses.models import Course, Enrollment, ImportRun
from courses.services.publishing import import_run_create, import_run_execute
from tests.factories import UserFactory
from tests.gitrepo import make_repo


@pytest.fixture
def demo_course(tmp_path, db) -> Course:
    repo = make_repo(tmp_path / "repo")
    run = import_run_create(location=str(repo.path))
    import_run_execute(run=run)
    assert run.status == ImportRun.Status.SUCCEEDED, run.diagnostics
    return Course.objects.get(slug="demo")


@pytest.fixture
def make_completion(demo_course):
    """An enrolment that met the course's requirements (as the progress services record it)."""

    def make(**user_fields) -> Enrollment:
        user = UserFactory(**{"name": "Айгүл Өмүрбекова", "language": "ky", **user_fields})
        return Enrollment.objects.create(user=user, course=demo_course, completed_at=timezone.now())

    return make


@pytest.fixture
def tasks_inline():
    """Run tasks sent during the test in this process (the worker path has its own tests)."""
    from lms.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
