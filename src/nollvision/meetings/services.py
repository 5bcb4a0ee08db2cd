"""Writing groups, meetings, minutes, decisions and actions. Views check permissions through
`rules`; everything that changes data goes through here."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from nollvision.core.mail_county import about_county
from nollvision.core.validators import one_line
from nollvision.notifications import services as notices
from nollvision.notifications.enums import Kind
from nollvision.notifications.links import absolute_reverse
from nollvision.notifications.links import base_url as site_url
from nollvision.plans.models import Plan

from .attachments import AttachmentRefused, check_attachment
from .calendar import calendar_bytes
from .errors import MeetingRefused
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Group,
    GroupMember,
    Meeting,
)
from .selectors import attach_bodies, group_region_id, reachable_members

SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "link")


def groups_sync(plan) -> list[Group]:
    """A group for each collaboration body of the plan (kept across the plan's versions)."""
    return [
        Group.objects.get_or_create(plan_slug=plan.slug, key=body.key)[0]
        for body in plan.collaboration_bodies.all()
    ]


def member_add(*, group: Group, user, organisation, role: str) -> GroupMember:
    member, _created = GroupMember.objects.update_or_create(
        group=group, user=user, defaults={"organisation": organisation, "role": role}
    )
    return member


def member_remove(*, member: GroupMember) -> None:
    member.delete()


def calendar_renew(*, member: GroupMember) -> GroupMember:
    member.calendar_version += 1
    member.save(update_fields=["calendar_version", "updated_at"])
    return member


def _notify(meeting: Meeting, subject: str, template: str, base_url: str) -> int:
    """E-mail the members who count (`reachable_members`), in Swedish, with the meeting as an
    invitation; called inside the change's transaction, so the message is stored in the outbox
    with it (notifications/backends.py)."""
    recipients = [m.user.email for m in reachable_members(meeting.group) if m.user.email]
    if not recipients:
        return 0
    base_url = site_url(base_url)
    with translation.override("sv"):
        body = render_to_string(
            template, {"meeting": meeting, "base_url": base_url, "plan": _plan_of(meeting.group)}
        )
        message = EmailMessage(
            # A header is one line whatever was typed (core.validators.one_line).
            subject=one_line(subject % {"title": meeting.title, "group": meeting.group}),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[settings.DEFAULT_FROM_EMAIL],
            bcc=recipients,
        )
        message.attach(
            "mote.ics",
            calendar_bytes(str(meeting.group), [meeting], base_url=base_url, method="REQUEST"),
            "text/calendar",
        )
    with about_county(group_region_id(meeting.group)):
        return message.send()


@transaction.atomic
def meeting_schedule(*, group: Group, data: dict, base_url: str = "") -> Meeting:
    meeting = Meeting(group=group, **data)
    meeting.full_clean()
    meeting.save()
    with translation.override("sv"):
        subject = _("New meeting: %(title)s (%(group)s)")
    _notify(meeting, subject, "meetings/scheduled_email.txt", base_url)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict, base_url: str = "") -> Meeting:
    """Save the meeting; if its time or place changed, tell the members and the calendars."""
    moved = any(
        getattr(meeting, name) != data.get(name, getattr(meeting, name)) for name in SCHEDULE_FIELDS
    )
    for name, value in data.items():
        setattr(meeting, name, value)
    if moved:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    if moved:
        with translation.override("sv"):
            subject = _("Meeting moved: %(title)s (%(group)s)")
        _notify(meeting, subject, "meetings/moved_email.txt", base_url)
    return meeting


def item_save(*, meeting: Meeting, item: AgendaItem | None, data: dict, goals, measures):
    item = item or AgendaItem(meeting=meeting)
    if item.pk is None and "position" not in data:
        data["position"] = meeting.items.count() + 1
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean(exclude=["meeting"])
    item.save()
    item.goals.set(goals)
    item.measures.set(measures)
    return item


def attendance_save(*, meeting: Meeting, presence: dict[int, str]) -> None:
    members = {m.pk for m in meeting.group.members.all()}
    for member_id, value in presence.items():
        if member_id not in members:
            continue
        if value:
            Attendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"presence": value}
            )
        else:
            Attendance.objects.filter(meeting=meeting, member_id=member_id).delete()


def attachment_add(*, meeting: Meeting, uploaded, user, item: AgendaItem | None = None):
    """Check the file before anything is stored (AttachmentRefused says why)."""
    checked = check_attachment(uploaded)
    try:  # the file's name is text a person wrote, and becomes part of its stored path
        Attachment._meta.get_field("name").run_validators(checked.name)
    except ValidationError as error:
        raise AttachmentRefused(" ".join(error.messages)) from error
    attachment = Attachment(
        meeting=meeting,
        item=item,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    attachment.file.save(checked.name, uploaded, save=False)
    attachment.save()
    return attachment


def decision_add(*, item: AgendaItem, text: str) -> Decision:
    decision = Decision(item=item, text=text)
    decision.full_clean()
    decision.save()
    return decision


def action_save(*, item: AgendaItem, action: Action | None, data: dict, measures) -> Action:
    action = action or Action(item=item)
    for name, value in data.items():
        setattr(action, name, value)
    if action.status == ActionStatus.DONE and action.done_on is None:
        action.done_on = timezone.localdate()
    if action.status != ActionStatus.DONE:
        action.done_on = None
    action.full_clean()
    action.save()
    action.measures.set(measures)
    return action


def _plan_of(group: Group) -> Plan | None:
    """The group's plan as it stands (its newest version)."""
    return (
        Plan.objects.filter(slug=group.plan_slug)
        .select_related("region")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def minutes_publish(*, meeting: Meeting, published: bool = True, user=None) -> Meeting:
    if published and meeting.starts_at > timezone.now():
        # Minutes record a meeting that took place: a future meeting has none to publish.
        raise MeetingRefused(
            _(
                "The meeting has not taken place yet: its minutes cannot be published before %(date)s."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT"
                )
            }
        )
    was_published = meeting.minutes_published_at is not None
    meeting.minutes_published_at = timezone.now() if published else None
    meeting.save(update_fields=["minutes_published_at", "updated_at"])
    plan = _plan_of(meeting.group)
    if published and not was_published and plan is not None:
        attach_bodies([meeting.group])  # the group by its name
        members = [m.user for m in reachable_members(meeting.group)]
        notices.notify(
            kind=Kind.MINUTES_PUBLISHED,
            users=members,
            about=notices.about_plan(plan, body=f"{meeting.group}: {meeting.title}"),
            url=absolute_reverse("backoffice:meeting", meeting.pk),
            exclude=user,
        )
    return meeting
