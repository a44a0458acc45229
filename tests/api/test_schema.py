"""Schemathesis drives every operation of /api/v1/openapi.json with generated requests: no
server errors, and every response matches the schema it promises."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth

from lms.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(demo_course):
    from lms.services import api_token_create
    from tests.factories import UserFactory

    _token, raw = api_token_create(user=UserFactory(), name="schemathesis")
    return raw


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, token):
    """Requests carry a valid token; refusing bad tokens is tested in test_api.py, so the
    check that replays requests with broken credentials is left out here."""
    # identity: schemathesis' WSGI transport does not decode gzip, which the site sends
    case.headers = {
        **(case.headers or {}), "Authorization": f"Bearer {token}", "Accept-Encoding": "identity",
    }  # fmt: skip
    case.call_and_validate(excluded_checks=[ignored_auth])
