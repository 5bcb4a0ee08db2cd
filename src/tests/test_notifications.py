"""Notices at every hand-off and the outbox (issue #25, items 1 and 2).

Each hand-off is made through its service with every e-mail going through the outbox
(`OutboxBackend`); the worker's `deliver_due` then sends it to a real SMTP server (aiosmtpd)
started here. The right people get one notice each, with the right absolute link, in the form
they chose. The outbox keeps what a down server refused, with its attempts and back-off, and
sends it once when the server is back."""

import email
import io
import re
import socket
from contextlib import nullcontext
from datetime import date, timedelta
from email.header import decode_header, make_header
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from nollvision.accounts.models import Membership, Organisation, Role
from nollvision.followup.enums import Action
from nollvision.followup.services import (
    campaign_create,
    campaign_open,
    reminders_send_now,
    response_transition,
    responses_accept,
)
from nollvision.meetings import services as meetings
from nollvision.meetings.models import Group, MemberRole
from nollvision.notifications.delivery import deliver_due
from nollvision.notifications.enums import Delivery, Kind
from nollvision.notifications.models import Notice, NoticePreference, OutboxMessage
from nollvision.notifications.services import digests_send
from nollvision.plans.consultation import answer_save, answer_submit, consultation_send
from nollvision.plans.editor import plan_adopt
from nollvision.plans.services import plan_new_version

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SITE = "https://nollvision.example"


# --- A real SMTP server --------------------------------------------------------------------------


class Inbox:
    """What the SMTP server received: one entry per message (envelope recipients, parsed)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            SimpleNamespace(
                to=sorted(envelope.rcpt_tos), message=email.message_from_bytes(envelope.content)
            )
        )
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        return [_text(m.message) for m in self.messages if address in m.to]


def _text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield SimpleNamespace(inbox=inbox, port=controller.port)
    controller.stop()


@pytest.fixture
def outbox(settings, smtp):
    """Every e-mail into the outbox; the worker delivers to the SMTP server above."""
    smtp.inbox.messages.clear()
    settings.EMAIL_BACKEND = "nollvision.notifications.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.NOLLVISION_BASE_URL = SITE + "/"  # a trailing slash must not double in links
    return smtp.inbox


# --- The hand-offs -------------------------------------------------------------------------------


def _opened(w, capture):
    campaign = campaign_create(plan=w.plan, year=2026, deadline=date(2027, 2, 15))
    campaign_open(campaign=campaign)
    a = campaign.responses.get(organisation__slug="sundsvalls-kommun")
    b = campaign.responses.get(organisation__slug="timra-kommun")
    return Kind.FOLLOWUP_OPENED, {
        "reporter_a": reverse("backoffice:response", args=[a.pk]),
        "reporter_b": reverse("backoffice:response", args=[b.pk]),
    }


def _submit(w):
    answer_everything(w.response_a, w.reporter_a)
    response_transition(response=w.response_a, user=w.reporter_a, action=Action.SUBMIT)


def _submitted(w, capture):
    _submit(w)
    return Kind.SUBMITTED, {"approver_a": reverse("backoffice:response", args=[w.response_a.pk])}


def _approved(w, capture):
    _submit(w)
    response_transition(response=w.response_a, user=w.approver_a, action=Action.APPROVE)
    page = reverse("backoffice:campaign-body", args=[w.campaign.pk, w.response_a.pk])
    return Kind.APPROVED, {"coordinator": page}


def _returned(w, capture):
    _submit(w)
    response_transition(
        response=w.response_a,
        user=w.approver_a,
        action=Action.RETURN,
        reason="Beskriv åtgärd 2.1 tydligare.",
    )
    return Kind.RETURNED, {"reporter_a": reverse("backoffice:response", args=[w.response_a.pk])}


def _accepted(w, capture):
    _submit(w)
    response_transition(response=w.response_a, user=w.approver_a, action=Action.APPROVE)
    response_transition(response=w.response_a, user=w.coordinator, action=Action.ACCEPT)
    page = reverse("backoffice:response", args=[w.response_a.pk])
    return Kind.ACCEPTED, {"reporter_a": page, "approver_a": page}


def _invite(w):
    """An invitation to Timrå's reporters, sent from the county board."""
    from nollvision.accounts.services import invitation_create

    invitation_create(
        organisation=w.response_b.organisation,
        email="ny@example.invalid",
        role=Role.REPORTER,
        invited_by=w.coordinator,
        base_url=SITE,
    )


