"""The Kolada client against saved, documented-format responses (see fixtures/kolada/README.md)."""

import io
import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from nollvision.indicators.kolada import BATCH, KoladaClient, KoladaError, values_from_file
from nollvision.indicators.loaders import indicator_set_load
from nollvision.indicators.models import IndicatorValue

FIXTURES = Path(__file__).parent / "fixtures" / "kolada"
BASE = "https://api.kolada.test/v3"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def client_with(handler) -> tuple[KoladaClient, list]:
    sleeps: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return KoladaClient(BASE, client=http, sleep=sleeps.append), sleeps


@pytest.mark.unit
def test_follows_pages_until_there_is_no_next_url():
    seen = []

    def handler(request):
        seen.append(str(request.url))
        return httpx.Response(
            200, json=fixture("page2.json" if "page=2" in str(request.url) else "page1.json")
        )

    client, _sleeps = client_with(handler)
    values = client.values(["N07403"], ["0022", "2281", "2260"], [2022])
    assert [(v.area, v.period, v.value) for v in values] == [
        ("0022", 2022, Decimal("812.4")),
        ("2281", 2022, Decimal("901.0")),
        ("2260", 2022, None),
    ]
    assert values[2].status == "Missing"
    assert seen == [
        f"{BASE}/data/kpi/N07403/municipality/0022,2260,2281/year/2022?per_page=5000",
        f"{BASE}/data/kpi/N07403/municipality/0022,2281/year/2022?page=2&per_page=5000",
    ]


@pytest.mark.unit
def test_ids_are_sent_in_batches_of_25():
    paths = []

    def handler(request):
        paths.append(request.url.path)
        return httpx.Response(200, json={"values": [], "next_url": None})

    client, _sleeps = client_with(handler)
    areas = [f"{2000 + n}" for n in range(BATCH + 5)]
    client.values(["N07403"], areas, [2021, 2022])
    assert len(paths) == 2
    assert [len(p.split("/municipality/")[1].split("/")[0].split(",")) for p in paths] == [25, 5]


@pytest.mark.unit
def test_retries_429_then_succeeds_honouring_retry_after():
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(503),
            httpx.Response(200, json=fixture("page2.json")),
        ]
    )
    client, sleeps = client_with(lambda request: next(answers))
    values = client.values(["N07403"], ["2260"], [2022])
    assert len(values) == 1
    assert sleeps == [3.0, 2.0]


@pytest.mark.unit
def test_gives_up_after_repeated_server_errors():
    client, sleeps = client_with(lambda request: httpx.Response(500))
    with pytest.raises(KoladaError, match="answered 500 5 times"):
        client.values(["N07403"], ["2260"], [2022])
    assert sleeps == [1.0, 2.0, 4.0, 8.0]


@pytest.mark.unit
def test_timeout_and_network_failure_and_bad_json_are_clear_errors():
    def timeout(request):
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request):
        raise httpx.ConnectError("refused", request=request)

    for handler, message in (
        (timeout, "did not answer in time"),
        (refused, "could not be reached"),
        (lambda r: httpx.Response(200, content=b"{not json"), "not valid JSON"),
        (lambda r: httpx.Response(200, json={"rows": []}), "no list of values"),
        (lambda r: httpx.Response(404), "answered 404"),
    ):
        client, _sleeps = client_with(handler)
        with pytest.raises(KoladaError, match=message):
            client.values(["N07403"], ["2260"], [2022])


@pytest.mark.unit
def test_saved_file_with_v2_paging_and_sexes():
    values = values_from_file((FIXTURES / "by-sex-v2-paging.json").read_bytes(), "saved.json")
    assert [(v.sex, v.value, v.period) for v in values] == [
        ("T", Decimal("30.5"), 2021),
        ("K", Decimal("58.1"), 2021),
        ("M", Decimal("2.9"), 2021),
    ]


@pytest.mark.integration
@pytest.mark.django_db
def test_import_from_file_says_what_changed_and_is_idempotent(tmp_path):
    indicator_set_load()
    saved = tmp_path / "kolada.json"
    saved.write_text(json.dumps([fixture("page1.json"), fixture("page2.json")]), "utf-8")
    out = []
    for _round in range(2):
        buffer = io.StringIO()
        with translation.override("en"):
            call_command("import_indicators", "kolada", "--from-file", str(saved), stdout=buffer)
        out.append(buffer.getvalue().strip())
    assert out == [
        "3 new, 0 changed, 0 unchanged, 0 withdrawn by the source",
        "0 new, 0 changed, 3 unchanged, 0 withdrawn by the source",
    ]
    missing = IndicatorValue.objects.get(area__code="2260")
    assert (missing.value, missing.status) == (None, "Missing")
    assert missing.missing_reason != ""


@pytest.mark.integration
@pytest.mark.django_db
def test_unknown_area_or_malformed_file_changes_nothing(tmp_path):
    indicator_set_load()
    bad_area = fixture("page2.json")
    bad_area["values"][0]["municipality"] = "9999"
    for content in (json.dumps(bad_area), "{broken"):
        saved = tmp_path / "kolada.json"
        saved.write_text(content, "utf-8")
        with pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_indicators", "kolada", "--from-file", str(saved))
    assert IndicatorValue.objects.count() == 0


@pytest.mark.integration
@pytest.mark.django_db
def test_a_failing_second_page_imports_nothing():
    from nollvision.indicators import kolada
    from nollvision.indicators.services import kolada_values_import

    indicator_set_load()

    def handler(request):
        if "page=2" in str(request.url):
            return httpx.Response(500)
        return httpx.Response(200, json=fixture("page1.json"))

    client, _sleeps = client_with(handler)
    with pytest.raises(KoladaError, match="answered 500"):
        kolada_values_import(
            values=client.values(["N07403"], ["0022", "2281"], [2022]), source="test"
        )
    assert IndicatorValue.objects.count() == 0
    assert kolada.PER_PAGE == 5000


@pytest.mark.unit
def test_scb_request_asks_for_the_documented_selection():
    from nollvision.indicators.jsonstat import SCB_URL, fetch

    seen = {}

    def handler(request):
        seen["url"] = str(request.url)
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, json={"version": "2.0"})

    fetch(["22", "2281"], [2023], client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert seen["url"] == f"{SCB_URL}?lang=sv&outputFormat=json-stat2"
    assert seen["body"]["selection"][0] == {"variableCode": "Region", "valueCodes": ["22", "2281"]}
    assert {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]} in seen["body"]["selection"]
