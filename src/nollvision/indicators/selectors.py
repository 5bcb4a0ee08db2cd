"""Reads of indicators for the pages: values per goal for the county and its municipalities."""

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Area, AreaLevel, Indicator, IndicatorValue, Population
from .privacy import is_suppressed


def areas_of_county() -> list[Area]:
    return list(Area.objects.exclude(level=AreaLevel.NATION).order_by("code"))


def indicators_by_goal(goal_numbers: list[int]) -> dict[int, list[dict]]:
    """For each goal, its indicators with their latest total value per area (three queries)."""
    indicators = list(Indicator.objects.all())
    areas = areas_of_county()
    by_pk = {indicator.pk: indicator for indicator in indicators}
    threshold = settings.NOLLVISION_SUPPRESS_BELOW
    latest: dict[tuple[int, int], IndicatorValue] = {}
    for value in IndicatorValue.objects.filter(sex="T").order_by("period"):
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


def population_years() -> list[int]:
    return sorted(set(Population.objects.values_list("year", flat=True)), reverse=True)
