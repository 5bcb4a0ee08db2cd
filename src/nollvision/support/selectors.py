"""Reading support services and the guide for the public pages."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from nollvision.accounts import geography, tenancy
from nollvision.indicators.models import Area
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Duty, Plan, Term

from . import hours as opening
from .models import Need, Situation, Step, SupportService


@dataclass(frozen=True)
class Place:
    """Where the visitor looks for support: a municipality or a whole county (official list)."""

    code: str  # a municipality's code (2281) or a county's area code (0022)
    name: str
    county: geography.County

    @property
    def is_county(self) -> bool:
        return self.code == self.county.area_code


def place(code: str) -> Place | None:
    """Any of Sweden's 290 municipalities or 21 counties, by code; None for anything else."""
    municipality = geography.municipality(code)
    if municipality is not None:
        county = geography.county(municipality.county_code)
        return Place(municipality.code, municipality.name, county)
    county = geography.county(code) if code.startswith("00") and len(code) == 4 else None
    return Place(county.area_code, county.name, county) if county else None


def covering_codes(code: str) -> set[str]:
    """The area codes whose services reach an area: a municipality (2260) is in the county whose
    code is 00 and its first two digits (0022)."""
    return {code, f"00{code[:2]}"} if len(code) == 4 and not code.startswith("00") else {code}


def services_covering(code: str):
    """National services, and those of the area and (for a municipality) its county."""
    return SupportService.objects.select_related("area").filter(
        Q(area__isnull=True) | Q(area__code__in=covering_codes(code))
    )


def services_for(code: str, need: str | None = None, moment=None) -> list[SupportService]:
    """Each service that reaches the place once, in the order a person in need should meet them
    (112 stands above the list on every support page, and first among the national lines): every
    line that is open or whose hours are not known, then the lines closed at `moment` (now by
    default), so that a closed line never comes before an open one; within each, the
    municipality's own first, then the county's, then national ones, emergency first. With
    `need`, only those that meet it. A municipality without entries of its own still gets its
    county's and national ones."""
    moment = moment or timezone.now()

    def order(service):
        level = 0 if service.area and service.area.code == code else 1 if service.area else 2
        closed = service.status(moment).is_closed
        return (closed, level, not service.emergency, service.position, service.key)

    services = [s for s in services_covering(code) if need is None or need in s.needs]
    return sorted(services, key=order)


@dataclass(frozen=True)
class Listed:
    """A service as the support page shows it at a moment: open now or not, and in words."""

    service: SupportService
    status: opening.Status
    said: str  # "Open now, closes at 12:00", in the active language; empty when not known

    @property
    def oldest_check(self):
        """The day of the oldest check of the facts shown; None while any fact is unchecked (the
        card then says so, and lists which facts were checked)."""
        days = [c.checked for c in self.service.checks()]
        return None if None in days else min(days)


def listing(services: list[SupportService], moment=None) -> list[Listed]:
    moment = moment or timezone.now()
    rows = []
    for service in services:
        state = service.status(moment)
        rows.append(Listed(service, state, opening.describe(state, moment)))
    return rows


def seconds_valid(services: list[SupportService], moment=None) -> int | None:
    """How long a page listing these services stays true: until the first opens or closes."""
    return opening.seconds_until_change([s.hours for s in services], moment)


def needs_offered(services: list[SupportService]) -> list[Need]:
    """The needs (in their fixed order) that at least one of the services meets."""
    met = {need for service in services for need in service.needs}
    return [need for need in Need if need.value in met]


def situations_of(plan) -> list[Situation]:
    return list(Situation.objects.filter(plan_slug=plan.slug))


def steps_with_duties(plan, situation: Situation) -> list[tuple]:
    """Each step with the stage's label and the plan's duties it links: two queries."""
    steps = list(situation.steps.select_related("organisation_kind"))
    duties = list(
        Duty.objects.filter(description__plan=plan)
        .select_related("description__organisation_kind", "chain_stage")
        .order_by("description__position", "position")
    )
    stages = {t.code: t for t in plan.terms.filter(vocabulary=Vocabulary.CHAIN_STAGE)}
    rows = []
    for step in steps:
        linked = [
            duty
            for duty in duties
            if duty.chain_stage is not None
            and duty.chain_stage.code == step.stage
            and (step.organisation_kind_id in (None, duty.description.organisation_kind_id))
            and step.duty_contains.lower() in str(duty.text).lower()
        ]
        rows.append((step, stages.get(step.stage), linked))
    return rows


