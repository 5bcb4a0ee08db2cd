"""Indicator values from CSV: the template round trip and every class of bad row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from nollvision.indicators.csv_import import CsvError, csv_import, template
from nollvision.indicators.loaders import indicator_set_load
from nollvision.indicators.models import IndicatorValue

from .indicator_rows import HEADER, csv_file, sourced

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _indicators():
    indicator_set_load()


def test_template_round_trip_and_idempotence():
    first = csv_import(content=template("0022").encode(), source="csv:mall")
    second = csv_import(content=template("0022").encode(), source="csv:mall")
    assert (first.created, second.unchanged, second.created) == (1, 1, 0)
    value = IndicatorValue.objects.get()
    assert (value.indicator.code, value.area.code, value.period, str(value.value)) == (
        "anmalda-valdsbrott",
        "0022",
        2023,
        "812.4000",
    )


def test_semicolons_decimal_commas_and_missing_values():
    content = (
        HEADER.replace(",", ";")
        + "anmalda-valdsbrott;2281;2022;K;12,5;;;https://example.org/a;Källa;2024-01-02;;;\n"
        + "anmalda-valdsbrott;2260;2022;;;för få svar;;https://example.org/a;Källa;;2024-01-02;;\n"
    ).encode()
    assert csv_import(content=content, source="csv").created == 2
    assert IndicatorValue.objects.get(area__code="2260").missing_reason == "för få svar"
    assert str(IndicatorValue.objects.get(area__code="2281").value) == "12.5000"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("okand,0022,2023,T,1,,", "row 2, column indicator: unknown indicator 'okand'"),
        ("anmalda-valdsbrott,9999,2023,T,1,,", "row 2, column area: unknown area code '9999'"),
        ("anmalda-valdsbrott,0022,tjugo,T,1,,", "row 2, column year: 'tjugo' is not a year"),
        ("anmalda-valdsbrott,0022,2023,X,1,,", "row 2, column sex: write T, K or M"),
        ("anmalda-valdsbrott,0022,2023,T,många,,", "row 2, column value: 'många' is not a number"),
        (
            "anmalda-valdsbrott,0022,2023,T,,,",
            "row 2, column missing_reason: say why there is no value",
        ),
        ("anmalda-valdsbrott,0022,2023,T", "row 2: 4 columns, expected 13"),
    ],
)
def test_each_class_of_bad_row_is_reported_and_nothing_imported(row, message):
    good = sourced("anmalda-valdsbrott,2281,2023,T,5,,")
    row = sourced(row) if row.count(",") == 6 else row + "\n"
    with translation.override("en"), pytest.raises(CsvError) as caught:
        csv_import(content=(HEADER + row + good).encode(), source="csv")
    assert caught.value.problems == [message]
    assert not IndicatorValue.objects.exists()


def test_duplicates_wrong_header_and_encoding():
    row = sourced("anmalda-valdsbrott,0022,2023,T,1,,")
    with translation.override("en"):
        for content, message in (
            (
                (HEADER + row + row).encode(),
                "row 3, column indicator: the same indicator, area, year and sex twice",
            ),
            (
                b"a,b\n1,2\n",
                "row 1: the columns must be indicator, area, year, sex, value, "
                "missing_reason, status, source_url, source_title, source_published, "
                "source_retrieved, rounded, source_note",
            ),
            (
                (HEADER + sourced("anmalda-valdsbrott,2281,2023,T,1,Sundsvall växte,")).encode(
                    "latin-1"
                ),
                "the file is not UTF-8 text",
            ),
            (b"", "the file is empty"),
        ):
            with pytest.raises(CsvError) as caught:
                csv_import(content=content, source="csv")
            assert caught.value.problems == [message]


def test_coordinator_uploads_in_the_back_office(client, world):
    client.force_login(world.coordinator)
    url = reverse("backoffice:indicator-upload")
    assert client.get(reverse("backoffice:indicator-template")).content.decode() == template("0022")
    bad = SimpleUploadedFile("v.csv", csv_file("okand,0022,2023,T,1,,"))
    page = client.post(url, {"file": bad}).content.decode()
    assert "rad 2, kolumn indicator" in page
    # Another county's figures are not the coordinator's to change.
    other = SimpleUploadedFile("v.csv", template("2361").encode())
    page = client.post(url, {"file": other}).content.decode()
    assert "rad 2, kolumn area: 2361 (Härjedalen) är inte ett område i ert län" in page
    good = SimpleUploadedFile("v.csv", template("0022").encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert IndicatorValue.objects.count() == 1
    client.force_login(world.reporter_a)
    assert client.get(url).status_code == 403


def test_uploaded_values_say_who_uploaded_them(client, world):
    """An uploaded value names the body it was uploaded for on the public page, never the
    indicator's own source; a value from that source again says the source."""
    client.force_login(world.coordinator)
    rows = "".join(
        f"anmalda-valdsbrott,0022,{year},T,{900 + year % 10},,\n" for year in (2022, 2023)
    )
    upload = SimpleUploadedFile("varden.csv", csv_file(rows))
    assert client.post(reverse("backoffice:indicator-upload"), {"file": upload}).status_code == 302
    value = IndicatorValue.objects.get(period=2023)
    assert value.uploaded_by == world.coordinator
    assert value.uploaded_for.slug == "lansstyrelsen-vasternorrland"
    assert value.source == "csv:varden.csv"
    client.logout()
    page = client.get(f"/planer/{world.plan.slug}/indikatorer/").content.decode()
    assert "Värden uppladdade av Länsstyrelsen Västernorrland." in page
    assert "Källa: Kolada" not in page
    # The same values from the indicator's own source: the source again, no uploader.
    csv_import(content=csv_file(rows), source="kolada")
    value.refresh_from_db()
    assert (value.uploaded_by, value.uploaded_for) == (None, None)
    page = client.get(f"/planer/{world.plan.slug}/indikatorer/").content.decode()
    assert "uppladdade av" not in page
    assert "Källa: Kolada" in page


