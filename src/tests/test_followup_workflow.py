"""The status machine of a body's answer: every legal and every illegal move."""

import itertools

import pytest
from django.utils import translation

from nollvision.followup.enums import TRANSITIONS, Action, ResponseStatus
from nollvision.followup.errors import FollowupError
from nollvision.followup.models import Response, ReviewComment, StatusChange
from nollvision.followup.services import MeasureChange, response_save, response_transition

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LEGAL = {(t.action, t.source): t for t in TRANSITIONS}


def actor(world, role):
    return {
        "reporter": world.reporter_a,
        "approver": world.approver_a,
        "coordinator": world.coordinator,
    }[role]


@pytest.mark.parametrize(
    ("action", "status"), list(itertools.product(Action.values, ResponseStatus.values))
)
def test_every_move_is_allowed_exactly_when_the_table_says(world, action, status):
    Response.objects.filter(pk=world.response_a.pk).update(status=status)
    answer_everything_if_needed = status in {ResponseStatus.DRAFT, ResponseStatus.RETURNED}
    if answer_everything_if_needed:
        Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.DRAFT)
        answer_everything(world.response_a, world.reporter_a)
        Response.objects.filter(pk=world.response_a.pk).update(status=status)
    transition = LEGAL.get((action, status))
    roles = sorted(transition.roles) if transition else ["reporter", "approver", "coordinator"]
    for role in roles:
        response = Response.objects.get(pk=world.response_a.pk)
        if transition is None:
            with pytest.raises(FollowupError):
                response_transition(
                    response=response,
                    user=actor(world, role),
                    action=action,
                    reason="skäl",
                    comments={"measure:1.1": "kommentar"},
                )
            assert Response.objects.get(pk=response.pk).status == status
        else:
            moved = response_transition(
                response=response,
                user=actor(world, role),
                action=action,
                reason="skäl",
                comments={"measure:1.1": "kommentar"},
            )
            assert moved.status == transition.target
            change = StatusChange.objects.filter(response=response).last()
            assert (change.source, change.target, change.by) == (
                status,
                transition.target,
                actor(world, role),
            )
            Response.objects.filter(pk=response.pk).update(status=status)


@pytest.mark.parametrize(("action", "status"), [(t.action, t.source) for t in TRANSITIONS])
def test_wrong_role_cannot_move(world, action, status):
    Response.objects.filter(pk=world.response_a.pk).update(status=status)
    transition = LEGAL[(action, status)]
    outsiders = [
        u
        for role, u in (
            ("reporter", world.reporter_a),
            ("approver", world.approver_a),
            ("coordinator", world.coordinator),
        )
        if role not in transition.roles
    ]
    outsiders += [world.reporter_b, world.reader]
    for user in outsiders:
        with pytest.raises(FollowupError):
            response_transition(
                response=world.response_a,
                user=user,
                action=action,
                reason="skäl",
                comments={"x": "y"},
            )
    assert Response.objects.get(pk=world.response_a.pk).status == status


def test_whole_workflow_with_comments(world):
    answer_everything(world.response_a, world.reporter_a)
    response = response_transition(
        response=world.response_a, user=world.reporter_a, action=Action.SUBMIT
    )
    response = response_transition(response=response, user=world.approver_a, action=Action.APPROVE)
    response = response_transition(
        response=response,
        user=world.coordinator,
        action=Action.RETURN,
        comments={"measure:2.1": "Vilka enheter omfattas?"},
    )
    assert response.status == ResponseStatus.RETURNED
    assert list(ReviewComment.objects.values_list("item", "text")) == [
        ("measure:2.1", "Vilka enheter omfattas?")
    ]
    response = response_transition(response=response, user=world.reporter_a, action=Action.SUBMIT)
    response = response_transition(response=response, user=world.approver_a, action=Action.APPROVE)
    response = response_transition(response=response, user=world.coordinator, action=Action.ACCEPT)
    assert response.status == ResponseStatus.ACCEPTED
    assert [c.action for c in response.status_changes.all()] == [
        "submit",
        "approve",
        "return",
        "submit",
        "approve",
        "accept",
    ]


