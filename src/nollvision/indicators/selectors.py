"""Reads of indicators for the pages: values per goal for the county and its municipalities."""

from collections import defaultdict

from .models import Area, AreaLevel, Indicator, IndicatorValue, Population


def areas_of_county() -> list[Area]:
    return list(Area.objects.exclude(level=AreaLevel.NATION).order_by("code"))


def indicators_by_goal(goal_numbers: list[int]) -> dict[int, list[dict]]:
    """For each goal, its indicators with their latest total value per area (three queries)."""
    indicators = list(Indicator.objects.all())
    areas = areas_of_county()
    latest: dict[tuple[int, int], IndicatorValue] = {}
    for value in IndicatorValue.objects.filter(sex="T").order_by("period"):
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