def _returned_by_the_county_board(w, capture):
    _submit(w)
    response_transition(response=w.response_a, user=w.approver_a, action=Action.APPROVE)
    response_transition(
        response=w.response_a, user=w.coordinator, action=Action.RETURN, reason="Komplettera 2.1."
    )
    return Kind.RETURNED, {"reporter_a": reverse("backoffice:response", args=[w.response_a.pk])}


def _reopened(w, capture):
    _accepted(w, capture)
    response_transition(
        response=w.response_a, user=w.coordinator, action=Action.REOPEN, reason="Ny uppgift."
    )
    return Kind.RETURNED, {"reporter_a": reverse("backoffice:response", args=[w.response_a.pk])}


def _submitted_again(w, capture):
    _returned(w, capture)
    Notice.objects.all().delete()
    OutboxMessage.objects.all().delete()
    response_transition(response=w.response_a, user=w.reporter_a, action=Action.SUBMIT)
    return Kind.SUBMITTED, {"approver_a": reverse("backoffice:response", args=[w.response_a.pk])}


def _accepted_in_bulk(w, capture):
    _submit(w)
    response_transition(response=w.response_a, user=w.approver_a, action=Action.APPROVE)
    approved = type(w.response_a).objects.filter(pk=w.response_a.pk)  # as the list page reads them
    assert responses_accept(responses=approved, user=w.coordinator) == 1
    page = reverse("backoffice:response", args=[w.response_a.pk])
    return Kind.ACCEPTED, {"reporter_a": page, "approver_a": page}


def _consultation(w, capture):
    draft = plan_new_version(plan=w.plan)
    with capture(execute=True):
        consultation = consultation_send(
            plan=draft,
            deadline=timezone.localdate() + timedelta(days=14),
            message="Vi vill ha era synpunkter.",
            user=w.coordinator,
        )
    return draft, consultation, consultation.answers.get(organisation__slug="sundsvalls-kommun")


def _consultation_sent(w, capture):
    _draft, _consultation_row, answer = _consultation(w, capture)
    page = reverse("backoffice:consultation-answer", args=[answer.pk])
    return Kind.CONSULTATION_SENT, {"approver_a": page}


def _consultation_answered(w, capture):
    _draft, consultation, answer = _consultation(w, capture)
    Notice.objects.all().delete()
    OutboxMessage.objects.all().delete()
    with capture(execute=True):
        answer_save(answer=answer, verdict="agree", comment="", measure_answers={}, user=None)
        answer_submit(answer=answer, user=w.approver_a)
    page = reverse("backoffice:consultation", args=[consultation.pk])
    return Kind.CONSULTATION_ANSWERED, {"coordinator": page}


def _minutes_published(w, capture):
    group = Group.objects.get(plan_slug=w.plan.slug, key="regional-samverkansgrupp")
    board = Organisation.objects.get(slug="lansstyrelsen-vasternorrland")
    meetings.member_add(group=group, user=w.reporter_a, organisation=board, role=MemberRole.MEMBER)
    meetings.member_add(group=group, user=w.reader, organisation=board, role=MemberRole.SECRETARY)
    now = timezone.now()
    meeting = meetings.meeting_schedule(
        group=group,
        data={"title": "Höstmöte", "starts_at": now - timedelta(hours=3), "ends_at": now},
    )
    meetings.minutes_publish(meeting=meeting, user=w.coordinator)
    meetings.minutes_publish(meeting=meeting, user=w.coordinator)  # again: no second notice
    page = reverse("backoffice:meeting", args=[meeting.pk])
    return Kind.MINUTES_PUBLISHED, {"reporter_a": page, "reader": page}


def _signing_awaited(w, capture):
    draft = plan_new_version(plan=w.plan)
    plan_adopt(plan=draft, user=w.coordinator, adopted_on=timezone.localdate())
    page = reverse("backoffice:plan-signings", args=[draft.slug])
    return Kind.SIGNING_AWAITED, {"approver_a": page}


def _report_published(w, capture):
    from nollvision.reports.services import report_publish

    _accepted(w, capture)
    report_publish(campaign=w.campaign, user=w.coordinator)
    page = reverse("public:reports", args=[w.plan.slug])
    # Every body's reporters and approvers (not the reader), not who published.
    return Kind.REPORT_PUBLISHED, {"reporter_a": page, "approver_a": page, "reporter_b": page}


