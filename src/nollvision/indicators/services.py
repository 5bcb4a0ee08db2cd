"""Writes of indicator data: imports that say what they changed, all or nothing."""

from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nollvision.core.public_cache import invalidate

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


@dataclass(frozen=True)
class ValueSource:
    """Where one value was published: the address, the page's or table's title, when it was
    published or retrieved, whether the publisher rounded it, and a note (a quote, a caveat)."""

    url: str = ""
    title: str = ""
    published: date | None = None
    retrieved: date | None = None
    rounded: bool = False
    note: str = ""


NO_SOURCE = ValueSource()


def kolada_source(kpi: str, origin: str) -> ValueSource:
    """A Kolada value's source: the KPI's address in Kolada's API, retrieved today (from the API)
    or read from a saved response (`origin` "file:NAME", no retrieval date known)."""
    url = f"{settings.NOLLVISION_KOLADA_URL.rstrip('/')}/kpi/{kpi}"
    if origin.startswith("file:"):
        return ValueSource(
            url=url,
            title=f"Kolada, {kpi}",
            note=_("from a saved response (%(name)s)") % {"name": origin.removeprefix("file:")},
        )
    return ValueSource(url=url, title=f"Kolada, {kpi}", retrieved=timezone.localdate())


@transaction.atomic
def kolada_values_import(*, values: list[KoladaValue], source: str) -> ImportSummary:
    """Store Kolada values for the indicators that name them; refuse unknown areas or KPIs.
    Every value records its source: the KPI's address in Kolada and when it was retrieved."""
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
    wanted, withdrawn = {}, set()
    cited = {kpi: kolada_source(kpi, source) for kpi in {v.kpi for v in values}}
    for item in values:
        key = (indicators[item.kpi].pk, areas[item.area].pk, item.period, item.sex)
        if item.deleted:
            withdrawn.add(key)
            wanted.pop(key, None)
        else:
            reason = _("no value published") if item.value is None else ""
            wanted[key] = (item.value, reason, item.status, cited[item.kpi])
            withdrawn.discard(key)
    return store_values(wanted, source=source, withdrawn=withdrawn)


Key = tuple[int, int, int, str]  # indicator id, area id, period, sex
CITED = [
    "source_url",
    "source_title",
    "source_published",
    "source_retrieved",
    "rounded",
    "source_note",
]


def _cited_fields(cited: ValueSource) -> dict:
    return {
        "source_url": cited.url,
        "source_title": cited.title,
        "source_published": cited.published,
        "source_retrieved": cited.retrieved,
        "rounded": cited.rounded,
        "source_note": cited.note,
    }


def _cited_of(row: IndicatorValue) -> ValueSource:
    """The stored source, compared without its retrieval date (a later retrieval of the same
    figure from the same place is no change)."""
    return ValueSource(
        row.source_url, row.source_title, row.source_published, None, row.rounded, row.source_note
    )


def store_values(
    wanted: dict[Key, tuple],
    *,
    source: str,
    withdrawn: set[Key] = frozenset(),
    uploaded_by=None,
    uploaded_for=None,
) -> ImportSummary:
    """Write `wanted` {key: (value, missing_reason, status, ValueSource)} in a few bulk statements: new
    values are created, changed ones updated, equal ones left alone; `withdrawn` are deleted.
    Reads the present values of the indicators concerned once and writes in batches (about a
    hundred rows a statement on SQLite, two thousand on PostgreSQL), never a query per row.
    A value uploaded by hand records who uploaded it and for which body (`uploaded_by`,
    `uploaded_for`); a value from Kolada or SCB records neither. A value whose figure and
    source are unchanged keeps its retrieval date: importing again changes nothing. Call inside
    a transaction."""
    indicator_ids = {key[0] for key in wanted} | {key[0] for key in withdrawn}
    existing = {
        (v.indicator_id, v.area_id, v.period, v.sex): v
        for v in IndicatorValue.objects.filter(indicator_id__in=indicator_ids).only(
            "pk",
            "indicator_id",
            "area_id",
            "period",
            "sex",
            "value",
            "missing_reason",
            "status",
            "source",
            "uploaded_for_id",
            *CITED,
        )
    }
    summary = ImportSummary()
    new, changed = [], []
    for key, (value, reason, status, cited) in wanted.items():
        row = existing.get(key)
        if row is None:
            indicator_id, area_id, period, sex = key
            new.append(
                IndicatorValue(
                    indicator_id=indicator_id,
                    area_id=area_id,
                    period=period,
                    sex=sex,
                    value=value,
                    missing_reason=reason,
                    status=status,
                    source=source,
                    uploaded_by=uploaded_by,
                    uploaded_for=uploaded_for,
                    **_cited_fields(cited),
                )
            )
        elif (
            row.value,
            row.missing_reason,
            row.status,
            row.source,
            row.uploaded_for_id,
            _cited_of(row),
        ) != (
            value,
            reason,
            status,
            source,
            uploaded_for.pk if uploaded_for else None,
            replace(cited, retrieved=None),
        ):
            row.value, row.missing_reason, row.status, row.source = value, reason, status, source
            row.uploaded_by, row.uploaded_for = uploaded_by, uploaded_for
            for name, written in _cited_fields(cited).items():
                setattr(row, name, written)
            changed.append(row)
        else:
            summary.unchanged += 1
    gone = [existing[key].pk for key in withdrawn if key in existing]
    IndicatorValue.objects.bulk_create(new, batch_size=2000)
    IndicatorValue.objects.bulk_update(
        changed,
        ["value", "missing_reason", "status", "source", "uploaded_by", "uploaded_for", *CITED],
        batch_size=1000,
    )
    for start in range(0, len(gone), 1000):
        IndicatorValue.objects.filter(pk__in=gone[start : start + 1000]).delete()
    summary.created, summary.updated, summary.removed = len(new), len(changed), len(gone)
    if new or changed or gone:
        # Bulk statements send no save signals: tell the public page cache here.
        transaction.on_commit(invalidate)
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
