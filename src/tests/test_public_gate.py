"""What is public is decided in one place (reports/published.py), and this test holds it to its
promise over every public output at once.

A marker is planted in every state that must stay hidden: an accepted answer whose body did not
allow publication, one allowed but not cleared, an answer only submitted, one accepted after the
publication, a report text edited after publication, a draft plan version, a consultation
comment, and an unpublished meeting's minutes, decision, action and attachment. Then every public
route of the URL configuration is rendered for every object, in both languages, with every
public file (PDF text, Word XML, workbook cells) and every API response (JSON and CSV), and no
marker may be anywhere. Then each state is made public (allowed, cleared, minutes published,
published again) and each marker must appear where it now belongs."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nollvision.accounts.models import Membership, Organisation, Role
from nollvision.followup.enums import Action
from nollvision.followup.services import answer_clear_for_publication, response_transition
from nollvision.meetings import services as meetings
from nollvision.meetings.models import Group, Meeting, MemberRole
from nollvision.plans.models import ConsultationAnswer, Measure, Plan
from nollvision.public import urls as public_urls
from nollvision.reports.documents import FORMATS
from nollvision.reports.models import PublishedReport, Report
from nollvision.reports.services import report_publish

from .conftest import answer_everything, pdf_bytes
from .helpers import pdf_text, plan_draft

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SLUG = "vasternorrland-2022-2026"
# One marker per state that must stay hidden (plain letters: PDF text keeps them whole).
NOT_ALLOWED = "Qxnotallowed"  # accepted, the body did not allow publication
NOT_CLEARED = "Qxnotcleared"  # accepted and allowed, not cleared by the county board
SUBMITTED = "Qxsubmitted"  # sent in, never accepted
APPROVED = "Qxapproved"  # approved by the body, not accepted by the county board
RETURNED = "Qxreturned"  # returned by the county board
LATE = "Qxlateanswer"  # accepted and cleared after the publication
EDITED = "Qxeditedlater"  # the report's summary, written after the publication
DRAFT = "Qxdraftplan"  # a measure of the draft of the next plan version
CONSULTATION = "Qxconsultation"  # a body's comment in the consultation on that draft
MINUTES = "Qxminutes"  # an unpublished meeting's minutes
DECISION = "Qxdecision"  # its decision
ACTION = "Qxaction"  # its action
ATTACHMENT = "Qxattachment"  # its attachment's name
UNPUBLISHED_YEAR = "Qxunpublishedyear"  # the narrative of a follow-up whose report is unpublished
HIDDEN = [
    UNPUBLISHED_YEAR,
    NOT_ALLOWED,
    NOT_CLEARED,
    SUBMITTED,
    APPROVED,
    RETURNED,
    LATE,
    EDITED,
    DRAFT,
    CONSULTATION,
    MINUTES,
    DECISION,
    ACTION,
    ATTACHMENT,
]
CLEARED = "Qxclearedtext"  # the control: allowed and cleared, so public from the start


def _answer(response, code: str):
    from nollvision.followup.models import MeasureAnswer

    return MeasureAnswer.objects.select_related("response").get(
        response=response, measure__code=code
    )


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def _set_text(response, code: str, text: str, *, may_publish: bool) -> None:
    response.measure_answers.filter(measure__code=code).update(done=text, may_publish=may_publish)


def _accept(world, response, reporter, approver) -> None:
    response_transition(response=response, user=reporter, action=Action.SUBMIT)
    response_transition(response=response, user=approver, action=Action.APPROVE)
    response_transition(response=response, user=world.coordinator, action=Action.ACCEPT)


def _person(django_user_model, username: str, organisation, role):
    user = django_user_model.objects.create_user(username=username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def planted(world, django_user_model):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    # Sundsvall: accepted, three texts in three states.
    answer_everything(world.response_a, world.reporter_a, status="implemented")
    _set_text(world.response_a, "1.1", NOT_ALLOWED, may_publish=False)
    _set_text(world.response_a, "1.2", NOT_CLEARED, may_publish=True)
    _set_text(world.response_a, "1.3", CLEARED, may_publish=True)
    _accept(world, world.response_a, world.reporter_a, world.approver_a)
    answer_clear_for_publication(answer=_answer(world.response_a, "1.3"), user=world.coordinator)
    # Timrå: sent in, never accepted (allowed, so only its state keeps it back).
    answer_everything(world.response_b, world.reporter_b, status="planned")
    _set_text(world.response_b, "1.1", SUBMITTED, may_publish=True)
    response_transition(response=world.response_b, user=world.reporter_b, action=Action.SUBMIT)
    # Örnsköldsvik approved, Ånge returned: neither accepted.
    for slug, text, steps in (
        ("ornskoldsviks-kommun", APPROVED, (Action.SUBMIT, Action.APPROVE)),
        ("ange-kommun", RETURNED, (Action.SUBMIT, Action.APPROVE, Action.RETURN)),
    ):
        response = world.campaign.responses.get(organisation__slug=slug)
        reporter = _person(django_user_model, f"rep_{slug}", response.organisation, Role.REPORTER)
        approver = _person(django_user_model, f"app_{slug}", response.organisation, Role.APPROVER)
        answer_everything(response, reporter, status="implemented")
        _set_text(response, "1.1", text, may_publish=True)
        for step in steps:
            user = {Action.SUBMIT: reporter, Action.APPROVE: approver}.get(step, world.coordinator)
            reason = "Komplettera." if step == Action.RETURN else ""
            response_transition(response=response, user=user, action=step, reason=reason)
    # Meetings: one published (its decision is public), one not.
    group = Group.objects.get(plan_slug=SLUG, key="regional-samverkansgrupp")
    now = timezone.now()
    measure = Measure.objects.get(plan=world.plan, code="2.1")
    for title, published in (("Publicerat möte", True), ("Internt möte", False)):
        meeting = meetings.meeting_schedule(
            group=group,
            data={"title": title, "starts_at": now, "ends_at": now + timedelta(hours=1)},
        )
        item = meetings.item_save(
            meeting=meeting,
            item=None,
            data={"title": "Punkt", "minutes": "Protokollfört." if published else MINUTES},
            goals=[],
            measures=[measure],
        )
        meetings.decision_add(item=item, text="Ett öppet beslut." if published else DECISION)
        if published:
            meetings.minutes_publish(meeting=meeting)
            continue
        meetings.action_save(
            item=item,
            action=None,
            data={
                "text": ACTION,
                "organisation": world.response_a.organisation,
                "due": timezone.localdate() + timedelta(days=30),
            },
            measures=[measure],
        )
        meetings.attachment_add(
            meeting=meeting,
            uploaded=SimpleUploadedFile(f"{ATTACHMENT}.pdf", pdf_bytes()),
            user=world.coordinator,
        )
    # The report, published; then its summary edited, and a late body accepted and cleared.
    report = Report.objects.get_or_create(campaign=world.campaign)[0]
    report.summary = "Sammanfattningen som publicerades."
    report.save()
    report_publish(campaign=world.campaign, user=world.coordinator)
    Report.objects.filter(pk=report.pk).update(summary=EDITED)
    kramfors = world.campaign.responses.get(organisation__slug="kramfors-kommun")
    reporter = _person(django_user_model, "rep_k", kramfors.organisation, Role.REPORTER)
    approver = _person(django_user_model, "app_k", kramfors.organisation, Role.APPROVER)
    answer_everything(kramfors, reporter, status="implemented")
    _set_text(kramfors, "1.1", LATE, may_publish=True)
    _accept(world, kramfors, reporter, approver)
    answer_clear_for_publication(answer=_answer(kramfors, "1.1"), user=world.coordinator)
    # A follow-up of another year whose report nobody published.
    from datetime import date

    from nollvision.followup.services import campaign_create

    other_year = campaign_create(plan=world.plan, year=2024, deadline=date(2025, 2, 15))
    Report.objects.create(campaign=other_year, summary=UNPUBLISHED_YEAR)
    # The draft of the next version, sent for consultation, with a body's comment.
    names = plan_draft(world.plan)
    draft = Plan.objects.get(pk=names["draft_pk"])
    Measure.objects.filter(plan=draft, code="1.1").update(text={"sv": DRAFT, "en": DRAFT})
    ConsultationAnswer.objects.filter(pk=names["consultation_answer"]).update(comment=CONSULTATION)
    world.kramfors = kramfors
    world.group = group
    return world


# --- Every public output ----------------------------------------------------------------------


def _public_urls() -> list[str]:
    """Every public route of the URL configuration, for every object it can show; a route added
    without a line here fails the test."""
    plans = list(Plan.objects.exclude(status="draft").order_by("slug", "version"))
    assert plans
    urls: dict[str, list[str]] = {
        "home": ["/"],
        "plan-list": ["/planer/"],
        "quick-exit": [],  # a redirect
        "safer-browsing": ["/surfa-sakrare/"],
        "accessibility": ["/tillganglighet/"],
        "support": ["/stod/"],
        "support-area": ["/stod/2281/", "/stod/0022/"],
        "guide": ["/vad-gor-jag/"],
        "figures": ["/siffror/"],
        "indicators": ["/indikatorer/"],
        "easy-read": ["/lattlast/"],
        "situation": [],
        "plan-detail": [],
        "plan-document": [],
        "plan-indicators": [],
        "plan-figures": [],
        "plan-easy-read": [],
        "plan-guide": [],
        "plan-situation": [],
        "plan-version": [],
        "plan-version-document": [],
        "goal-detail": [],
        "measure-detail": [],
        "responsibilities": [],
        "organisation-detail": [],
        "collaboration": [],
        "easy-read-version": [],
        "reports": [],
        "report-file": [],
        "plan-compare": [],
        "minutes": [f"/protokoll/{m.pk}/" for m in Meeting.objects.all()],
    }
    for plan in plans:
        base, version = f"/planer/{plan.slug}/", f"/planer/{plan.slug}/v{plan.version}/"
        urls["plan-detail"].append(base)
        urls["plan-indicators"].append(base + "indikatorer/")
        urls["plan-figures"].append(base + "siffror/")
        urls["plan-easy-read"].append(base + "lattlast/")
        urls["plan-guide"].append(base + "vad-gor-jag/")
        urls["plan-compare"].append(base + "jamfor/")
        urls["reports"].append(base + "rapporter/")
        urls["plan-version"].append(version)
        urls["responsibilities"].append(version + "ansvar/")
        urls["collaboration"].append(version + "samverkan/")
        urls["easy-read-version"].append(version + "lattlast/")
        urls["goal-detail"] += [f"{version}mal/{g.number}/" for g in plan.goals.all()]
        urls["measure-detail"] += [f"{version}atgarder/{m.code}/" for m in plan.measures.all()]
        urls["organisation-detail"] += [
            f"{version}organisationer/{s.organisation.slug}/"
            for s in plan.signatures.select_related("organisation")
        ]
        for fmt in ("pdf", "docx"):
            urls["plan-document"].append(f"{base}dokument.{fmt}")
            urls["plan-version-document"].append(f"{version}dokument.{fmt}")
    from nollvision.support.models import Situation

    for situation in Situation.objects.all():
        urls["situation"].append(f"/vad-gor-jag/{situation.key}/")
        urls["plan-situation"].append(f"/planer/{situation.plan_slug}/vad-gor-jag/{situation.key}/")
    for publication in PublishedReport.objects.select_related("report__campaign__plan"):
        campaign = publication.report.campaign
        urls["report-file"] += [
            f"/planer/{campaign.plan.slug}/rapporter/{campaign.year}/{publication.number}.{fmt}"
            for fmt in FORMATS
        ]
    names = {p.name for p in public_urls.urlpatterns}
    assert names == set(urls), names ^ set(urls)
    return [url for group in urls.values() for url in group]


API = [
    "/api/v1/plans/",
    f"/api/v1/plans/{SLUG}/",
    f"/api/v1/plans/{SLUG}/?format=csv",
    f"/api/v1/plans/{SLUG}/followups/",
    f"/api/v1/plans/{SLUG}/followups/?format=csv",
    "/api/v1/organisations/",
    "/api/v1/organisations/?format=csv",
    "/api/v1/support-services/?area=2281",
    "/api/v1/openapi.json",
]


def _text_of(response) -> str:
    """What a person (or a program) reads in a response: the page, the PDF's text, the Word
    file's XML, the workbook's cells."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(pdf_text(body))
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def public_outputs(client) -> dict[str, str]:
    outputs = {}
    for url in _public_urls():
        for address in (url, "/en" + url) if not url.startswith("/api/") else (url,):
            response = client.get(address)
            assert response.status_code in (200, 404), address
            outputs[address] = _text_of(response)
    for url in API:
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = _text_of(response)
    return outputs


