"""Collaboration groups at work: meetings, minutes, decisions, actions, attachments, calendars."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from nollvision.accounts.models import Organisation
from nollvision.meetings import services
from nollvision.meetings.calendar import feed_path
from nollvision.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attachment,
    Meeting,
)
from nollvision.plans.models import Measure

from .conftest import pdf_bytes
from .helpers import pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


# --- Permissions: every route, every role ---------------------------------------------------------


def routes(g):
    m, i, a = g.meeting.pk, g.item.pk, g.action.pk
    start = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.now() + timedelta(days=3, hours=2)).strftime("%Y-%m-%dT%H:%M")
    meeting_data = {"title": "Nytt", "starts_at": start, "ends_at": end}
    action_data = {
        "text": "Gör",
        "organisation": g.action.organisation_id,
        "due": "2030-01-01",
        "status": "open",
    }
    read, edit, manage = "read", "edit", "manage"
    return [
        ("get", reverse("backoffice:groups"), {}, "list"),
        ("get", reverse("backoffice:actions"), {}, "list"),
        (
            "get",
            reverse("backoffice:measure-work", args=[g.measure.plan.slug, g.measure.key]),
            {},
            "list",
        ),
        ("get", reverse("backoffice:group", args=[g.group.pk]), {}, read),
        ("get", reverse("backoffice:meeting", args=[m]), {}, read),
        ("get", reverse("backoffice:minutes", args=[m, "docx"]), {}, read),
        ("get", reverse("backoffice:attachment", args=[g.attachment.pk]), {}, read),
        ("get", reverse("backoffice:meeting-create", args=[g.group.pk]), {}, edit),
        ("post", reverse("backoffice:meeting-create", args=[g.group.pk]), meeting_data, edit),
        ("get", reverse("backoffice:meeting-edit", args=[m]), {}, edit),
        (
            "post",
            reverse("backoffice:meeting-edit", args=[m]),
            {**meeting_data, "title": "Möte"},
            edit,
        ),
        ("get", reverse("backoffice:item-create", args=[m]), {}, edit),
        ("post", reverse("backoffice:item-create", args=[m]), {"title": "Ny punkt"}, edit),
        ("post", reverse("backoffice:item-edit", args=[i]), {"title": "Rutiner"}, edit),
        ("post", reverse("backoffice:decision-add", args=[i]), {"text": "Beslut"}, edit),
        ("post", reverse("backoffice:action-create", args=[i]), action_data, edit),
        (
            "post",
            reverse("backoffice:action-edit", args=[a]),
            {**action_data, "text": "Sammanställ rutinerna"},
            edit,
        ),
        ("post", reverse("backoffice:attendance", args=[m]), {}, edit),
        ("post", reverse("backoffice:attachment-add", args=[m]), {}, edit),
        ("post", reverse("backoffice:member-add", args=[g.group.pk]), {}, manage),
        ("post", reverse("backoffice:minutes-publish", args=[m]), {"publish": "1"}, manage),
        # last: it takes the member out of the group
        ("post", reverse("backoffice:member-remove", args=[g.member.pk]), {}, manage),
    ]


EXPECTED = {
    # kind of route → status for (member, secretary, coordinator, outsider)
    "list": (200, 200, 200, 200),
    "read": (200, 200, 200, 404),
    "edit": (403, "ok", "ok", 404),
    "manage": (403, 403, "ok", 404),
}


def test_permissions_per_role_for_every_route(client, g):
    people = [g.world.reporter_a, g.secretary, g.world.coordinator, g.world.reporter_b]
    for method, url, data, kind in routes(g):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url  # anonymous: to the login page
        assert "/konto/logga-in/" in response["Location"]
        for person, expected in zip(people, EXPECTED[kind], strict=True):
            client.force_login(person)
            response = getattr(client, method)(url, data)
            if expected == "ok":
                assert response.status_code in (200, 302), (url, person.username)
            else:
                assert response.status_code == expected, (url, person.username)
            client.logout()
    # The outsider sees no group at all, the member only theirs.
    client.force_login(g.world.reporter_b)
    assert (
        "Regional samverkansgrupp" not in client.get(reverse("backoffice:groups")).content.decode()
    )


def test_calendar_renewal_is_for_members_only(client, g):
    url = reverse("backoffice:calendar-renew", args=[g.group.pk])
    client.force_login(g.world.coordinator)  # coordinates, but has no feed of their own
    assert client.post(url).status_code == 404
    client.force_login(g.world.reporter_b)
    assert client.post(url).status_code == 404
    client.force_login(g.world.reporter_a)
    version = g.member.calendar_version
    assert client.post(url).status_code == 302
    g.member.refresh_from_db()
    assert g.member.calendar_version == version + 1


# --- Attachments -------------------------------------------------------------------------------


def _upload(client, g, name, content):
    return client.post(
        reverse("backoffice:attachment-add", args=[g.meeting.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    ).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "bara PDF- och kontorsfiler"),
        ("anteckningar.txt", b"hej", "bara PDF- och kontorsfiler"),
        ("falsk.pdf", b"<html>not a pdf</html>", "falsk.pdf är inte en riktig .pdf-fil."),
        ("falsk.docx", b"PK\x03\x04garbage", "falsk.docx är inte en riktig .docx-fil."),
    ],
)
def test_a_disallowed_attachment_is_refused_and_nothing_stored(client, g, name, content, message):
    client.force_login(g.secretary)
    before = (Attachment.objects.count(), default_storage.listdir(f"meetings/{g.meeting.pk}")[1])
    page = _upload(client, g, name, content)
    assert message in page
    after = (Attachment.objects.count(), default_storage.listdir(f"meetings/{g.meeting.pk}")[1])
    assert after == before


def test_an_attachment_over_the_limit_is_refused(client, g, settings):
    settings.NOLLVISION_ATTACHMENT_MAX_BYTES = 1000
    client.force_login(g.secretary)
    page = _upload(client, g, "stor.pdf", pdf_bytes() + b"0" * 2000)
    assert "stor.pdf är 2,0\xa0kB; bilagor får vara högst 1000\xa0byte." in page
    assert not Attachment.objects.filter(name="stor.pdf").exists()


def test_office_files_are_accepted_and_read_back(client, g):
    client.force_login(g.secretary)
    page = _upload(client, g, "protokollsbilaga.docx", _docx())
    assert "Filen bifogades." in page
    attachment = Attachment.objects.get(name="protokollsbilaga.docx")
    response = client.get(reverse("backoffice:attachment", args=[attachment.pk]))
    data = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert response["Content-Disposition"].startswith("attachment;")


# --- Calendar ------------------------------------------------------------------------------------


def test_calendar_feed_validates_and_a_renewed_address_stops_the_old_one(client, g):
    old = feed_path(g.member)
    response = client.get(old)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Regional samverkansgrupp: Möte"]
    assert events[0]["uid"] == f"meeting-{g.meeting.pk}@nollvision.local"
    assert events[0].decoded("dtstart") == g.meeting.starts_at.replace(microsecond=0)
    client.force_login(g.world.reporter_a)
    client.post(reverse("backoffice:calendar-renew", args=[g.group.pk]))
    g.member.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_path(g.member)).status_code == 200
    assert client.get(old.replace(".ics", "0.ics")).status_code == 404  # a forged address


def test_members_are_emailed_when_a_meeting_is_scheduled_or_moved(
    client, g, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(g.secretary)
    edit = reverse("backoffice:meeting-edit", args=[g.meeting.pk])
    start = timezone.localtime(g.meeting.starts_at) + timedelta(days=1)
    data = {
        "title": "Möte",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, data)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Mötet är flyttat: Möte (Regional samverkansgrupp)"
    assert set(message.bcc) == {"secretary@example.invalid", "reporter_a@example.invalid"}
    invitation = Calendar.from_ical(message.attachments[0][1])
    assert invitation.walk("VEVENT")[0]["sequence"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {**data, "title": "Samma tid, ny rubrik"})
    assert len(mail.outbox) == 1  # not moved: no new message


def test_a_member_whose_roles_in_the_county_were_removed_keeps_no_group(client, g, other):
    """A membership counts while the person holds a role in the group's county: one who left
    Västernorrland's bodies for a role in Jämtland reads nothing of the group, their feed stops,
    they hear of no meeting or minutes, and the coordinator sees them marked for removal."""
    from nollvision.accounts.models import Membership, Role
    from nollvision.notifications.models import Notice

    person = g.member.user
    group_page = reverse("backoffice:group", args=[g.group.pk])
    meeting_page = reverse("backoffice:meeting", args=[g.meeting.pk])
    client.force_login(person)
    assert client.get(group_page).status_code == 200  # a member reads the group, so far
    assert client.get(feed_path(g.member)).status_code == 200

    Membership.objects.filter(user=person).delete()
    Membership.objects.create(user=person, organisation=other.board, role=Role.READER)
    client.force_login(person)
    assert client.get(group_page).status_code in (403, 404)
    assert client.get(meeting_page).status_code in (403, 404)
    assert client.get(feed_path(g.member)).status_code == 404
    assert group_page not in client.get(reverse("backoffice:groups")).content.decode()

    mail.outbox.clear()
    start = timezone.now() + timedelta(days=2)
    services.meeting_update(
        meeting=g.meeting, data={"starts_at": start, "ends_at": start + timedelta(hours=1)}
    )
    (moved,) = mail.outbox
    assert set(moved.bcc) == {g.secretary.email}
    g.meeting.starts_at, g.meeting.ends_at = timezone.now() - timedelta(hours=2), timezone.now()
    g.meeting.save()
    services.minutes_publish(meeting=g.meeting, user=g.world.coordinator)
    told = set(Notice.objects.filter(kind="minutes_published").values_list("recipient", flat=True))
    assert told == {g.secretary.pk}

    client.force_login(g.world.coordinator)
    page = client.get(group_page).content.decode()
    assert page.count("inte längre någon roll i länet") == 1  # who left, not the secretary


# --- Actions -------------------------------------------------------------------------------------


def test_an_overdue_action_shows_in_the_list_and_on_its_measure(client, g):
    client.force_login(g.world.reporter_a)
    page = client.get(reverse("backoffice:actions"), {"overdue": "on"}).content.decode()
    assert "Sammanställ rutinerna" in page
    assert "försenad" in page
    page = client.get(reverse("backoffice:actions"), {"status": "done"}).content.decode()
    assert "Sammanställ rutinerna" not in page
    page = client.get(reverse("backoffice:actions"), {"measure": "3.1"}).content.decode()
    assert "Sammanställ rutinerna" not in page
    page = client.get(
        reverse("backoffice:measure-work", args=[g.measure.plan.slug, g.measure.key])
    ).content.decode()
    assert "Sammanställ rutinerna" in page
    assert "försenad" in page
    services.action_save(
        item=g.item,
        action=g.action,
        data={"status": ActionStatus.DONE},
        measures=[g.measure],
    )
    page = client.get(reverse("backoffice:actions"), {"overdue": "on"}).content.decode()
    assert "Sammanställ rutinerna" not in page


def test_the_public_sees_a_meeting_only_when_its_minutes_are_published(client, g):
    services.decision_add(item=g.item, text="Rutinerna redovisas vid nästa möte.")
    measure_page = f"/planer/{g.world.plan.slug}/v1/atgarder/2.1/"
    assert "Rutinerna redovisas" not in client.get(measure_page).content.decode()
    assert client.get(reverse("public:minutes", args=[g.meeting.pk])).status_code == 404
    services.minutes_publish(meeting=g.meeting)
    page = client.get(measure_page).content.decode()
    assert "Rutinerna redovisas vid nästa möte." in page
    assert "Sammanställ rutinerna" in page
    public = client.get(reverse("public:minutes", args=[g.meeting.pk])).content.decode()
    assert "§1 Rutiner" in public
    assert "secretary" not in public  # people's names stay in the back office


def test_group_page_shows_signatories_without_a_member(client, g):
    police = Organisation.objects.get(slug="polismyndigheten-vasternorrland")
    g.group.required_organisations.add(police)
    client.force_login(g.secretary)
    page = client.get(reverse("backoffice:group", args=[g.group.pk])).content.decode()
    lacking = page.split('class="lacking"')[1].split("</ul>")[0]
    assert "Timrå kommun" in lacking
    assert "Sundsvalls kommun" not in lacking  # reporter_a is its member
    assert f"{police.name} <strong>(ska vara representerad)</strong>" in lacking


# --- Minutes out, and in the annual report -------------------------------------------------------


def test_minutes_pdf_and_word_read_back_with_their_headings(client, g):
    from docx import Document

    services.decision_add(item=g.item, text="Rutinerna redovisas vid nästa möte.")
    client.force_login(g.world.reporter_a)
    pdf = client.get(reverse("backoffice:minutes", args=[g.meeting.pk, "pdf"])).content
    text = "\n".join(pdf_text(pdf))
    for heading in ("Protokoll: Möte", "Närvaro", "§1 Rutiner", "Beslut: Rutinerna redovisas"):
        assert heading in text
    docx = client.get(reverse("backoffice:minutes", args=[g.meeting.pk, "docx"])).content
    document = Document(io.BytesIO(docx))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0].startswith("Protokoll: Möte, ")
    assert headings[1:] == ["Närvaro", "Protokoll", "§1 Rutiner"]
    assert document.tables[0].rows[1].cells[2].text in {"sekreterare", "ledamot"}


def test_the_annual_report_lists_meetings_decisions_and_actions_on_time(g):
    from nollvision.reports.documents import render, report_content

    year = timezone.localdate().year
    done = services.action_save(
        item=g.item,
        action=None,
        data={
            "text": "Klar i tid",
            "organisation": g.action.organisation,
            "due": timezone.localdate(),
            "status": ActionStatus.DONE,
        },
        measures=[],
    )
    assert done.done_on == timezone.localdate()
    services.decision_add(item=g.item, text="Ett beslut om mål 2.")
    campaign = g.world.campaign
    campaign.year = year
    campaign.save()
    content = report_content(campaign)
    html = render(content, "html").decode()
    section = html.split('id="collaboration"')[1].split("</section>")[0]
    assert "Regional samverkansgrupp" in section
    assert "Ett beslut om mål 2." in section
    due_this_year = Action.objects.filter(due__year=year).count()
    assert (
        f"1 av {due_this_year} aktiviteter som skulle vara klara i år blev klara i tid" in section
    )
    docx = render(content, "docx")
    from docx import Document

    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert "Samverkan: möten, beslut och aktiviteter" in paragraphs


# --- The whole story ---------------------------------------------------------------------------------


def test_secretary_runs_a_meeting_and_members_see_it(client, g, django_capture_on_commit_callbacks):
    """Schedule with an agenda tied to measures, minutes, a decision and two actions; the members'
    calendar, the action list and the measure pages show them."""
    client.force_login(g.secretary)
    start = timezone.localtime() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("backoffice:meeting-create", args=[g.group.pk]),
            {
                "title": "Höstmöte",
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                "place": "Sundsvall",
            },
        )
    meeting = Meeting.objects.get(title="Höstmöte")
    assert response["Location"] == reverse("backoffice:meeting", args=[meeting.pk])
    assert mail.outbox[-1].subject == "Nytt möte: Höstmöte (Regional samverkansgrupp)"
    measures = Measure.objects.filter(plan=g.world.plan, code__in=["1.1", "3.2"])
    from nollvision.reports.models import Report

    report, _created = Report.objects.get_or_create(campaign=g.world.campaign)
    client.post(
        reverse("backoffice:item-create", args=[meeting.pk]),
        {
            "title": "Kompetens",
            "measures": [m.pk for m in measures],
            "campaign": g.world.campaign.pk,
            "report": report.pk,
        },
    )
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.campaign, item.report) == (g.world.campaign, report)
    client.post(
        reverse("backoffice:item-edit", args=[item.pk]),
        {
            "title": "Kompetens",
            "measures": [m.pk for m in measures],
            "campaign": g.world.campaign.pk,
            "minutes": "Diskuterades.",
        },
    )
    client.post(
        reverse("backoffice:decision-add", args=[item.pk]), {"text": "Alla går webbkursen."}
    )
    for text, code in (("Boka utbildning", "1.1"), ("Följ upp deltagandet", "3.2")):
        client.post(
            reverse("backoffice:action-create", args=[item.pk]),
            {
                "text": text,
                "organisation": g.action.organisation_id,
                "person": g.secretary.pk,
                "due": "2030-06-30",
                "status": "open",
                "measures": [measures.get(code=code).pk],
            },
        )
    item.refresh_from_db()
    assert item.minutes == "Diskuterades."
    assert [d.text for d in item.decisions.all()] == ["Alla går webbkursen."]
    assert item.actions.count() == 2
    feed = Calendar.from_ical(client.get(feed_path(g.member)).content)
    assert "Regional samverkansgrupp: Höstmöte" in [str(e["summary"]) for e in feed.walk("VEVENT")]
    client.force_login(g.world.reporter_a)
    listing = client.get(reverse("backoffice:actions")).content.decode()
    assert "Boka utbildning" in listing
    assert "Följ upp deltagandet" in listing
    work = client.get(
        reverse("backoffice:measure-work", args=[g.world.plan.slug, measures.get(code="3.2").key])
    )
    assert "Följ upp deltagandet" in work.content.decode()
    assert "Boka utbildning" not in work.content.decode()


def test_a_group_without_members_says_so(client, g):
    from nollvision.meetings.models import Group

    empty = Group.objects.filter(plan_slug=g.group.plan_slug, members=None).first()
    client.force_login(g.world.coordinator)
    page = client.get(reverse("backoffice:group", args=[empty.pk])).content.decode()
    assert "Inga medlemmar ännu." in page
    assert "table table--stack" not in page
    page = client.get(reverse("backoffice:group", args=[g.group.pk])).content.decode()
    assert "table table--stack" in page
    assert 'data-label="Roll i gruppen"' in page
