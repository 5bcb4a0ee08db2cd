"""Loading the shipped support services and guide, the coordinator's verification, and the
coordinator's changes to the guide ("What do I do if ...") in the back office."""

import datetime
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nollvision.accounts.models import OrganisationKind
from nollvision.core import yamldata
from nollvision.core.public_cache import invalidate
from nollvision.indicators.models import Area
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Plan

from .models import Situation, Step, SupportService

DATA = resources.files("nollvision.support") / "data"
SERVICES_FILE = "support-services.yaml"
GUIDE_FILE = "guide-vasternorrland-2022-2026.yaml"


class SupportDataError(ValueError):
    pass


def _read(content: str | None, name: str) -> dict:
    text = content if content is not None else (DATA / name).read_text(encoding="utf-8")
    data = yamldata.safe_load(text)
    if not isinstance(data, dict):
        raise SupportDataError(f"{name}: expected a mapping at the top")
    return data


# The entry's fields as the file writes them, beside the ones read specially (key, area, needs).
TEXT_FIELDS = ("name", "for_whom", "hours_note", "operator")
PLAIN_FIELDS = (
    "phone",
    "phone_source",
    "hours",
    "hours_source",
    "operator_source",
    "url",
    "languages",
    "source",
)
DATE_FIELDS = (
    "last_verified",
    "phone_checked",
    "hours_checked",
    "hours_as_of",
    "operator_checked",
)


def _last_checked(service: SupportService) -> datetime.date | None:
    return max((c.checked for c in service.checks() if c.checked), default=None)


@transaction.atomic
def services_load(content: str | None = None, *, only_newer: bool = False) -> int:
    """Create or update the services of the file by key; entries the coordinator added stay.

    With `only_newer`, an entry already stored is updated only where the file's entry was checked
    later than the stored one: shipped corrections reach every installation, and a check made
    since by the people who keep the entry is never overwritten. Returns the entries written."""
    data = _read(content, SERVICES_FILE)
    for area in data.get("areas", []):
        Area.objects.get_or_create(
            code=area["code"], defaults={"name": area["name"], "level": area["level"]}
        )
    areas = {a.code: a for a in Area.objects.all()}
    stored = {s.key: s for s in SupportService.objects.select_related("area")}
    written = 0
    for position, entry in enumerate(data.get("services", [])):
        key = entry.get("key", f"#{position}")
        if entry.get("area") and entry["area"] not in areas:
            raise SupportDataError(f"{key}: unknown area {entry['area']}")
        service = SupportService(key=key)
        service.position = position
        service.needs = list(entry.get("needs") or [])
        service.area = areas.get(entry.get("area"))
        for name in TEXT_FIELDS:
            setattr(service, name, entry.get(name) or "")
        for name in PLAIN_FIELDS:
            setattr(service, name, str(entry.get(name) or ""))
        for name in DATE_FIELDS:
            setattr(service, name, entry.get(name))
        service.emergency = bool(entry.get("emergency"))
        service.permanent = bool(entry.get("permanent"))
        before = stored.get(key)
        if before is not None:
            if only_newer and (_last_checked(service) or datetime.date.min) <= (
                _last_checked(before) or datetime.date.min
            ):
                continue
            service.pk = before.pk
        try:
            service.full_clean(validate_unique=False)
        except ValidationError as error:
            raise SupportDataError(f"{key}: {'; '.join(error.messages)}") from error
        service.save()
        written += 1
    return written


def guide_plan_missing(content: str | None = None) -> bool:
    """True when the plan the guide is written for has not been imported."""
    return not Plan.objects.filter(slug=_read(content, GUIDE_FILE)["plan"]).exists()


@transaction.atomic
def guide_load(content: str | None = None) -> int:
    """Replace the guide of the file's plan with the file's situations and steps."""
    data = _read(content, GUIDE_FILE)
    plan_slug = data["plan"]
    kinds = {k.code: k for k in OrganisationKind.objects.all()}
    Situation.objects.filter(plan_slug=plan_slug).delete()
    for position, entry in enumerate(data.get("situations", [])):
        situation = Situation(plan_slug=plan_slug, key=entry["key"], position=position)
        situation.title = entry["title"]
        situation.introduction = entry.get("introduction") or ""
        situation.save()
        for number, step_data in enumerate(entry.get("steps", []), start=1):
            kind = step_data.get("organisation_kind")
            if kind and kind not in kinds:
                raise SupportDataError(f"{entry['key']} step {number}: unknown kind {kind}")
            step = Step(
                situation=situation,
                position=number,
                stage=step_data["stage"],
                organisation_kind=kinds.get(kind),
                duty_contains=step_data.get("duty_contains", ""),
            )
            step.text = step_data["text"]
            step.save()
    return len(data.get("situations", []))


