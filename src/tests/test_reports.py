"""The report and dashboard against the database: figures, formats, publishing, archive."""

import hashlib
import io
import json
import zipfile
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from nollvision.followup.enums import Action
from nollvision.followup.models import MeasureAnswer
from nollvision.followup.services import (
    MeasureChange,
    campaign_close,
    campaign_create,
    campaign_open,
    response_save,
    response_transition,
)
from nollvision.reports.figures import load_campaign, status_by_goal
from nollvision.reports.models import PublishedReport, Report
from nollvision.reports.services import campaign_archive, report_publish, report_save

from .conftest import answer_everything
from .helpers import pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def accept(world, response, reporter, approver, status="implemented"):
    answer_everything(response, reporter, status=status)
    response_transition(response=response, user=reporter, action=Action.SUBMIT)
    response_transition(response=response, user=approver, action=Action.APPROVE)
    response_transition(response=response, user=world.coordinator, action=Action.ACCEPT)


@pytest.fixture
def accepted(world):
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    report = Report.objects.create(campaign=world.campaign)
    report_save(
        report=report,
        user=world.coordinator,
        summary="Arbetet har **utvecklats** under året.\n\n- Fler rutiner\n- Mer samverkan",
        analyses={"1": "Förebyggande arbete pågår i hela länet."},
        conclusions="Prioritera kompetens om särskild sårbarhet.",
    )
    return world


def test_figures_from_the_database_count_accepted_answers_only(accepted):
    data = load_campaign(accepted.campaign)
    counts = {goal: c.n for goal, c in status_by_goal(data)}
    per_goal = {
        g: accepted.response_a.measure_answers.filter(measure__goal__number=g).count()
        for g in (1, 2, 3, 4)
    }
    assert counts == per_goal  # Timrå's draft is not counted
    assert all(c.share("implemented") == 1 for _g, c in status_by_goal(data))


def test_pdf_has_headings_numbers_and_swedish_letters(accepted, tmp_path):
    out = io.StringIO()
    path = tmp_path / "rapport.pdf"
    call_command(
        "build_report", plan=accepted.plan.slug, year=2025, fmt="pdf", output=str(path), stdout=out
    )
    pages = pdf_text(path.read_bytes())
    text = "\n".join(pages)
    assert 5 <= len(pages) <= 40
    for expected in (
        "Uppföljning av regional handlingsplan 2025",
        "Sammanfattning",
        "Mål 1: Ett utökat och verkningsfullt förebyggande arbete mot våld",
        "Sundsvalls kommun",
        "Förebyggande arbete pågår i hela länet.",
        "1 av 15 myndigheter har ett accepterat svar",
        "Slutsatser och prioriteringar",
        "UTKAST",
    ):
        assert expected in text, expected