@pytest.mark.django_db(transaction=True)
def test_bulk_import_counts_and_queries_do_not_grow_with_rows():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nollvision.core.public_cache import generation

    def content(years: range, value: str) -> bytes:
        rows = [
            f"anmalda-valdsbrott,{area},{year},{sex},{value},,"
            for area in ("0022", "2281", "2260")
            for year in years
            for sex in ("T", "K", "M")
        ]
        return csv_file("\n".join(rows))

    queries = {}
    for name, years in (("small", range(2000, 2002)), ("large", range(1950, 2000))):
        with CaptureQueriesContext(connection) as captured:
            summary = csv_import(content=content(years, "1.5"), source="csv")
        queries[name] = len(captured)
        assert summary.created == len(years) * 9
    # One more INSERT per batch (SQLite's batches hold about forty rows of a value with its
    # source), never one per row.
    assert queries["large"] <= queries["small"] + 450 // 40
    before = generation()
    again = csv_import(content=content(range(2000, 2002), "1.5"), source="csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 18)
    assert generation() == before  # nothing changed, the public cache stays
    changed = csv_import(content=content(range(2000, 2002), "2.5"), source="csv:ny")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 18, 0)
    assert generation() > before
    stored = IndicatorValue.objects.get(area__code="2281", period=2001, sex="K")
    assert (str(stored.value), stored.source) == ("2.5000", "csv:ny")
    assert IndicatorValue.objects.count() == 50 * 9 + 18


def test_the_benchmarks_import_is_a_valid_file_and_stores_every_row():
    """`make bench-scale` measures the importer with rows it writes itself: they keep the CSV
    format (all columns, a source on each row), so each of the three rounds stores every row."""
    from nollvision.devtools.bench_scale import indicator_import_throughput

    result = indicator_import_throughput(areas_wanted=3, years=2)
    assert result["rows"] == 3 * 2 * 3
    assert result["new"] == {"created": 18, "updated": 0}
    assert result["unchanged"] == {"created": 0, "updated": 0}
    assert result["changed"] == {"created": 0, "updated": 18}
    assert all(result[f"{name}_rows_per_s"] > 0 for name in ("new", "unchanged", "changed"))
