"""Demo meetings (development databases only): the regional collaboration group with a
secretary and members, a past meeting with minutes, a decision and two actions (one overdue),
its minutes published, and a coming meeting."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from nollvision.accounts.models import Membership, Organisation, Role, User
from nollvision.devtools.demo.followup import DEMO_PASSWORD
from nollvision.meetings import services
from nollvision.meetings.models import ActionStatus, Group, MemberRole, Presence

GROUP_KEY = "regional-samverkansgrupp"


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_meetings_demo(*, plan, users: dict[str, User]) -> Group:
    group = Group.objects.get(plan_slug=plan.slug, key=GROUP_KEY)
    board = Organisation.objects.get(slug="lansstyrelsen-vasternorrland")
    secretary, created = User.objects.get_or_create(
        username="sekreterare",
        defaults={
            "email": "sekreterare@example.invalid",
            "first_name": "Demo",
            "last_name": "Sekreterare",
        },
    )
    if created:
        secretary.set_password(DEMO_PASSWORD)
        secretary.save()
    Membership.objects.update_or_create(
        user=secretary, organisation=board, defaults={"role": Role.READER}
    )
    services.member_add(group=group, user=secretary, organisation=board, role=MemberRole.SECRETARY)
    services.member_add(
        group=group, user=users["samordnare"], organisation=board, role=MemberRole.CHAIR
    )
    for name in ("rapportor-sundsvall", "rapportor-region", "rapportor-polismyndigheten"):
        user = users[name]
        services.member_add(
            group=group,
            user=user,
            organisation=user.memberships.first().organisation,
            role=MemberRole.MEMBER,
        )
    today = timezone.localdate()
    past = services.meeting_schedule(
        group=group,
        data={
            "title": "Samverkansgruppens möte",
            "starts_at": _at(today - timedelta(days=40), 9),
            "ends_at": _at(today - timedelta(days=40), 12),
            "place": "Länsstyrelsen, Härnösand",
        },
    )
    measures = {m.code: m for m in plan.measures.filter(code__in=["2.1", "2.4", "3.1"])}
    item = services.item_save(
        meeting=past,
        item=None,
        data={
            "title": "Rutiner för att ställa frågan om våld",
            "minutes": "Gruppen gick igenom hur långt organisationerna har kommit med rutinerna.",
        },
        goals=[],
        measures=[measures["2.1"], measures["2.4"]],
    )
    services.decision_add(
        item=item, text="Alla organisationer redovisar sina rutiner vid nästa möte."
    )
    services.action_save(
        item=item,
        action=None,
        data={
            "text": "Sammanställ organisationernas rutiner för att fråga om våld.",
            "organisation": board,
            "person": secretary,
            "due": today - timedelta(days=5),
            "status": ActionStatus.ONGOING,
        },
        measures=[measures["2.1"]],
    )
    services.action_save(
        item=item,
        action=None,
        data={
            "text": "Ta fram ett utbildningstillfälle om anmälningsplikten.",
            "organisation": users["rapportor-region"].memberships.first().organisation,
            "person": None,
            "due": today + timedelta(days=60),
            "status": ActionStatus.OPEN,
        },
        measures=[measures["2.4"]],
    )
    services.attendance_save(
        meeting=past,
        presence={m.pk: Presence.PRESENT for m in group.members.all()},
    )
    services.minutes_publish(meeting=past)
    services.meeting_schedule(
        group=group,
        data={
            "title": "Samverkansgruppens möte",
            "starts_at": _at(today + timedelta(days=30), 9),
            "ends_at": _at(today + timedelta(days=30), 12),
            "link": "https://meet.example.invalid/samverkan",
        },
    )
    return group
