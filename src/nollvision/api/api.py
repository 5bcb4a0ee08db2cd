"""The open data API under /api/v1/: read-only, public, paginated, rate-limited; JSON by default
and CSV with `?format=csv`. Identifiers are stable: plans by slug (and version), measures by
their key, organisations by slug, support services by key. Follow-up figures come from
accepted and published answers only (reports.published)."""

import csv
import io
import re
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from nollvision.accounts import geography
from nollvision.accounts.models import Organisation
from nollvision.core.spreadsheets import csv_cell
from nollvision.plans.selectors import plan_get, plans_visible_to
from nollvision.reports.published import goal_aggregates
from nollvision.support.hours import UNKNOWN
from nollvision.support.models import Need, SupportService
from nollvision.support.selectors import services_covering

from . import schemas

MAX_PAGE_SIZE = 500
CSV_LIMIT = 10_000

Format = Literal["json", "csv"]


# Codes are spelled one way across the API: a county by SCB's two digits ("22"), an area (a
# municipality, or a county as an area) by four ("2281", "0022").
COUNTY = Field(
    None,
    pattern=r"^[0-9]{2}$",
    description="only this county's: its two-digit code (SCB), e.g. 22 for Västernorrlands län",
)


class ListParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    format: Format = "json"


class CountyParams(ListParams):
    county: str | None = COUNTY


def _known_county(code: str | None) -> str | None:
    """The county code asked for, if it is one of Sweden's; 404 for a code that is none."""
    if code is not None and geography.county(code) is None:
        raise HttpError(404, "no such county")
    return code


class RateThrottle(AnonRateThrottle):
    """Requests per address and period, read from NOLLVISION_API_RATE at each request."""

    def __init__(self):
        super().__init__(settings.NOLLVISION_API_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.NOLLVISION_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="Nollvision open data",
    version="1",
    description=(
        "Plans against men's violence against women and violence in close relationships, the "
        "bodies that signed them, the published follow-up figures and support services. "
        "Read-only and free to reuse. Add `format=csv` for CSV."
    ),
    urls_namespace="api",
    throttle=[RateThrottle()],
)

CSV_RESPONSE = {"content": {"text/csv": {"schema": {"type": "string"}}}}


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _text(value) -> dict[str, str]:
    return dict(value or {})


FACTS = ("entry", "phone", "hours", "operator")


def _checks_as_columns(row: dict) -> dict:
    """A spreadsheet has no lists of records: each fact's check gets columns of its own."""
    checks = {c["fact"]: c for c in row["checks"]}
    flat = {k: v for k, v in row.items() if k != "checks"}
    for fact in FACTS:
        check = checks.get(fact, {})
        for part in ("source", "checked", "as_of"):
            flat[f"{fact}_{part}"] = check.get(part)
    return flat


def _hours_in_words(service) -> dict[str, str]:
    """The regular week in each language, as the support page says it."""
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words[code] = "; ".join(service.week)
    return words


def _paginate(request, items, params: ListParams) -> dict:
    count = len(items) if isinstance(items, list) else items.count()
    start = (params.page - 1) * params.page_size
    page_items = list(items[start : start + params.page_size])

    def link(page: int) -> str:
        query = request.GET.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "next": link(params.page + 1) if start + params.page_size < count else None,
        "previous": link(params.page - 1) if params.page > 1 else None,
        "results": page_items,
    }


def _flatten(row: dict) -> dict:
    flat = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for language in ("sv", "en"):
                flat[f"{key}_{language}"] = value.get(language, "")
        elif isinstance(value, list):
            flat[key] = ";".join(str(item) for item in value)
        else:
            flat[key] = "" if value is None else value
    return flat