def where(outputs: dict[str, str], marker: str) -> list[str]:
    return [url for url, text in outputs.items() if marker in text]


def test_hidden_states_stay_hidden_everywhere_until_each_is_made_public(planted):
    """One fixture for both halves (it publishes a report twice over): first nothing hidden
    anywhere, then each state made public and found where it belongs."""
    _nothing_hidden_anywhere(planted)
    _each_state_made_public_appears(planted)


def _nothing_hidden_anywhere(planted):
    client = Client()
    outputs = public_outputs(client)
    assert len(outputs) > 200  # every page of every object, both languages, files and API
    leaks = {marker: where(outputs, marker) for marker in HIDDEN}
    assert {marker: urls for marker, urls in leaks.items() if urls} == {}
    # The control: an allowed and cleared text is public, on the body's page and in the annex.
    shown = where(outputs, CLEARED)
    assert f"/planer/{SLUG}/v1/organisationer/sundsvalls-kommun/" in shown
    assert f"/planer/{SLUG}/rapporter/2025/1.bilaga.html" in shown
    assert f"/planer/{SLUG}/rapporter/2025/1.bilaga.pdf" in shown
    assert f"/planer/{SLUG}/rapporter/2025/1.xlsx" in shown
    assert "Ett öppet beslut." in outputs[f"/planer/{SLUG}/v1/atgarder/2.1/"]
    # The full edition, in the back office, has every accepted answer's text.
    coordinator = Client()
    coordinator.force_login(planted.coordinator)
    annex = coordinator.get(
        reverse("backoffice:report-published", args=[planted.campaign.pk, 1, "bilaga.html"])
    )
    assert NOT_ALLOWED in annex.content.decode()
    assert NOT_CLEARED in annex.content.decode()
    assert _no_store(annex)


