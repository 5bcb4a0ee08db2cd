"""A generated data set for benchmarks: `nollvision generate_demo --scale county|national`.

From a fixed seed: 21 counties (or one) with their municipalities (290 in all), the county board,
the region and six national agencies' regional units per county, one plan per county copied from
the default plan, ten years of follow-ups with answers (most accepted), the latest year's report
published, support services per municipality, and twenty years of indicator values per area and
sex. All names are synthetic ("Kommun 0114"); everything generated has the slug prefix `gen-`.
Rows are written in bulk (no history records): this is test data, not anyone's work.
"""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from nollvision.accounts import geography
from nollvision.accounts.models import Organisation, OrganisationKind, Region
from nollvision.devtools.demo.followup import DemoNotAllowed
from nollvision.followup.enums import CampaignStatus, MeasureStatus, ResponseStatus
from nollvision.followup.models import Campaign, MeasureAnswer, Response
from nollvision.indicators.models import Area, AreaLevel, Indicator, IndicatorValue, Sex
from nollvision.meetings.services import groups_sync
from nollvision.plans.models import Goal, Measure, Plan, PlanFigure, Signatory
from nollvision.reports.services import report_publish
from nollvision.support.models import SupportService

# (code, name, municipalities): Sweden's 21 counties with their real municipalities (official list).
COUNTIES = [(int(c.code), c.name, c.municipalities) for c in geography.counties()]
AGENCIES = [
    ("police", "Polisen"),
    ("prosecution", "Åklagarmyndigheten"),
    ("prison-probation", "Kriminalvården"),
    ("social-insurance", "Försäkringskassan"),
    ("employment-service", "Arbetsförmedlingen"),
    ("migration", "Migrationsverket"),
]
STATUS_WEIGHTS = {
    MeasureStatus.NOT_STARTED: 1,
    MeasureStatus.PLANNED: 2,
    MeasureStatus.ONGOING: 4,
    MeasureStatus.IMPLEMENTED: 4,
}
LAST_YEAR = 2025


@dataclass
class Generated:
    counties: int = 0
    organisations: int = 0
    plans: int = 0
    campaigns: int = 0
    answers: int = 0
    indicator_values: int = 0
    services: int = 0
    publications: int = 0


def _base_plan() -> Plan:
    plan = Plan.objects.filter(slug=settings.NOLLVISION_DEFAULT_PLAN).order_by("-version").first()
    if plan is None:
        raise DemoNotAllowed("Import the default plan first (nollvision import_plan).")
    return plan


def generate(*, scale: str, seed: int = 2022, years: int = 10, publish: bool = True) -> Generated:
    if not settings.NOLLVISION_ALLOW_DEMO_DATA:
        raise DemoNotAllowed("Demo data may not be created with these settings.")
    if Organisation.objects.filter(slug__startswith="gen-").exists():
        raise DemoNotAllowed("A generated data set exists already.")
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
    counties = COUNTIES if scale == "national" else [c for c in COUNTIES if c[0] == 1]
    result = Generated(counties=len(counties))
    base = _base_plan()
    with transaction.atomic():
        kinds = {k.code: k for k in OrganisationKind.objects.all()}
        plans = []
        for code, name, municipalities in counties:
            region, _ = Region.objects.get_or_create(code=f"{code:02d}", defaults={"name": name})
            organisations = _organisations(region, code, name, municipalities, kinds)
            result.organisations += len(organisations)
            plans.append(_plan_copy(base, region, code, name, organisations))
        result.plans = len(plans)
        for plan in plans:
            campaigns, answers = _followups(plan, rng, years)
            result.campaigns += campaigns
            result.answers += answers
        result.indicator_values = _indicators(counties, rng)
        result.services = _services(counties)
    if publish:
        for plan in plans:
            report_publish(campaign=plan.campaigns.get(year=LAST_YEAR), user=None)
            result.publications += 1
    return result


def _organisations(region, code, name, municipalities, kinds) -> list[Organisation]:
    rows = [
        Organisation(
            slug=f"gen-{code:02d}-lansstyrelsen",
            name=f"Länsstyrelsen i {name}",
            kind=kinds["county-board"],
            region=region,
        ),
        Organisation(
            slug=f"gen-{code:02d}-region",
            name=f"Region {name}",
            kind=kinds["region"],
            region=region,
        ),
    ]
    rows += [
        Organisation(
            slug=f"gen-{code:02d}-{kind}",
            name=f"{agency}, {name}",
            kind=kinds[kind],
            region=region,
        )
        for kind, agency in AGENCIES
    ]
    rows += [
        Organisation(
            slug=f"gen-{m.code}",
            name=f"Kommun {m.name} (genererad)",
            kind=kinds["municipality"],
            region=region,
            municipality_code=m.code,
        )
        for m in municipalities
    ]
    return Organisation.objects.bulk_create(rows)


