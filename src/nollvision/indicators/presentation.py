"""Indicators as the public pages show them, per goal: a chart with its table for each series,
where every value comes from (a link and the years it covers, rounding by the publisher said
plainly), the latest year, and the method notes. Sweden's figures are labelled with the nation's
own area ("Riket"), never as the county's.

Read in a fixed number of queries, whatever the number of indicators, areas and years
(`selectors.page_rows`): the county's and Sweden's values of every year, and the municipalities'
values of their latest year only (the bars that compare them)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from nollvision.core.charts import Chart, bars, lines

from .models import Area, AreaLevel, Indicator, Sex
from .privacy import is_suppressed
from .selectors import PageRow, page_rows

COUNTS = {"antal"}  # units whose values are whole numbers of things


@dataclass(frozen=True)
class Formats:
    """Numbers as the page's language writes them: the separators read once per page, not once
    per number (a page of charts writes thousands), the same text as `number_format`."""

    decimal: str
    thousand: str
    grouping: int

    @classmethod
    def now(cls) -> "Formats":
        return cls(
            get_format("DECIMAL_SEPARATOR"),
            get_format("THOUSAND_SEPARATOR"),
            get_format("NUMBER_GROUPING"),
        )

    def _write(self, value: Decimal, places: int, grouped: bool) -> str:
        return numberformat.format(
            value,
            self.decimal,
            places,
            self.grouping,
            self.thousand,
            force_grouping=grouped,
            use_l10n=True,
        )

    def number(self, value) -> str:
        """A rate or share: one decimal."""
        return "–" if value is None else self._write(round(Decimal(value), 1), 1, False)

    def count(self, value) -> str:
        """A number of things (calls, crimes, people): whole, with the thousands grouped."""
        return "–" if value is None else self._write(round(Decimal(value)), 0, True)


def year_ranges(years) -> str:
    """2015, 2016, 2017, 2019 as "2015-2017, 2019" (with an en dash)."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


@dataclass
class SeriesSource:
    """One source of one series: who published it (link and title, or the body that uploaded
    it), the years it covers and those its publisher rounded."""

    series: str
    title: str
    url: str = ""
    published: date | None = None
    retrieved: date | None = None
    years: str = ""
    rounded_years: str = ""
    notes: list[str] = field(default_factory=list)
    uploaded_for: str = ""


@dataclass
class IndicatorView:
    indicator: Indicator
    charts: list[Chart] = field(default_factory=list)
    sources: list[SeriesSource] = field(default_factory=list)
    latest_year: int | None = None
    suppressed: int = 0  # values hidden because they count fewer people than the threshold
    local: bool = False  # the county or one of its municipalities has values
    national: bool = False  # Sweden (Riket) has values
    # Whether any value came from the indicator's own source (Kolada, SCB) rather than an upload.
    uploaded_for: list[str] = field(default_factory=list)
    from_source: bool = False

    @property
    def has_values(self) -> bool:
        return bool(self.charts or self.suppressed)


def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _series_label(area: Area, sex: str) -> str:
    if sex == Sex.TOTAL:
        return area.name
    return f"{area.name}, {Sex(sex).label}"