def _each_state_made_public_appears(planted):
    world = planted
    # The body allows its text, the county board clears both, the minutes are published, and
    # the report is published again (with the late body's answer and the new summary).
    world.response_a.measure_answers.filter(measure__code="1.1").update(may_publish=True)
    for code in ("1.1", "1.2"):
        answer_clear_for_publication(
            answer=_answer(world.response_a, code),
            user=world.coordinator,
        )
    internal = Meeting.objects.get(title="Internt möte")
    meetings.minutes_publish(meeting=internal)
    report_publish(campaign=world.campaign, user=world.coordinator, reason="Fler svar klara.")
    client = Client()
    outputs = public_outputs(client)
    annex = f"/planer/{SLUG}/rapporter/2025/2.bilaga.html"
    body = f"/planer/{SLUG}/v1/organisationer/sundsvalls-kommun/"
    for marker in (NOT_ALLOWED, NOT_CLEARED):
        assert annex in where(outputs, marker), marker
        assert body in where(outputs, marker), marker
    assert f"/planer/{SLUG}/v1/organisationer/kramfors-kommun/" in where(outputs, LATE)
    assert annex in where(outputs, LATE)
    assert f"/planer/{SLUG}/rapporter/2025/2.html" in where(outputs, EDITED)
    assert f"/protokoll/{internal.pk}/" in where(outputs, DECISION)
    assert f"/protokoll/{internal.pk}/" in where(outputs, MINUTES)
    assert f"/planer/{SLUG}/v1/atgarder/2.1/" in where(outputs, ACTION)
    # The replaced first publication stays as it was: its public edition still holds none.
    first = f"/planer/{SLUG}/rapporter/2025/1.bilaga.html"
    assert NOT_CLEARED not in outputs[first]
    # Never public, whatever else is published: drafts, consultations, answers not accepted.
    for marker in (DRAFT, CONSULTATION, SUBMITTED, APPROVED, RETURNED):
        assert where(outputs, marker) == [], marker


