"""The guards where people meet them: every upload refuses hostile text with a located message,
no download holds a live formula, history outside a body shows only what was shown, anonymous
requests cannot grow the database, deep plan files are refused, the lockout speaks plainly, and
an over-large request gets a page that says the limit."""

import csv
import io
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from nollvision.followup.enums import Action
from nollvision.followup.models import MeasureAnswer
from nollvision.followup.services import MeasureChange, response_save, response_transition
from nollvision.indicators.loaders import indicator_set_load
from nollvision.indicators.models import IndicatorValue
from nollvision.meetings.models import Attachment
from nollvision.plans.plan_file import PlanFileError, parse_plan_file
from nollvision.plans.services import plan_import
from nollvision.reports.services import report_save
from nollvision.support.models import SupportService

from .conftest import answer_everything, pdf_bytes
from .helpers import mutated, plan_yaml, second_county_plan_data
from .indicator_rows import HEADER, sourced
from .test_excel import download, upload

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FORMULA = '=HYPERLINK("https://example.invalid/","Klicka")'


# --- Uploads -------------------------------------------------------------------------------------


def test_a_workbook_with_hostile_cells_is_refused_cell_by_cell(client, world):
    book = download(client, world)
    sheet = book["Åtgärder"]
    sheet["G2"] = "Ärendet 12 12 12 – 1212 hänvisades."
    sheet["G3"] = "Titel \u202efdp.exe"
    sheet["G4"] = "x" * 10_001
    page = upload(client, world, book).content.decode()
    for cell in ("Åtgärder!G2:", "Åtgärder!G3:", "Åtgärder!G4:"):
        assert cell in page
    assert "U+202E" in page
    assert "som mest 10000 tecken" in page
    assert not MeasureAnswer.objects.filter(response=world.response_a).exclude(done="").exists()


def test_an_indicator_file_with_hostile_text_is_refused_row_by_row(client, world):
    indicator_set_load()
    client.force_login(world.coordinator)
    content = HEADER + sourced(
        "anmalda-valdsbrott,0022,2023,T,,Gäller 19121212-1212,\n"
        "anmalda-valdsbrott,2281,2023,T,,Rad\u202etvå,\n"
    )
    page = client.post(
        reverse("backoffice:indicator-upload"),
        {"file": SimpleUploadedFile("v.csv", content.encode())},
    ).content.decode()
    assert "rad 2, kolumn missing_reason" in page
    assert "rad 3, kolumn missing_reason" in page
    assert not IndicatorValue.objects.exists()
    named = SimpleUploadedFile("ärende 19121212-1212.csv", b"x")
    page = client.post(reverse("backoffice:indicator-upload"), {"file": named}).content.decode()
    assert "personnummer" in page
    assert not IndicatorValue.objects.exists()


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def test_a_plan_file_with_hostile_text_is_refused_at_its_line(db, swedish):
    hostile = mutated(
        second_county_plan_data(),
        lambda d: d["goals"][0]["measures"][0].update(text="Enligt 19121212-1212"),
    )
    with pytest.raises(PlanFileError) as error:
        plan_import(document=parse_plan_file(plan_yaml(hostile), "x.yaml"))
    assert "goals[0].measures[0].text:" in str(error.value)
    assert "personnummer" in str(error.value)
    deep = ("a:\n" + "".join("  " * level + "b:\n" for level in range(1, 40))).encode()
    with pytest.raises(PlanFileError) as error:
        parse_plan_file(deep, "djup.yaml")
    assert str(error.value) == "djup.yaml:21: filen är nästlad djupare än 20 nivåer"
    brackets = (
        "[" * 50_000 + "]" * 50_000
    ).encode()  # a small file, far deeper than Python's stack
    with pytest.raises(PlanFileError, match=r"djup\.yaml:1: filen är nästlad"):
        parse_plan_file(brackets, "djup.yaml")


