"""Reading support services and the guide for the public pages."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from nollvision.indicators.models import Area, AreaLevel
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Duty

from .models import VERIFY_EVERY, Need, Situation, SupportService


def municipalities() -> list[Area]:
    """The municipalities that have a service of their own, by name."""
    return list(
        Area.objects.filter(level=AreaLevel.MUNICIPALITY, support_services__isnull=False)
        .distinct()
        .order_by("name")
    )


def covering_codes(code: str) -> set[str]:
    """The area codes whose services reach an area: a municipality (2260) is in the county whose
    code is 00 and its first two digits (0022)."""
    return {code, f"00{code[:2]}"} if len(code) == 4 and not code.startswith("00") else {code}


def services_covering(code: str | None):
    """National services, and with a code those of the area and its county; without a code
    (the whole county) the national and county-wide ones."""
    services = SupportService.objects.select_related("area")
    if code is None:
        return services.filter(Q(area__isnull=True) | Q(area__level=AreaLevel.COUNTY))
    return services.filter(Q(area__isnull=True) | Q(area__code__in=covering_codes(code)))


def services_by_need(area: Area | None) -> list[tuple[Need, list[SupportService]]]:
    """For each need, the national and county-wide services and those of the municipality."""
    services = services_covering(area.code if area else None)
    grouped = defaultdict(list)
    for service in services:
        for need in service.needs:
            grouped[need].append(service)
    local_first = lambda s: (not s.emergency, s.area is None, s.position)  # noqa: E731
    return [(need, sorted(grouped[need.value], key=local_first)) for need in Need]


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


def services_due_for_verification(today=None) -> int:
    """How many services have not been verified in the last twelve months."""
    today = today or timezone.localdate()
    return SupportService.objects.filter(
        Q(last_verified__isnull=True) | Q(last_verified__lt=today - VERIFY_EVERY)
    ).count()