# --- Publications made before the public edition existed --------------------------------------


def test_an_older_publication_is_off_the_record_until_its_public_edition_is_built(planted):
    world = planted
    publication = PublishedReport.objects.get()
    PublishedReport.objects.filter(pk=publication.pk).update(
        public_html="", public_pdf="", public_docx="", public_xlsx="", public_annex_html=""
    )
    PublishedReport.objects.filter(pk=publication.pk).update(public_annex_pdf="")
    client = Client()
    page = client.get(f"/planer/{SLUG}/rapporter/").content.decode()
    assert "Den offentliga utgåvan av rapporten förbereds." in page
    for fmt in FORMATS:
        assert client.get(f"/planer/{SLUG}/rapporter/2025/1.{fmt}").status_code == 404, fmt
    # Its answers changed since (Kramfors accepted later): not built, and nothing deleted.
    out = io.StringIO()
    call_command("build_public_editions", stdout=out)
    assert out.getvalue().startswith("0 public editions built.")
    assert "publish again" in out.getvalue()
    publication.refresh_from_db()
    assert publication.pdf
    assert not publication.public_pdf
    # The coordinator is told on the report's page, where publishing again is one step away.
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    page = coordinator.get(reverse("backoffice:report", args=[world.campaign.pk])).content.decode()
    assert "Inte i den offentliga förteckningen" in page
    # As the publication saw them again (Kramfors reopened, the summary as published): built.
    response_transition(
        response=world.kramfors, user=world.coordinator, action=Action.REOPEN, reason="Fel år."
    )
    Report.objects.filter(campaign=world.campaign).update(
        summary="Sammanfattningen som publicerades.", updated_at=publication.published_at
    )
    call_command("build_public_editions", stdout=io.StringIO())
    annex = client.get(f"/planer/{SLUG}/rapporter/2025/1.bilaga.html").content.decode()
    assert CLEARED in annex
    assert NOT_CLEARED not in annex
    assert NOT_ALLOWED not in annex


