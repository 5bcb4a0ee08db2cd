"""Real figures with their sources (issue #26): the shipped set imports with a source on every
value, rows without one are refused with their row and column, the public pages show the values,
their sources and the latest year in both languages, the back office lists series to refresh,
and the indicators page reads a fixed number of queries whatever the data."""

import csv
import io
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from nollvision.indicators.csv_import import CsvError, csv_import
from nollvision.indicators.loaders import indicator_set_load, values_load
from nollvision.indicators.models import Area, Indicator, IndicatorValue
from nollvision.indicators.services import ValueSource, store_values

from .indicator_rows import HEADER

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def shipped_rows() -> list[dict]:
    text = (resources.files("nollvision.indicators") / "data" / "values.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load_defaults() -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_indicators", "defaults", stdout=out)
    return out.getvalue()


def test_a_shipped_note_on_sweden_names_no_county_and_is_written_in_swedish():
    """Sweden's figures, and their notes, are shown on every county's pages: a note that named
    one county read wrongly in all the others, and an English one on every Swedish page."""
    from nollvision.accounts import geography

    counties = [c.name.removesuffix(" län").rstrip("s") for c in geography.counties()]
    english = ("citing", "official", "value", "left out", "agrees", "rounded as")
    for row in shipped_rows():
        note = row["source_note"]
        if row["area"] == "0000":
            assert not [name for name in counties if name in note], note
        assert not [word for word in english if word in note], note


def test_the_shipped_set_imports_every_value_with_its_source_and_again_changes_nothing():
    rows = shipped_rows()
    assert len(rows) == 109
    out = load_defaults()
    assert f"published values: {len(rows)} new, 0 changed, 0 unchanged" in out
    stored = {
        (v.indicator.code, v.area.code, v.period, v.sex): v
        for v in IndicatorValue.objects.select_related("indicator", "area")
    }
    assert len(stored) == len(rows)
    for row in rows:
        value = stored[(row["indicator"], row["area"], int(row["year"]), row["sex"])]
        assert value.value == Decimal(row["value"])
        assert value.source_url == row["source_url"]
        assert value.source_url.startswith(("https://", "http://"))
        assert value.source_title == row["source_title"] != ""
        assert value.source_retrieved == date(2026, 12, 5)
        assert value.source == "shipped:values.csv"
        assert (value.uploaded_by, value.uploaded_for) == (None, None)
    # Only the two figures their publisher gives rounded are marked so.
    rounded = sorted((v.indicator.code, v.period) for v in stored.values() if v.rounded)
    assert rounded == [
        ("misshandel-kvinna-18-anmalda", 2015),
        ("misshandel-kvinna-18-anmalda", 2021),
    ]
    # No crime figure for the county or its municipalities: Sweden's only, under Sweden's code.
    assert {k[1] for k in stored if k[0] == "anmalda-valdsbrott"} == {"0000"}
    # Three Kolada ids confirmed, the three-year average not.
    confirmed = dict(Indicator.objects.exclude(kolada_id="").values_list("kolada_id", "confirmed"))
    assert confirmed == {"N07403": True, "N07402": True, "N01951": True, "U07418": False}
    again = values_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
    # Every indicator a shipped value names exists, with titles in both languages and a goal
    # (the population count follows none).
    for indicator in Indicator.objects.filter(code__in={r["indicator"] for r in rows}):
        assert indicator.title["sv"], indicator.code
        assert indicator.title["en"], indicator.code
        assert indicator.goal_numbers or indicator.code == "invanare", indicator.code


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "okand,0000,2023,T,1,,,https://example.org/a,Titel,2024-01-01,,,",
            "row 2, column indicator: unknown indicator 'okand'",
        ),
        (
            "anmalda-valdsbrott,0000,2023,T,1,,,,Titel,2024-01-01,,,",
            "row 2, column source_url: say where the value was published (an address)",
        ),
        (
            "anmalda-valdsbrott,0000,2023,T,1,,,ftp://example.org/a,Titel,2024-01-01,,,",
            "row 2, column source_url: 'ftp://example.org/a' is not a web address",
        ),
        (
            "anmalda-valdsbrott,0000,2023,T,1,,,https://example.org/a,,2024-01-01,,,",
            "row 2, column source_title: give the title of the source",
        ),
        (
            "anmalda-valdsbrott,0000,2023,T,1,,,https://example.org/a,Titel,,,,",
            "row 2, column source_retrieved: give the date it was published or retrieved",
        ),
        (
            "anmalda-valdsbrott,0000,2023,T,1,,,https://example.org/a,Titel,5/12/2026,,,",
            "row 2, column source_published: '5/12/2026' is not a date (YYYY-MM-DD)",
        ),
        (
            "anmalda-valdsbrott,0000,2023,T,1,,,https://example.org/a,Titel,,2026-12-05,kanske,",
            "row 2, column rounded: write 1 when the publisher rounded the figure, else leave "
            "it empty",
        ),
    ],
)
def test_a_row_without_a_source_or_with_an_unknown_indicator_is_refused(cells, message):
    indicator_set_load()
    before = IndicatorValue.objects.count()
    good = "anmalda-valdsbrott,0000,2024,T,5,,,https://example.org/a,Titel,,2026-12-05,,\n"
    with translation.override("en"), pytest.raises(CsvError) as refused:
        csv_import(content=(HEADER + cells + "\n" + good).encode(), source="csv")
    assert refused.value.problems == [message]
    assert IndicatorValue.objects.count() == before


