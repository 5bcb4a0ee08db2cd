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
    from django.core.wsgi import get_wsgi_application

    call_command("load_support", verbosity=0, stdout=io.StringIO())
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
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
    assert sorted(checked) == [
        "GET /api/v1/organisations/",
        "GET /api/v1/plans/",
        "GET /api/v1/plans/{slug}/",
        "GET /api/v1/plans/{slug}/followups/",
        "GET /api/v1/support-services/",
    ]
