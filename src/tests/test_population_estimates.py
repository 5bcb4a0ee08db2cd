"""SCB's JSON-stat2 into age bands, and the plan's figures as arithmetic."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from nollvision.indicators.estimates import compute, definitions, estimates_for
from nollvision.indicators.jsonstat import JsonStatError, bands, parse
from nollvision.indicators.loaders import indicator_set_load, population_load
from nollvision.indicators.models import Area, Population
from nollvision.plans.figures import figure_from_data

from .helpers import default_plan_data

FIXTURE = Path(__file__).parent / "fixtures" / "scb" / "tab638-small.json"


def shipped_definitions():
    """The default plan file's figures as the figures page reads them (no database)."""
    return definitions([figure_from_data(item) for item in default_plan_data()["figures"]], "22")


@pytest.mark.unit
def test_jsonstat_cells_and_bands_summed_by_hand():
    cells = parse(json.loads(FIXTURE.read_text("utf-8")))
    # Region 22, men: ages 0,17,18,74,75,100+ hold 10,20,30,40,50,60; women 70..120.
    assert [(c.region, c.sex, c.age, c.count) for c in cells[:6]] == [
        ("22", "M", 0, 10),
        ("22", "M", 17, 20),
        ("22", "M", 18, 30),
        ("22", "M", 74, 40),
        ("22", "M", 75, 50),
        ("22", "M", 100, 60),
    ]
    result = bands(cells)
    assert result[("22", 2023, "M", 0, 17)] == 10 + 20
    assert result[("22", 2023, "K", 18, 74)] == 90 + 100
    assert result[("22", 2023, "T", 18, 74)] == 30 + 40 + 90 + 100
    assert result[("22", 2023, "T", 75, None)] == 50 + 60 + 110 + 120
    assert result[("2281", 2023, "T", 0, None)] == sum(range(130, 250, 10))


@pytest.mark.unit
def test_jsonstat_refuses_what_it_cannot_read():
    payload = json.loads(FIXTURE.read_text("utf-8"))
    payload["value"] = payload["value"][:-1]
    for broken, message in ((payload, "values for"), ({"id": []}, "not a JSON-stat2")):
        with pytest.raises(JsonStatError, match=message):
            parse(broken)


def _areas():
    return {
        code: Area(code=code, name=name, level="x")
        for code, name in (
            ("0000", "Riket"),
            ("0022", "Västernorrlands län"),
            ("2281", "Sundsvall"),
        )
    }


@pytest.mark.unit
def test_cost_estimate_for_county_and_municipality_by_hand():
    cost = next(d for d in shipped_definitions() if d.key == "yearly-cost")
    table = {
        ("0000", 2023, "T", 0, None): 10_551_707,
        ("0022", 2023, "T", 0, None): 242_148,
        ("2281", 2023, "T", 0, None): 99_213,
    }
    county = compute(cost, _areas()["0022"], 2023, table)
    assert round(county.value) == round(Decimal(45_000_000_000) * 242_148 / 10_551_707)
    assert round(county.value / 1_000_000) == 1033  # about 1 billion, as the plan prints
    assert county.formula == "45 000 000 000 × 242 148 / 10 551 707"
    assert not county.differs
    sundsvall = compute(cost, _areas()["2281"], 2023, table)
    assert round(sundsvall.value / 1_000_000) == 423


@pytest.mark.unit
def test_rate_estimates_and_missing_bands():
    children = next(d for d in shipped_definitions() if d.key == "children-experienced")
    women = next(d for d in shipped_definitions() if d.key == "women-exposed")
    table = {("0022", 2023, "T", 0, 17): 49_000}
    estimate = compute(children, _areas()["0022"], 2023, table)
    assert estimate.value == Decimal("4900.00")
    assert estimate.formula == "0.1 × 49 000"
    assert not estimate.differs
    missing = compute(women, _areas()["0022"], 2023, table)
    assert missing.value is None
    assert (missing.missing.area_code, missing.missing.year) == ("0022", 2023)
    with translation.override("en"):
        assert missing.missing.text == "Västernorrlands län 2023 (women aged 18–74)"
    assert missing.missing.import_hint == "nollvision import_population --region 22 --year 2023"
    assert women.inferred is True


@pytest.mark.integration
@pytest.mark.django_db
def test_population_import_from_file_is_idempotent_and_refuses_unknown_regions(tmp_path):
    indicator_set_load()
    outputs = []
    for _round in range(2):
        out = io.StringIO()
        with translation.override("en"):
            call_command("import_population", "--from-file", str(FIXTURE), stdout=out)
        outputs.append(out.getvalue().strip())
    assert outputs[1].startswith("0 new, 0 changed")
    assert Population.objects.get(area__code="0022", sex="T", age_from=18, age_to=74).count == 260
    payload = json.loads(FIXTURE.read_text("utf-8"))
    payload["dimension"]["Region"]["category"]["index"] = {"99": 0, "2281": 1}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(payload), "utf-8")
    before = Population.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_population", "--from-file", str(bad))
    assert Population.objects.count() == before


@pytest.mark.integration
@pytest.mark.django_db
def test_shipped_population_gives_the_cost_figure(client, default_plan):
    indicator_set_load()
    population_load()
    county = Area.objects.get(code="0022")
    figures = definitions(default_plan.figures.all(), default_plan.region.code)
    cost = next(
        e for e in estimates_for(county, 2023, figures) if e.definition.key == "yearly-cost"
    )
    assert round(cost.value / 1_000_000) == 1033
    women = next(
        e for e in estimates_for(county, 2023, figures) if e.definition.key == "women-exposed"
    )
    assert women.value is None
    page = client.get(reverse("public:figures")).content.decode()
    assert "45 000 000 000 × 242 148 / 10 551 707" in page
    assert "nollvision import_population" not in page  # a visitor: see test_public_figures.py


@pytest.mark.integration
@pytest.mark.django_db
def test_indicator_page_shows_charts_tables_and_the_bodies_progress(client, world):
    from nollvision.followup.enums import Action
    from nollvision.followup.services import response_transition
    from nollvision.indicators.csv_import import csv_import
    from nollvision.reports.services import report_publish

    from .conftest import answer_everything
    from .indicator_rows import csv_file

    indicator_set_load()
    rows = "".join(
        f"anmalda-valdsbrott,{area},{year},T,{100 + n * 10 + year - 2020},,\n"
        for n, area in enumerate(["0022", "2260", "2281"])
        for year in (2021, 2022)
    )
    csv_import(
        content=csv_file(rows),
        source="test",
    )
    answer_everything(world.response_a, world.reporter_a)
    for user, action in (
        (world.reporter_a, Action.SUBMIT),
        (world.approver_a, Action.APPROVE),
        (world.coordinator, Action.ACCEPT),
    ):
        response_transition(response=world.response_a, user=user, action=action)
    page = client.get(reverse("public:indicators")).content.decode()
    assert "Myndigheternas egna rapporter" not in page  # accepted, but not yet published
    report_publish(campaign=world.campaign, user=world.coordinator)
    page = client.get(reverse("public:indicators")).content.decode()
    assert 'aria-labelledby="trend-anmalda-valdsbrott-t trend-anmalda-valdsbrott-d"' in page
    assert "Anmälda våldsbrott, antal per 100 000 invånare, kommunerna sida vid sida, 2022" in page
    assert "<td>102,0</td>" in page  # the county's 2022 value in the chart's table
    assert "Myndigheternas egna rapporter för 2025 (accepterade svar, n = 6)" in page
    assert "genomförd 100 %" in page
