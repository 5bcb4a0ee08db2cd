"""The plan's figures belong to the plan (#24): an optional section of the plan file, kept per
version, carried by the export to the next version and edited in the plan editor; a plan without
figures has no figures page and no menu item; the figures "the plan prints" are its own county's;
`import_population` takes the plan's county from the official list."""

import copy
import importlib
import io
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from nollvision.indicators.models import Population
from nollvision.plans.editor import FigureFields, Text, draft_start, figure_edit
from nollvision.plans.enums import FigureSex, FigureUnit, PlanEdit, PlanStatus
from nollvision.plans.errors import PlanError
from nollvision.plans.export import plan_to_data, plan_to_yaml
from nollvision.plans.models import Plan, PlanChange, PlanFigure
from nollvision.plans.plan_file import PlanFileError, parse_plan_file
from nollvision.plans.services import plan_check, plan_import

from .conftest import _areas_of_sweden
from .helpers import SECOND_SLUG, default_plan_data, plan_yaml, second_county_plan_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SLUG = "norrbotten-2025-2026"
SCB_FIXTURE = Path(__file__).parent / "fixtures" / "scb" / "tab638-small.json"

EXPOSED = {
    "key": "utsatta",
    "title": {"sv": "Utsatta i länet", "en": "Exposed in the county"},
    "rate": 0.5,
    "rate_source": "Länets egen kartläggning",
    "certainty": {"sv": "Andelen anges i planen.", "en": "The rate is given in the plan."},
    "sex": "T",
    "age_from": 0,
    "printed": 60000,
}


def small_plan(figures=None, **plan) -> dict:
    """A county's small plan file (Norrbottens län), with the figures given."""
    data = {
        "format_version": 1,
        "plan": {
            "slug": SLUG,
            "version": 1,
            "title": "Handlingsplan, Norrbottens län 2025–2026",
            "region": {"code": "25", "name": "Norrbottens län"},
            "period": {"start": 2025, "end": 2026},
            "status": "adopted",
            **plan,
        },
        "goals": [
            {"number": 1, "title": "Förebygga", "measures": [{"code": "1.1", "text": "Åtgärd"}]}
        ],
    }
    if figures is not None:
        data["figures"] = [copy.deepcopy(f) for f in figures]  # no anchors or aliases in the file
    return data


def import_data(data: dict, name: str = "plan.yaml") -> Plan:
    return plan_import(document=parse_plan_file(plan_yaml(data), name)).plan


def add_population(code: str, count: int, year: int = 2023) -> None:
    Population.objects.create(
        area=_areas_of_sweden().get(code=code), year=year, count=count, source="test"
    )


def figures_link(slug: str) -> str:
    return f'href="/en/planer/{slug}/siffror/"'


# --- The plan file --------------------------------------------------------------------------------


def test_a_plan_file_with_figures_imports_them_and_the_page_shows_them(client, default_plan):
    plan = import_data(small_plan([EXPOSED]))
    figure = plan.figures.get()
    assert (figure.key, figure.rate, figure.national_amount, figure.printed) == (
        "utsatta",
        Decimal("0.5"),
        None,
        60000,
    )
    assert (figure.sex, figure.age_from, figure.age_to, figure.unit) == ("T", 0, None, "")
    add_population("0025", 250_000)
    page = client.get(f"/en/planer/{SLUG}/siffror/").content.decode()
    assert "<h2>Norrbottens län, 2023</h2>" in page
    section = page.split('id="estimate-utsatta"')[1].split("</section>")[0]
    assert "Exposed in the county" in section
    assert '<p class="estimate__value"><strong>about 130\xa0000</strong></p>' in section
    assert "<code>0.5 × 250 000</code>" in section
    assert "The figure the plan prints" in section  # its own county's figure
    assert "The computed figure differs by more than 10 %" in page
    assert "Länets egen kartläggning" in section
    assert figures_link(SLUG) in page  # the menu links the county's figures


