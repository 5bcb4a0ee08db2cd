"""SCB population (table TAB638 / BefolkningNy, content BE0101N1) in JSON-stat2, summed into the
age bands the estimates need. JSON-stat2's `value` is a flat row-major array over `id`/`size`."""

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx  # at run time loaded on use: it costs a tenth of a second at start-up


SCB_URL = "https://statistikdatabasen.scb.se/api/v2/tables/TAB638/data"
SEX = {"1": "M", "2": "K"}
BANDS = [(0, 17), (18, 74), (16, 84), (75, None), (0, None)]


class JsonStatError(Exception):
    pass


@dataclass(frozen=True)
class Cell:
    region: str
    sex: str
    age: int
    year: int
    count: int


def _age(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    if not digits:
        raise JsonStatError(f"age '{code}' is not a number")
    return int(digits)  # "100+" counts as 100


def parse(payload: object) -> list[Cell]:
    """The cells of a JSON-stat2 dataset with Region, Kon, Alder and Tid dimensions."""
    try:
        ids, sizes, values = payload["id"], payload["size"], payload["value"]
        dimension = payload["dimension"]
        orders = []
        for name in ids:
            index = dimension[name]["category"]["index"]
            codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
            orders.append(codes)
    except (KeyError, TypeError) as error:
        raise JsonStatError(f"not a JSON-stat2 dataset (missing {error})") from None
    if [len(codes) for codes in orders] != sizes:
        raise JsonStatError("the dimension sizes do not match their categories")
    expected = 1
    for size in sizes:
        expected *= size
    if len(values) != expected:
        raise JsonStatError(f"{len(values)} values for {expected} cells")
    position = {name: ids.index(name) for name in ("Region", "Kon", "Alder", "Tid") if name in ids}
    if set(position) != {"Region", "Kon", "Alder", "Tid"}:
        raise JsonStatError("the dataset needs the dimensions Region, Kon, Alder and Tid")
    cells = []
    for combination, value in zip(itertools.product(*orders), values, strict=True):
        if value is None:
            continue
        cells.append(
            Cell(
                region=combination[position["Region"]],
                sex=SEX.get(combination[position["Kon"]], "T"),
                age=_age(combination[position["Alder"]]),
                year=int(combination[position["Tid"]]),
                count=int(value),
            )
        )
    return cells


def bands(cells: list[Cell]) -> dict[tuple, int]:
    """(region, year, sex, age_from, age_to) -> inhabitants, for every band and for total sex."""
    result: dict[tuple, int] = defaultdict(int)
    for cell in cells:
        for age_from, age_to in BANDS:
            if cell.age >= age_from and (age_to is None or cell.age <= age_to):
                for sex in (cell.sex, "T"):
                    result[(cell.region, cell.year, sex, age_from, age_to)] += cell.count
    return dict(result)


def fetch(regions: list[str], years: list[int], *, client: "httpx.Client | None" = None) -> object:
    """Ask SCB for population by region, sex, single year of age and year (JSON-stat2)."""
    import httpx

    body = {
        "selection": [
            {"variableCode": "Region", "valueCodes": regions},
            {"variableCode": "Kon", "valueCodes": ["1", "2"]},
            {"variableCode": "Alder", "valueCodes": ["*"]},
            {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]},
            {"variableCode": "Tid", "valueCodes": [str(year) for year in years]},
        ]
    }
    http = client or httpx.Client(timeout=60)
    try:
        response = http.post(
            SCB_URL, params={"lang": "sv", "outputFormat": "json-stat2"}, json=body
        )
    except httpx.HTTPError as error:
        raise JsonStatError(f"SCB could not be reached ({error})") from None
    if response.status_code != 200:
        raise JsonStatError(f"SCB answered {response.status_code}")
    try:
        return response.json()
    except json.JSONDecodeError:
        raise JsonStatError("SCB's response is not valid JSON") from None
