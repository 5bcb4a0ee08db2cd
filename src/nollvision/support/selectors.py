"""Reading support services and the guide for the public pages."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from nollvision.accounts import geography, tenancy
from nollvision.indicators.models import Area
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Duty

from .models import VERIFY_EVERY, Need, Situation, SupportService


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


def services_for(code: str, need: str | None = None) -> list[SupportService]:
    """Each service that reaches the place once: the municipality's own first, then the
    county's, then national ones (emergency first within each); with `need`, only those that
    meet it. A municipality without entries of its own still gets its county's and national ones.
    """

    def local_first(service):
        level = 0 if service.area and service.area.code == code else 1 if service.area else 2
        return (level, not service.emergency, service.position, service.key)

    services = [s for s in services_covering(code) if need is None or need in s.needs]
    return sorted(services, key=local_first)


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


def services_managed_by(user):
    """The services of the counties the user coordinates (their county's and municipalities'
    entries). National services are shared by every county and kept by the administrators."""
    return SupportService.objects.filter(tenancy.in_areas_of(user)).select_related("area")


def service_managed_by(user, pk: int) -> SupportService | None:
    return services_managed_by(user).filter(pk=pk).first()


def national_services():
    return SupportService.objects.filter(area__isnull=True)


def areas_managed_by(user):
    """The areas (county and municipalities) whose services the user keeps."""
    return Area.objects.filter(code__in=tenancy.area_codes_coordinated_by(user)).order_by("code")


def services_due_for_verification(user, today=None) -> int:
    """How many of the user's county's services have not been verified in twelve months."""
    today = today or timezone.localdate()
    return (
        services_managed_by(user)
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=today - VERIFY_EVERY))
        .count()
    )