FOLLOWUP_KINDS = {
    Kind.FOLLOWUP_OPENED,
    Kind.SUBMITTED,
    Kind.APPROVED,
    Kind.RETURNED,
    Kind.ACCEPTED,
    Kind.REPORT_PUBLISHED,
}

HAND_OFFS = {
    "followup-opened": _opened,
    "submitted": _submitted,
    "approved": _approved,
    "returned": _returned,
    "accepted": _accepted,
    "returned-by-the-county-board": _returned_by_the_county_board,
    "reopened": _reopened,
    "submitted-again": _submitted_again,
    "accepted-in-bulk": _accepted_in_bulk,
    "consultation-sent": _consultation_sent,
    "consultation-answered": _consultation_answered,
    "minutes-published": _minutes_published,
    "signing-awaited": _signing_awaited,
    "report-published": _report_published,
}


@pytest.mark.parametrize("hand_off", list(HAND_OFFS))
def test_each_hand_off_reaches_the_right_people_once_with_the_right_link(
    hand_off, world, outbox, django_capture_on_commit_callbacks
):
    kind, expected = HAND_OFFS[hand_off](world, django_capture_on_commit_callbacks)
    people = {username: getattr(world, username) for username in expected}
    notices = Notice.objects.filter(kind=kind).select_related("recipient")
    # One notice per person concerned, nobody else (not who made the move), the link absolute.
    assert sorted(n.recipient.username for n in notices) == sorted(expected)
    for notice in notices:
        assert notice.url == SITE + expected[notice.recipient.username]
        assert notice.delivery == Delivery.AT_ONCE
        assert world.plan.region.name in notice.subject
        assert str(world.plan.title) in notice.subject
        # Each part once and plainly: no two years run together, no internal identifier.
        assert not re.search(r"\d{4} \d{4}", notice.subject), notice.subject
        assert "/" not in notice.subject, notice.subject
    if kind in FOLLOWUP_KINDS:
        assert all(re.search(r", uppföljning 20\d\d, ", n.subject) for n in notices)
    # The e-mail waits in the outbox until the worker sends it through the SMTP server.
    assert outbox.messages == []
    assert deliver_due()["failed"] == 0
    for notice in notices:
        username, person = notice.recipient.username, people[notice.recipient.username]
        bodies = outbox.bodies_to(person.email)
        (body,) = [b for b in bodies if b.startswith(notice.subject)]
        assert SITE + expected[username] in body
        assert world.plan.region.name in body
        assert "//arbete" not in body
    assert deliver_due() == {"sent": 0, "failed": 0}
    # The work page lists the notice under "Waiting for you" until it is marked read.
    notice = notices[0]
    from django.test import Client

    client = Client()
    client.force_login(notice.recipient)
    home = client.get(reverse("backoffice:home")).content.decode()
    assert f'href="{expected[notice.recipient.username]}"' in home
    client.post(reverse("backoffice:notices"), {"action": "read", "next": "home"})
    assert notice.subject not in client.get(reverse("backoffice:home")).content.decode()


@pytest.mark.parametrize("hand_off", list(HAND_OFFS))
def test_each_hand_off_stores_its_e_mail_in_the_outbox_with_the_change(
    hand_off, world, outbox, django_capture_on_commit_callbacks
):
    """Nothing waits for the commit: with no after-commit step run at all, every notice that
    says it was e-mailed has its message in the outbox already."""

    def never_after_commit(execute=False):
        return django_capture_on_commit_callbacks(execute=False)

    kind, _expected = HAND_OFFS[hand_off](world, never_after_commit)
    emailed = Notice.objects.filter(kind=kind, emailed_at__isnull=False).select_related("recipient")
    assert emailed
    stored = {(tuple(row.recipients), row.subject) for row in OutboxMessage.objects.all()}
    for notice in emailed:
        assert ((notice.recipient.email,), notice.subject) in stored


@pytest.mark.parametrize("hand_off", list(HAND_OFFS))
def test_each_hand_off_undone_leaves_no_notice_and_no_e_mail(
    hand_off, world, outbox, django_capture_on_commit_callbacks
):
    def failing_change():
        with transaction.atomic():
            HAND_OFFS[hand_off](world, django_capture_on_commit_callbacks)
            raise RuntimeError("the change fails after its hand-off")

    with pytest.raises(RuntimeError):
        failing_change()
    assert Notice.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("hand_off", list(HAND_OFFS))
