"""Demo users and three years of follow-ups, for development databases only.

Everything here is about organisations and their work; nothing about people exposed to violence.
"""

import random
from datetime import date

from django.conf import settings
from django.db import transaction

from nollvision.accounts.models import Membership, Organisation, Role, User
from nollvision.followup import services
from nollvision.followup.enums import Action, MeasureStatus, ResponseStatus, Routine, RoutineState
from nollvision.followup.models import Campaign, MeasureAnswer
from nollvision.plans.models import Plan
from nollvision.reports.services import report_publish

DEMO_PASSWORD = "nollvision-demo"  # noqa: S105 - documented demo password, development only
COORDINATING_BODY = "lansstyrelsen-vasternorrland"
DONE_TEXTS = [
    "Rutinen har reviderats under året och introducerats för nya medarbetare.",
    "Samtliga enheter har gått igenom arbetssättet på arbetsplatsträffar.",
    "Arbetet har samordnats med länets nätverk och följs upp halvårsvis.",
    "En utbildningsinsats genomfördes för chefer och nyckelpersoner.",
    "Metodstöd från Västernorrland mot våld används i verksamheten.",
    "Arbetet har påbörjats men behöver förankras i fler verksamheter.",
]
NEXT_STEPS = [
    "Följa upp hur rutinen används under nästa år.",
    "Ta fram en kompetensplan för berörd personal.",
    "Utveckla samverkan med övriga myndigheter i länet.",
]


class DemoNotAllowed(Exception):
    pass


def demo_users(plan: Plan) -> dict[str, User]:
    """A coordinator, a reader, and a reporter and an approver for every signatory body."""
    users: dict[str, User] = {}

    def make(username: str, organisation: Organisation, role: str, **extra) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid", **extra}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        users[username] = user
        return user

    board = Organisation.objects.get(slug=COORDINATING_BODY)
    make("samordnare", board, Role.COORDINATOR, first_name="Demo", last_name="Samordnare")
    make("lasare", Organisation.objects.get(slug="region-vasternorrland"), Role.READER)
    for organisation in plan.signatories.all():
        short = _short(organisation)
        # Names that say the role (the history and the confirmations name people by name).
        make(
            f"rapportor-{short}",
            organisation,
            Role.REPORTER,
            first_name="Demo",
            last_name="Rapportör",
        )
        make(
            f"godkannare-{short}",
            organisation,
            Role.APPROVER,
            first_name="Demo",
            last_name="Godkännare",
        )
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.invalid"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["admin"] = admin
    return users


# Municipalities' slugs carry the genitive ("sundsvalls-kommun"); demo user names use the place.
_PLACE = {
    "sundsvalls-kommun": "sundsvall",
    "harnosands-kommun": "harnosand",
    "ornskoldsviks-kommun": "ornskoldsvik",
}


def _short(organisation: Organisation) -> str:
    slug = organisation.slug
    return _PLACE.get(slug) or slug.removesuffix("-vasternorrland").removesuffix("-kommun")


@transaction.atomic
def load_demo(
    *, plan: Plan, years=(2023, 2024, 2025), seed: int = 2022, publish: bool = False
) -> list[Campaign]:
    """Demo users and follow-ups; with `publish`, the closed years' reports are published (texts
    the bodies allowed are cleared first), so the public pages have figures to show."""
    if not settings.NOLLVISION_ALLOW_DEMO_DATA:
        raise DemoNotAllowed("Demo data may not be created with these settings.")
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    users = demo_users(plan)
    coordinator = users["samordnare"]
    campaigns = []
    for year in years:
        campaign = services.campaign_create(
            plan=plan,
            year=year,
            deadline=date(year + 1, 2, 15),
            introduction=f"Uppföljning av arbetet under {year}. Svara för er egen verksamhet.",
        )
        services.question_add(
            campaign=campaign,
            kind="yes_no",
            text="Har ni en utsedd kontaktperson för frågor om våld?",
            choices=[],
        )
        responses = services.campaign_open(campaign=campaign)
        last = year == years[-1]
        for index, response in enumerate(responses):
            reporter = users[f"rapportor-{_short(response.organisation)}"]
            approver = users[f"godkannare-{_short(response.organisation)}"]
            fate = _fate(rng, index, last)
            if fate == "missing":
                continue
            _fill(rng, response, reporter, year)
            if fate == "draft":
                continue
            services.response_transition(response=response, user=reporter, action=Action.SUBMIT)
            if fate == "submitted":
                continue
            services.response_transition(response=response, user=approver, action=Action.APPROVE)
            if fate == "approved":
                continue
            if fate == "returned":
                services.response_transition(
                    response=response,
                    user=coordinator,
                    action=Action.RETURN,
                    reason="Beskriv gärna mer konkret vad som gjorts.",
                    comments={"measure:2.1": "Vilka verksamheter omfattas av rutinen?"},
                )
                continue
            services.response_transition(response=response, user=coordinator, action=Action.ACCEPT)
        if not last:
            services.campaign_close(campaign=campaign)
            if publish:
                _publish(campaign, coordinator)
        campaigns.append(campaign)
    return campaigns