# --- Signings as recorded ---------------------------------------------------------------------


def test_public_pages_count_signings_never_signatories(client, world, other):
    from nollvision.plans.services import signing_record

    # The default plan's document says its bodies signed it (no dates): signings with that source.
    page = client.get(f"/planer/{SLUG}/").content.decode()
    assert "15 av 15 undertecknare har skrivit under planen." in page
    assert "15 underskrifter är kända bara från planens eget dokument." in page
    assert "Sundsvalls kommun: undertecknad enligt handlingsplanens dokument" in page
    signing_record(
        plan=world.plan,
        organisation=Organisation.objects.get(slug="sundsvalls-kommun"),
        data={
            "signed_by": "Kommunstyrelsens ordförande",
            "role": "ordförande",
            "signed_on": timezone.localdate(),
        },
        user=world.coordinator,
    )
    page = client.get(f"/planer/{SLUG}/").content.decode()
    assert "14 underskrifter är kända bara från planens eget dokument." in page
    assert "Sundsvalls kommun: undertecknad av ordförande" in page
    # A plan whose file states no signing: the signatories are named, nobody is said to have signed.
    second = f"/planer/{other.plan.slug}/"
    total = other.plan.signatures.count()
    page = client.get(second).content.decode()
    assert (
        f"Planen nämner {total} undertecknare; ingen underskrift har antecknats här ännu." in page
    )
    assert "har skrivit under planen" not in page
    easy = client.get(second + "lattlast/").content.decode()
    assert "Ingen av dem har skrivit under planen än." in easy
    signing_record(
        plan=other.plan,
        organisation=other.board,
        data={
            "signed_by": "Landshövding",
            "role": "landshövding",
            "signed_on": timezone.localdate(),
        },
        user=other.coordinator,
    )
    page = client.get(second).content.decode()
    assert f"1 av {total} undertecknare har skrivit under planen." in page
    assert (
        "1 av dem har skrivit under planen hittills."
        in client.get(second + "lattlast/").content.decode()
    )