def test_an_attachment_with_a_hostile_name_is_refused(client, g):
    client.force_login(g.secretary)
    before = Attachment.objects.count()
    response = client.post(
        reverse("backoffice:attachment-add", args=[g.meeting.pk]),
        {"file": SimpleUploadedFile("protokoll 19121212-1212.pdf", pdf_bytes())},
        follow=True,
    )
    assert "Filens namn: Texten innehåller något som ser ut som ett personnummer" in (
        response.content.decode()
    )
    assert Attachment.objects.count() == before
    # A right-to-left override in a name is refused, or never reaches the name kept.
    client.post(
        reverse("backoffice:attachment-add", args=[g.meeting.pk]),
        {"file": SimpleUploadedFile("protokoll\u202efdp.exe.pdf", pdf_bytes())},
    )
    assert not any("\u202e" in a.name for a in Attachment.objects.all())


# --- Downloads -----------------------------------------------------------------------------------


def _no_formula_in_workbook(content: bytes) -> int:
    book = load_workbook(BytesIO(content))
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                cells += cell.value == FORMULA
    return cells


def test_no_download_holds_a_live_formula(client, world):
    # Text that a spreadsheet would run, written where people write: it is stored as text...
    answer = world.response_a.measure_answers.order_by("pk").first()
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(answer.pk, answer.version, {"done": FORMULA, "status": "ongoing"})],
    )
    answer_everything(world.response_b, world.reporter_b)
    # ...and every workbook and CSV the platform writes keeps it inert.
    client.force_login(world.reporter_a)
    book = client.get(reverse("backoffice:response-excel", args=[world.response_a.pk])).content
    assert _no_formula_in_workbook(book) == 1  # the text is there, as text
    report_save(
        report=_report(world),
        user=world.coordinator,
        summary=FORMULA,
        analyses={},
        conclusions="",
    )
    client.force_login(world.coordinator)
    draft = client.get(reverse("backoffice:report-download", args=[world.campaign.pk, "xlsx"]))
    _no_formula_in_workbook(draft.content)
    SupportService.objects.create(key="formel", name={"sv": FORMULA}, needs=["adults"], phone="112")
    for path in (
        "/api/v1/support-services/?format=csv",
        "/api/v1/organisations/?format=csv",
        "/api/v1/plans/?format=csv",
    ):
        text = client.get(path).content.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path, cell)
    services = client.get("/api/v1/support-services/?format=csv").content.decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(services))]
    assert "'" + FORMULA in names  # kept, as text


def _report(world):
    from nollvision.reports.documents import report_content

    return report_content(world.campaign, draft=True).report


# --- History -------------------------------------------------------------------------------------


def test_history_outside_the_body_shows_only_what_was_shown(client, world, django_user_model):
    from nollvision.accounts.models import Membership, Organisation, Role

    answer = world.response_a.measure_answers.order_by("pk").first()
    for text in ("Första utkastet.", "Andra utkastet, ersatt."):
        answer.refresh_from_db()
        response_save(
            response=world.response_a,
            user=world.reporter_a,
            measures=[MeasureChange(answer.pk, answer.version, {"done": text})],
        )
    answer_everything(world.response_a, world.reporter_a)  # "Rutin antagen." everywhere
    for user, action in (
        (world.reporter_a, Action.SUBMIT),
        (world.approver_a, Action.APPROVE),
        (world.coordinator, Action.ACCEPT),
    ):
        response_transition(response=world.response_a, user=user, action=action)
    outsider = django_user_model.objects.create_user(username="lasare_polis")
    Membership.objects.create(
        user=outsider,
        organisation=Organisation.objects.get(slug="polismyndigheten-vasternorrland"),
        role=Role.READER,
    )
    url = reverse("backoffice:response-history", args=[world.response_a.pk])
    for viewer in (outsider, world.coordinator):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Rutin antagen." in page  # the version they were shown
        assert "Första utkastet." not in page
        assert "Andra utkastet, ersatt." not in page
    client.force_login(world.reporter_a)
    own = client.get(url).content.decode()
    assert "Första utkastet." in own
    assert "Andra utkastet, ersatt." in own