def test_a_second_county_without_figures_has_no_figures_page_and_no_menu_item(client, default_plan):
    data = second_county_plan_data()
    data.pop("figures")
    import_data(data, "jamtland.yaml")
    assert client.get(f"/planer/{SECOND_SLUG}/siffror/").status_code == 404
    assert client.get(f"/en/planer/{SECOND_SLUG}/siffror/").status_code == 404
    page = client.get(f"/en/planer/{SECOND_SLUG}/").content.decode()
    assert "siffror" not in page
    assert "The plan's figures" not in page
    for other in ("indikatorer", "lattlast", "vad-gor-jag"):  # the county's other pages stay
        assert f'href="/en/planer/{SECOND_SLUG}/{other}/"' in page
    default = client.get(f"/en/planer/{default_plan.slug}/").content.decode()
    assert figures_link(default_plan.slug) in default
    # The county-less address offers only the counties whose plan has figures.
    chooser = client.get("/en/siffror/").content.decode()
    assert f'href="/en/planer/{default_plan.slug}/siffror/"' in chooser
    assert f"/planer/{SECOND_SLUG}/" not in chooser

    # Figures imported later: the page and the menu item come (the menu is kept per generation).
    import_data(second_county_plan_data(), "jamtland.yaml")
    page = client.get(f"/en/planer/{SECOND_SLUG}/").content.decode()
    assert figures_link(SECOND_SLUG) in page
    figures = client.get(f"/en/planer/{SECOND_SLUG}/siffror/").content.decode()
    assert "Jämtlands län" in figures
    assert "The figure the plan prints" not in figures  # Västernorrland's stay Västernorrland's


def test_one_county_without_figures_has_no_figures_item_on_any_page(client, default_plan):
    default_plan.figures.all().delete()
    assert client.get("/siffror/").status_code == 404
    for url in ("/en/", "/en/planer/", f"/en/planer/{default_plan.slug}/", "/en/stod/"):
        page = client.get(url).content.decode()
        assert "siffror" not in page, url


def _problems(data: dict) -> list[str]:
    with translation.override("en"), pytest.raises(PlanFileError) as error:
        plan_check(document=parse_plan_file(plan_yaml(data), "plan.yaml"))
    return [str(problem) for problem in error.value.problems]


def _line(data: dict, text: str) -> int:
    """The line of the file where `text` is (the dumped YAML's)."""
    lines = plan_yaml(data).decode().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ({"unit": "dollar"}, "unit: dollar", "figures[0].unit: 'dollar' is not one of: kronor"),
        ({"sex": "X"}, "sex: X", "figures[0].sex: 'X' is not one of: K, M, T"),
        ({"rate": None}, "- key: utsatta", "figures[0].rate: give a rate or a national amount"),
        (
            {"national_amount": 1000},
            "national_amount: 1000",
            "figures[0].national_amount: give a rate or a national amount, not both",
        ),
        (
            {"age_from": 18, "age_to": 17},
            "age_to: 17",
            "figures[0].age_to: the age band ends (17) before it starts (18)",
        ),
        ({"rate": -1}, "rate: -1", "figures[0].rate: -1 is less than 0"),
        ({"age_from": "18"}, "age_from: '18'", "figures[0].age_from: expected a whole number"),
        ({"colour": "red"}, "colour: red", "figures[0].colour: unknown key 'colour'"),
    ],
)
def test_bad_figures_are_problems_naming_their_line_and_field(change, where, message):
    figure = {key: value for key, value in {**EXPOSED, **change}.items() if value is not None}
    data = small_plan([figure])
    problems = _problems(data)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"plan.yaml:{_line(data, where)} {message}"), problems


def test_a_figure_required_field_missing_and_a_key_twice_are_problems():
    missing = {key: value for key, value in EXPOSED.items() if key != "rate_source"}
    problems = _problems(small_plan([missing]))
    assert [p.split(" ", 1)[1] for p in problems] == [
        "figures[0]: required key 'rate_source' is missing"
    ]
    twice = small_plan([EXPOSED, dict(EXPOSED, title="Igen")])
    assert [p.split(" ", 1)[1] for p in _problems(twice)] == [
        "figures[1].key: duplicate identifier 'utsatta'"
    ]


@pytest.mark.parametrize("rate", [0.1234567, float("nan"), float("inf")])
def test_a_figure_the_database_cannot_hold_is_refused_with_its_field_and_nothing_imported(rate):
    data = small_plan([dict(EXPOSED, rate=rate)])
    with pytest.raises(PlanFileError) as error:
        import_data(data)
    assert [problem.path for problem in error.value.problems] == ["figures[0].rate"]
    assert not Plan.objects.filter(slug=SLUG).exists()