def service_mark_verified(*, service: SupportService, on: datetime.date | None = None) -> None:
    """Whoever keeps the entry checked every fact of it with the service on that day."""
    on = on or timezone.localdate()
    fields = {
        "entry": "last_verified",
        "phone": "phone_checked",
        "hours": "hours_checked",
        "operator": "operator_checked",
    }
    changed = [fields[check.field] for check in service.checks()]
    for name in changed:
        setattr(service, name, on)
    service.hours_as_of = None  # the hours are now as the service says today
    service.save(update_fields=[*changed, "hours_as_of"])


# The guide in the back office. Each write is one transaction and makes the public pages stale at
# once (the signals do so too; a move writes several rows and says it once more at the end).


def _next_position(rows, first: int) -> int:
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return first if last is None else last + 1


@transaction.atomic
def situation_save(*, plan: Plan, situation: Situation | None, data: dict) -> Situation:
    """Add a situation to the plan's guide (last), or change one. Its key is the last part of its
    public address and is unique within the plan."""
    if situation is None:
        situation = Situation(
            plan_slug=plan.slug,
            position=_next_position(Situation.objects.filter(plan_slug=plan.slug), 0),
        )
    for name, value in data.items():
        setattr(situation, name, value)
    taken = Situation.objects.filter(plan_slug=plan.slug, key=situation.key)
    if situation.pk is not None:
        taken = taken.exclude(pk=situation.pk)
    if taken.exists():
        raise ValidationError(
            {"key": _("Another situation of this plan has this identifier. Choose another one.")}
        )
    situation.full_clean()
    situation.save()
    invalidate()
    return situation


@transaction.atomic
def step_save(*, plan: Plan, situation: Situation, step: Step | None, data: dict) -> Step:
    """Add a step to a situation (last), or change one. Its stage is one of the plan's chain
    stages (a step saved before under a stage the plan no longer has may keep it)."""
    # The stage as stored (a model form has already set the new one on the instance).
    before = (
        Step.objects.filter(pk=step.pk).values_list("stage", flat=True).first() if step else None
    )
    if step is None:
        step = Step(situation=situation, position=_next_position(situation.steps.all(), 1))
    for name, value in data.items():
        setattr(step, name, value)
    stages = set(
        plan.terms.filter(vocabulary=Vocabulary.CHAIN_STAGE).values_list("code", flat=True)
    )
    if step.stage not in stages and step.stage != before:
        raise ValidationError({"stage": _("Choose one of the stages of the plan's chain.")})
    step.full_clean()
    step.save()
    invalidate()
    return step


def _move(rows: list, pk: int, up: bool, start: int) -> bool:
    """Swap the row with its neighbour and number them all from `start` (saving those whose
    number changed, so that the history records each). False at either end."""
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=start):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    invalidate()
    return True


@transaction.atomic
def situation_move(*, situation: Situation, up: bool) -> bool:
    """Move a situation one place up or down in its plan's guide."""
    rows = Situation.objects.select_for_update().filter(plan_slug=situation.plan_slug)
    return _move(list(rows.order_by("position", "key")), situation.pk, up, start=0)


@transaction.atomic
def step_move(*, step: Step, up: bool) -> bool:
    """Move a step one place up or down in its situation."""
    rows = Step.objects.select_for_update().filter(situation_id=step.situation_id)
    return _move(list(rows.order_by("position", "pk")), step.pk, up, start=1)


@transaction.atomic
def situation_delete(*, situation: Situation) -> None:
    """Delete a situation and its steps (the history keeps them)."""
    situation.delete()
    invalidate()


@transaction.atomic
def step_delete(*, step: Step) -> None:
    step.delete()
    invalidate()
