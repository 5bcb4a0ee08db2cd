"""The plan's figures as arithmetic on data: a rate times a population, or a national amount
times a share of the population. Never invents a population that is not in the database."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

from nollvision.core.translated import to_translated

from .models import Area, Population

IMPORT_HINT = (
    "nollvision import_population --region {area} --year {year} "
    "(or --from-file with a saved SCB response)"
)


@dataclass(frozen=True)
class EstimateDefinition:
    key: str
    title: object
    rate_source: str
    certainty: object
    sex: str
    age_from: int
    age_to: int | None
    printed: int | None
    printed_area: str | None = None  # the area (county) whose plan prints `printed`
    rate: Decimal | None = None
    national_amount: Decimal | None = None
    inferred: bool = False


@dataclass(frozen=True)
class Estimate:
    definition: EstimateDefinition
    area: Area
    year: int
    value: Decimal | None
    formula: str
    missing: str = ""

    @property
    def printed(self) -> int | None:
        """The figure the plan prints, for the area it was printed for only."""
        if self.area is not None and self.area.code == self.definition.printed_area:
            return self.definition.printed
        return None

    @property
    def differs(self) -> bool:
        """True when the computed figure is more than 10 % from the plan's printed one."""
        printed = self.printed
        return bool(
            self.value is not None
            and printed
            and abs(self.value - printed) > Decimal("0.1") * printed
        )


@cache
def definitions() -> list[EstimateDefinition]:
    raw = yaml.safe_load(
        (resources.files(__package__) / "data" / "estimates.yaml").read_text("utf-8")
    )
    return [
        EstimateDefinition(
            key=item["key"],
            title=to_translated(item["title"]),
            rate_source=item["rate_source"],
            certainty=to_translated(item["certainty"]),
            sex=item["sex"],
            age_from=item["age_from"],
            age_to=item.get("age_to"),
            printed=item.get("printed"),
            printed_area=item.get("printed_area"),
            inferred=item.get("inferred", False),
            rate=Decimal(str(item["rate"])) if "rate" in item else None,
            national_amount=Decimal(str(item["national_amount"]))
            if "national_amount" in item
            else None,
        )
        for item in raw
    ]


def _band(definition: EstimateDefinition) -> str:
    upper = "" if definition.age_to is None else str(definition.age_to)
    return f"{definition.age_from}–{upper}"


def compute(
    definition: EstimateDefinition, area: Area, year: int, population: dict[tuple, int]
) -> Estimate:
    """`population` maps (area code, year, sex, age_from, age_to) to inhabitants."""
    wanted = (area.code, year, definition.sex, definition.age_from, definition.age_to)
    count = population.get(wanted)
    if count is None:
        return Estimate(
            definition,
            area,
            year,
            None,
            "",
            missing=(
                f"{area.name} {year}, {definition.sex}, {_band(definition)} år: "
                + IMPORT_HINT.format(area=area.code, year=year)
            ),
        )
    if definition.national_amount is not None:
        nation = population.get(
            ("0000", year, definition.sex, definition.age_from, definition.age_to)
        )
        if nation is None:
            return Estimate(
                definition,
                area,
                year,
                None,
                "",
                missing=(f"Riket {year}: " + IMPORT_HINT.format(area="00", year=year)),
            )
        value = definition.national_amount * count / nation
        formula = f"{definition.national_amount:,.0f} × {count:,} / {nation:,}".replace(",", " ")
        return Estimate(definition, area, year, value, formula)
    value = definition.rate * count
    formula = f"{definition.rate} × {count:,}".replace(",", " ")
    return Estimate(definition, area, year, value, formula)


def population_table(codes=None, year: int | None = None) -> dict[tuple, int]:
    """Population figures by (area code, year, sex, age band); limited to some areas and a year
    when given, so a county's page reads its own rows and the nation's only."""
    rows = Population.objects.select_related("area")
    if codes is not None:
        rows = rows.filter(area__code__in=codes)
    if year is not None:
        rows = rows.filter(year=year)
    return {(p.area.code, p.year, p.sex, p.age_from, p.age_to): p.count for p in rows}


def estimates_for(area: Area, year: int) -> list[Estimate]:
    table = population_table([area.code, "0000"], year)
    return [compute(definition, area, year, table) for definition in definitions()]
