"""Issue 25, items 4 and 5: a save keeps every valid part while a part with a problem waits;
last year's answer is copied per measure or whole and stays marked "copied, check" until it is
changed or confirmed; the approver reads a summary at the top and approves from there."""

from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse as django_reverse
from django.utils import translation

from nollvision.backoffice.answer_page import fill_missing
from nollvision.followup.enums import Action, ResponseStatus
from nollvision.followup.models import BodyAnswer, MeasureAnswer, Response
from nollvision.followup.selectors import response_form_data
from nollvision.followup.services import (
    MeasureChange,
    answers_confirm_copied,
    campaign_close,
    campaign_create,
    campaign_open,
    response_save,
    response_start_from_previous,
    response_transition,
)

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def reverse(name, args=()):
    """The page's English address: the tests read the page's words in English."""
    with translation.override("en"):
        return django_reverse(name, args=args)


def page_data(response) -> QueryDict:
    post = QueryDict(mutable=True)
    fresh = Response.objects.get(pk=response.pk)
    fill_missing(post, fresh, response_form_data(fresh))
    return post


def four_answers(response) -> list[MeasureAnswer]:
    return list(
        response.measure_answers.select_related("measure").order_by(
            "measure__goal__number", "measure__position"
        )[:4]
    )


def one_invalid_three_valid(response):
    """A post where the first measure is "not relevant" without a reason and three others
    carry new text."""
    answers = four_answers(response)
    post = page_data(response)
    post[f"m{answers[0].pk}-status"] = "not_relevant"
    post[f"m{answers[0].pk}-done"] = "Text som väntar."
    for number, answer in enumerate(answers[1:], start=1):
        post[f"m{answer.pk}-status"] = "ongoing"
        post[f"m{answer.pk}-done"] = f"Giltig text {number}."
    return answers, post


def stored(answers) -> list[tuple[str, str, int]]:
    by_pk = MeasureAnswer.objects.in_bulk([a.pk for a in answers])
    return [(by_pk[a.pk].status, by_pk[a.pk].done, by_pk[a.pk].version) for a in answers]


KEPT = [
    ("", "", 0),
    ("ongoing", "Giltig text 1.", 1),
    ("ongoing", "Giltig text 2.", 1),
    ("ongoing", "Giltig text 3.", 1),
]


def test_save_keeps_the_valid_parts_and_names_the_one_that_waits(client, world):
    client.force_login(world.reporter_a)
    answers, post = one_invalid_three_valid(world.response_a)
    url = reverse("backoffice:response", args=[world.response_a.pk])
    page = client.post(url, post)
    assert page.status_code == 200
    assert stored(answers) == KEPT
    html = page.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert "Your other changes were saved." in summary
    field = f"id_m{answers[0].pk}-not_relevant_reason"
    assert f'href="#{field}"' in summary
    assert summary.count("<li>") == 1
    # The part that waits shows what was typed, with its message in place; the saved parts
    # carry their new versions, so saving the page again is no conflict with oneself.
    assert "Text som väntar." in html
    assert f'<ul class="errorlist" id="{field}_error">' in html
    assert f'name="m{answers[1].pk}-version" id="id_m{answers[1].pk}-version" value="1"' in html
    again = QueryDict(mutable=True)
    again.update(post)
    again[f"m{answers[0].pk}-not_relevant_reason"] = "Ingen verksamhet av det slaget."
    for answer in answers[1:]:
        again[f"m{answer.pk}-version"] = "1"
    assert client.post(url, again).status_code == 302
    assert stored(answers)[0] == ("not_relevant", "Text som väntar.", 1)


def test_autosave_keeps_the_valid_parts_and_names_the_one_that_waits(client, world):
    client.force_login(world.reporter_a)
    answers, post = one_invalid_three_valid(world.response_a)
    reply = client.post(
        reverse("backoffice:response", args=[world.response_a.pk]),
        post,
        headers={"X-Autosave": "1"},
    )
    assert reply.status_code == 200
    assert stored(answers) == KEPT
    data = reply.json()
    field = f"m{answers[0].pk}-not_relevant_reason"
    assert (data["saved"], data["count"], list(data["errors"])) == (True, 3, [field])
    assert [part["href"] for part in data["waiting"]] == [f"#id_{field}"]
    assert data["waiting"][0]["text"].startswith(answers[0].measure.code)
    # Only the saved parts get new versions: the one that waits keeps the one it was loaded with.
    assert data["versions"] == {f"m{a.pk}-version": 1 for a in answers[1:]}


def test_autosave_with_only_a_part_that_waits_saves_nothing(client, world):
    client.force_login(world.reporter_a)
    answers = four_answers(world.response_a)
    post = page_data(world.response_a)
    post[f"m{answers[0].pk}-status"] = "not_relevant"
    reply = client.post(
        reverse("backoffice:response", args=[world.response_a.pk]),
        post,
        headers={"X-Autosave": "1"},
    )
    assert (reply.status_code, reply.json()["saved"], reply.json()["count"]) == (400, False, 0)
    assert stored(answers)[0] == ("", "", 0)


def test_a_conflict_still_refuses_the_whole_save(client, world):
    client.force_login(world.reporter_a)
    answers, post = one_invalid_three_valid(world.response_a)
    response_save(
        response=world.response_a,
        user=world.approver_a,
        measures=[MeasureChange(answers[1].pk, 0, {"done": "Kollegans text."})],
    )
    page = client.post(reverse("backoffice:response", args=[world.response_a.pk]), post)
    assert page.status_code == 409
    assert [s[1] for s in stored(answers)] == ["", "Kollegans text.", "", ""]


