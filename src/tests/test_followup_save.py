"""Saving answers: nothing lost, history kept, no personal identity numbers, hand-over, reuse."""

from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from nollvision.followup.enums import Action, ResponseStatus
from nollvision.followup.errors import FollowupError, SaveConflict
from nollvision.followup.models import MeasureAnswer, ReminderLog, Response
from nollvision.followup.selectors import answer_history, competence_shares
from nollvision.followup.services import (
    BodyChange,
    MeasureChange,
    answer_clear_for_publication,
    campaign_close,
    campaign_create,
    campaign_open,
    reminders_send,
    response_assign,
    response_save,
    response_start_from_previous,
    response_transition,
)

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def first_answer(response) -> MeasureAnswer:
    return response.measure_answers.order_by("measure__goal__number", "measure__position").first()


def test_save_keeps_text_and_history_and_starts_the_draft(world):
    answer = first_answer(world.response_a)
    saved = response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[
            MeasureChange(answer.pk, 0, {"status": "ongoing", "done": "Arbetsplatsträffar hölls."})
        ],
    )
    assert saved == 1
    answer.refresh_from_db()
    assert (answer.status, answer.done, answer.version, answer.updated_by) == (
        "ongoing",
        "Arbetsplatsträffar hölls.",
        1,
        world.reporter_a,
    )
    assert Response.objects.get(pk=world.response_a.pk).status == ResponseStatus.DRAFT
    response_save(
        response=world.response_a,
        user=world.approver_a,
        measures=[
            MeasureChange(answer.pk, 1, {"done": "Arbetsplatsträffar hölls på alla enheter."})
        ],
    )
    response_save(
        response=world.response_a,
        user=world.approver_a,
        measures=[],
        body=BodyChange(version=0, routines={"ask_staff": {"state": "yes", "last_revised": None}}),
    )
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[],
        body=BodyChange(version=1, routines={"ask_staff": {"state": "no", "last_revised": None}}),
    )
    with translation.override("en"):
        history = [
            (e["who"], e["item"], str(e["field"]), e["before"], e["after"])
            for e in answer_history(world.response_a)
        ]
    staff = "Asking the body's own staff about violence"
    assert history == [
        (world.reporter_a, staff, "answer", "yes", "no"),
        (world.approver_a, staff, "answer", None, "yes"),
        (
            world.approver_a,
            answer.measure.code,
            "what was done",
            "Arbetsplatsträffar hölls.",
            "Arbetsplatsträffar hölls på alla enheter.",
        ),
        (world.reporter_a, answer.measure.code, "what was done", None, "Arbetsplatsträffar hölls."),
        (world.reporter_a, answer.measure.code, "status", None, "ongoing"),
    ]


def test_two_saves_from_the_same_version_the_second_is_refused(world):
    answer = first_answer(world.response_a)
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(answer.pk, 0, {"done": "Första texten."})],
    )
    with pytest.raises(SaveConflict) as caught:
        response_save(
            response=world.response_a,
            user=world.approver_a,
            measures=[MeasureChange(answer.pk, 0, {"done": "Andra texten."})],
        )
    conflict = caught.value.conflicts[0]
    assert (conflict.label, conflict.theirs, conflict.yours) == (
        answer.measure.code,
        {"done": "Första texten."},
        {"done": "Andra texten."},
    )
    answer.refresh_from_db()
    assert (answer.done, answer.version) == ("Första texten.", 1)


def test_conflict_on_one_item_saves_nothing(world):
    first, second = list(world.response_a.measure_answers.order_by("pk")[:2])
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(first.pk, 0, {"done": "A"})],
    )
    with pytest.raises(SaveConflict):
        response_save(
            response=world.response_a,
            user=world.approver_a,
            measures=[
                MeasureChange(second.pk, 0, {"done": "B"}),
                MeasureChange(first.pk, 0, {"done": "C"}),
            ],
        )
    second.refresh_from_db()
    assert (second.done, second.version) == ("", 0)


