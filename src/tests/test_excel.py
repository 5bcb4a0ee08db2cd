"""Download the questionnaire as Excel, fill it offline, upload it: all or nothing."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nollvision.followup.models import MeasureAnswer

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def download(client, world):
    client.force_login(world.reporter_a)
    reply = client.get(reverse("backoffice:response-excel", args=[world.response_a.pk]))
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(reply.content))


def upload(client, world, book):
    out = BytesIO()
    book.save(out)
    out.name = "svar.xlsx"
    out.seek(0)
    return client.post(
        reverse("backoffice:response-upload", args=[world.response_a.pk]), {"file": out}
    )


def test_round_trip_saves_the_filled_cells(client, world):
    book = download(client, world)
    sheet = book["Åtgärder"]
    assert sheet["C2"].value == "1.1"
    assert sheet.max_row == world.response_a.measure_answers.count() + 1
    sheet["E2"] = "Pågår"
    sheet["G2"] = "Normkritiska samtal på arbetsplatsträffar."
    sheet["H2"] = "universal"
    sheet["L2"] = "ja"
    body = book["Verksamheten"]
    rows = {row[0].value: row for row in body.iter_rows(min_row=2)}
    rows["staff_concerned"][2].value = 120
    rows["routine_ask_clients"][2].value = "Ja"
    reply = upload(client, world, book)
    assert reply.status_code == 302
    answer = MeasureAnswer.objects.get(response=world.response_a, measure__code="1.1")
    assert (answer.status, answer.done, answer.prevention_levels, answer.may_publish) == (
        "ongoing",
        "Normkritiska samtal på arbetsplatsträffar.",
        ["universal"],
        True,
    )
    world.response_a.body_answer.refresh_from_db()
    assert world.response_a.body_answer.staff_concerned == 120
    assert world.response_a.routines.get(routine="ask_clients").state == "yes"


def test_bad_cells_are_reported_with_sheet_row_and_column_and_nothing_is_saved(client, world):
    book = download(client, world)
    sheet = book["Åtgärder"]
    sheet["G2"] = "En bra text som inte får sparas ensam."
    sheet["E3"] = "kanske"
    sheet["G4"] = "Gällde 19121212-1212."
    body = book["Verksamheten"]
    rows = {row[0].value: row for row in body.iter_rows(min_row=2)}
    rows["staff_concerned"][2].value = "många"
    reply = upload(client, world, book)
    assert reply.status_code == 200
    page = reply.content.decode()
    assert "Åtgärder!E3:" in page
    assert "Åtgärder!G4:" in page
    staff_row = rows["staff_concerned"][2].row
    assert f"Verksamheten!C{staff_row}:" in page
    assert not MeasureAnswer.objects.filter(response=world.response_a).exclude(done="").exists()


def test_a_file_that_is_not_a_workbook_is_refused(client, world):
    client.force_login(world.reporter_a)
    out = BytesIO(b"not a workbook")
    out.name = "svar.xlsx"
    reply = client.post(
        reverse("backoffice:response-upload", args=[world.response_a.pk]), {"file": out}
    )
    assert reply.status_code == 200
    assert "BadZipFile" in reply.content.decode()


def test_a_row_from_another_answer_is_refused(client, world):
    book = download(client, world)
    book["Åtgärder"]["A2"] = 999999
    reply = upload(client, world, book)
    assert "Åtgärder!A2:" in reply.content.decode()