def test_submit_needs_every_measure_answered(world):
    first = world.response_a.measure_answers.first()
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(first.pk, 0, {"status": "ongoing"})],
    )
    with translation.override("en"), pytest.raises(FollowupError, match=r"missing: 1\.2"):
        response_transition(response=world.response_a, user=world.reporter_a, action=Action.SUBMIT)


def test_return_needs_a_comment_and_reopen_a_reason(world):
    Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.APPROVED)
    with translation.override("en"), pytest.raises(FollowupError, match="what needs to change"):
        response_transition(response=world.response_a, user=world.coordinator, action=Action.RETURN)
    Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.ACCEPTED)
    with translation.override("en"), pytest.raises(FollowupError, match="Give a reason"):
        response_transition(
            response=world.response_a, user=world.coordinator, action=Action.REOPEN, reason="  "
        )
    reopened = response_transition(
        response=world.response_a,
        user=world.coordinator,
        action=Action.REOPEN,
        reason="Felaktig siffra",
    )
    assert reopened.status == ResponseStatus.RETURNED
    assert reopened.status_changes.last().reason == "Felaktig siffra"


def test_accepted_answer_is_locked(world):
    Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.ACCEPTED)
    answer = world.response_a.measure_answers.first()
    with translation.override("en"), pytest.raises(FollowupError, match="cannot be changed"):
        response_save(
            response=world.response_a,
            user=world.reporter_a,
            measures=[MeasureChange(answer.pk, 0, {"done": "ändrat"})],
        )
    answer.refresh_from_db()
    assert answer.done == ""


def test_comment_with_personal_number_is_refused(world):
    Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.APPROVED)
    with pytest.raises(FollowupError):
        response_transition(
            response=world.response_a,
            user=world.coordinator,
            action=Action.RETURN,
            comments={"measure:1.1": "Se 19121212-1212"},
        )
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize(("waiting", "warned"), [("2", True), ("0", False), ("abc", False)])
def test_the_confirmation_names_parts_that_wait_unsaved(client, world, waiting, warned):
    """The answer page's script says how many parts wait for a correction when a step is asked
    for; the confirmation says they are not sent. An odd count is ignored, never a 500."""
    answer_everything(world.response_a, world.reporter_a)
    client.force_login(world.reporter_a)
    page = client.post(
        f"/arbete/svar/{world.response_a.pk}/status/",
        {"action": "submit", "waiting": waiting},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert ('id="waiting-parts"' in text) is warned
    if warned:
        assert "2 delar av formuläret väntar på en rättelse" in text
    world.response_a.refresh_from_db()
    assert world.response_a.status == ResponseStatus.DRAFT  # only asked, nothing sent


def test_the_answers_history_says_what_was_done_and_by_whom_by_name(client, world):
    world.approver_a.first_name, world.approver_a.last_name = "Demo", "Godkännare"
    world.approver_a.save()
    answer_everything(world.response_a, world.reporter_a)
    response_transition(response=world.response_a, user=world.reporter_a, action=Action.SUBMIT)
    response_transition(response=world.response_a, user=world.approver_a, action=Action.APPROVE)
    response_transition(
        response=world.response_a,
        user=world.coordinator,
        action=Action.RETURN,
        reason="Mer om 2.1.",
    )
    client.force_login(world.reporter_a)
    page = client.get(f"/arbete/svar/{world.response_a.pk}/").content.decode()
    steps = page[page.index('id="log-heading"') :]
    steps = steps[: steps.index("</section>")]
    assert "Skickades in av reporter_a" in steps  # no name given: the user name
    assert "Godkändes av Demo Godkännare" in steps
    assert "Skickades tillbaka av coordinator – Mer om 2.1." in steps
    assert "(reporter_a)" not in steps
    assert "skicka in" not in steps
    with translation.override("en"):
        english = client.get(f"/en/arbete/svar/{world.response_a.pk}/").content.decode()
    assert "Approved by Demo Godkännare" in english