# --- Access ends with the last role -----------------------------------------------------------


def test_access_to_group_material_and_the_calendar_ends_with_the_last_role(client, g):
    from nollvision.accounts.services import membership_remove
    from nollvision.meetings.calendar import feed_path

    world = g.world
    member = g.group.members.get(user=world.reporter_a, role=MemberRole.MEMBER)
    feed = feed_path(member)
    assert client.get(feed).status_code == 200
    reader = Client()
    reader.force_login(world.reporter_a)  # an open session, before the role is removed
    assert reader.get(reverse("backoffice:meeting", args=[g.meeting.pk])).status_code == 200
    membership = Membership.objects.get(user=world.reporter_a)
    membership_remove(membership=membership, by=world.coordinator)
    # The next request of the open session, and the secret calendar address, are refused: with
    # no role in the county, its meetings and files are not found (backoffice/foreign.py).
    assert reader.get(reverse("backoffice:meeting", args=[g.meeting.pk])).status_code == 404
    assert reader.get(reverse("backoffice:attachment", args=[g.attachment.pk])).status_code == 404
    assert reader.get(reverse("backoffice:actions")).status_code == 403
    assert client.get(feed).status_code == 404
    home = reader.get(reverse("backoffice:home"))
    assert home.status_code == 200
    assert "Du är inte medlem i någon organisation ännu" in home.content.decode()
    # A role given back opens it all again, the calendar address included.
    Membership.objects.create(
        user=world.reporter_a, organisation=membership.organisation, role=Role.REPORTER
    )
    assert reader.get(reverse("backoffice:meeting", args=[g.meeting.pk])).status_code == 200
    assert client.get(feed).status_code == 200


# --- Headers ----------------------------------------------------------------------------------


def test_every_back_office_response_and_download_is_no_store(client, world):
    client.force_login(world.coordinator)
    for url in (
        reverse("backoffice:home"),
        reverse("backoffice:campaign", args=[world.campaign.pk]),
        reverse("backoffice:report-download", args=[world.campaign.pk, "xlsx"]),
        reverse("backoffice:members"),
        reverse("backoffice:services"),
        "/en" + reverse("backoffice:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.fullmatch(r"(no-store, private|private, no-store)", response["Cache-Control"]), (
            url
        )
    # A 403 and a 404 of the back office are not stored either.
    refused = client.get(reverse("backoffice:counties"))
    assert refused.status_code == 403
    assert _no_store(refused)
    # Public pages keep theirs (none set: cacheable by the site's own cache).
    assert "no-store" not in client.get("/planer/").get("Cache-Control", "")
