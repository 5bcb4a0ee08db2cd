"""Loading the shipped support services and guide, and the coordinator's verification."""

import datetime
from importlib import resources

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nollvision.accounts.models import OrganisationKind
from nollvision.indicators.models import Area
from nollvision.plans.models import Plan

from .models import Situation, Step, SupportService

DATA = resources.files("nollvision.support") / "data"
SERVICES_FILE = "support-services.yaml"
GUIDE_FILE = "guide-vasternorrland-2022-2026.yaml"


class SupportDataError(ValueError):
    pass


def _read(content: str | None, name: str) -> dict:
    text = content if content is not None else (DATA / name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise SupportDataError(f"{name}: expected a mapping at the top")
    return data


@transaction.atomic
def services_load(content: str | None = None) -> int:
    """Create or update the services of the file by key; entries the coordinator added stay."""
    data = _read(content, SERVICES_FILE)
    for area in data.get("areas", []):
        Area.objects.get_or_create(
            code=area["code"], defaults={"name": area["name"], "level": area["level"]}
        )
    areas = {a.code: a for a in Area.objects.all()}
    for position, entry in enumerate(data.get("services", [])):
        key = entry.get("key", f"#{position}")
        if entry.get("area") and entry["area"] not in areas:
            raise SupportDataError(f"{key}: unknown area {entry['area']}")
        service = SupportService.objects.filter(key=key).first() or SupportService(key=key)
        service.position = position
        service.name = entry.get("name") or ""
        service.for_whom = entry.get("for_whom") or ""
        service.needs = list(entry.get("needs") or [])
        service.area = areas.get(entry.get("area"))
        service.phone = str(entry.get("phone") or "")
        service.opening_hours = entry.get("opening_hours") or ""
        service.url = entry.get("url") or ""
        service.languages = entry.get("languages") or ""
        service.emergency = bool(entry.get("emergency"))
        service.last_verified = entry.get("last_verified")
        service.source = entry.get("source") or ""
        service.permanent = bool(entry.get("permanent"))
        try:
            service.full_clean()
        except ValidationError as error:
            raise SupportDataError(f"{key}: {'; '.join(error.messages)}") from error
        service.save()
    return len(data.get("services", []))


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
    service.last_verified = on or timezone.localdate()
    service.save(update_fields=["last_verified"])