def test_different_items_from_the_same_page_both_save(world):
    first, second = list(world.response_a.measure_answers.order_by("pk")[:2])
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(first.pk, 0, {"done": "A"})],
    )
    response_save(
        response=world.response_a,
        user=world.approver_a,
        measures=[MeasureChange(second.pk, 0, {"done": "B"})],
    )
    assert list(
        MeasureAnswer.objects.filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
        .values_list("done", flat=True)
    ) == ["A", "B"]


def test_personal_number_is_refused_by_the_service(world):
    answer = first_answer(world.response_a)
    with pytest.raises(FollowupError, match="personnummer"):
        response_save(
            response=world.response_a,
            user=world.reporter_a,
            measures=[MeasureChange(answer.pk, 0, {"done": "Ärendet gällde 19121212-1212."})],
        )
    answer.refresh_from_db()
    assert answer.done == ""


def test_not_relevant_needs_a_reason(world):
    answer = first_answer(world.response_a)
    with pytest.raises(FollowupError):
        response_save(
            response=world.response_a,
            user=world.reporter_a,
            measures=[MeasureChange(answer.pk, 0, {"status": "not_relevant"})],
        )
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[
            MeasureChange(
                answer.pk,
                0,
                {"status": "not_relevant", "not_relevant_reason": "Ingen skolverksamhet."},
            )
        ],
    )
    answer.refresh_from_db()
    assert answer.status == "not_relevant"


def test_body_answers_save_with_their_own_version(world):
    body = world.response_a.body_answer
    routine = world.response_a.routines.get(routine="ask_clients")
    participation = world.response_a.participations.first()
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[],
        body=BodyChange(
            version=0,
            values={"staff_concerned": 200, "completed_violence": 150},
            routines={"ask_clients": {"state": "yes", "last_revised": date(2025, 3, 1)}},
            participations={participation.body_id: True},
        ),
    )
    body.refresh_from_db()
    routine.refresh_from_db()
    participation.refresh_from_db()
    assert (body.staff_concerned, body.completed_violence, body.version) == (200, 150, 1)
    assert (routine.state, routine.last_revised) == ("yes", date(2025, 3, 1))
    assert participation.participates is True
    assert competence_shares(body)[0][1] == 75.0
    with pytest.raises(SaveConflict):
        response_save(
            response=world.response_a,
            user=world.approver_a,
            measures=[],
            body=BodyChange(version=0, values={"staff_concerned": 10}),
        )


def test_start_from_last_years_accepted_answer(world):
    answer_everything(world.response_a, world.reporter_a, status="ongoing")
    for user, action in (
        (world.reporter_a, Action.SUBMIT),
        (world.approver_a, Action.APPROVE),
        (world.coordinator, Action.ACCEPT),
    ):
        response_transition(response=world.response_a, user=user, action=action)
    campaign_close(campaign=world.campaign)
    next_year = campaign_create(plan=world.plan, year=2026, deadline=date(2027, 2, 15))
    campaign_open(campaign=next_year)
    response = next_year.responses.get(organisation=world.response_a.organisation)
    filled = response_start_from_previous(response=response, user=world.reporter_a)
    assert filled == response.measure_answers.count() + 1  # and the questions about the body
    assert set(response.measure_answers.values_list("status", "done")) == {
        ("ongoing", "Rutin antagen.")
    }
    with pytest.raises(FollowupError):
        response_start_from_previous(
            response=next_year.responses.get(organisation__slug="timra-kommun"),
            user=world.reporter_b,
        )


