"""The generated data set for benchmarks, and query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nollvision.accounts.models import Organisation
from nollvision.devtools.demo.followup import DemoNotAllowed
from nollvision.devtools.generate import generate
from nollvision.followup.models import Campaign, MeasureAnswer
from nollvision.plans.models import Plan
from nollvision.support.models import SupportService

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_county_scale_generates_a_whole_county_and_only_once(default_plan, client):
    routes = ["/planer/{slug}/v1/", "/planer/{slug}/v1/mal/2/", "/api/v1/plans/{slug}/"]
    before = [_queries(client, r.format(slug=default_plan.slug)) for r in routes]
    result = generate(scale="county", years=2, publish=False)
    assert (result.counties, result.plans, result.campaigns) == (1, 1, 2)
    assert (
        Organisation.objects.filter(slug__startswith="gen-01").count() == 34 == result.organisations
    )
    assert SupportService.objects.filter(key__startswith="gen-").count() == 26
    plan = Plan.objects.get(slug="gen-01-2022-2026")
    assert plan.measures.count() == default_plan.measures.count()
    assert Campaign.objects.filter(plan=plan).count() == 2
    answers = MeasureAnswer.objects.filter(response__campaign__plan=plan)
    assert answers.count() == result.answers > 34 * 2 * 10
    with pytest.raises(DemoNotAllowed, match="exists already"):
        generate(scale="county", years=1, publish=False)
    # The same pages on the larger data set take the same number of queries.
    after = [_queries(client, r.format(slug=default_plan.slug)) for r in routes]
    assert after == before
    generated = [_queries(client, r.format(slug=plan.slug)) for r in routes]
    assert generated == before


def test_generation_is_refused_where_demo_data_is_not_allowed(default_plan, settings):
    settings.NOLLVISION_ALLOW_DEMO_DATA = False
    with pytest.raises(DemoNotAllowed):
        generate(scale="county", years=1, publish=False)
