"""Writes of notices: the one function every hand-off calls (`notify`), the choices people make,
marking read, and the daily digest."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nollvision.core.mail_county import about_county
from nollvision.core.validators import one_line

from .enums import HEADLINES, Delivery, Kind
from .models import Notice, NoticePreference
from .selectors import deliveries_of


@dataclass(frozen=True)
class About:
    """What a notice is about, named in every notice: the county, the plan, the year (of a
    follow-up, or the plan's period) and the body."""

    county: str
    plan: str
    year: str = ""
    body: str = ""
    region_id: int | None = None  # the county's, for its outbox (backends.about_county)


def about_plan(plan, *, followup_year: int | None = None, body: str = "") -> About:
    """What a notice about `plan` names, in the site's language whoever made the move (a plan's
    title is translated): the follow-up's year where it is about one, else the plan's period."""
    with translation.override(settings.LANGUAGE_CODE):
        if followup_year:
            year = _("follow-up %(year)d") % {"year": followup_year}
        else:
            year = f"{plan.period_start}–{plan.period_end}"
        return About(
            county=plan.region.name,
            plan=str(plan.title),
            year=year,
            body=body,
            region_id=plan.region_id,
        )


def subject_of(kind: str, about: About) -> str:
    """The headline, then the body, the plan, the year (left out where the plan's title already
    says it, as it does its period) and the county, each once."""
    year = "" if about.year in about.plan else about.year
    parts = [about.body, about.plan, year, about.county]
    return one_line(f"{HEADLINES[Kind(kind)]}: " + ", ".join(p for p in parts if p))


@transaction.atomic
def notify(
    *,
    kind: str,
    users,
    about: About,
    url: str,
    text: str = "",
    exclude=None,
) -> list[Notice]:
    """Tell each of `users` (once each, active ones, `exclude` left out: who made the move) of a
    hand-off: a notice on their work page, and an e-mail at once to those who chose so (the
    default). Called inside the transaction of the move, so the notice and its e-mail (stored in
    the outbox, notifications/backends.py) are kept or dropped with it."""
    people = {u.pk: u for u in users if u.is_active and (exclude is None or u.pk != exclude.pk)}
    if not people:
        return []
    chosen = deliveries_of(people.values())
    now = timezone.now()
    notices, mails = [], []
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject_of(kind, about)
        for user in people.values():
            delivery = chosen.get((user.pk, kind), Delivery.AT_ONCE)
            notice = Notice(
                recipient=user, kind=kind, delivery=delivery, subject=subject, text=text, url=url
            )
            if delivery == Delivery.AT_ONCE and user.email:
                body = render_to_string(
                    "notifications/notice_email.txt", {"notice": notice, "about": about}
                )
                mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
                notice.emailed_at = now
            notices.append(notice)
    with about_county(about.region_id):
        _send(mails)
    return Notice.objects.bulk_create(notices)


def _send(mails) -> None:
    for mail in mails:
        send_mail(*mail)


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Keep the person's choice per kind (kinds not given keep theirs)."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            continue
        NoticePreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


def notices_settle(*, paths, recipients=None, now: datetime | None = None) -> int:
    """Mark read every unread notice that leads to one of `paths` (whatever host its link was
    made with), of `recipients` if given: the item moved on, so what they announced is done (an
    answer sent in is approved or returned, say). A daily digest still tells of them."""
    leads_there = Q()
    for path in paths:
        leads_there |= Q(url__endswith=path)
    unread = Notice.objects.filter(leads_there, read_at__isnull=True)
    if recipients is not None:
        unread = unread.filter(recipient__in=list(recipients))
    return unread.update(read_at=now or timezone.now())


def notices_mark_read(*, user, now: datetime | None = None) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


@transaction.atomic
def digests_send(*, now: datetime | None = None) -> int:
    """One e-mail per person with the notices they chose to hear of in a digest and have not
    been sent yet (`nollvision send_digests`, daily). The number of e-mails."""
    now = now or timezone.now()
    due = (
        Notice.objects.select_for_update()
        .filter(delivery=Delivery.DIGEST, emailed_at__isnull=True, created_at__lte=now)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_person: dict[int, list[Notice]] = defaultdict(list)
    for notice in due:
        by_person[notice.recipient_id].append(notice)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for notices in by_person.values():
            person = notices[0].recipient
            if person.email and person.is_active:
                send_mail(
                    _("Your notices of the day: %(count)d") % {"count": len(notices)},
                    render_to_string("notifications/digest_email.txt", {"notices": notices}),
                    settings.DEFAULT_FROM_EMAIL,
                    [person.email],
                )
                sent += 1
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
    return sent