def test_a_file_in_the_old_format_is_refused_at_its_header():
    indicator_set_load()
    old = (
        b"indicator,area,year,sex,value,missing_reason,status\nanmalda-valdsbrott,0000,2024,T,5,,\n"
    )
    with translation.override("en"), pytest.raises(CsvError) as refused:
        csv_import(content=old, source="csv")
    assert refused.value.problems[0].startswith("row 1: the columns must be indicator, area")


def test_kolada_values_record_where_they_come_from(tmp_path):
    import json

    from .test_kolada import fixture

    indicator_set_load()
    saved = tmp_path / "kolada.json"
    saved.write_text(json.dumps([fixture("page1.json"), fixture("page2.json")]), "utf-8")
    call_command("import_indicators", "kolada", "--from-file", str(saved), stdout=io.StringIO())
    value = IndicatorValue.objects.filter(source="file:kolada.json").first()
    assert value.source_url == "https://api.kolada.se/v3/kpi/N07403"
    assert value.source_title == "Kolada, N07403"
    assert "kolada.json" in value.source_note


# --- The public pages -----------------------------------------------------------------------------

KVINNOFRIDSLINJEN = "https://www.nck.uu.se/nyhetsarkiv/nyhetsvisningssida/?tarContentId=1077236"


def section(page: str, goal: int) -> str:
    return page.split(f'<section aria-labelledby="goal-{goal}">')[1].split("</section>")[0]


def test_the_indicators_page_shows_the_figures_their_sources_and_latest_year(client, default_plan):
    load_defaults()
    page = client.get("/en/indikatorer/").content.decode()
    goal2, goal3 = section(page, 2), section(page, 3)
    # Kvinnofridslinjen beside goal 2, Sweden's figure, with its source and latest year.
    calls = goal2.split('id="indicator-kvinnofridslinjen-besvarade-samtal"')[1].split("<h4")[0]
    assert "Kvinnofridslinjen, answered calls per year" in calls
    assert "Latest year: 2023" in calls
    assert "<td>49\xa0354</td>" in calls  # grouped as the site groups
    assert f'<a href="{KVINNOFRIDSLINJEN}' in calls
    assert "Published for Sweden as a whole (Riket)." in calls
    assert "National reference figures (Riket)" in goal2
    # Women killed by a partner beside goal 3, year by year, with each year's source.
    killed = goal3.split('id="indicator-dodligt-vald-kvinnor-parrelation"')[1].split("<h4")[0]
    assert '<th scope="row">Riket, women</th>' in killed
    assert "<td>22</td>" in killed  # 2018
    assert "<td>11</td>" in killed  # 2024
    # The chart's description gives the latest values in words, before the table.
    assert "in 2024: Riket, women 11." in killed
    assert killed.count("<li>Riket, ") == 7  # one source a year
    # Sweden's crime rate stands beside the county, labelled as Sweden's, never the county's.
    crimes = goal3.split('id="indicator-anmalda-valdsbrott"')[1].split("<h4")[0]
    assert "No figures for Västernorrlands län have been found" in crimes
    assert "<li>Riket, 2015–2021: <a href=" in crimes
    assert "Västernorrlands län</th>" not in crimes
    # A figure rounded by its publisher says so; a survey's change of method is told.
    assaults = goal3.split('id="indicator-misshandel-kvinna-18-anmalda"')[1].split("<h4")[0]
    assert "Rounded by the publisher: 2015." in assaults
    assert "Rounded by the publisher: 2021." in assaults
    assert "changed its method in 2017" in section(page, 1)
    assert "2024 is not comparable with earlier years" in goal2
    # The county's own figure (antenatal care) with Sweden's beside it.
    care = goal2.split('id="indicator-mhv-tillfragade-om-vald"')[1].split("<h3")[0]
    assert '<th scope="row">Västernorrlands län, women</th>' in care
    assert '<th scope="row">Riket, women</th>' in care
    # Swedish: the same figures and sources, the data's own Swedish titles.
    page = client.get("/indikatorer/").content.decode()
    assert "Kvinnofridslinjen, besvarade samtal per år" in page
    assert "Kvinnor dödade av nuvarande eller tidigare partner (konstaterade fall)" in page
    assert "<td>49\xa0354</td>" in page
    assert f'<a href="{KVINNOFRIDSLINJEN}' in page


