"""Reads of indicators for the pages: values per goal for the county and its municipalities."""

from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.db.models import (
    CharField,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from .models import Area, AreaLevel, Indicator, IndicatorValue, Population, Sex
from .privacy import is_suppressed


def areas_of_county(county: str | None = None) -> list[Area]:
    """A county (by its region code, "22") and its municipalities, whose codes start with it;
    without a code, every county and municipality there is."""
    areas = Area.objects.exclude(level=AreaLevel.NATION)
    if county:
        areas = areas.filter(
            Q(code=f"00{county}") | Q(level=AreaLevel.MUNICIPALITY, code__startswith=county)
        )
    return list(areas.order_by("code"))


def indicators_by_goal(goal_numbers: list[int], county: str | None = None) -> dict[int, list[dict]]:
    """For each goal, its indicators with their latest total value per area of the county
    (three queries, whatever the number of counties or years: only the latest rows are read).
    Series published for Sweden only (`level` nation) have no county value and are left out."""
    indicators = list(Indicator.objects.exclude(level=AreaLevel.NATION))
    areas = areas_of_county(county)
    by_pk = {indicator.pk: indicator for indicator in indicators}
    threshold = settings.NOLLVISION_SUPPRESS_BELOW
    latest: dict[tuple[int, int], IndicatorValue] = {}
    newest = (
        IndicatorValue.objects.filter(
            indicator=OuterRef("indicator"), area=OuterRef("area"), sex="T"
        )
        .order_by("-period")
        .values("period")[:1]
    )
    for value in IndicatorValue.objects.filter(
        sex="T", area__in=areas, indicator__in=indicators, period=Subquery(newest)
    ):
        if is_suppressed(by_pk[value.indicator_id], value.value, threshold):
            value.value, value.missing_reason = None, _("fewer than %(n)d") % {"n": threshold}
        latest[(value.indicator_id, value.area_id)] = value
    result: dict[int, list[dict]] = defaultdict(list)
    for goal in goal_numbers:
        for indicator in indicators:
            if goal in indicator.goal_numbers:
                result[goal].append(
                    {
                        "indicator": indicator,
                        "values": [(area, latest.get((indicator.pk, area.pk))) for area in areas],
                    }
                )
    return dict(result)


class PageRow(NamedTuple):
    indicator_id: int
    area_id: int
    period: int
    sex: str
    value: float
    url: str
    title: str
    published: str | None  # YYYY-MM-DD
    retrieved: str | None
    rounded: int
    note: str
    uploaded_for: str | None


def page_rows(county: str | None) -> tuple[list[Indicator], list[Area], list[PageRow]]:
    """What the indicator pages show, in five queries whatever the number of indicators, areas
    and years: the indicators; the county (by region code), its municipalities and Sweden; the
    newest years (two grouped queries); and the values with their sources: every year of the
    county's and Sweden's totals (or values by sex, for a series counted by sex only), their
    latest year by sex, and the municipalities' latest year."""
    indicators = list(Indicator.objects.all())
    nation = Q(level=AreaLevel.NATION)
    if county:
        chosen = (
            nation
            | Q(code=f"00{county}")
            | Q(level=AreaLevel.MUNICIPALITY, code__startswith=county)
        )
    else:
        chosen = Q()
    areas = list(Area.objects.filter(chosen).order_by("code"))
    areas.sort(key=lambda area: area.level == AreaLevel.NATION)  # Sweden last
    wide = [a.pk for a in areas if a.level != AreaLevel.MUNICIPALITY]
    local = [a.pk for a in areas if a.level == AreaLevel.MUNICIPALITY]
    shown = IndicatorValue.objects.filter(value__isnull=False)
    # The newest year: of the municipalities' totals per indicator, and of the county's and
    # Sweden's values per indicator and sex (two grouped queries read from the area index).
    latest = dict(
        shown.filter(area_id__in=local, sex=Sex.TOTAL)
        .values("indicator")
        .annotate(newest=Max("period"))
        .values_list("indicator", "newest")
    )
    latest_split, with_total = {}, set()
    for indicator_id, sex, year in (
        shown.filter(area_id__in=wide)
        .values("indicator", "sex")
        .annotate(newest=Max("period"))
        .values_list("indicator", "sex", "newest")
    ):
        if sex == Sex.TOTAL:
            with_total.add(indicator_id)
        else:
            latest_split[indicator_id] = max(year, latest_split.get(indicator_id, year))
    # Every year of the county's and Sweden's totals (or of their values by sex, for a series
    # counted by sex only), the latest year by sex, and the municipalities' latest totals.
    rows = (
        shown.filter(
            Q(area_id__in=wide, sex=Sex.TOTAL)
            | Q(area_id__in=wide, indicator_id__in=set(latest_split) - with_total)
            | Q(area_id__in=wide, period__in=set(latest_split.values()))
            | Q(area_id__in=local, sex=Sex.TOTAL, period__in=set(latest.values()))
        )
        .order_by()
        .values_list(
            "indicator_id",
            "area_id",
            "period",
            "sex",
            Cast("value", FloatField()),  # read as a float: charts draw floats, and fast
            "source_url",
            "source_title",
            # Dates as ISO text and the flag as a number: no conversion row by row in Python.
            Cast("source_published", CharField()),
            Cast("source_retrieved", CharField()),
            Cast("rounded", IntegerField()),
            "source_note",
            "uploaded_for__name",
        )
    )
    local_ids = set(local)
    return (
        indicators,
        areas,
        [PageRow(*row) for row in rows if row[1] not in local_ids or row[2] == latest.get(row[0])],
    )


def stale_series(before: int, area_codes: list[str] | None = None) -> list[dict]:
    """Series (indicator and area) whose latest value is for a year before `before`, each with
    its indicator, area code and name and latest year: two queries. With `area_codes`, only
    those areas (a coordinator's county, its municipalities and Sweden)."""
    rows = IndicatorValue.objects.filter(value__isnull=False)
    if area_codes is not None:
        rows = rows.filter(area__code__in=area_codes)
    found = list(
        rows.values("indicator_id", "area__code", "area__name")
        .annotate(latest=Max("period"))
        .filter(latest__lt=before)
        .order_by("indicator__code", "area__code")
    )
    indicators = Indicator.objects.in_bulk({row["indicator_id"] for row in found})
    return [{**row, "indicator": indicators[row["indicator_id"]]} for row in found]


def population_years(areas=None) -> list[int]:
    """The years with population figures (of the given areas), newest first: read as distinct
    years by the database, not row by row."""
    rows = Population.objects.all() if areas is None else Population.objects.filter(area__in=areas)
    return list(rows.order_by("-year").values_list("year", flat=True).distinct())
