"""Fixtures of other folders that the site-wide tests use too."""

from tests.certificates.test_worker_issuing import app_on  # noqa: F401
