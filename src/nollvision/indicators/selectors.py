"""Reads of indicators for the pages: values per goal for the county and its municipalities."""

from collections import defaultdict

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from .models import Area, AreaLevel, Indicator, IndicatorValue, Population
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
    (three queries, whatever the number of counties or years: only the latest rows are read)."""
    indicators = list(Indicator.objects.all())
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
    for value in IndicatorValue.objects.filter(sex="T", area__in=areas, period=Subquery(newest)):
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


def population_years(areas=None) -> list[int]:
    """The years with population figures (of the given areas), newest first: read as distinct
    years by the database, not row by row."""
    rows = Population.objects.all() if areas is None else Population.objects.filter(area__in=areas)
    return list(rows.order_by("-year").values_list("year", flat=True).distinct())