def csv_response(rows: list[dict], name: str) -> HttpResponse:
    flat = [
        {key: csv_cell(value) for key, value in _flatten(row).items()} for row in rows[:CSV_LIMIT]
    ]
    buffer = io.StringIO()
    if flat:
        writer = csv.DictWriter(buffer, fieldnames=list(flat[0]))
        writer.writeheader()
        writer.writerows(flat)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _valid_slug(slug: str) -> bool:
    """A plan's slug holds letters, digits, - and _; anything else names no plan (and a NUL
    would not even reach PostgreSQL)."""
    return SLUG.fullmatch(slug) is not None


def _public_plans():
    return plans_visible_to(AnonymousUser())


def _plan_summary(request, plan) -> dict:
    return {
        "slug": plan.slug,
        "version": plan.version,
        "title": _text(plan.title),
        "region": plan.region.name,
        "county": plan.region.code,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
        "url": request.build_absolute_uri(
            reverse("public:plan-version", args=[plan.slug, plan.version])
        ),
    }


@api.get(
    "/plans/",
    response={200: schemas.PlanPage, 404: schemas.Error, 422: schemas.Invalid},
    openapi_extra={"responses": {200: CSV_RESPONSE}},
    summary="Plans",
)
def plans(request, params: Query[CountyParams]):
    """Every published version of every plan (or of the county's), newest version first."""
    plans = _public_plans().select_related("region")
    if county := _known_county(params.county):
        plans = plans.filter(region__code=county)
    rows = [_plan_summary(request, p) for p in plans.order_by("slug", "-version")]
    if params.format == "csv":
        return csv_response(rows, "planer")
    return _paginate(request, rows, params)


class PlanParams(Schema):
    version: int | None = None
    format: Format = "json"


@api.get(
    "/plans/{slug}/",
    response={200: schemas.PlanOut, 404: schemas.Error, 422: schemas.Invalid},
    openapi_extra={"responses": {200: CSV_RESPONSE}},
    summary="A plan with its goals and measures",
)
def plan_detail(request, slug: str, params: Query[PlanParams]):
    """The newest published version of the plan, or `version`; CSV gives one row a measure."""
    plan = _valid_slug(slug) and plan_get(
        user=AnonymousUser(), slug=slug, version=params.version, prefetch=False
    )
    if not plan:
        raise HttpError(404, "no such plan")
    measures = plan.measures.prefetch_related(
        "prevention_levels", "violence_areas", "organisation_kinds"
    ).order_by("position")
    by_goal: dict[int, list] = {}
    for m in measures:
        by_goal.setdefault(m.goal_id, []).append(
            {
                "code": m.code,
                "key": m.key,
                "text": _text(m.text),
                "section": _text(m.section),
                "prevention_levels": [t.code for t in m.prevention_levels.all()],
                "violence_areas": [t.code for t in m.violence_areas.all()],
                "organisation_kinds": [k.code for k in m.organisation_kinds.all()],
            }
        )
    goals = [
        {
            "number": g.number,
            "title": _text(g.title),
            "text": _text(g.text),
            "measures": by_goal.get(g.pk, []),
        }
        for g in plan.goals.all()
    ]
    if params.format == "csv":
        rows = [
            {"goal": goal["number"], "goal_title": goal["title"], **measure}
            for goal in goals
            for measure in goal["measures"]
        ]
        return csv_response(rows, f"{plan.slug}-v{plan.version}")
    return {
        **_plan_summary(request, plan),
        "signatories": list(
            plan.signatures.order_by("position").values_list("organisation__slug", flat=True)
        ),
        "goals": goals,
    }


class FollowupParams(Schema):
    year: int | None = None
    format: Format = "json"


@api.get(
    "/plans/{slug}/followups/",
    response={200: schemas.FollowupOut, 404: schemas.Error, 422: schemas.Invalid},
    openapi_extra={"responses": {200: CSV_RESPONSE}},
    summary="Published follow-up figures per year and goal",
)
def followups(request, slug: str, params: Query[FollowupParams]):
    """How many measure answers of each status the bodies reported per goal, in every published
    follow-up (or `year`), from accepted answers only; `bodies` is how many bodies they rest on."""
    if not (_valid_slug(slug) and _public_plans().filter(slug=slug).exists()):
        raise HttpError(404, "no such plan")
    rows = [r for r in goal_aggregates(slug) if params.year in (None, r["year"])]
    if params.format == "csv":
        return csv_response(rows, f"uppfoljning-{slug}")
    return {
        "plan": slug,
        "note": "Counts of measure answers by status, from accepted and published follow-ups.",
        "results": rows,
    }