def _fate(rng: random.Random, index: int, last: bool) -> str:
    if not last:
        return "missing" if index % 7 == 6 else ("returned" if index == 3 else "accepted")
    return [
        "accepted",
        "accepted",
        "approved",
        "submitted",
        "returned",
        "draft",
        "missing",
        "accepted",
        "accepted",
        "approved",
        "draft",
        "accepted",
        "submitted",
        "accepted",
        "missing",
    ][index % 15]


def _fill(rng: random.Random, response, user, year: int) -> None:
    data = services.MeasureChange
    changes = []
    levels = [t.code for t in response.campaign.plan.terms.filter(vocabulary="prevention_levels")]
    for answer in response.measure_answers.select_related("measure"):
        status = rng.choices(
            [
                MeasureStatus.IMPLEMENTED,
                MeasureStatus.ONGOING,
                MeasureStatus.PLANNED,
                MeasureStatus.NOT_STARTED,
                MeasureStatus.NOT_RELEVANT,
            ],
            weights=[4, 5, 2, 1, 1],
        )[0]
        values = {"status": status, "may_publish": rng.random() < 0.7}
        if status == MeasureStatus.NOT_RELEVANT:
            values["not_relevant_reason"] = "Åtgärden ligger utanför myndighetens uppdrag."
        else:
            values.update(
                done=rng.choice(DONE_TEXTS),
                next_steps=rng.choice(NEXT_STEPS),
                prevention_levels=rng.sample(levels, k=rng.randint(0, len(levels))),
                target_groups="Medarbetare och chefer i verksamheten.",
                child_rights="Barnets bästa beaktas enligt verksamhetens rutiner.",
            )
        changes.append(data(answer.pk, answer.version, values))
    staff = rng.randint(40, 900)
    body = services.BodyChange(
        version=response.body_answer.version,
        values={
            "staff_concerned": staff,
            "completed_violence": rng.randint(staff // 4, staff),
            "completed_prostitution": rng.randint(0, staff // 2),
            "completed_honour": rng.randint(0, staff // 2),
            "completed_children": rng.randint(0, staff // 2),
            "specialist_staff": rng.randint(0, 12),
            "resource_centre_url": "https://vasternorrlandmotvald.se/",
        },
        routines={
            routine: {
                "state": rng.choice(RoutineState.values),
                "last_revised": date(year, rng.randint(1, 12), 1),
            }
            for routine in Routine.values
        },
        participations={p.body_id: rng.random() < 0.8 for p in response.participations.all()},
        extras={e.question_id: rng.random() < 0.6 for e in response.extra_answers.all()},
    )
    services.response_save(response=response, user=user, measures=changes, body=body)


def complete_body(response) -> services.BodyChange:
    """Every part of "About your organisation" answered, as a complete answer needs: for tests,
    drills and demo answers that are sent in."""

    def extra(question):
        return {
            "yes_no": True,
            "number": 1,
            "single": question.choices[0] if question.choices else None,
            "multiple": question.choices[:1],
        }.get(question.kind, "Ja.")

    return services.BodyChange(
        version=response.body_answer.version,
        values={"staff_concerned": response.body_answer.staff_concerned or 25},
        routines={
            r.routine: {"state": r.state or RoutineState.YES, "last_revised": r.last_revised}
            for r in response.routines.all()
        },
        participations={
            p.body_id: True if p.participates is None else p.participates
            for p in response.participations.all()
        },
        extras={
            e.question_id: extra(e.question) if e.value in (None, "", []) else e.value
            for e in response.extra_answers.select_related("question")
        },
    )


def demo_exists(plan: Plan) -> bool:
    return Campaign.objects.filter(plan=plan).exists()


def _publish(campaign: Campaign, coordinator: User) -> None:
    for answer in MeasureAnswer.objects.filter(
        response__campaign=campaign, response__status=ResponseStatus.ACCEPTED, may_publish=True
    ).exclude(done=""):
        services.answer_clear_for_publication(answer=answer, user=coordinator)
    report_publish(campaign=campaign, user=coordinator)
