import pytest
from django.utils import timezone

from courses.models import Enrollment
from tests.factories import UserFactory


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