@api.get(
    "/organisations/",
    response={200: schemas.OrganisationPage, 404: schemas.Error, 422: schemas.Invalid},
    openapi_extra={"responses": {200: CSV_RESPONSE}},
    summary="Organisations that signed a published plan",
)
def organisations(request, params: Query[CountyParams]):
    """The bodies that signed a published plan (or the county's); `county` is the county whose
    plan each signed."""
    items = (
        Organisation.objects.filter(signatures__plan__in=_public_plans())
        .select_related("kind", "region")
        .distinct()
        .order_by("slug")
    )
    if county := _known_county(params.county):
        items = items.filter(region__code=county)
    rows = [
        {
            "slug": o.slug,
            "name": o.name,
            "kind": o.kind.code,
            "region": o.region.code if o.region else None,
            "county": o.region.code if o.region else None,
            "municipality_code": o.municipality_code,
            "website": o.website,
        }
        for o in items
    ]
    if params.format == "csv":
        return csv_response(rows, "organisationer")
    return _paginate(request, rows, params)


class ServiceParams(ListParams):
    area: str | None = Field(
        None,
        pattern=r"^[0-9]{4}$",
        description="a municipality's code (2281) or a county's as an area (0022): its services, "
        "its county's and the national ones",
    )
    county: str | None = COUNTY
    need: Literal[tuple(Need.values)] | None = None  # type: ignore[valid-type]


@api.get(
    "/support-services/",
    response={200: schemas.ServicePage, 404: schemas.Error, 422: schemas.Invalid},
    openapi_extra={"responses": {200: CSV_RESPONSE}},
    summary="Support services",
)
def support_services(request, params: Query[ServiceParams]):
    """Where to get support. `area` (a municipality or county code) also gives the national and
    county-wide services; `verified` is false where the details have not been checked. `hours`
    is the opening hours in OpenStreetMap's opening_hours syntax (empty: not known), `open_now`
    the state at the time of the request (null: not known), and `checks` the source and the day
    each fact was checked."""
    if params.area is not None and geography.county_code_of_area(params.area) is None:
        raise HttpError(404, "no such area")
    items = services_covering(params.area) if params.area else SupportService.objects.all()
    if county := _known_county(params.county):
        items = items.filter(area__code__in=geography.county(county).area_codes)
    rows = []
    moment = timezone.now()
    for s in items.select_related("area"):
        if params.need and params.need not in s.needs:
            continue
        state = s.status(moment)
        rows.append(
            {
                "key": s.key,
                "name": _text(s.name),
                "for_whom": _text(s.for_whom),
                "needs": list(s.needs),
                "area": s.area.code if s.area else None,
                "area_name": s.area.name if s.area else None,
                "county": geography.county_code_of_area(s.area.code) if s.area else None,
                "phone": s.phone,
                "opening_hours": _hours_in_words(s),
                "hours": s.hours,
                "hours_note": _text(s.hours_note),
                "open_now": None if state.state == UNKNOWN else state.is_open,
                "operator": _text(s.operator),
                "checks": [
                    {
                        "fact": c.field,
                        "source": c.source,
                        "checked": c.checked.isoformat() if c.checked else None,
                        "as_of": c.as_of.isoformat() if c.as_of else None,
                    }
                    for c in s.checks()
                ],
                "url": s.url,
                "languages": s.language_list,
                "emergency": s.emergency,
                "last_verified": s.last_verified.isoformat() if s.last_verified else None,
                "verified": s.is_verified,
            }
        )
    if params.format == "csv":
        return csv_response([_checks_as_columns(row) for row in rows], "stod")
    return _paginate(request, rows, params)