def _sources(indicator: Indicator, rows: list[PageRow], by_area: dict) -> list[SeriesSource]:
    """The sources of the county's and Sweden's series, each area apart; the municipalities'
    latest values share one line per source (naming up to three of them)."""
    grouped: dict[tuple, list[PageRow]] = defaultdict(list)
    place: dict[str, int] = {}  # the county before Sweden, the municipalities last
    for row in rows:
        area = by_area[row.area_id]
        series = "" if area.level == AreaLevel.MUNICIPALITY else area.name
        place.setdefault(series, {"county": 0, "nation": 1}.get(area.level, 2))
        grouped[(series, row.url, row.title or "", row.uploaded_for or "")].append(row)
    result = []
    ordered = sorted(
        grouped.items(), key=lambda i: (place[i[0][0]], min(r.period for r in i[1]), i[0])
    )
    for (series, url, title, uploaded_for), found in ordered:
        notes = sorted({r.note for r in found if r.note})
        if not series:
            names = sorted({by_area[r.area_id].name for r in found})
            series = (
                ", ".join(names)
                if len(names) <= 3
                else _("%(n)d municipalities") % {"n": len(names)}
            )
        result.append(
            SeriesSource(
                series=series,
                title=title or indicator.source,
                url=url,
                published=_day(max((r.published for r in found if r.published), default="")),
                retrieved=_day(max((r.retrieved for r in found if r.retrieved), default="")),
                years=year_ranges(r.period for r in found),
                rounded_years=year_ranges(r.period for r in found if r.rounded),
                notes=notes,
                uploaded_for=uploaded_for,
            )
        )
    return result


def _latest(labels, keys, table, year: int, fmt) -> str:
    """Each series' value of `year` in words, for the chart's description (read by a screen
    reader before the table)."""
    return "; ".join(
        f"{label} {fmt(table[key][year])}"
        for label, key in zip(labels, keys, strict=True)
        if table[key].get(year) is not None
    )


def _view(
    indicator: Indicator, rows: list[PageRow], areas: list[Area], threshold: int, formats: Formats
):
    by_area = {area.pk: area for area in areas}
    shown = [r for r in rows if not is_suppressed(indicator, r.value, threshold)]
    view = IndicatorView(indicator, suppressed=len(rows) - len(shown))
    view.local = any(by_area[r.area_id].level != AreaLevel.NATION for r in shown)
    view.national = any(by_area[r.area_id].level == AreaLevel.NATION for r in shown)
    view.uploaded_for = sorted({r.uploaded_for for r in shown if r.uploaded_for})
    view.from_source = any(not r.uploaded_for for r in shown)
    if not shown:
        return view
    view.sources = _sources(indicator, shown, by_area)
    view.latest_year = max(r.period for r in shown)
    title, code = str(indicator.title), indicator.code
    unit = indicator.unit or _("Value")
    fmt = formats.count if indicator.unit in COUNTS else formats.number
    # The trend: the county and Sweden, each as its total or, without one, by sex.
    wide = [r for r in shown if by_area[r.area_id].level != AreaLevel.MUNICIPALITY]
    table: dict[tuple[int, str], dict[int, float]] = defaultdict(dict)
    for r in wide:
        table[(r.area_id, r.sex)][r.period] = float(r.value)
    order = [a for a in areas if a.level != AreaLevel.MUNICIPALITY]
    keys = []
    for area in order:
        sexes = [s for s in Sex.values if (area.pk, s) in table]
        keys += [(area.pk, Sex.TOTAL)] if Sex.TOTAL in sexes else [(area.pk, s) for s in sexes]
    years = sorted({year for key in keys for year in table[key]})
    labels = [_series_label(by_area[a], s) for a, s in keys]
    maximum = max((v for key in keys for v in table[key].values()), default=0) or 1.0
    if len(years) > 1:
        view.charts.append(
            lines(
                f"trend-{code}",
                _("%(title)s over the years") % {"title": title},
                _("Each year's value is in the table; in %(year)d: %(values)s.")
                % {"year": years[-1], "values": _latest(labels, keys, table, years[-1], fmt)},
                years,
                [
                    (label, [table[key].get(y) for y in years])
                    for label, key in zip(labels, keys, strict=True)
                ],
                row_header=_("Area"),
                maximum=maximum,
                fmt=fmt,
            )
        )
    elif years:
        view.charts.append(
            bars(
                f"trend-{code}",
                _("%(title)s, %(year)d") % {"title": title, "year": years[0]},
                _("The value in %(year)d: %(values)s.")
                % {"year": years[0], "values": _latest(labels, keys, table, years[0], fmt)},
                [
                    (label, table[key].get(years[0]))
                    for label, key in zip(labels, keys, strict=True)
                ],
                n_label=unit,
                row_header=_("Area"),
                maximum=maximum,
                fmt=fmt,
            )
        )
    municipal = [r for r in shown if by_area[r.area_id].level == AreaLevel.MUNICIPALITY]
    if municipal:
        year = max(r.period for r in municipal)
        values = {r.area_id: float(r.value) for r in municipal if r.period == year}
        view.charts.append(
            bars(
                f"municipalities-{code}",
                _("%(title)s, municipalities side by side, %(year)d")
                % {"title": title, "year": year},
                _("The value of the latest year for each municipality."),
                [(a.name, values.get(a.pk)) for a in areas if a.level == AreaLevel.MUNICIPALITY],
                n_label=unit,
                row_header=_("Municipality"),
                maximum=max(values.values(), default=0) or 1.0,
                fmt=fmt,
            )
        )
    # Women and men, the latest year they were counted, where the trend shows totals.
    split = [(a, s) for a, s in table if s != Sex.TOTAL and (a, Sex.TOTAL) in table]
    if split:
        year = max(y for key in split for y in table[key])
        rows_by_sex = [
            (_series_label(by_area[a], s), table[(a, s)][year])
            for a in (area.pk for area in order)
            for s in (Sex.WOMEN, Sex.MEN)
            if year in table.get((a, s), {})
        ]
        view.charts.append(
            bars(
                f"sex-{code}",
                _("%(title)s, women and men, %(year)d") % {"title": title, "year": year},
                _("The value for women and for men."),
                rows_by_sex,
                n_label=unit,
                row_header=_("Area"),
                maximum=max(r[1] for r in rows_by_sex) or 1.0,
                fmt=fmt,
            )
        )
    return view


