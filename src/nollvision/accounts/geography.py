"""Sweden's 21 counties and 290 municipalities with their official codes (SCB), as reference data
shipped in `data/sweden.yaml`, with its source. Plain Python, read once.

Codes: a county is '22' (SCB) or '0022' (Kolada's area code); a municipality is '2281', whose
first two digits are its county's."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nollvision.core import yamldata

DATA_FILE = Path(__file__).resolve().parent / "data" / "sweden.yaml"


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str


@dataclass(frozen=True)
class County:
    code: str
    name: str
    municipalities: tuple[Municipality, ...]

    @property
    def area_code(self) -> str:
        """The county as an area (Kolada's code): '0022'."""
        return f"00{self.code}"

    @property
    def municipalities_by_name(self) -> list[Municipality]:
        """The municipalities in Swedish alphabetical order, as a person looks for their own."""
        from nollvision.core.collation import swedish_sort_key

        return sorted(self.municipalities, key=lambda m: swedish_sort_key(m.name))

    @property
    def area_codes(self) -> tuple[str, ...]:
        """The county's own area code and its municipalities' codes."""
        return (self.area_code, *(m.code for m in self.municipalities))


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    checked: str


@cache
def _load() -> tuple[Source, tuple[County, ...]]:
    data = yamldata.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    counties = tuple(
        County(
            code=c["code"],
            name=c["name"],
            municipalities=tuple(
                Municipality(code=m["code"], name=m["name"], county_code=c["code"])
                for m in c["municipalities"]
            ),
        )
        for c in data["counties"]
    )
    source = data["source"]
    return Source(source["title"], source["url"], str(source["checked"])), counties


def source() -> Source:
    return _load()[0]


def counties() -> tuple[County, ...]:
    return _load()[1]


@cache
def _by_code() -> dict[str, County]:
    return {c.code: c for c in counties()}


@cache
def _municipalities() -> dict[str, Municipality]:
    return {m.code: m for c in counties() for m in c.municipalities}


def county(code: str) -> County | None:
    """The county with SCB's code ('22') or its area code ('0022')."""
    if len(code) == 4 and code.startswith("00"):
        code = code[2:]
    return _by_code().get(code)


def municipality(code: str) -> Municipality | None:
    return _municipalities().get(code)


def county_code_of_area(code: str) -> str | None:
    """The county ('22') an area belongs to: a county's area code or a municipality's code.
    None for the nation ('0000') and for codes not in the official list."""
    if county(code) is not None and (len(code) == 2 or code.startswith("00")):
        return county(code).code
    found = municipality(code)
    return found.county_code if found else None


def area_codes_of_counties(county_codes) -> list[str]:
    """Every area code (the counties' own and their municipalities') of the given counties."""
    return [code for c in county_codes if (found := county(c)) for code in found.area_codes]