@pytest.fixture
def next_year(world):
    """Sundsvall's answer accepted in 2025, and the follow-up of 2026 opened."""
    answer_everything(world.response_a, world.reporter_a, status="ongoing")
    for user, action in (
        (world.reporter_a, Action.SUBMIT),
        (world.approver_a, Action.APPROVE),
        (world.coordinator, Action.ACCEPT),
    ):
        response_transition(response=world.response_a, user=user, action=action)
    campaign_close(campaign=world.campaign)
    campaign = campaign_create(plan=world.plan, year=2026, deadline=date(2027, 2, 15))
    campaign_open(campaign=campaign)
    return campaign.responses.get(organisation=world.response_a.organisation)


def test_copy_one_measure_from_the_page_marks_it_until_confirmed(client, world, next_year):
    client.force_login(world.reporter_a)
    first, second = four_answers(next_year)[:2]
    url = reverse("backoffice:response", args=[next_year.pk])
    html = client.get(url).content.decode()
    assert html.count('name="copy" value="m') == next_year.measure_answers.count()
    assert 'name="copy" value="all"' in html.split('id="answer-form"')[0]  # at the top
    # Copying one measure keeps what was typed elsewhere on the page in the same press.
    post = page_data(next_year)
    post[f"m{second.pk}-done"] = "Egen text i år."
    post["copy"] = f"m{first.pk}"
    reply = client.post(url, post)
    assert reply["Location"] == f"{url}?open=m{first.pk}#m{first.pk}"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.done, first.copied_from_year) == ("ongoing", "Rutin antagen.", 2025)
    assert (second.done, second.copied_from_year) == ("Egen text i år.", None)
    assert next_year.measure_answers.filter(copied_from_year__isnull=False).count() == 1
    html = client.get(url).content.decode()
    top = html.split('id="answer-form"')[0]
    assert "1 copied answer to check:" in top
    assert f'href="#m{first.pk}"' in top.split('id="reuse"')[1]
    assert html.count('<span class="chip chip--copied">copied, check</span>') == 1
    # Confirming it as it is removes the mark; the text and version stay.
    post = page_data(next_year)
    post["confirm"] = f"m{first.pk}"
    client.post(url, post)
    first.refresh_from_db()
    assert (first.done, first.version, first.copied_from_year) == ("Rutin antagen.", 1, None)


def test_copy_all_marks_every_copied_part_and_a_change_removes_the_mark(client, world, next_year):
    client.force_login(world.reporter_a)
    url = reverse("backoffice:response", args=[next_year.pk])
    post = page_data(next_year)
    post["copy"] = "all"
    client.post(url, post)
    count = next_year.measure_answers.count()
    assert next_year.measure_answers.filter(copied_from_year=2025).count() == count
    assert BodyAnswer.objects.get(response=next_year).copied_from_year == 2025
    answer = four_answers(next_year)[0]
    post = page_data(next_year)
    post[f"m{answer.pk}-done"] = "Ändrat i år."
    client.post(url, post)
    answer.refresh_from_db()
    assert (answer.done, answer.copied_from_year) == ("Ändrat i år.", None)
    assert next_year.measure_answers.filter(copied_from_year=2025).count() == count - 1
    assert (
        answers_confirm_copied(response=next_year, user=world.reporter_a, answer_ids=[], body=True)
        == 1
    )
    assert BodyAnswer.objects.get(response=next_year).copied_from_year is None


def test_the_approver_reads_a_summary_and_approves_from_the_top(client, world, next_year):
    response_start_from_previous(response=next_year, user=world.reporter_a)
    empty = four_answers(next_year)[0]
    MeasureAnswer.objects.filter(pk=empty.pk).update(status="", copied_from_year=None)
    Response.objects.filter(pk=next_year.pk).update(status=ResponseStatus.SUBMITTED)
    client.force_login(world.approver_a)
    url = reverse("backoffice:response", args=[next_year.pk])
    html = client.get(url).content.decode()
    summary = html.split('id="summary"')[1].split("</section>")[0]
    copied = next_year.measure_answers.filter(copied_from_year=2025).count()
    assert f"{copied} copied from last year and not confirmed:" in summary
    assert f'<a href="#m{empty.pk}">{empty.measure.code}</a>' in summary.split("not answered")[1]
    transition = reverse("backoffice:response-transition", args=[next_year.pk])
    assert summary.index(f'action="{transition}"') < summary.index("Approve and send")
    assert html.index('id="summary"') < html.index('id="toc-heading"')
    # The button at the top sends the same step as the one at the bottom: a confirmation first.
    ask = client.post(transition, {"action": "approve"})
    assert ask.status_code == 200
    client.post(transition, {"action": "approve", "confirmed": "1"})
    assert Response.objects.get(pk=next_year.pk).status == ResponseStatus.APPROVED


def test_a_copy_pressed_while_another_part_waits_shows_the_copy(client, world, next_year):
    client.force_login(world.reporter_a)
    first, second = four_answers(next_year)[:2]
    post = page_data(next_year)
    post[f"m{second.pk}-status"] = "not_relevant"  # no reason: waits
    post["copy"] = f"m{first.pk}"
    page = client.post(reverse("backoffice:response", args=[next_year.pk]), post)
    assert page.status_code == 400  # nothing of the form saved; the copy was made
    first.refresh_from_db()
    assert (first.done, first.copied_from_year) == ("Rutin antagen.", 2025)
    html = page.content.decode()
    # The copied measure shows what is stored now (not the empty fields that were sent), with
    # its new version; the part that waits keeps what was sent.
    assert f'name="m{first.pk}-version" id="id_m{first.pk}-version" value="1"' in html
    done = html.split(f'id="id_m{first.pk}-done"')[1].split("</textarea>")[0]
    assert "Rutin antagen." in done
    status = html.split(f'id="id_m{second.pk}-status"')[1].split("</select>")[0]
    assert '<option value="not_relevant" selected>' in status
