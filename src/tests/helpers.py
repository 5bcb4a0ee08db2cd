"""Small helpers shared by tests."""

import copy
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from nollvision.core import yamldata

from .jobs_helpers import job_objects


@cache
def _plan_data(path: str, changed: int) -> dict:
    return yamldata.safe_load(Path(path).read_text("utf-8"))


def default_plan_data() -> dict:
    """The default plan file's data, read once a process (a fresh copy each call)."""
    path = Path(settings.NOLLVISION_DEFAULT_PLAN_FILE)
    return copy.deepcopy(_plan_data(str(path), path.stat().st_mtime_ns))


def plan_yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF, as PDFium reads it (about twenty times faster than pypdf,
    which the tests keep for the files' structure). Lines end in a line break; a line that ends
    on a hyphen keeps it, as pypdf reads it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [
            page.get_textpage().get_text_bounded().replace("\r\n", "\n").replace("\x02", "-\n")
            for page in document
        ]
    finally:
        document.close()


def mutated(data: dict, change) -> dict:
    clone = copy.deepcopy(data)
    change(clone)
    return clone


SECOND_SLUG = "jamtland-2023-2026"
SECOND_ORGANISATIONS = [
    {
        "slug": "lansstyrelsen-jamtland",
        "name": "Länsstyrelsen Jämtlands län",
        "kind": "county-board",
    },
    # The same names as Västernorrland's bodies of these kinds: each county has its own.
    {"slug": "polismyndigheten-jamtland", "name": "Polismyndigheten", "kind": "police"},
    {"slug": "aklagarmyndigheten-jamtland", "name": "Åklagarmyndigheten", "kind": "prosecution"},
    {"slug": "region-jamtland-harjedalen", "name": "Region Jämtland Härjedalen", "kind": "region"},
    {
        "slug": "ostersunds-kommun",
        "name": "Östersunds kommun",
        "kind": "municipality",
        "municipality_code": "2380",
    },
    {
        "slug": "are-kommun",
        "name": "Åre kommun",
        "kind": "municipality",
        "municipality_code": "2321",
    },
]


def second_county_plan_data() -> dict:
    """A second county's plan (Jämtlands län) of the same shape as the default plan: the same
    goals and measure keys and codes, its own bodies, some with the same names."""
    data = default_plan_data()
    plan = data["plan"]
    plan["slug"] = SECOND_SLUG
    plan["title"] = {
        "sv": "Regional handlingsplan, Jämtlands län 2023–2026",
        "en": "Jämtland 2023–2026",
    }
    plan["region"] = {"code": "23", "name": "Jämtlands län"}
    plan["period"] = {"start": 2023, "end": 2026}
    plan["resource_centre"] = {"name": "Resurscentrum Jämtland"}
    data["organisations"] = [dict(o, signatory=True) for o in SECOND_ORGANISATIONS]
    for figure in data.get("figures", []):
        figure.pop("printed", None)  # the same rates; what Västernorrland's plan prints is its own
    return _renamed(data, "Västernorrland", "Jämtland")  # its texts name its own county


def _renamed(value, old: str, new: str):
    """`value` with `old` written as `new` in every text, at any depth."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {key: _renamed(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, old, new) for item in value]
    return value


# Odd values for any field or parameter (test_fuzz_routes.py, test_hostile_input.py): digits that
# are not ASCII, words for numbers, huge, negative and far values, impossible dates, over-long
# and empty values.
ODD = [
    "²",
    "١٢",
    "tre",
    "-1",
    "99999999999999999999999999",
    "1e400",
    "0001-01-01",
    "2025-02-30",
    "",
    "x" * 5000,
]


def route_objects(g, *, service, membership: int, county_code: str):
    """The objects the permission matrix's routes are opened with (`MATRIX[name][0](objects)`):
    the world's first answer and follow-up, the group fixture's group, meeting and so on."""
    from .oidc_helpers import route_provider

    world = g.world
    return type(
        "Objects",
        (),
        {
            "response": world.response_a.pk,
            "answer": world.response_a.measure_answers.order_by("pk").first().pk,
            "campaign": world.campaign.pk,
            "service": service.pk,
            "group": g.group.pk,
            "member": g.member.pk,
            "meeting": g.meeting.pk,
            "attachment": g.attachment.pk,
            "item": g.item.pk,
            "action": g.action.pk,
            "plan_slug": g.measure.plan.slug,
            "measure_key": g.measure.key,
            "membership": membership,
            "county_code": county_code,
            "provider": route_provider(world, county_code),
            "invitation": pending_invitation(world.response_a.organisation, world.coordinator),
            **plan_draft(world.plan),
            **guide_objects(world.plan),
            **job_objects(world.plan, world.coordinator),
        },
    )()


def guide_objects(plan) -> dict:
    """A situation of the plan's guide with one step (the guide editor's routes are opened with
    them): `situation` and `step`, their ids."""
    from nollvision.support.models import Situation, Step

    situation, _new = Situation.objects.get_or_create(
        plan_slug=plan.slug, key="matris", defaults={"title": {"sv": "Matrisläget"}}
    )
    step = situation.steps.first() or Step.objects.create(
        situation=situation, position=1, stage="detect", text={"sv": "Upptäck."}
    )
    return {"situation": situation.pk, "step": step.pk}


def pending_invitation(organisation, invited_by) -> int:
    """An invitation nobody has accepted yet to a body (the people page lists it, with its
    buttons to send it again and to withdraw it)."""
    from nollvision.accounts.models import Role
    from nollvision.accounts.services import invitation_create

    return invitation_create(
        email=f"invited-{organisation.slug}@example.invalid",
        organisation=organisation,
        role=Role.REPORTER,
        invited_by=invited_by,
        base_url="http://testserver/",
    ).pk


def plan_draft(plan) -> dict:
    """Start the draft of the plan's next version (the editor's routes work on it) and send it for
    consultation, and name what their routes are opened with: a kind of body's responsibility, a
    collaboration body, the consultation and the answer of the body of reporter_a/approver_a."""
    from datetime import timedelta

    from django.utils import timezone

    from nollvision.plans.consultation import consultation_send
    from nollvision.plans.editor import draft_start
    from nollvision.plans.models import Consultation, Plan

    draft = Plan.objects.filter(slug=plan.slug, status="draft").first() or draft_start(
        plan=plan, user=None
    )
    consultation = Consultation.objects.filter(plan=draft).first() or consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=None
    )
    return {
        "draft_pk": draft.pk,
        "consultation": consultation.pk,
        # The answer of the body reporter_a and approver_a work for (Sundsvall; Östersund).
        "consultation_answer": consultation.answers.order_by("organisation__slug")
        .filter(organisation__slug__in=("sundsvalls-kommun", "ostersunds-kommun"))
        .first()
        .pk,
        "responsibility_kind": draft.responsibilities.first().organisation_kind.code,
        "body_key": draft.collaboration_bodies.first().key,
        "figure_key": draft.figures.first().key,
    }


# Västernorrland's municipalities as a person looks for their own: Swedish alphabetical order
# (Å, Ä, Ö last), not the order of their codes.
VASTERNORRLAND_BY_NAME = [
    "Härnösand",
    "Kramfors",
    "Sollefteå",
    "Sundsvall",
    "Timrå",
    "Ånge",
    "Örnsköldsvik",
]