@dataclass(frozen=True)
class GuideRow:
    """A situation of the guide as the back office lists it: its steps, each with its stage."""

    situation: Situation
    steps: list[tuple[Step, Term | None]]


def guide_rows(plan) -> list[GuideRow]:
    """The plan's situations in order, each with its steps and their stages: three queries."""
    steps = Prefetch(
        "steps",
        queryset=Step.objects.select_related("organisation_kind").order_by("position", "pk"),
    )
    stages = {t.code: t for t in plan.terms.filter(vocabulary=Vocabulary.CHAIN_STAGE)}
    return [
        GuideRow(situation, [(step, stages.get(step.stage)) for step in situation.steps.all()])
        for situation in Situation.objects.filter(plan_slug=plan.slug).prefetch_related(steps)
    ]


def situations_managed_by(user):
    """The guide situations of the plans of the counties the user coordinates."""
    slugs = Plan.objects.filter(region_id__in=tenancy.coordinated_regions(user)).values("slug")
    return Situation.objects.filter(plan_slug__in=slugs)


def situation_managed_by(user, plan_slug: str, pk: int) -> Situation | None:
    return situations_managed_by(user).filter(plan_slug=plan_slug, pk=pk).first()


def step_managed_by(user, plan_slug: str, pk: int) -> Step | None:
    situations = situations_managed_by(user).filter(plan_slug=plan_slug)
    return (
        Step.objects.filter(situation__in=situations, pk=pk)
        .select_related("situation", "organisation_kind")
        .first()
    )


def chain_stages(plan) -> list[Term]:
    """The stages of the plan's chain of interventions, in the plan's order (none in a plan file
    that gives no chain)."""
    return list(plan.terms.filter(vocabulary=Vocabulary.CHAIN_STAGE).order_by("position", "code"))


def services_managed_by(user):
    """The services of the counties the user coordinates (their county's and municipalities'
    entries). National services are shared by every county and kept by the administrators."""
    return SupportService.objects.filter(tenancy.in_areas_of(user)).select_related("area")


def service_managed_by(user, pk: int) -> SupportService | None:
    return services_managed_by(user).filter(pk=pk).first()


def services_of_county(county_code: str):
    """A county's own entries and its municipalities' (for staff setting a county up)."""
    codes = geography.area_codes_of_counties([county_code])
    return SupportService.objects.filter(area__code__in=codes).select_related("area")


def national_services():
    return SupportService.objects.filter(area__isnull=True)


def around_the_clock_lines(count: int = 1) -> list[SupportService]:
    """The national lines to call besides 112 before a place is chosen (the front door, the
    choice of municipality or county): those open around the clock, with a number, meeting the
    most needs first. Never closed, so a page that shows them stays true in any cache."""
    lines = [
        service
        for service in national_services()
        if service.phone and not service.emergency and service.status().state == opening.ALWAYS
    ]
    return sorted(lines, key=lambda s: (-len(s.needs), s.position, s.key))[:count]


def areas_managed_by(user):
    """The areas (county and municipalities) whose services the user keeps."""
    return Area.objects.filter(code__in=tenancy.area_codes_coordinated_by(user)).order_by("code")


def services_due_for_verification(user, today=None) -> int:
    """How many of the user's county's services have a fact not checked in twelve months."""
    today = today or timezone.localdate()
    return sum(1 for s in services_managed_by(user) if s.needs_verification(today))


def national_services_due(today=None) -> list[SupportService]:
    """The national entries (permanent numbers too) with a fact not checked in twelve months:
    what the platform's administrators check next."""
    today = today or timezone.localdate()
    return [s for s in national_services() if s.needs_verification(today)]