def test_a_hand_off_made_on_an_english_page_is_told_in_the_sites_language(
    hand_off, world, outbox, django_capture_on_commit_callbacks
):
    """Who made the move and in which language does not decide the notice: its link and the
    plan's title are the site's (Swedish); each reader switches language on the page."""
    with translation.override("en"):
        kind, expected = HAND_OFFS[hand_off](world, django_capture_on_commit_callbacks)
    with translation.override("sv"):
        title = str(world.plan.title)
    notices = Notice.objects.filter(kind=kind).select_related("recipient")
    assert notices
    for notice in notices:
        assert notice.url == SITE + expected[notice.recipient.username].removeprefix("/en")
        assert "/en/" not in notice.url
        assert title in notice.subject


def test_a_return_names_each_commented_part_as_the_answer_page_does(world, outbox):
    _submit(world)
    code = world.response_a.measure_answers.select_related("measure").first().measure.code
    with translation.override("en"):  # who returns it reads English; the notice is the site's
        response_transition(
            response=world.response_a,
            user=world.approver_a,
            action=Action.RETURN,
            reason="Se kommentarerna.",
            comments={f"measure:{code}": "Vilka verksamheter?", "routine:x": "Vem äger rutinen?"},
        )
    (notice,) = Notice.objects.filter(kind=Kind.RETURNED)
    assert notice.text.splitlines() == [
        "Se kommentarerna.",
        f"{code}: Vilka verksamheter?",
        "Om er verksamhet: Vem äger rutinen?",
    ]
    deliver_due()
    (body,) = [b for b in outbox.bodies_to(world.reporter_a.email) if "Vilka" in b]
    assert "measure:" not in body


def test_a_notice_leaves_new_once_the_answer_it_announced_moves_on(world, outbox):
    def unread(person):
        return set(
            Notice.objects.filter(recipient=person, read_at=None).values_list("kind", flat=True)
        )

    _submit(world)
    assert unread(world.approver_a) == {Kind.SUBMITTED}
    response_transition(response=world.response_a, user=world.approver_a, action=Action.APPROVE)
    assert unread(world.approver_a) == set()  # done by approving
    assert unread(world.coordinator) == {Kind.APPROVED}
    Notice.objects.create(  # another answer's notice stays new
        recipient=world.coordinator, kind=Kind.APPROVED, subject="Timrå", url=SITE + "/annat/"
    )
    response_transition(response=world.response_a, user=world.coordinator, action=Action.ACCEPT)
    assert unread(world.coordinator) == {Kind.APPROVED}
    assert Notice.objects.get(recipient=world.coordinator, read_at=None).subject == "Timrå"
    assert unread(world.reporter_a) == {Kind.ACCEPTED}


def test_a_consultation_answer_and_a_signing_settle_their_bodys_notice_only(
    world, outbox, django_user_model
):
    from nollvision.plans.services import signing_record

    timra = django_user_model.objects.create_user(username="approver_t", email="t@example.invalid")
    Membership.objects.create(
        user=timra, organisation=world.response_b.organisation, role=Role.APPROVER
    )
    draft, _consultation_row, answer = _consultation(world, lambda **kw: nullcontext())
    assert Notice.objects.filter(kind=Kind.CONSULTATION_SENT, read_at=None).count() == 2
    answer_save(answer=answer, verdict="agree", comment="", measure_answers={}, user=None)
    answer_submit(answer=answer, user=world.approver_a)
    sent = Notice.objects.filter(kind=Kind.CONSULTATION_SENT)
    assert {n.recipient for n in sent if n.read_at} == {world.approver_a}
    assert {n.recipient for n in sent if not n.read_at} == {timra}  # Timrå has yet to answer

    draft = plan_adopt(plan=draft, user=world.coordinator, adopted_on=timezone.localdate())
    asked = Notice.objects.filter(kind=Kind.SIGNING_AWAITED)
    assert asked.filter(recipient=world.approver_a, read_at=None).exists()
    signing_record(
        plan=draft,
        organisation=world.response_a.organisation,
        data={"signed_on": timezone.localdate(), "signed_by": "Ordföranden", "role": "ordförande"},
        user=world.coordinator,
    )
    assert not asked.filter(recipient=world.approver_a, read_at=None).exists()
    assert asked.filter(recipient=timra, read_at=None).exists()  # Timrå has yet to sign