def test_export_import_round_trip_keeps_the_figures_and_a_new_version_carries_them(
    default_plan,
):
    assert plan_to_data(default_plan)["figures"] == default_plan_data()["figures"]
    text = plan_to_yaml(default_plan)
    plan_import(document=parse_plan_file(text.encode(), "export.yaml"))
    assert plan_to_yaml(default_plan) == text
    draft = draft_start(plan=default_plan, user=None)
    assert plan_to_data(draft)["figures"] == default_plan_data()["figures"]
    cost = {k: v for k, v in EXPOSED.items() if k != "rate"}
    cost.update(key="kostnad", national_amount=12345.5, unit="kronor")
    plan = import_data(small_plan([EXPOSED, cost]))
    exported = plan_to_data(plan)["figures"]
    assert exported == [EXPOSED, cost]
    assert "figures" not in plan_to_data(import_data(small_plan()))  # gone, as the file says
    assert not PlanFigure.objects.filter(plan=plan).exists()


def test_the_data_migration_gives_stored_plans_the_figures_of_the_shipped_file(default_plan):
    """The installations that imported the plan before the figures were the plan's get the
    same figures as importing the shipped file now gives."""
    migration = importlib.import_module("nollvision.plans.migrations.0009_vasternorrland_figures")
    default_plan.figures.all().delete()
    migration.forwards(apps, None)
    assert plan_to_data(default_plan)["figures"] == default_plan_data()["figures"]
    migration.forwards(apps, None)  # once only
    assert default_plan.figures.count() == len(default_plan_data()["figures"])


# --- The editor -----------------------------------------------------------------------------------


def _url(name, plan, *args):
    return reverse(f"backoffice:{name}", args=[plan.slug, *args])


FORM = {
    "title_sv": "Äldre kvinnor som utsatts",
    "title_en": "Older women exposed",
    "rate": "0,2",
    "national_amount": "",
    "unit": "",
    "rate_source": "NCK",
    "certainty_sv": "Uppskattad.",
    "certainty_en": "",
    "sex": "K",
    "age_from": "65",
    "age_to": "",
    "printed": "",
}


def test_the_coordinator_adds_edits_and_removes_a_figure_of_the_draft(client, world):
    client.force_login(world.coordinator)
    client.post(_url("plan-editor", world.plan), {"start": "1"})
    draft = Plan.objects.get(slug=world.plan.slug, status=PlanStatus.DRAFT)
    page = client.get(_url("plan-editor", draft)).content.decode()
    assert _url("plan-figure", draft, "yearly-cost") in page
    assert _url("plan-figure-add", draft) in page

    response = client.post(_url("plan-figure-add", draft), FORM)
    assert response.status_code == 302
    added = draft.figures.get(key="aldre-kvinnor-som-utsatts")
    assert (added.rate, added.sex, added.age_from, added.age_to, added.position) == (
        Decimal("0.2"),
        "K",
        65,
        None,
        6,
    )
    assert dict(added.title) == {"sv": "Äldre kvinnor som utsatts", "en": "Older women exposed"}
    change = PlanChange.objects.filter(plan=draft).first()
    assert (change.action, change.after["rate"]) == (PlanEdit.FIGURE_ADDED, 0.2)

    page = client.get(_url("plan-figure", draft, "yearly-cost")).content.decode()
    assert 'value="45000000000"' in page
    cost = dict(FORM, title_sv="Kostnaden", rate="", national_amount="46000000000")
    cost.update(unit="kronor", sex="T", age_from="0", printed="1000000000")
    assert client.post(_url("plan-figure", draft, "yearly-cost"), cost).status_code == 302
    edited = draft.figures.get(key="yearly-cost")
    assert (edited.national_amount, edited.rate, edited.unit, edited.position) == (
        Decimal("46000000000"),
        None,
        "kronor",
        5,
    )
    assert plan_to_data(draft)["figures"][5]["national_amount"] == 46_000_000_000

    response = client.post(_url("plan-figure", draft, "women-exposed"), {"remove": "1"})
    assert response.status_code == 302
    assert not draft.figures.filter(key="women-exposed").exists()
    change = PlanChange.objects.filter(plan=draft).first()
    assert (change.action, change.before["key"]) == (PlanEdit.FIGURE_REMOVED, "women-exposed")
    assert client.get(_url("plan-figure", draft, "women-exposed")).status_code == 404


