"""The plan's figures as arithmetic on data: a rate times a population, or a national amount
times a share of the population. The figures are the plan's (its file's `figures`, passed in
by the page that shows them). Never invents a population that is not in the database."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy, pgettext

from nollvision.core.translated import to_translated

from .models import Area, Population, Sex
from .plain import UNITS, plain_figure

NATION = "0000"

# For the people who keep the data only: public pages show it to coordinators, never to visitors.
IMPORT_COMMAND = "nollvision import_population --region {region} --year {year}"


def scb_region(area_code: str) -> str:
    """SCB's region code for an area code: the nation 0000 is 00, the county 0022 is 22, a
    municipality keeps its four digits (what `import_population --region` takes)."""
    return area_code[2:] if area_code.startswith("00") else area_code


def ages(age_from: int, age_to: int | None) -> str:
    """An age band in words: "aged 18-74" (with an en dash), "aged 75 and over", "of all ages"."""
    if age_to is not None:
        return gettext("aged %(first)s–%(last)s") % {"first": age_from, "last": age_to}
    if age_from:
        return gettext("aged %(first)s and over") % {"first": age_from}
    return gettext("of all ages")


def population_group(sex: str, age_from: int, age_to: int | None) -> str:
    """Who a population figure counts, in words: "women aged 18-74", "the whole population"."""
    band = ages(age_from, age_to)
    if sex == Sex.WOMEN:
        return pgettext("population group", "women %(ages)s") % {"ages": band}
    if sex == Sex.MEN:
        return pgettext("population group", "men %(ages)s") % {"ages": band}
    if age_from == 0 and age_to is None:
        return gettext("the whole population")
    return band


@dataclass(frozen=True)
class Missing:
    """Population figures an estimate needs that the service does not have."""

    area_code: str
    area_name: object  # the area's name, or the nation's in the language of the page
    year: int
    sex: str
    age_from: int
    age_to: int | None

    @property
    def text(self) -> str:
        """What is missing, in plain words: "Västernorrlands län 2025 (kvinnor 18-74 år)"."""
        group = population_group(self.sex, self.age_from, self.age_to)
        return f"{self.area_name} {self.year} ({group})"

    @property
    def import_hint(self) -> str:
        """The command that brings the figures in, for the people who keep the data."""
        return IMPORT_COMMAND.format(region=scb_region(self.area_code), year=self.year)


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
    unit: str = ""  # "kronor" for an amount of money, empty for a number of people


@dataclass(frozen=True)
class Estimate:
    definition: EstimateDefinition
    area: Area
    year: int
    value: Decimal | None
    formula: str
    missing: Missing | None = None

    @property
    def plain(self) -> str:
        """The figure as the plan would print it: "cirka 21 000", "cirka 1 miljard kronor"."""
        return "" if self.value is None else plain_figure(self.value, self.definition.unit)

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


def _unit(key: str, unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"figure {key}: unknown unit {unit!r}")
    return unit


def _decimal(value) -> Decimal | None:
    """A stored decimal as the arithmetic shows it: 0.1, not 0.100000; 45000000000, not 4.5E+10."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def definitions(figures, county: str) -> list[EstimateDefinition]:
    """The estimates of a plan's figures (the plan's `PlanFigure`s, or anything with their
    fields) for the plan of `county` (its SCB code, "22"): the figures it prints are that
    county's."""
    return [
        EstimateDefinition(
            key=figure.key,
            title=to_translated(figure.title),
            rate_source=figure.rate_source,
            certainty=to_translated(figure.certainty),
            sex=figure.sex,
            age_from=figure.age_from,
            age_to=figure.age_to,
            printed=figure.printed,
            printed_area=f"00{county}",
            inferred=figure.inferred,
            unit=_unit(figure.key, figure.unit),
            rate=_decimal(figure.rate),
            national_amount=_decimal(figure.national_amount),
        )
        for figure in figures
    ]


def compute(
    definition: EstimateDefinition, area: Area, year: int, population: dict[tuple, int]
) -> Estimate:
    """`population` maps (area code, year, sex, age_from, age_to) to inhabitants."""
    band = (definition.sex, definition.age_from, definition.age_to)
    count = population.get((area.code, year, *band))
    if count is None:
        return Estimate(
            definition, area, year, None, "", missing=Missing(area.code, area.name, year, *band)
        )
    if definition.national_amount is not None:
        nation = population.get((NATION, year, *band))
        if nation is None:
            missing = Missing(NATION, gettext_lazy("Sweden"), year, *band)
            return Estimate(definition, area, year, None, "", missing=missing)
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


def estimates_for(area: Area, year: int, definitions: list[EstimateDefinition]) -> list[Estimate]:
    table = population_table([area.code, NATION], year)
    return [compute(definition, area, year, table) for definition in definitions]


def latest_year(area: Area, years: list[int], definitions: list[EstimateDefinition]) -> int | None:
    """The year a page opens on, of `years` (newest first): the newest whose figures can all be
    computed, else the newest with any figure, else the newest there is (whose page then says
    what is missing). One query, whatever the number of years."""
    table = population_table([area.code, NATION])
    computed = {
        year: [compute(d, area, year, table).value is not None for d in definitions]
        for year in years
    }
    for enough in (all, any):
        year = next((year for year in years if enough(computed[year])), None)
        if year is not None:
            return year
    return years[0] if years else None
