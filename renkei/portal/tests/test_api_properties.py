"""Issue 11 (6): a bounded property-based test of the API against its own OpenAPI document
(schemathesis): for every operation, a few dozen generated requests — valid and invalid
parameters alike — anonymously and as a coordinator; each answer must be no server error,
a status the operation declares, with a body matching the declared schema.

Marked slow (make test and CI run it on SQLite and PostgreSQL; make test-fast leaves it out);
it is bounded by its example count and a deadline per operation.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from renkei.portal.management.commands.api_schema import openapi_document

EXAMPLES = 25
SCHEMA = schemathesis.openapi.from_dict(json.loads(openapi_document()))
SCHEMA.app = WSGIHandler()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a finished request must not close the database
    connection that holds the test's transaction (PostgreSQL would lose it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_cookie(coordinator):
    client = Client()
    client.force_login(coordinator)
    return {"sessionid": client.cookies["sessionid"].value}


def _bounded(test):
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )(test)


@pytest.mark.slow
@SCHEMA.parametrize()
@_bounded
def test_the_api_answers_anonymous_callers_as_its_document_says(case):
    case.call_and_validate(checks=CHECKS, headers={"Accept-Language": "ja"})


@pytest.mark.slow
@SCHEMA.parametrize()
@_bounded
def test_the_api_answers_a_coordinator_as_its_document_says(case, coordinator_cookie):
    case.call_and_validate(checks=CHECKS, cookies=coordinator_cookie)