# --- Anonymous requests --------------------------------------------------------------------------


def test_a_logged_out_post_keeps_a_bounded_text_for_a_real_answer_only(world, monkeypatch):
    url = reverse("backoffice:response", args=[world.response_a.pk])

    def stored() -> int:
        return sum(len(s.session_data) for s in Session.objects.all())

    # A request without a session cookie (a script, not a person whose session ran out) makes
    # no session row at all.
    for _attempt in range(20):
        Client().post(url, {"m1-done": "z" * 100_000})
    assert Session.objects.count() == 0
    client = Client()
    client.force_login(world.reporter_a)
    Session.objects.all().delete()  # the session ran out; the browser still sends its cookie
    client.post(url, {"m1-done": "Kort text som sparas till efter inloggningen."})
    kept = stored()
    assert 0 < kept < 5_000
    page = client.post(url, {"m1-done": "x" * 1_000_000}, follow=True)  # a megabyte: not kept
    assert "kunde inte sparas medan du loggar in" in page.content.decode()
    assert stored() < 5_000
    client.post(reverse("backoffice:response", args=[999_999]), {"m1-done": "x" * 10_000})
    assert stored() < 5_000
    for pk in range(50):  # many addresses: one stash at most
        client.post(reverse("backoffice:response", args=[pk + 1]), {"m1-done": "y" * 100_000})
    assert stored() < 250_000
    # Site-wide, at most STASH_PER_HOUR texts an hour are kept.
    from nollvision.backoffice import answer_views

    monkeypatch.setattr(answer_views, "STASH_PER_HOUR", 0)
    Session.objects.all().delete()
    page = client.post(url, {"m1-done": "Kort text."}, follow=True)
    assert "kunde inte sparas medan du loggar in" in page.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=50_000)
def test_an_over_large_request_gets_a_page_that_says_the_limit(client, world):
    client.force_login(world.reporter_a)
    url = reverse("backoffice:response", args=[world.response_a.pk])
    big = {"m1-done": "å" * 60_000}
    page = client.post(url, big)
    assert page.status_code == 400
    assert "större än gränsen på 48,8\u00a0kB, så ingenting sparades" in page.content.decode()
    autosave = client.post(url, big, headers={"X-Autosave": "1"})
    assert autosave.status_code == 400
    assert autosave.json()["saved"] is False
    assert "gränsen" in autosave.json()["message"]


# --- Logging in ----------------------------------------------------------------------------------


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_the_lockout_warns_first_then_says_when_to_try_again(client, world):
    url = reverse("accounts:login")
    pages = []
    for _attempt in range(5):
        pages.append(client.post(url, {"username": "reader", "password": "fel-lösenord"}))
    assert "näst sista försöket" not in pages[2].content.decode()
    assert "näst sista försöket" in pages[3].content.decode()
    locked = pages[4]
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Inloggningen är låst en stund" in text
    assert 'href="/konto/losenord/"' in text
    again = timezone.localtime(timezone.now() + timedelta(hours=1))
    assert (
        again.strftime("%H:%M") in text or (again - timedelta(minutes=1)).strftime("%H:%M") in text
    )
    english = client.post("/en" + url, {"username": "reader", "password": "fel"})
    assert "Logging in is locked for a while" in english.content.decode()


@pytest.mark.unit
@pytest.mark.parametrize(
    "text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1", "\r=1"]
)
def test_every_formula_start_is_written_as_text(text):
    from openpyxl import Workbook

    from nollvision.core.spreadsheets import append_row, csv_cell

    assert csv_cell(text) == "'" + text
    assert csv_cell("Rutin antagen.") == "Rutin antagen."
    sheet = Workbook().active
    append_row(sheet, [text])
    assert sheet["A1"].value == text
    assert sheet["A1"].data_type == "s"  # a string cell: no program evaluates it