def test_a_bad_figure_is_refused_at_its_field_and_nothing_changes(client, world):
    draft = draft_start(plan=world.plan, user=None)
    client.force_login(world.coordinator)
    before = plan_to_data(draft)
    changes = PlanChange.objects.filter(plan=draft).count()
    cases = [
        ({"age_from": "18", "age_to": "17"}, "id_age_to"),
        ({"rate": "", "national_amount": ""}, "id_rate"),
        ({"national_amount": "100"}, "id_national_amount"),
        ({"sex": "X"}, "id_sex"),
        ({"unit": "dollar"}, "id_unit"),
        ({"title_sv": ""}, "id_title_sv"),
    ]
    for change, field in cases:
        response = client.post(_url("plan-figure", draft, "women-exposed"), dict(FORM, **change))
        assert response.status_code == 400, change
        summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
        assert f'href="#{field}"' in summary, (change, summary)
    with translation.override("en"):
        url = _url("plan-figure", draft, "women-exposed")
    page = client.post(url, dict(FORM, age_from="18", age_to="17")).content.decode()
    assert '<a href="#id_age_to">To age: The age band ends before it starts.</a>' in page
    assert plan_to_data(draft) == before
    assert PlanChange.objects.filter(plan=draft).count() == changes


def test_the_editor_step_refuses_through_the_plan_file_checks(world):
    draft = draft_start(plan=world.plan, user=None)
    before = plan_to_data(draft)
    fields = FigureFields(
        title=Text("Fel"),
        rate_source="NCK",
        sex=FigureSex.WOMEN,
        age_from=20,
        age_to=10,
        rate=Decimal("0.1"),
    )
    with (
        translation.override("en"),
        pytest.raises(PlanError, match=r"figures\[6\]\.age_to: the age band ends \(10\)"),
    ):
        figure_edit(plan=draft, user=None, key=None, fields=fields)
    both = FigureFields(
        title=Text("Fel"),
        rate_source="NCK",
        sex=FigureSex.TOTAL,
        age_from=0,
        rate=Decimal("0.1"),
        national_amount=Decimal(5),
        unit=FigureUnit.KRONOR,
    )
    with (
        translation.override("en"),
        pytest.raises(PlanError, match=r"figures\[0\]\.national_amount: give a rate or"),
    ):
        figure_edit(plan=draft, user=None, key="women-exposed", fields=both)
    with pytest.raises(PlanError):
        figure_edit(plan=world.plan, user=None, key="women-exposed", fields=both)  # adopted
    assert plan_to_data(draft) == before


# --- Population of the plan's county -------------------------------------------------------------


def test_import_population_takes_the_plan_county_from_the_official_list(monkeypatch, default_plan):
    asked = []
    payload = json.loads(SCB_FIXTURE.read_text("utf-8"))
    real = httpx.Client

    def handler(request):
        asked.append(json.loads(request.content)["selection"][0]["valueCodes"])
        return httpx.Response(200, json=payload)

    monkeypatch.setattr(
        httpx, "Client", lambda **kwargs: real(transport=httpx.MockTransport(handler))
    )
    call_command("import_population", stdout=io.StringIO())
    assert asked[-1] == ["00", "22", "2260", "2262", "2280", "2281", "2282", "2283", "2284"]
    import_data(second_county_plan_data(), "jamtland.yaml")
    call_command("import_population", "--plan", SECOND_SLUG, stdout=io.StringIO())
    assert asked[-1][:3] == ["00", "23", "2303"]
    assert len(asked[-1]) == 2 + 8  # Jämtlands län has eight municipalities
    call_command("import_population", "--region", "00,2281", stdout=io.StringIO())
    assert asked[-1] == ["00", "2281"]
    with pytest.raises(CommandError, match="finns-inte is not here"):
        call_command("import_population", "--plan", "finns-inte", stdout=io.StringIO())
    assert len(asked) == 3
