"""iCalendar feeds: one per group, at a secret address per member that can be renewed.

The address carries an HMAC of the member and a version number kept on the member; renewing
raises the version, so the old address stops working. Nothing secret is stored."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "nollvision.meetings.calendar"


def feed_token(member) -> str:
    value = f"{member.pk}:{member.calendar_version}"
    return f"{member.pk}-{member.calendar_version}-" + salted_hmac(SALT, value).hexdigest()[:32]


def feed_path(member) -> str:
    return reverse("meetings-feed", args=[feed_token(member)])


def member_for_token(token: str):
    from .models import GroupMember
    from .selectors import counts_in_group

    try:
        pk, version, _digest = token.split("-", 2)
        member = GroupMember.objects.select_related("group", "user").get(pk=int(pk))
    except (ValueError, GroupMember.DoesNotExist):
        return None
    if str(member.calendar_version) != version:
        return None
    if not constant_time_compare(feed_token(member), token):
        return None
    # The address stops working with the person's roles in the group's county (the group's gate).
    return member if counts_in_group(member.user, member.group) else None


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.NOLLVISION_CALENDAR_DOMAIN}"


def meeting_event(meeting, *, base_url: str = ""):
    from icalendar import Event  # loaded on use: it costs a third of a second at start-up

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.group}: {meeting.title}")
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.link:
        event.add("url", meeting.link)
    if base_url:
        event.add("description", base_url + reverse("backoffice:meeting", args=[meeting.pk]))
    return event


def calendar_bytes(name: str, meetings, *, base_url: str = "", method: str | None = None) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Nollvision//meetings//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url))
    return calendar.to_ical()
