"""Faults: the database going away during a save, a crash in the middle of a submit, a full disk
while a report is published. Each leaves the data whole and tells the person clearly."""

import errno

import pytest
from django.core.files.storage import InMemoryStorage
from django.db import connection
from django.urls import reverse

from nollvision.followup.enums import Action, ResponseStatus
from nollvision.followup.models import MeasureAnswer, Response, StatusChange
from nollvision.followup.services import response_transition
from nollvision.reports.models import PublishedReport

from .conftest import answer_everything
from .test_backoffice_views import page_data
from .test_reports import accept

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db(transaction=True)
def test_the_database_going_away_during_a_save_keeps_nothing_and_says_so(client, world):
    """A real fault on each database. PostgreSQL: the server ends the request's connection
    between two answer updates. SQLite: another connection holds the table's write lock."""
    client.force_login(world.reporter_a)
    answers = list(world.response_a.measure_answers.order_by("pk")[:2])
    post = page_data(world.response_a)
    for answer in answers:
        post[f"m{answer.pk}-status"] = "ongoing"
        post[f"m{answer.pk}-done"] = "Skulle ha sparats."
    updates = []
    url = reverse("backoffice:response", args=[world.response_a.pk])
    if connection.vendor == "postgresql":

        def end_connection_on_second_update(execute, sql, params, many, context):
            if sql.startswith('UPDATE "followup_measureanswer"'):
                updates.append(sql)
                if len(updates) == 2:
                    execute("SELECT pg_terminate_backend(pg_backend_pid())", None, False, context)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(end_connection_on_second_update):
            response = client.post(url, post)
        assert len(updates) == 2  # the fault came in the middle of the save
    else:
        import sqlite3

        other = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE followup_measureanswer SET version = version WHERE id = -1")
        try:
            response = client.post(url, post)
        finally:
            other.rollback()
            other.close()
    page = response.content.decode()
    if connection.vendor == "postgresql":
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "Ingenting av det du skickade sparades." in page
    else:  # a lock wait: the page keeps what was sent and sends it again with one press
        assert response.status_code == 409
        assert "Ingenting av det du skickade har sparats än." in page
        assert page.count('value="Skulle ha sparats."') == 2
    connection.close()
    saved = MeasureAnswer.objects.filter(pk__in=[a.pk for a in answers])
    assert [a.done for a in saved] == ["", ""]  # not the first one either
    assert client.get(url).status_code == 200
    if connection.vendor == "sqlite":
        again = _resend(page)
        assert client.post(url, again).status_code in (200, 302)
        assert [a.done for a in saved.all()] == ["Skulle ha sparats."] * 2


def _resend(page: str) -> dict[str, list[str]]:
    """The fields of the busy page's form, as the browser sends them."""
    import html
    import re

    form = page[page.index('<form method="post"', page.index("<main")) :]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form):
        data.setdefault(html.unescape(name), []).append(html.unescape(value))
    return data


@pytest.mark.django_db
def test_a_crash_in_the_middle_of_a_submit_leaves_the_answer_a_draft(world, monkeypatch):
    answer_everything(world.response_a, world.reporter_a)

    def crash(*args, **kwargs):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(StatusChange.objects, "create", crash)
    with pytest.raises(SystemExit):
        response_transition(response=world.response_a, user=world.reporter_a, action=Action.SUBMIT)
    response = Response.objects.get(pk=world.response_a.pk)
    assert response.status == ResponseStatus.DRAFT
    assert not StatusChange.objects.filter(response=response).exists()


class FullDisk(InMemoryStorage):
    """A storage that fills up after `room` files."""

    def __init__(self, room: int):
        super().__init__()
        self.room = room

    def _save(self, name, content):
        if self.room == 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= 1
        return super()._save(name, content)


@pytest.mark.django_db
def test_a_full_disk_while_publishing_leaves_no_half_published_report(client, world):
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    storage = FullDisk(room=2)
    fields = [PublishedReport._meta.get_field(fmt) for fmt in ("html", "pdf", "docx", "xlsx")]
    saved_storages = [field.storage for field in fields]
    for field in fields:
        field.storage = storage
    try:
        client.force_login(world.coordinator)
        page = client.post(
            reverse("backoffice:report-publish", args=[world.campaign.pk]),
            {"confirmed": "1", "publish_anyway": "on"},
            follow=True,
        ).content.decode()
    finally:
        for field, original in zip(fields, saved_storages, strict=True):
            field.storage = original
    assert "Rapporten kunde inte sparas (No space left on device). Ingenting publicerades." in page
    assert not PublishedReport.objects.exists()
    assert storage.listdir("reports/vasternorrland-2022-2026/2025/1") == ([], [])
