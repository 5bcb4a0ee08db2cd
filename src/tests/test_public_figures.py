"""The figures (/siffror/) and indicator (/indikatorer/) pages in plain language (issue #17):
no command lines or internal flags for visitors, how to bring data in for the county's
coordinators only, the newest year with figures first, figures rounded as the plan rounds them
with the exact arithmetic beside, and only indicators that have values."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from nollvision.indicators.estimates import _unit, population_group, scb_region
from nollvision.indicators.models import Area, IndicatorValue, Population
from nollvision.indicators.plain import BILLION, MILLION, plain_figure, significant

from .helpers import default_plan_data
from .indicator_rows import csv_file

SCB_FIXTURE = Path(__file__).parent / "fixtures" / "scb" / "tab638-small.json"

# What a visitor must never read: command lines, and the flags kept for the data's keepers
# (English and Swedish wording).
COMMANDS = ("nollvision ", "import_", "--region", "--from-file", "manage.py")
FLAGS = (
    "id not yet confirmed",
    "id ännu inte bekräftat",
    "development indicator",
    "utvecklingsindikator",
    "Values are imported",
    "Värdena importeras",
    "coordinators only",
    "bara för samordnare",
)


def visible_text(page: str) -> str:
    return page.split("<main", 1)[1]


def assert_nothing_internal(page: str) -> None:
    text = visible_text(page)
    assert [word for word in COMMANDS + FLAGS if word in text] == []


def load_defaults() -> None:
    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())


def load_scb_fixture() -> None:
    """Women, men and children of the county and Sundsvall for 2023 (constructed numbers)."""
    call_command("import_population", "--from-file", str(SCB_FIXTURE), stdout=io.StringIO())


def add_population(code: str, year: int, count: int) -> None:
    Population.objects.create(
        area=Area.objects.get(code=code), year=year, count=count, source="test"
    )


# --- The rounding rule (indicators/plain.py) -----------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("value", "unit", "swedish", "english"),
    [
        (21_000, "", "cirka 21\xa0000", "about 21\xa0000"),
        (8_500, "", "cirka 8\xa0500", "about 8\xa0500"),
        (20_912, "", "cirka 21\xa0000", "about 21\xa0000"),
        # A half is rounded up, as taught in school: the plan's 2 450 children become 2 500.
        (2_450, "", "cirka 2\xa0500", "about 2\xa0500"),
        (2_449, "", "cirka 2\xa0400", "about 2\xa0400"),
        (Decimal("47.5"), "", "cirka 48", "about 48"),
        (Decimal("0.25"), "", "cirka 0,25", "about 0.25"),
        (999_999, "", "cirka 1 miljon", "about 1 million"),
        (1_500_000, "", "cirka 1,5 miljoner", "about 1.5 million"),
        (Decimal("1032691677.28"), "kronor", "cirka 1 miljard kronor", "about SEK 1 billion"),
        (423_000_000, "kronor", "cirka 420 miljoner kronor", "about SEK 420 million"),
        (45_000_000_000, "kronor", "cirka 45 miljarder kronor", "about SEK 45 billion"),
        (2_000_000_000, "", "cirka 2 miljarder", "about 2 billion"),
        (3_326_476, "kronor", "cirka 3,3 miljoner kronor", "about SEK 3.3 million"),
        (1, "kronor", "cirka 1 krona", "about SEK 1"),
        (12_345, "kronor", "cirka 12\xa0000 kronor", "about SEK 12\xa0000"),
    ],
)
def test_plain_figure_rounds_to_two_figures_in_words(value, unit, swedish, english):
    with translation.override("sv"):
        assert plain_figure(value, unit) == swedish
    with translation.override("en"):
        assert plain_figure(value, unit) == english


@pytest.mark.unit
def test_plain_figure_refuses_a_unit_it_does_not_know():
    with pytest.raises(ValueError, match="unknown unit 'dollar'"):
        plain_figure(10, "dollar")
    with pytest.raises(ValueError, match="unknown unit 'dollar'"):
        _unit("yearly-cost", "dollar")
    with pytest.raises(ValueError, match="not a finite number"):
        significant(float("nan"))


@pytest.mark.unit
def test_only_the_yearly_cost_is_an_amount_of_money():
    figures = default_plan_data()["figures"]  # the default plan's own figures
    assert {figure["key"]: figure.get("unit", "") for figure in figures} == {
        "women-exposed": "",
        "men-exposed": "",
        "children-experienced": "",
        "children-often": "",
        "children-exposed": "",
        "yearly-cost": "kronor",
    }


@pytest.mark.unit
@given(st.integers(min_value=1, max_value=10**15))
def test_significant_keeps_two_figures_within_five_percent(value):
    rounded = significant(value)
    assert len(rounded.normalize().as_tuple().digits) <= 2
    assert abs(rounded - value) <= Decimal(value) / 20
    assert significant(rounded) == rounded


@pytest.mark.unit
@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=10**15))
def test_significant_keeps_the_order(a, b):
    low, high = sorted((a, b))
    assert significant(low) <= significant(high)


def read_back(text: str) -> Decimal:
    """An English plain figure as a number again ("about SEK 1.5 million" is 1 500 000)."""
    words = text.removeprefix("about ").removeprefix("SEK ").split(" ")
    scale = {"million": MILLION, "billion": BILLION}[words[1]] if len(words) > 1 else 1
    return Decimal(words[0].replace("\xa0", "")) * scale


@pytest.mark.unit
@given(st.integers(min_value=1, max_value=10**15), st.sampled_from(["", "kronor"]))
def test_plain_figure_says_the_rounded_number(value, unit):
    with translation.override("en"):
        text = plain_figure(value, unit)
    assert text.startswith("about SEK " if unit else "about ")
    assert read_back(text) == significant(value)


@pytest.mark.unit
def test_missing_population_in_plain_words_and_the_command_apart():
    with translation.override("en"):
        assert population_group("K", 18, 74) == "women aged 18–74"
        assert population_group("M", 75, None) == "men aged 75 and over"
        assert population_group("T", 0, 17) == "aged 0–17"
        assert population_group("T", 0, None) == "the whole population"
    assert [scb_region(code) for code in ("0000", "0022", "2281")] == ["00", "22", "2281"]


# --- /siffror/ ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_figures_without_data_say_so_and_only_coordinators_see_the_command(client, world):
    for url in ("/siffror/", "/en/siffror/"):
        page = client.get(url).content.decode()
        assert_nothing_internal(page)
    assert "No population figures have been loaded yet." in page
    client.force_login(world.coordinator)
    page = client.get("/en/siffror/").content.decode()
    assert "<code>nollvision import_indicators defaults</code>" in page


@pytest.mark.django_db
def test_figures_in_plain_words_with_the_arithmetic_under_them(client, world):
    load_defaults()
    for url in ("/siffror/", "/en/siffror/"):
        assert_nothing_internal(client.get(url).content.decode())
    page = client.get("/en/siffror/").content.decode()
    assert "<h2>Västernorrlands län, 2023</h2>" in page
    cost = page.split('id="estimate-yearly-cost"')[1].split("</section>")[0]
    assert '<p class="estimate__value"><strong>about SEK 1 billion</strong></p>' in cost
    arithmetic = cost.split("<details", 1)[1]
    assert "<code>45 000 000 000 × 242 148 / 10 551 707</code>" in arithmetic
    assert "<dd>1\xa0032\xa0691\xa0677.28</dd>" in arithmetic  # the exact value
    assert "<dd>1\xa0000\xa0000\xa0000</dd>" in arithmetic  # the figure the plan prints
    assert "EIGE: 45 miljarder kronor per år för Sverige" in arithmetic
    assert "as EIGE itself calculates" in arithmetic  # how sure the figure is
    women = page.split('id="estimate-women-exposed"')[1].split("</section>")[0]
    assert (
        "This figure cannot be calculated yet: the population figures for Västernorrlands län "
        "2023 (women aged 18–74) are not in the service."
    ) in women
    assert "nollvision" not in women
    client.force_login(world.coordinator)
    page = client.get("/en/siffror/").content.decode()
    assert "<code>nollvision import_population --region 22 --year 2023</code>" in page


@pytest.mark.django_db
def test_figures_open_on_the_newest_year_whose_figures_can_be_computed(client, default_plan):
    load_defaults()
    load_scb_fixture()  # 2023: every figure of the county can be computed
    add_population("0022", 2024, 243_000)  # 2024: the cost only
    add_population("0000", 2024, 10_600_000)
    add_population("0022", 2025, 244_000)  # 2025: nothing (the nation is missing)
    page = client.get("/en/siffror/").content.decode()
    assert "<h2>Västernorrlands län, 2023</h2>" in page
    assert '<option value="2023" selected>2023</option>' in page
    assert page.count("This figure cannot be calculated yet") == 0

    Population.objects.filter(year=2023).exclude(age_from=0, age_to=None).delete()
    page = client.get("/en/siffror/").content.decode()
    assert "<h2>Västernorrlands län, 2024</h2>" in page  # no year has all: the newest with any
    assert '<option value="2024" selected>2024</option>' in page

    page = client.get("/en/siffror/?area=0022&year=2025").content.decode()
    assert "<h2>Västernorrlands län, 2025</h2>" in page  # a year chosen is kept
    assert '<option value="2025" selected>2025</option>' in page
    assert "the population figures for Sweden 2025 (the whole population)" in page
    assert_nothing_internal(page)
    page = client.get("/en/siffror/?area=2281").content.decode()
    assert "<h2>Sundsvall, 2023</h2>" in page  # another area: its own newest year
    assert '<option value="2281" selected>Sundsvall</option>' in page


@pytest.mark.django_db
def test_the_public_cache_never_keeps_a_coordinators_hints(
    client, world, settings, django_assert_num_queries
):
    settings.NOLLVISION_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    load_defaults()
    visitor = Client()
    first = visitor.get("/en/siffror/").content.decode()
    assert_nothing_internal(first)
    client.force_login(world.coordinator)  # signed in: a session cookie, never the cache
    assert "nollvision import_population" in client.get("/en/siffror/").content.decode()
    assert "nollvision import_indicators kolada" in client.get("/en/indikatorer/").content.decode()
    again = Client()
    with django_assert_num_queries(0):  # served from the cache the first visitor filled
        assert again.get("/en/siffror/").content.decode() == first
    assert_nothing_internal(again.get("/en/indikatorer/").content.decode())
    cache.clear()


@pytest.mark.django_db
def test_people_who_do_not_coordinate_the_county_see_no_hints(client, world):
    load_defaults()
    client.force_login(world.reporter_a)
    assert_nothing_internal(client.get("/en/siffror/").content.decode())
    assert_nothing_internal(client.get("/en/indikatorer/").content.decode())


# --- /indikatorer/ -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_indicators_without_values_are_not_listed_for_visitors(client, world):
    from nollvision.indicators.csv_import import csv_import

    goals = world.plan.goals.count()
    page = client.get("/en/indikatorer/").content.decode()  # nothing loaded at all
    assert page.count("There are no statistics for this goal yet.") == goals
    assert_nothing_internal(page)

    load_defaults()
    # The indicators alone, without the shipped values (test_indicator_sources.py shows those).
    IndicatorValue.objects.all().delete()
    for url in ("/indikatorer/", "/en/indikatorer/"):
        assert_nothing_internal(client.get(url).content.decode())
    page = client.get("/en/indikatorer/").content.decode()
    assert "Reported violent crimes per 100 000 inhabitants" not in page
    assert "Open comparisons, violence in close relationships" not in page  # development
    assert page.count("There are no statistics for this goal yet.") == goals

    rows = "anmalda-valdsbrott,0022,2022,T,102,,\nanmalda-valdsbrott,2281,2022,T,120,,\n"
    csv_import(content=csv_file(rows), source="test")
    page = client.get("/en/indikatorer/").content.decode()
    assert_nothing_internal(page)
    assert (
        '<h3 id="indicator-anmalda-valdsbrott">Reported violent crimes per 100 000 inhabitants</h3>'
    ) in page
    assert "Reported gross violations" not in page
    assert "Open comparisons, violence in close relationships" not in page
    assert page.count("There are no statistics for this goal yet.") == goals - 1  # goal 3

    client.force_login(world.coordinator)
    page = client.get("/en/indikatorer/").content.decode()
    assert "<code>nollvision import_indicators kolada</code>" in page
    waiting = page.split("Not shown to visitors until they have a value:")[1:]
    assert len(waiting) == goals
    assert (
        "Open comparisons, violence in close relationships: written agreements on "
        "collaboration (development indicator: no data source yet)"
    ) in "".join(waiting)
    assert "id not yet confirmed against the source" in page  # the listed one, for them only
