"""Property-based run of the open data API against its own OpenAPI document (schemathesis):
whatever the parameters, no server error and every answer as documented."""

import io

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db
def test_api_answers_as_documented(default_plan):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    call_command("load_support", verbosity=0, stdout=io.StringIO())
    # As Django's test client does: the WSGI handler must not close the test's connection
    # (and with it the transaction the test runs in) after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        checked = _fuzz(get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert sorted(checked) == [
        "GET /api/v1/organisations/",
        "GET /api/v1/plans/",
        "GET /api/v1/plans/{slug}/",
        "GET /api/v1/plans/{slug}/followups/",
        "GET /api/v1/support-services/",
    ]


def _fuzz(app) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        def run(case):
            case.call_and_validate()

        run()
        checked.append(operation.label)
    return checked