@dataclass
class GoalStatistics:
    local: list[IndicatorView] = field(default_factory=list)  # the county has figures
    reference: list[IndicatorView] = field(default_factory=list)  # Sweden's figures only
    elsewhere: list[tuple[Indicator, int]] = field(default_factory=list)  # shown under a goal
    waiting: list[Indicator] = field(default_factory=list)  # no values yet


def goal_statistics(
    goal_numbers: list[int], county: str | None, reference_only: bool = False
) -> dict[int, GoalStatistics]:
    """Per goal, its indicators: those with the county's figures, the national reference series
    (Sweden's only), those already shown under an earlier goal, and those without values. With
    `reference_only` (the plan's figures page) only the reference series are drawn."""
    indicators, areas, rows = page_rows(county)
    by_indicator: dict[int, list[PageRow]] = defaultdict(list)
    for row in rows:
        by_indicator[row.indicator_id].append(row)
    threshold = settings.NOLLVISION_SUPPRESS_BELOW
    formats = Formats.now()
    nation = {area.pk for area in areas if area.level == AreaLevel.NATION}
    views: dict[int, IndicatorView] = {}
    first_goal: dict[int, int] = {}
    result = {}
    for goal in goal_numbers:
        statistics = GoalStatistics()
        for indicator in indicators:
            if goal not in indicator.goal_numbers:
                continue
            if indicator.pk in first_goal:
                if views[indicator.pk].has_values:
                    statistics.elsewhere.append((indicator, first_goal[indicator.pk]))
                else:
                    statistics.waiting.append(indicator)
                continue
            found = by_indicator.get(indicator.pk, [])
            if reference_only and (not found or any(r.area_id not in nation for r in found)):
                continue  # the county's own or no figures: not drawn on the figures page
            view = _view(indicator, found, areas, threshold, formats)
            views[indicator.pk] = view
            first_goal[indicator.pk] = goal
            if not view.has_values:
                statistics.waiting.append(indicator)
            elif view.local or not view.national:
                statistics.local.append(view)
            else:
                statistics.reference.append(view)
        result[goal] = statistics
    return result