def test_docx_has_real_headings_and_tables(accepted):
    from nollvision.reports.documents import render_docx, report_content

    document = Document(BytesIO(render_docx(report_content(accepted.campaign))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Sammanfattning" in headings
    assert (
        "Mål 2: Förbättrad upptäckt av våld och starkare skydd och stöd för våldsutsatta "
        "kvinnor och barn" in headings
    )
    assert "Bilaga: varje aktörs status" in headings
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "utvecklats" in bold
    goal_one = next(t for t in document.tables if t.rows[0].cells[0].text == "Organisation")
    assert [c.text for c in goal_one.rows[0].cells][1:3] == ["1.1", "1.2"]
    rows = {row.cells[0].text: [c.text for c in row.cells][1:] for row in goal_one.rows[1:]}
    assert rows["Sundsvalls kommun"][0] == "genomförd"
    assert rows["Timrå kommun"][0] == "inget accepterat svar"
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells][-1] == "Åtgärder"
    sundsvall = next(r for r in appendix.rows if r.cells[0].text == "Sundsvalls kommun")
    implemented = [c.text for c in appendix.rows[0].cells].index("genomförd")
    answers = accepted.response_a.measure_answers
    assert sundsvall.cells[implemented].text == str(answers.filter(status="implemented").count())
    assert sundsvall.cells[-1].text == str(answers.exclude(status="").count())


def test_xlsx_has_one_sheet_per_table_and_all_answers_in_long_form(accepted):
    from nollvision.reports.documents import render_xlsx, report_content

    book = load_workbook(BytesIO(render_xlsx(report_content(accepted.campaign))))
    cover = book["Om rapporten"]
    about = {row[0].value: row[1].value for row in cover.iter_rows(min_row=2)}
    assert cover["A1"].value == "Uppföljning av regional handlingsplan 2025 – Västernorrlands län"
    assert about["Länet"] == "Västernorrlands län"
    assert about["Uppföljningsår"] == 2025
    assert about["Plan"].startswith(str(accepted.campaign.plan.title))
    assert "version 1" in about["Plan"]
    assert about["Utgåva"] == "Utkast"
    assert book.properties.title == cover["A1"].value
    assert "Västernorrlands län" in book.properties.keywords
    assert book.sheetnames[1:5] == [
        "Åtgärder efter status per mål",
        "Åtgärder efter status per typ a",
        "Personal som genomgått respekti",
        "Förändring över åren",
    ]
    answers = book["Alla accepterade svar"]
    header = [c.value for c in answers[1]]
    assert header == [
        "År",
        "Organisation",
        "Typ av organisation",
        "Mål",
        "Åtgärd",
        "Åtgärdens text",
        "Status",
        "Vad som har gjorts",
    ]
    assert answers.max_row == accepted.response_a.measure_answers.count() + 1
    assert [c.value for c in answers[2]][:7] == [
        2025,
        "Sundsvalls kommun",
        "Kommun",
        1,
        "1.1",
        "normkritiskt arbete på arbetsplatser.",
        "genomförd",
    ]


def test_published_report_stays_as_it_was(client, accepted):
    publication = report_publish(campaign=accepted.campaign, user=accepted.coordinator)
    client.force_login(accepted.coordinator)
    url = reverse("backoffice:report-published", args=[accepted.campaign.pk, 1, "pdf"])
    first = b"".join(client.get(url).streaming_content)
    assert hashlib.sha256(first).hexdigest() == publication.checksums["pdf"]
    response_transition(
        response=accepted.response_a,
        user=accepted.coordinator,
        action=Action.REOPEN,
        reason="Rätta en siffra",
    )
    answer = accepted.response_a.measure_answers.order_by("pk").first()
    response_save(
        response=accepted.response_a,
        user=accepted.reporter_a,
        measures=[MeasureChange(answer.pk, answer.version, {"status": "planned"})],
    )
    accepted.response_a.refresh_from_db()
    second = b"".join(client.get(url).streaming_content)
    assert second == first
    assert publication.answers[0][1] == "Sundsvalls kommun"
    assert MeasureAnswer.objects.get(pk=answer.pk).status == "planned"


def test_archive_package_has_the_files_and_a_manifest_with_checksums(accepted):
    report_publish(campaign=accepted.campaign, user=accepted.coordinator)
    campaign_close(campaign=accepted.campaign)
    name, data = campaign_archive(campaign=accepted.campaign)
    assert name == "arkiv-vasternorrland-2022-2026-2025.zip"
    archive = zipfile.ZipFile(BytesIO(data))
    assert sorted(archive.namelist()) == [
        "bilaga.pdf",
        "manifest.json",
        "rapport.pdf",
        "rapport.xlsx",
        "svar.json",
    ]
    manifest = json.loads(archive.read("manifest.json"))
    for file_name, facts in manifest["files"].items():
        assert hashlib.sha256(archive.read(file_name)).hexdigest() == facts["sha256"]
    answers = json.loads(archive.read("svar.json"))
    assert [r["organisation"] for r in answers["responses"]] == ["Sundsvalls kommun"]
    for pdf in ("rapport.pdf", "bilaga.pdf"):
        metadata = PdfReader(BytesIO(archive.read(pdf))).trailer["/Root"]["/Metadata"]
        assert b"pdfaid:part" in metadata.get_object().get_data()  # declared PDF/A


def test_annex_has_each_bodys_answers_and_the_report_points_to_it(accepted):
    from nollvision.reports.documents import render, report_content

    content = report_content(accepted.campaign)
    answers = accepted.response_a.measure_answers.exclude(status="").order_by("pk")
    written = answers.exclude(done="").first()
    text = " ".join(" ".join(page.split()) for page in pdf_text(render(content, "bilaga.pdf")))
    assert "Bilaga: varje aktörs svar" in text
    assert "Sundsvalls kommun" in text
    assert f"{written.measure.code} (genomförd)" in text
    assert " ".join(written.done.split()) in text
    assert "Timrå kommun" not in text  # no accepted answer, nothing to show
    html = render(content, "bilaga.html").decode()
    assert html.count("<dt>") == answers.count()
    report_text = " ".join(" ".join(page.split()) for page in pdf_text(render(content, "pdf")))
    assert "Bilaga: varje aktörs status" in report_text
    assert "Varje aktörs svar" in report_text
    assert written.done.split(".")[0] not in report_text  # the texts live in the annex


def test_publication_without_an_annex_still_downloads(client, accepted):
    publication = report_publish(campaign=accepted.campaign, user=accepted.coordinator)
    assert publication.annex_pdf
    assert publication.annex_html
    assert set(publication.checksums) == {
        "html",
        "pdf",
        "docx",
        "xlsx",
        "bilaga.html",
        "bilaga.pdf",
    }
    PublishedReport.objects.filter(pk=publication.pk).update(annex_pdf="", annex_html="")
    client.force_login(accepted.coordinator)
    args = [accepted.campaign.pk, publication.number]
    assert (
        client.get(reverse("backoffice:report-published", args=[*args, "pdf"])).status_code == 200
    )
    missing = client.get(reverse("backoffice:report-published", args=[*args, "bilaga.pdf"]))
    assert missing.status_code == 404
    page = client.get(reverse("backoffice:report", args=[accepted.campaign.pk])).content.decode()
    assert "Bilaga (PDF)" in page  # the draft links
    assert reverse("backoffice:report-published", args=[*args, "bilaga.pdf"]) not in page


def test_dashboard_shows_what_the_bodies_did_for_a_chosen_goal(client, accepted):
    client.force_login(accepted.coordinator)
    url = reverse("backoffice:dashboard", args=[accepted.campaign.pk])
    written = (
        accepted.response_a.measure_answers.exclude(done="").filter(measure__goal__number=2).first()
    )
    everything = client.get(url).content.decode()
    assert written.done not in everything
    chosen = client.get(url, {"goal": 2}).content.decode()
    assert "<dt>Sundsvalls kommun (" in chosen
    assert written.done in chosen


def test_archive_needs_a_closed_follow_up(accepted):
    from nollvision.followup.errors import FollowupError

    with pytest.raises(FollowupError):
        campaign_archive(campaign=accepted.campaign)


@pytest.mark.parametrize("bodies", [1, 3])
def test_dashboard_and_matrix_queries_do_not_grow_with_bodies(client, world, bodies):
    from nollvision.accounts.models import Organisation

    campaign = campaign_create(plan=world.plan, year=2030, deadline=world.campaign.deadline)
    responses = campaign_open(
        campaign=campaign,
        organisations=list(
            Organisation.objects.filter(kind__code="municipality").order_by("pk")[:bodies]
        ),
    )
    from nollvision.accounts.models import Membership, Role

    for response in responses:
        world.reporter_a.__dict__.pop("_nollvision_memberships", None)
        world.approver_a.__dict__.pop("_nollvision_memberships", None)
        Membership.objects.get_or_create(
            user=world.reporter_a,
            organisation=response.organisation,
            defaults={"role": Role.REPORTER},
        )
        Membership.objects.get_or_create(
            user=world.approver_a,
            organisation=response.organisation,
            defaults={"role": Role.APPROVER},
        )
        world.reporter_a.__dict__.pop("_nollvision_memberships", None)
        world.approver_a.__dict__.pop("_nollvision_memberships", None)
        accept(world, response, world.reporter_a, world.approver_a)
    client.force_login(world.coordinator)
    counts = {}
    for name in ("dashboard", "matrix"):
        url = reverse(f"backoffice:{name}", args=[campaign.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts[name] = len(queries)
        implemented = (
            '<td class="cell cell--implemented">'
            if name == "dashboard"
            else 'class="wm wm--implemented"'
        )
        assert page.count(implemented) >= bodies
    assert counts["dashboard"] == 20  # one of them: the prioritised measures, to mark and filter
    assert counts["matrix"] <= 12


def test_dashboard_is_for_coordinators_and_readers(client, accepted):
    url = reverse("backoffice:dashboard", args=[accepted.campaign.pk])
    assert client.get(url).status_code == 302
    for user, expected in (
        (accepted.coordinator, 200),
        (accepted.reader, 200),
        (accepted.reporter_a, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected
    client.force_login(accepted.reader)
    assert client.get(reverse("backoffice:report", args=[accepted.campaign.pk])).status_code == 403


def test_coordinator_writes_previews_and_publishes(client, accepted):
    client.force_login(accepted.coordinator)
    url = reverse("backoffice:report", args=[accepted.campaign.pk])
    reply = client.post(
        url, {"summary": "Ny sammanfattning.", "conclusions": "", "goal_1": "Analys av mål 1."}
    )
    assert reply.status_code == 302
    preview = client.get(
        reverse("backoffice:report-download", args=[accepted.campaign.pk, "html"])
    ).content.decode()
    assert "Ny sammanfattning." in preview
    assert "Analys av mål 1." in preview
    for fmt, kind in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")):
        download = client.get(
            reverse("backoffice:report-download", args=[accepted.campaign.pk, fmt])
        )
        assert kind in download["Content-Type"]
        assert download["Content-Disposition"].endswith(f'-2025.{fmt}"')
    reply = client.post(url, {"summary": "Gällde 19121212-1212.", "conclusions": ""})
    assert reply.status_code == 400
    ask = client.post(reverse("backoffice:report-publish", args=[accepted.campaign.pk]))
    assert "Publicera rapporten" in ask.content.decode()
    # The check before publishing names the empty sections: publishing needs the extra tick.
    assert 'id="publication-check"' in ask.content.decode()
    publish = reverse("backoffice:report-publish", args=[accepted.campaign.pk])
    assert client.post(publish, {"confirmed": "1"}).status_code == 400
    done = client.post(publish, {"confirmed": "1", "publish_anyway": "on"})
    assert done.status_code == 302  # to the job's page (run inline in the test settings)
    assert "Nummer 1" in client.get(url).content.decode()


def test_trend_compares_years_with_competence_and_routines(accepted):
    from nollvision.followup.services import BodyChange
    from nollvision.reports.figures import load_trend

    # Last year's follow-up, where Sundsvall's answer was accepted too.
    earlier = campaign_create(plan=accepted.plan, year=2024, deadline=accepted.campaign.deadline)
    (response,) = campaign_open(campaign=earlier, organisations=[accepted.response_a.organisation])
    response_save(
        response=response,
        user=accepted.reporter_a,
        measures=[],
        body=BodyChange(
            version=0,
            values={"staff_concerned": 200, "completed_violence": 50},
            routines={
                "ask_clients": {"state": "yes", "last_revised": None},
                "ask_staff": {"state": "no", "last_revised": None},
            },
        ),
    )
    response.refresh_from_db()
    accept(accepted, response, accepted.reporter_a, accepted.approver_a, status="ongoing")
    trend = load_trend(accepted.campaign)
    assert [(y.year, y.rate) for y in trend] == [(2024, (1, 1)), (2025, (1, 15))]
    assert trend[0].implemented_by_goal == {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}
    assert trend[1].implemented_by_goal == {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    assert trend[0].competence.share("violence") == 0.25
    # ask_clients yes, ask_staff no, and the other four "yes" (a complete answer is sent in).
    assert trend[0].routines_in_place == 5 / 6
    assert trend[1].competence.share("violence") == 0  # staff given, no course completed


def test_report_has_an_indicator_section_per_goal(accepted):
    from nollvision.indicators.csv_import import csv_import
    from nollvision.indicators.loaders import indicator_set_load
    from nollvision.reports.documents import render_docx, render_html, report_content

    from .indicator_rows import csv_file

    indicator_set_load()
    csv_import(
        content=csv_file("anmalda-valdsbrott,0022,2023,T,812.4,,"),
        source="test",
    )
    content = report_content(accepted.campaign)
    html = render_html(content)
    assert "Anmälda våldsbrott, antal per 100 000 invånare" in html
    assert "812,4 antal/100 000 inv" in html
    document = Document(BytesIO(render_docx(content)))
    rows = [
        [c.text for c in row.cells]
        for t in document.tables
        if t.rows[0].cells[0].text == "Indikator"
        for row in t.rows[1:]
    ]
    assert [
        "Anmälda våldsbrott, antal per 100 000 invånare",
        "812,4 antal/100 000 inv",
        "2023",
        "Källa: Kolada",
    ] in rows