def test_hand_over_to_a_colleague_of_the_same_body_only(world):
    ids = list(
        world.response_a.measure_answers.filter(measure__goal__number=3).values_list(
            "pk", flat=True
        )
    )
    count = response_assign(
        response=world.response_a, user=world.reporter_a, assignee=world.approver_a, answer_ids=ids
    )
    assert count == len(ids)
    assert set(MeasureAnswer.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {
        world.approver_a.pk
    }
    with pytest.raises(FollowupError):
        response_assign(
            response=world.response_a,
            user=world.reporter_a,
            assignee=world.reporter_b,
            answer_ids=ids,
        )


def test_a_hand_over_of_nothing_says_so_and_never_reports_success(client, world):
    with pytest.raises(FollowupError):
        response_assign(
            response=world.response_a,
            user=world.reporter_a,
            assignee=world.approver_a,
            answer_ids=[],
        )
    client.force_login(world.reporter_a)
    page = client.post(
        f"/arbete/svar/{world.response_a.pk}/tilldela/", {"assignee": ""}, follow=True
    ).content.decode()
    assert "Inget lämnades över" in page
    assert "Överlämnat." not in page


def test_clearing_for_publication_records_who_and_when(world):
    answer = first_answer(world.response_a)
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(answer.pk, 0, {"may_publish": True})],
    )
    answer.refresh_from_db()
    with pytest.raises(FollowupError):
        answer_clear_for_publication(answer=answer, user=world.coordinator)
    Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.ACCEPTED)
    answer.refresh_from_db()
    answer_clear_for_publication(answer=answer, user=world.coordinator)
    answer.refresh_from_db()
    assert answer.cleared_by == world.coordinator
    assert answer.cleared_at is not None


def test_reminders_go_once_a_day_to_bodies_that_have_not_submitted(world):
    Response.objects.filter(pk=world.response_b.pk).update(status=ResponseStatus.SUBMITTED)
    too_early = reminders_send(today=date(2026, 1, 1))
    assert too_early == []
    logs = reminders_send(today=date(2026, 2, 10))
    organisations = {log.response.organisation.slug for log in logs}
    assert "sundsvalls-kommun" in organisations
    assert "timra-kommun" not in organisations
    sent_to = {address for message in mail.outbox for address in message.to}
    assert {"reporter_a@example.invalid", "approver_a@example.invalid"} <= sent_to
    count = len(mail.outbox)
    assert reminders_send(today=date(2026, 2, 10)) == []
    assert len(mail.outbox) == count
    assert ReminderLog.objects.filter(sent_on=date(2026, 2, 10)).count() == len(logs)
    assert len(reminders_send(today=date(2026, 2, 11))) == len(logs)
    # A body where nobody has a role is named, never recorded as reminded.
    assert "ange-kommun" in {o.slug for o in logs.unreachable}
    assert "ange-kommun" not in organisations
    assert not ReminderLog.objects.filter(response__organisation__slug="ange-kommun").exists()
    assert all(log.recipients > 0 for log in ReminderLog.objects.all())


def test_reminding_a_body_without_anyone_says_so_and_links_to_inviting(client, world):
    from django.urls import reverse

    client.force_login(world.coordinator)
    ange = world.campaign.responses.get(organisation__slug="ange-kommun")
    url = reverse("backoffice:campaign-action", args=[world.campaign.pk])
    page = client.post(url, {"action": "remind", "response": ange.pk}, follow=True)
    text = page.content.decode()
    assert "Ingen påminnelse skickades." in text
    assert "Ingen på Ånge kommun är en rapportör eller en godkännare med e-postadress" in text
    invite = f"{reverse('backoffice:members')}?organisation={ange.organisation_id}#invite-heading"
    assert f'href="{invite}"' in text
    # The invitation form opens with that body chosen (one of the coordinator's county only).
    form = client.get(invite.split("#")[0]).content.decode()
    assert f'<option value="{ange.organisation_id}" selected>' in form
    other = client.get(reverse("backoffice:members") + "?organisation=99999999").content.decode()
    assert '<option value="" selected>' in other  # nothing chosen for a body not theirs
    assert not ReminderLog.objects.filter(response=ange).exists()
    assert mail.outbox == []


def test_opening_twice_is_refused(world):
    with translation.override("en"), pytest.raises(FollowupError, match="being prepared"):
        campaign_open(campaign=world.campaign)


def test_a_deactivated_account_gets_no_reminder_and_its_body_is_named(world):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__in=["reporter_a", "approver_a"]).update(
        is_active=False
    )
    reached = reminders_send(today=date(2026, 2, 10))
    assert "sundsvalls-kommun" in {o.slug for o in reached.unreachable}
    assert "sundsvalls-kommun" not in {log.response.organisation.slug for log in reached}
    sent_to = {address for message in mail.outbox for address in message.to}
    assert not sent_to & {"reporter_a@example.invalid", "approver_a@example.invalid"}
