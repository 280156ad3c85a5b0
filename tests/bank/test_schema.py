"""Requests generated from the published OpenAPI schema never cause a server error, every
response matches the schema, and the schema says what the server accepts: schemathesis runs
every one of its checks, including that valid data is accepted and invalid data refused."""

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db

#: Operations whose valid inputs JSON Schema cannot describe: a cursor is valid only if this
#: server handed it out (a well-formed one from elsewhere is refused, 422, so that no change is
#: skipped), and whether each line of a signal file is a valid signal the server says (422,
#: naming the line). Every other check runs on them.
SEMANTIC_VALIDITY = {"/signals", "/bank/import"}


@pytest.fixture
def wsgi_keeps_the_test_connection() -> Iterator[None]:
    """Called straight through WSGI, Django would close the test's database connection at the
    end of each request; its own test client stops that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("wsgi_keeps_the_test_connection")
def test_generated_requests_conform_to_the_schema(token: Callable[..., str], settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_API_RATE = 100_000
    headers = {"Authorization": f"Bearer {token('match', 'signals', 'bank', 'feedback')}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=20,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            path = case.path.removeprefix("/api/v1")
            excluded = [positive_data_acceptance] if path in SEMANTIC_VALIDITY else []
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        conforms()
