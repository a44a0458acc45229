"""Fixtures of other folders that the task tests use too."""

from tests.certificates.conftest import make_completion  # noqa: F401
from tests.certificates.test_worker_issuing import app_on  # noqa: F401
from tests.cohorts.conftest import cast, cohort, organization  # noqa: F401
