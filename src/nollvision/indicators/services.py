"""Writes of indicator data: imports that say what they changed, all or nothing."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .kolada import KoladaError, KoladaValue
from .models import Area, Indicator, IndicatorValue, Population


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            _(
                "%(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
                "%(removed)d withdrawn by the source"
            )
            % self.__dict__
        )


@transaction.atomic
def kolada_values_import(*, values: list[KoladaValue], source: str) -> ImportSummary:
    """Store Kolada values for the indicators that name them; refuse unknown areas or KPIs."""
    indicators = {i.kolada_id: i for i in Indicator.objects.exclude(kolada_id="")}
    areas = {a.code: a for a in Area.objects.all()}
    unknown_kpis = sorted({v.kpi for v in values} - set(indicators))
    unknown_areas = sorted({v.area for v in values} - set(areas))
    if unknown_kpis or unknown_areas:
        problems = []
        if unknown_kpis:
            problems.append(
                _("no indicator has the Kolada id %(ids)s") % {"ids": ", ".join(unknown_kpis)}
            )
        if unknown_areas:
            problems.append(_("unknown area code %(codes)s") % {"codes": ", ".join(unknown_areas)})
        raise KoladaError("; ".join(problems))
    existing = {
        (v.indicator_id, v.area_id, v.period, v.sex): v
        for v in IndicatorValue.objects.filter(indicator__in=list(indicators.values()))
    }
    summary = ImportSummary()
    for item in values:
        indicator, area = indicators[item.kpi], areas[item.area]
        key = (indicator.pk, area.pk, item.period, item.sex)
        row = existing.get(key)
        if item.deleted:
            if row is not None:
                row.delete()
                summary.removed += 1
            continue
        reason = _("no value published") if item.value is None else ""
        if row is None:
            IndicatorValue.objects.create(
                indicator=indicator,
                area=area,
                period=item.period,
                sex=item.sex,
                value=item.value,
                status=item.status,
                missing_reason=reason,
                source=source,
            )
            summary.created += 1
        elif (row.value, row.status, row.missing_reason) != (item.value, item.status, reason):
            row.value, row.status, row.missing_reason, row.source = (
                item.value,
                item.status,
                reason,
                source,
            )
            row.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary


SCB_CODES = {"00": "0000"}  # SCB's region codes to the areas' Kolada-style codes


def area_code(scb_region: str) -> str:
    """SCB writes the county as '22' and Sweden as '00'; areas use '0022' and '0000'."""
    return SCB_CODES.get(scb_region) or (f"00{scb_region}" if len(scb_region) == 2 else scb_region)


@transaction.atomic
def population_import(*, counts: dict[tuple, int], source: str) -> ImportSummary:
    """Store population bands; refuse regions that are not known areas."""
    areas = {a.code: a for a in Area.objects.all()}
    unknown = sorted({area_code(key[0]) for key in counts} - set(areas))
    if unknown:
        raise KoladaError(_("unknown area code %(codes)s") % {"codes": ", ".join(unknown)})
    summary = ImportSummary()
    for (region, year, sex, age_from, age_to), count in sorted(
        counts.items(), key=lambda item: (item[0][0], item[0][1], item[0][2], item[0][3])
    ):
        row, created = Population.objects.get_or_create(
            area=areas[area_code(region)],
            year=year,
            sex=sex,
            age_from=age_from,
            age_to=age_to,
            defaults={"count": count, "source": source},
        )
        if created:
            summary.created += 1
        elif row.count != count:
            row.count, row.source = count, source
            row.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
    return summary
