"""Charts of an indicator, drawn with the report's chart module: a trend over years for the
county and its municipalities, the municipalities side by side, and women and men."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from nollvision.core.charts import Chart, bars, lines

from .models import Area, AreaLevel, Indicator, IndicatorValue, Sex
from .privacy import is_suppressed


def number(value) -> str:
    return "–" if value is None else number_format(round(Decimal(value), 1), 1, use_l10n=True)


@dataclass
class IndicatorView:
    indicator: Indicator
    charts: list[Chart] = field(default_factory=list)
    latest_year: int | None = None
    suppressed: int = 0  # values hidden because they count fewer people than the threshold
    # Where the values shown come from: the bodies that uploaded some by hand, and whether any
    # came from the indicator's own source (Kolada, SCB).
    uploaded_for: list[str] = field(default_factory=list)
    from_source: bool = False


def public_values(
    indicator: Indicator, values: list[IndicatorValue], threshold: int
) -> tuple[list[IndicatorValue], int]:
    """The values that may be shown, and how many were hidden."""
    shown = [v for v in values if not is_suppressed(indicator, v.value, threshold)]
    return shown, len(values) - len(shown)


def indicator_views(indicators: list[Indicator], areas: list[Area]) -> list[IndicatorView]:
    """One query for all values; charts for the indicators that have any."""
    by_indicator: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in IndicatorValue.objects.filter(
        indicator__in=indicators, area__in=areas, value__isnull=False
    ).select_related("uploaded_for"):
        by_indicator[value.indicator_id].append(value)
    names = {area.pk: area.name for area in areas}
    views = []
    threshold = settings.NOLLVISION_SUPPRESS_BELOW
    for indicator in indicators:
        values, hidden = public_values(indicator, by_indicator.get(indicator.pk, []), threshold)
        view = IndicatorView(
            indicator,
            suppressed=hidden,
            uploaded_for=sorted({v.uploaded_for.name for v in values if v.uploaded_for}),
            from_source=any(v.uploaded_for_id is None for v in values),
        )
        totals = [v for v in values if v.sex == Sex.TOTAL and v.area_id in names]
        if totals:
            years = sorted({v.period for v in totals})
            view.latest_year = years[-1]
            table = {(v.area_id, v.period): float(v.value) for v in totals}
            maximum = max(table.values()) or 1.0
            series = [
                (names[a.pk], [table.get((a.pk, y)) for y in years])
                for a in areas
                if any((a.pk, y) in table for y in years)
            ]
            title = str(indicator.title)
            view.charts.append(
                lines(
                    f"trend-{indicator.code}",
                    _("%(title)s over the years") % {"title": title},
                    _("The value for each year, for the county and each municipality."),
                    years,
                    series,
                    row_header=_("Area"),
                    maximum=maximum,
                    fmt=number,
                )
            )
            latest = [
                (names[a.pk], table.get((a.pk, years[-1])))
                for a in areas
                if a.level == AreaLevel.MUNICIPALITY
            ]
            view.charts.append(
                bars(
                    f"municipalities-{indicator.code}",
                    _("%(title)s, municipalities side by side, %(year)d")
                    % {"title": title, "year": years[-1]},
                    _("The value of the latest year for each municipality."),
                    latest,
                    n_label=indicator.unit or _("Value"),
                    row_header=_("Municipality"),
                    maximum=maximum,
                    fmt=number,
                )
            )
        by_sex = [v for v in values if v.sex != Sex.TOTAL]
        if by_sex:
            year = max(v.period for v in by_sex)
            rows = [
                (f"{names.get(v.area_id, '')}, {v.get_sex_display()}", float(v.value))
                for v in sorted(by_sex, key=lambda v: (v.area_id, v.sex))
                if v.period == year and v.area_id in names
            ]
            view.charts.append(
                bars(
                    f"sex-{indicator.code}",
                    _("%(title)s, women and men, %(year)d")
                    % {"title": str(indicator.title), "year": year},
                    _("The value for women and for men."),
                    rows,
                    n_label=indicator.unit or _("Value"),
                    row_header=_("Area"),
                    maximum=max(r[1] for r in rows) or 1.0,
                    fmt=number,
                )
            )
        views.append(view)
    return views