def test_the_figures_page_shows_the_national_reference_series_per_goal(client, default_plan):
    load_defaults()
    for url, title in (
        ("/en/siffror/", "Women killed by a current or former partner (confirmed cases)"),
        ("/siffror/", "Kvinnor dödade av nuvarande eller tidigare partner (konstaterade fall)"),
    ):
        page = client.get(url).content.decode()
        reference = page.split('id="reference-figures"')[1]
        goal3 = reference.split('id="reference-goal-3"')[1].split('id="reference-goal-4"')[0]
        assert title in goal3
        assert "via.tt.se/pressmeddelande/3847949" in goal3  # the 2024 figure's source
        assert 'id="reference-goal-2"' in reference
        assert "Kvinnofridslinjen" in reference.split('id="reference-goal-2"')[1]


def test_the_reports_indicator_rows_leave_out_series_published_for_sweden_only(default_plan):
    """A national series has no county value: the report's rows (indicators_by_goal) leave it
    out, even if a value for the county was stored by mistake."""
    from nollvision.indicators.selectors import indicators_by_goal

    load_defaults()
    calls = Indicator.objects.get(code="kvinnofridslinjen-besvarade-samtal")
    IndicatorValue.objects.create(
        indicator=calls, area=Area.objects.get(code="0022"), period=2023, value=1
    )
    rows = indicators_by_goal([1, 2, 3, 4], "22")
    codes = {item["indicator"].code for items in rows.values() for item in items}
    assert "kvinnofridslinjen-besvarade-samtal" not in codes
    assert "anmalda-valdsbrott" in codes


# --- Freshness ------------------------------------------------------------------------------------


@time_machine.travel(date(2026, 12, 5), tick=False)
def test_the_back_office_lists_series_older_than_two_years_with_how_to_refresh(client, world):
    load_defaults()
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:indicator-freshness")).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    # Sweden's crime rate ends in 2021: refreshed from Kolada; the calls end in 2023: a file.
    crimes = rows.split("Anmälda våldsbrott, antal per 100 000 invånare")[1].split("</tr>")[0]
    assert ">2021</td>" in crimes
    # Said in words for the coordinator; the command folded away for whoever runs the platform.
    assert "veckovisa inläsningen" in crimes
    assert '<details class="for-operator">' in crimes
    assert ">nollvision import_indicators kolada --kpi N07403 --area 0000</code>" in crimes
    calls = rows.split("Kvinnofridslinjen, besvarade samtal per år")[1].split("</tr>")[0]
    assert ">2023</td>" in calls
    assert reverse("backoffice:indicator-upload") in calls
    # Sweden's population has its 2024 figure: not two years old.
    population = [r for r in rows.split("</tr>") if "Invånare totalt</th>" in r]
    assert population  # the county's and municipalities' (2023) are listed …
    assert not [r for r in population if "Riket (0000)" in r]  # … Sweden's (2024) is not
    client.force_login(world.reporter_a)
    assert client.get(reverse("backoffice:indicator-freshness")).status_code == 403


# --- Speed ----------------------------------------------------------------------------------------


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/en/indikatorer/").status_code == 200
    return len(captured)


def test_the_indicators_page_reads_the_same_number_of_queries_whatever_the_data(
    client, default_plan, settings
):
    settings.NOLLVISION_PUBLIC_CACHE_SECONDS = 0
    load_defaults()
    small = page_queries(client)
    # More indicators, areas and years: two new indicators, five areas, fifteen years, by sex,
    # and values uploaded by a body.
    for number in (1, 2):
        Indicator.objects.create(
            code=f"extra-{number}", title={"sv": f"Extra {number}"}, goal_numbers=[number, 3]
        )
    areas = list(Area.objects.filter(code__in=["0000", "0022", "2260", "2281", "2284"]))
    wanted = {
        (indicator.pk, area.pk, year, sex): (Decimal(year % 50), "", "", ValueSource(title="t"))
        for indicator in Indicator.objects.filter(development=False)
        for area in areas
        for year in range(2010, 2025)
        for sex in ("T", "K", "M")
    }
    store_values(wanted, source="test", uploaded_for=world_body())
    large = page_queries(client)
    assert IndicatorValue.objects.count() > 5_000
    assert large == small


def world_body():
    from nollvision.accounts.models import Organisation

    return Organisation.objects.filter(slug="lansstyrelsen-vasternorrland").first()