def test_an_invitation_sent_from_an_english_page_links_in_the_sites_language(world, outbox):
    with translation.override("en"):
        _invite(world)
    deliver_due()
    (body,) = outbox.bodies_to("ny@example.invalid")
    assert f"{SITE}/konto/inbjudan/" in body
    assert "/en/" not in body


@pytest.mark.parametrize("delivery", [Delivery.DIGEST, Delivery.PAGE])
def test_a_person_who_chose_a_digest_or_the_page_gets_no_e_mail_at_once(
    delivery, client, world, outbox
):
    client.force_login(world.approver_a)
    page = client.get(reverse("backoffice:notices"))
    assert page.status_code == 200
    # Everything "at once" until chosen otherwise.
    assert len(re.findall(r'value="at_once"[^>]*checked', page.content.decode())) == len(Kind)
    choices = {kind: Delivery.AT_ONCE for kind in Kind.values}
    choices[Kind.SUBMITTED] = delivery
    assert client.post(reverse("backoffice:notices"), choices).status_code == 302
    assert NoticePreference.objects.get(user=world.approver_a, kind=Kind.SUBMITTED).delivery == (
        delivery
    )
    _submit(world)
    (notice,) = Notice.objects.filter(recipient=world.approver_a)
    assert (notice.delivery, notice.emailed_at) == (delivery, None)
    deliver_due()
    assert outbox.bodies_to(world.approver_a.email) == []
    # The daily digest: one e-mail with the day's notices for those who chose it, then no more.
    assert digests_send() == (1 if delivery == Delivery.DIGEST else 0)
    assert digests_send() == 0
    deliver_due()
    bodies = outbox.bodies_to(world.approver_a.email)
    if delivery == Delivery.DIGEST:
        (body,) = bodies
        assert SITE + reverse("backoffice:response", args=[world.response_a.pk]) in body
    else:
        assert bodies == []
    assert "Sundsvalls kommun" in client.get(reverse("backoffice:home")).content.decode()


def test_reminders_name_county_and_plan_with_one_slash_in_the_link(world, outbox):
    reminders_send_now(
        responses=[world.response_b],
        by=world.coordinator,
        today=timezone.localdate(),
        base_url="https://nollvision.example/",
    )
    deliver_due()
    (body,) = outbox.bodies_to(world.reporter_b.email)
    assert f"{SITE}/arbete/svar/{world.response_b.pk}/" in body
    assert "//arbete" not in body
    assert world.plan.region.name in body
    assert str(world.plan.title) in body


# --- The outbox ----------------------------------------------------------------------------------