def _plan_copy(base: Plan, region, code, name, organisations) -> Plan:
    plan = Plan.objects.create(
        slug=f"gen-{code:02d}-2022-2026",
        version=1,
        title={"sv": f"Regional handlingsplan för {name} 2022–2026"},
        region=region,
        period_start=base.period_start,
        period_end=base.period_end,
        status=base.status,
        adopted_on=base.adopted_on,
    )
    goals = Goal.objects.bulk_create(
        [Goal(plan=plan, number=g.number, title=g.title, text=g.text) for g in base.goals.all()]
    )
    goal_of = {g.number: g for g in goals}
    base_measures = list(
        base.measures.select_related("goal").prefetch_related("organisation_kinds")
    )
    measures = Measure.objects.bulk_create(
        [
            Measure(
                plan=plan,
                goal=goal_of[m.goal.number],
                code=m.code,
                key=m.key,
                position=m.position,
                section=m.section,
                text=m.text,
            )
            for m in base_measures
        ]
    )
    Through = Measure.organisation_kinds.through
    Through.objects.bulk_create(
        [
            Through(measure_id=new.pk, organisationkind_id=kind.pk)
            for old, new in zip(base_measures, measures, strict=True)
            for kind in old.organisation_kinds.all()
        ]
    )
    Signatory.objects.bulk_create(
        [
            Signatory(plan=plan, organisation=organisation, position=n)
            for n, organisation in enumerate(organisations)
        ]
    )
    # The same figures (the figures page is benchmarked); what the base plan prints is its own.
    figures = list(base.figures.all())
    for figure in figures:
        figure.pk, figure.plan, figure.printed = None, plan, None
    PlanFigure.objects.bulk_create(figures)
    groups_sync(plan)
    return plan


def _followups(plan: Plan, rng: random.Random, years: int) -> tuple[int, int]:
    measures = list(plan.measures.prefetch_related("organisation_kinds"))
    concerns = {
        m.pk: {k.pk for k in m.organisation_kinds.all()} for m in measures
    }  # empty: every kind
    organisations = list(plan.signatories.all())
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                plan=plan,
                year=year,
                deadline=date(year + 1, 2, 15),
                status=CampaignStatus.CLOSED if year < LAST_YEAR else CampaignStatus.OPEN,
            )
            for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1)
        ]
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                campaign=campaign,
                organisation=organisation,
                status=ResponseStatus.ACCEPTED if rng.random() < 0.9 else ResponseStatus.DRAFT,
            )
            for campaign in campaigns
            for organisation in organisations
        ]
    )
    answers = [
        MeasureAnswer(
            response=response,
            measure_id=measure.pk,
            status=rng.choices(statuses, weights)[0],
            done=_answer_text(rng),
            version=1,
        )
        for response in responses
        for measure in measures
        if not concerns[measure.pk] or response.organisation.kind_id in concerns[measure.pk]
    ]
    MeasureAnswer.objects.bulk_create(answers, batch_size=5000)
    return len(campaigns), len(answers)


# Sentences about an organisation's own work, joined one to four at a time, so that answer
# texts are as long and as varied as real ones (the demo's average about 55 characters, longer
# answers run to several sentences): report layout time depends on it.
WORK_SENTENCES = (
    "Arbetet pågår enligt organisationens plan.",
    "Rutinen har reviderats under året och introducerats för nya medarbetare.",
    "Personalen har gått länets webbutbildning om våld i nära relationer.",
    "Arbetet har samordnats med länets nätverk och följs upp halvårsvis.",
    "Arbetet har påbörjats men behöver förankras i fler verksamheter.",
    "En handlingsplan har antagits av ledningsgruppen och ska följas upp nästa år.",
    "Samverkan med socialtjänsten och polisen har formaliserats i en överenskommelse.",
    "Frågan tas upp på arbetsplatsträffar och i introduktionen av nyanställda.",
    "Arbetet har inte prioriterats i år på grund av omorganisation.",
    "Chefer har fått stöd i att följa upp rutinen i sina verksamheter.",
)


def _answer_text(rng: random.Random) -> str:
    return " ".join(rng.sample(WORK_SENTENCES, rng.choice((1, 1, 2, 2, 3, 4))))


def _indicators(counties, rng: random.Random) -> int:
    areas = [
        Area.objects.get_or_create(
            code="0000", defaults={"name": "Riket", "level": AreaLevel.NATION}
        )[0]
    ]
    for code, name, municipalities in counties:
        areas.append(
            Area.objects.get_or_create(
                code=f"00{code:02d}", defaults={"name": name, "level": AreaLevel.COUNTY}
            )[0]
        )
        for m in municipalities:
            areas.append(
                Area.objects.get_or_create(
                    code=m.code, defaults={"name": m.name, "level": AreaLevel.MUNICIPALITY}
                )[0]
            )
    indicators = list(Indicator.objects.filter(development=False))
    existing = set(
        IndicatorValue.objects.filter(area__in=areas).values_list(
            "indicator_id", "area_id", "period", "sex"
        )
    )
    rows = [
        IndicatorValue(
            indicator=indicator,
            area=area,
            period=year,
            sex=sex,
            value=Decimal(rng.randint(50, 900)) / 10,
            source="generated",
        )
        for indicator in indicators
        for area in areas
        for year in range(LAST_YEAR - 19, LAST_YEAR + 1)
        for sex in (Sex.TOTAL, Sex.WOMEN, Sex.MEN)
        if (indicator.pk, area.pk, year, sex) not in existing
    ]
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _services(counties) -> int:
    areas = {a.code: a for a in Area.objects.filter(level=AreaLevel.MUNICIPALITY)}
    rows = [
        SupportService(
            key=f"gen-socialtjansten-{m.code}",
            name={"sv": f"Socialtjänsten, Kommun {m.name} (genererad)"},
            needs=["adults", "children", "stop", "relatives"],
            area=areas[m.code],
            position=100,
        )
        for _code, _name, municipalities in counties
        for m in municipalities
    ]
    SupportService.objects.bulk_create(rows)
    return len(rows)