def test_a_message_is_kept_or_dropped_with_the_change_that_caused_it(world, outbox):
    def refused_change():
        with transaction.atomic():
            mail.send_mail("Kvar?", "Text", None, ["reporter_a@example.invalid"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        refused_change()
    assert OutboxMessage.objects.count() == 0
    mail.send_mail("Kvar", "Text", None, ["reporter_a@example.invalid"])
    (row,) = OutboxMessage.objects.all()
    assert (row.recipients, row.state) == (["reporter_a@example.invalid"], "waiting")
    assert list(row.regions.values_list("pk", flat=True)) == [world.plan.region_id]


def test_a_down_server_loses_nothing_and_backs_off_then_sends_once(settings, world, outbox):
    port = _free_port()  # nothing listens here yet
    settings.EMAIL_PORT = port
    settings.OUTBOX_BACKOFF_SECONDS = 60
    mail.send_mail("Första", "Ett", None, ["reporter_a@example.invalid"])
    mail.send_mail(
        "Andra", "Två", None, ["approver_a@example.invalid", "coordinator@example.invalid"]
    )
    now = timezone.now()
    assert deliver_due(now=now) == {"sent": 0, "failed": 2}
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [(r.attempts, r.sent_at, r.state) for r in rows] == [(1, None, "failing")] * 2
    assert all("Connection" in r.last_error or "refused" in r.last_error for r in rows)
    assert [r.next_attempt_at for r in rows] == [now + timedelta(seconds=60)] * 2
    # Not due yet: nothing is tried; due: tried again, waiting twice as long.
    assert deliver_due(now=now + timedelta(seconds=30)) == {"sent": 0, "failed": 0}
    later = now + timedelta(seconds=61)
    assert deliver_due(now=later) == {"sent": 0, "failed": 2}
    row = OutboxMessage.objects.order_by("pk").first()
    assert (row.attempts, row.next_attempt_at) == (2, later + timedelta(seconds=120))
    # The coordinator sees the failing messages of the county with the last error.
    from django.test import Client

    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:outbox") + "?state=failing").content.decode()
    assert "Första" in page
    assert "Andra" in page
    assert row.last_error.split(":")[0] in page
    # The server comes back: each message is delivered once, and never again.
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert deliver_due(now=later + timedelta(seconds=121)) == {"sent": 2, "failed": 0}
        assert deliver_due(now=later + timedelta(days=1)) == {"sent": 0, "failed": 0}
    finally:
        server.stop()
    assert sorted(m.to for m in inbox.messages) == [
        ["approver_a@example.invalid", "coordinator@example.invalid"],
        ["reporter_a@example.invalid"],
    ]
    subjects = sorted(str(make_header(decode_header(m.message["Subject"]))) for m in inbox.messages)
    assert subjects == ["Andra", "Första"]
    assert all(r.state == "sent" and r.attempts == 3 for r in OutboxMessage.objects.all())
    page = client.get(reverse("backoffice:outbox") + "?state=sent").content.decode()
    assert "Första" in page


def test_the_outbox_page_shows_only_the_coordinators_county(client, world, outbox):
    mail.send_mail("Till länet", "Text", None, ["reporter_b@example.invalid"])
    mail.send_mail("Till någon annan", "Text", None, ["okand@example.invalid"])
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:outbox")).content.decode()
    assert "Till länet" in page
    assert "Till någon annan" not in page
    client.force_login(world.reporter_b)
    assert client.get(reverse("backoffice:outbox")).status_code == 403


def test_a_message_about_one_county_is_that_countys_alone_on_the_outbox_page(
    client, world, other, outbox
):
    """Every way the platform writes about one county's work (a hand-off, a reminder, an
    invitation) reaches a person who also works in another county; only the first county's
    coordinators see those messages."""
    from nollvision.followup.services import reminders_send_now

    for person in (world.approver_a, world.reporter_b):
        Membership.objects.create(user=person, organisation=other.board, role=Role.READER)
    _submit(world)  # a hand-off: Sundsvall's approvers are told
    reminders_send_now(
        responses=[world.response_b], by=world.coordinator, today=timezone.localdate()
    )
    _invite(world)
    subjects = {row.subject for row in OutboxMessage.objects.all()}
    assert len(subjects) >= 3
    client.force_login(world.coordinator)
    theirs = client.get(reverse("backoffice:outbox")).content.decode()
    client.force_login(other.coordinator)
    others = client.get(reverse("backoffice:outbox")).content.decode()
    for subject in subjects:
        assert escape(subject) in theirs
        assert escape(subject) not in others


def test_every_existing_e_mail_goes_through_the_outbox_password_reset_too(client, world, outbox):
    client.post(reverse("accounts:password_reset"), {"email": "reporter_a@example.invalid"})
    (row,) = OutboxMessage.objects.all()
    assert row.recipients == ["reporter_a@example.invalid"]
    out = io.StringIO()
    call_command("deliver_mail", "--once", stdout=out)
    assert out.getvalue().strip() == "1 sent, 0 failed"
    (body,) = outbox.bodies_to("reporter_a@example.invalid")
    assert "/konto/losenord/" in body


def test_a_member_without_e_mail_still_gets_the_notice_on_the_page(world, outbox):
    assert Membership.objects.get(user=world.approver_a).role == Role.APPROVER
    world.approver_a.email = ""
    world.approver_a.save()
    _submit(world)
    (notice,) = Notice.objects.filter(recipient=world.approver_a)
    assert notice.emailed_at is None
    assert OutboxMessage.objects.count() == 0


def test_a_notice_reads_in_the_language_of_its_page(client, world, outbox):
    """The notice is stored once (its e-mail in Swedish, the platform's language); on the work
    pages what happened is said in the reader's language, with the names as stored."""
    _submit(world)
    (notice,) = Notice.objects.filter(recipient=world.approver_a)
    assert notice.subject.startswith("Svar inskickat för godkännande: ")
    client.force_login(world.approver_a)
    for path in ("/en/arbete/", "/en/arbete/meddelanden/"):
        page = client.get(path).content.decode()
        assert "Answer sent in for approval: " in page, path
        assert notice.subject.partition(": ")[2] in page
    swedish = client.get("/arbete/meddelanden/").content.decode()
    assert notice.subject in swedish
