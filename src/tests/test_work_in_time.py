"""Work that respects people's time (issue 16), through HTTP and the services: the answer form
as a guided task, confirmations with a summary, answers read as text beside last year's, the
coordinator's follow-up page, bulk actions, the matrix, "waiting for you", the report editor,
forms with safe defaults, and wording."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from nollvision.accounts.models import Membership, Role
from nollvision.devtools.demo.followup import complete_body
from nollvision.followup import selectors, services
from nollvision.followup.enums import Action, ResponseStatus
from nollvision.followup.models import MeasureAnswer, ReminderLog, Response, StatusChange
from nollvision.followup.services import (
    FollowupError,
    MeasureChange,
    campaign_create,
    campaign_open,
    response_save,
    response_transition,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _measures(response, **values):
    return [
        MeasureChange(
            a.pk, a.version, {"status": "implemented", "done": "Rutin antagen.", **values}
        )
        for a in response.measure_answers.all()
    ]


def _fresh(response):
    return Response.objects.get(pk=response.pk)


def _move(world, response, *actions):
    """Answer `response` whole and move it; Sundsvall's people act for any body."""
    for user, role in ((world.reporter_a, Role.REPORTER), (world.approver_a, Role.APPROVER)):
        Membership.objects.get_or_create(
            user=user, organisation=response.organisation, defaults={"role": role}
        )
        user.__dict__.pop("_nollvision_memberships", None)
    response_save(
        response=response,
        user=world.reporter_a,
        measures=_measures(response, may_publish=True),
        body=complete_body(response),
    )
    actors = {
        Action.SUBMIT: world.reporter_a,
        Action.APPROVE: world.approver_a,
        Action.ACCEPT: world.coordinator,
    }
    for action in actions:
        response_transition(response=_fresh(response), user=actors[action], action=action)
    return _fresh(response)


# --- The answer form as a guided task ----------------------------------------------------------


def test_progress_counts_the_body_section_and_submitting_needs_every_part(world):
    response = world.response_a
    response_save(response=response, user=world.reporter_a, measures=_measures(response))
    progress = services.response_progress(_fresh(response))
    assert progress.measures_done == progress.measures_total == response.measure_answers.count()
    assert progress.body_done == 0 < progress.body_total
    assert progress.gaps
    assert {gap.kind for gap in progress.gaps} == {"body"}
    assert progress.first_gap.anchor.startswith("id_body-")
    with pytest.raises(FollowupError):
        response_transition(response=_fresh(response), user=world.reporter_a, action=Action.SUBMIT)
    response_save(
        response=response, user=world.reporter_a, measures=[], body=complete_body(response)
    )
    assert services.response_progress(_fresh(response)).complete
    response_transition(response=_fresh(response), user=world.reporter_a, action=Action.SUBMIT)
    assert _fresh(response).status == ResponseStatus.SUBMITTED


def test_not_relevant_counts_only_with_its_reason(world):
    answer = world.response_a.measure_answers.order_by("pk").first()
    answer.status = "not_relevant"
    progress = services.response_progress(world.response_a)
    gap = next(g for g in progress.gaps if g.anchor == f"m{answer.pk}")
    assert gap.kind == "measure"  # unsaved object: not changed in the database
    with pytest.raises(ValidationError, match="not_relevant_reason"):
        answer.full_clean()
    answer.not_relevant_reason = "Verksamheten möter inte målgruppen."
    answer.full_clean()


def test_the_first_missing_answer_is_one_click_away(client, world):
    response = world.response_a
    missing = response.measure_answers.get(measure__code="2.3")
    changes = [c for c in _measures(response) if c.answer_id != missing.pk]
    response_save(response=response, user=world.reporter_a, measures=changes)
    client.force_login(world.reporter_a)
    page = client.get(reverse("backoffice:response", args=[response.pk])).content.decode()
    link = re.search(r'<a class="first-missing" href="#([^"]+)">([^<]+)</a>', page)
    assert link.group(1) == f"m{missing.pk}"
    assert "2.3" in link.group(2)
    assert f'id="m{missing.pk}"' in page  # the link lands on the measure


def test_saving_returns_to_the_measure_and_opens_it(client, world):
    from .test_backoffice_views import page_data

    answer = world.response_a.measure_answers.filter(measure__goal__number=3).last()
    client.force_login(world.reporter_a)
    post = page_data(world.response_a)
    post[f"m{answer.pk}-status"] = "ongoing"
    post[f"m{answer.pk}-done"] = "Utbildning pågår."
    post["return_to"] = f"m{answer.pk}"
    reply = client.post(reverse("backoffice:response", args=[world.response_a.pk]), post)
    assert reply.status_code == 302
    assert reply["Location"].endswith(f"?open=m{answer.pk}#m{answer.pk}")
    page = client.get(reply["Location"]).content.decode()
    opened = re.findall(r'<details class="measure-answer[^"]*" open>', page)
    assert len(opened) == 1
    assert page.index(opened[0]) < page.index(f'id="m{answer.pk}"')


def test_a_reason_missing_is_an_error_summary_that_links_to_the_field(client, world):
    from .test_backoffice_views import page_data

    answer = world.response_a.measure_answers.get(measure__code="1.4")
    client.force_login(world.reporter_a)
    post = page_data(world.response_a)
    post[f"m{answer.pk}-status"] = "not_relevant"
    post[f"m{answer.pk}-not_relevant_reason"] = ""
    reply = client.post(reverse("backoffice:response", args=[world.response_a.pk]), post)
    assert reply.status_code == 400
    page = reply.content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    anchor = re.search(r'href="#([^"]+)">1\.4', summary).group(1)
    assert f'id="{anchor}"' in page
    assert "not_relevant_reason" in anchor
    assert "Sparat" not in summary
    assert MeasureAnswer.objects.get(pk=answer.pk).status == ""


def test_the_confirmation_says_what_is_missing_and_refuses(client, world):
    response_save(
        response=world.response_a, user=world.reporter_a, measures=_measures(world.response_a)
    )
    client.force_login(world.reporter_a)
    url = reverse("backoffice:response-transition", args=[world.response_a.pk])
    ask = client.post(url, {"action": "submit"}).content.decode()
    assert 'class="error-summary"' in ask
    body = world.response_a.measure_answers.count()
    assert f"{body} av " in ask  # the measures answered, out of every part
    step = ask.split('class="form-actions"')[1].split("</form>")[0]
    assert "<button" not in step  # nothing to confirm while parts are missing
    client.post(url, {"action": "submit", "confirmed": "1"})
    assert _fresh(world.response_a).status == ResponseStatus.DRAFT


def test_primary_and_secondary_actions_look_different_and_say_who_receives(client, world):
    response = _move(world, world.response_a, Action.SUBMIT)
    client.force_login(world.approver_a)
    page = client.get(reverse("backoffice:response", args=[response.pk])).content.decode()
    approve = re.search(r'<form[^>]*id="action-approve".*?</form>', page, re.S).group(0)
    give_back = re.search(r'<form[^>]*id="action-return".*?</form>', page, re.S).group(0)
    assert '<button type="submit">' in approve
    assert 'class="secondary"' in give_back
    assert "Meddelande till rapportören i er organisation" in give_back  # a return inside the body


def test_a_read_only_answer_is_text_beside_last_years_with_changes_marked(client, world):
    earlier = campaign_create(plan=world.plan, year=2024, deadline=date(2025, 2, 15))
    campaign_open(campaign=earlier, organisations=[world.response_a.organisation])
    last_year = earlier.responses.get()
    _move(world, last_year, Action.SUBMIT, Action.APPROVE, Action.ACCEPT)
    changed = last_year.measure_answers.get(measure__code="1.1")
    MeasureAnswer.objects.filter(pk=changed.pk).update(status="ongoing", done="Förra årets text.")
    now = _move(world, world.response_a, Action.SUBMIT, Action.APPROVE)
    level = world.plan.terms.filter(vocabulary="prevention_levels").first()
    now.measure_answers.filter(measure__code="1.1").update(prevention_levels=[level.code])
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:response", args=[now.pk])).content.decode()
    answers = page.split('<div class="answer-main">')[1].split('id="body"')[0]
    assert "<input" not in answers.replace('type="hidden"', "")
    assert "<select" not in answers
    assert " disabled" not in answers
    assert answers.count('class="answer-read answer-read--beside"') == now.measure_answers.count()
    measure = now.measure_answers.get(measure__code="1.1")
    block = answers.split(f'id="m{measure.pk}"')[1].split("</details>")[0]
    assert "Förra årets text." in block
    assert "Rutin antagen." in block
    assert 'class="changed"' in block
    assert f"<dd>{level.label}</dd>" in block  # the level's name, not its code
    other = now.measure_answers.get(measure__code="1.2")
    unchanged = answers.split(f'id="m{other.pk}"')[1].split("</details>")[0]
    assert 'class="changed"' not in unchanged


# --- The coordinator's day ------------------------------------------------------------------


def test_every_body_is_clickable_and_late_ones_are_flagged(client, world):
    campaign = world.campaign
    submitted = _move(world, world.response_b, Action.SUBMIT)
    client.force_login(world.coordinator)
    url = reverse("backoffice:campaign", args=[campaign.pk])
    campaign.deadline = timezone.localdate() + timedelta(days=10)
    campaign.save()
    page = client.get(url).content.decode()
    assert 'class="flag"' not in page
    campaign.deadline = timezone.localdate() - timedelta(days=1)
    campaign.save()
    page = client.get(url).content.decode()
    editable = campaign.responses.exclude(pk=submitted.pk).count()
    assert page.count('<strong class="flag">') == editable
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">', page)
    assert len(rows) == campaign.responses.count()
    body_url = reverse("backoffice:campaign-body", args=[campaign.pk, world.response_a.pk])
    assert body_url in rows
    body = client.get(body_url).content.decode()
    assert "reporter_a" in body
    assert "Rutin antagen." not in body
    assert page.count('name="action" value="remind"') == editable


def test_reminders_one_body_and_everyone_not_yet_sent_in(client, world, mailoutbox):
    _move(world, world.response_b, Action.SUBMIT)
    client.force_login(world.coordinator)
    url = reverse("backoffice:campaign-action", args=[world.campaign.pk])
    client.post(url, {"action": "remind", "response": world.response_a.pk})
    log = ReminderLog.objects.get()
    assert (log.response_id, log.sent_by) == (world.response_a.pk, world.coordinator)
    assert {a for m in mailoutbox for a in m.to + m.cc + m.bcc} == {
        "reporter_a@example.invalid",
        "approver_a@example.invalid",
    }
    ask = client.post(url, {"action": "remind_all"}).content.decode()
    assert "Sundsvalls kommun" in ask
    assert 'name="confirmed" value="1"' in ask
    assert ReminderLog.objects.count() == 1  # nothing sent before the confirmation
    done = client.post(url, {"action": "remind_all", "confirmed": "1"}, follow=True)
    # Every body not yet sent in, where someone can receive it; the others named on the page,
    # never logged as reminded (here only Sundsvall has a reporter or approver).
    assert set(ReminderLog.objects.values_list("response_id", flat=True)) == {world.response_a.pk}
    assert "Ingen på " in done.content.decode()
    assert "Ånge kommun" in done.content.decode().split("Ingen på ")[1]
    assert ReminderLog.objects.filter(response=world.response_a).count() == 1  # once a day
    assert not ReminderLog.objects.filter(response=world.response_b).exists()
    assert set(ReminderLog.objects.values_list("sent_by", flat=True)) == {world.coordinator.pk}


def test_accept_every_approved_answer_confirmed_and_recorded(client, world):
    first = _move(world, world.response_a, Action.SUBMIT, Action.APPROVE)
    second = _move(world, world.response_b, Action.SUBMIT, Action.APPROVE)
    sent = _move(
        world,
        world.campaign.responses.get(organisation__slug="ange-kommun"),
        Action.SUBMIT,
    )
    client.force_login(world.coordinator)
    url = reverse("backoffice:campaign-action", args=[world.campaign.pk])
    ask = client.post(url, {"action": "accept_all"}).content.decode()
    assert "2 godkända svar" in ask
    assert _fresh(first).status == ResponseStatus.APPROVED
    client.post(url, {"action": "accept_all", "confirmed": "1"})
    assert _fresh(first).status == _fresh(second).status == ResponseStatus.ACCEPTED
    assert _fresh(sent).status == ResponseStatus.SUBMITTED
    assert (
        StatusChange.objects.filter(target=ResponseStatus.ACCEPTED, by=world.coordinator).count()
        == 2
    )


def test_a_bodys_texts_cleared_for_publication_with_exceptions(client, world):
    response = _move(world, world.response_a, Action.SUBMIT, Action.APPROVE, Action.ACCEPT)
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:response", args=[response.pk])).content.decode()
    url = reverse("backoffice:response-clear-body", args=[response.pk])
    assert f'href="{url}"' in page  # first click
    listing = client.get(url).content.decode()
    ids = re.findall(r'name="answers" value="(\d+)" checked', listing)
    assert len(ids) == response.measure_answers.count()
    left_out = ids[0]
    client.post(url, {"answers": ids[1:]})  # second click, one unchecked
    cleared = MeasureAnswer.objects.filter(response=response, cleared_at__isnull=False)
    assert cleared.count() == len(ids) - 1
    assert not cleared.filter(pk=left_out).exists()
    assert set(cleared.values_list("cleared_by", flat=True)) == {world.coordinator.pk}
    # The follow-up's bulk clearing takes what is left, after its confirmation.
    action = reverse("backoffice:campaign-action", args=[world.campaign.pk])
    ask = client.post(action, {"action": "clear_all"}).content.decode()
    assert 'name="confirmed" value="1"' in ask
    assert MeasureAnswer.objects.filter(pk=left_out, cleared_at__isnull=True).exists()
    client.post(action, {"action": "clear_all", "confirmed": "1"})
    assert MeasureAnswer.objects.filter(response=response, cleared_at__isnull=True).count() == 0


def test_waiting_for_each_role_grouped_by_follow_up(client, world):
    later = campaign_create(plan=world.plan, year=2026, deadline=date(2099, 2, 15))
    campaign_open(campaign=later, organisations=[world.response_a.organisation])
    waiting = selectors.waiting_for(world.reporter_a)
    assert [group.campaign.year for group in waiting] == [2026, 2025]
    assert all(len(group.items) == 1 for group in waiting)
    _move(world, world.response_a, Action.SUBMIT)
    with translation.override("en"):
        waiting = selectors.waiting_for(world.approver_a)
    assert [(g.campaign.year, what) for g in waiting for _r, what, _c in g.items] == [
        (2026, "answer and send in"),
        (2025, "approve or return to the reporter"),
    ]
    response_transition(
        response=_fresh(world.response_a), user=world.approver_a, action=Action.APPROVE
    )
    world.campaign.deadline = timezone.localdate() - timedelta(days=1)
    world.campaign.save()
    county = selectors.waiting_for(world.coordinator)
    this_year = next(g for g in county if g.campaign.year == 2025)
    assert [r.pk for r, _w, _c in this_year.items] == [world.response_a.pk]
    assert this_year.late == world.campaign.responses.exclude(pk=world.response_a.pk).count()
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:home")).content.decode()
    waiting_html = page.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "Uppföljning 2025" in waiting_html
    assert reverse("backoffice:response", args=[world.response_a.pk]) in waiting_html
    assert f"{this_year.late} myndigheter är sena" in waiting_html


def test_the_matrix_cells_link_and_tell_states_apart(client, world):
    accepted = _move(world, world.response_a, Action.SUBMIT, Action.APPROVE, Action.ACCEPT)
    sent = _move(world, world.response_b, Action.SUBMIT)
    matrix = selectors.work_matrix(world.campaign)
    states = {
        cell.response_id: cell.state for _measure, cells in matrix.rows() for cell in cells if cell
    }
    assert states[accepted.pk] == "implemented"
    assert states[sent.pk] == selectors.CELL_WAITING
    draft = world.campaign.responses.get(organisation__slug="ange-kommun")
    assert states[draft.pk] == selectors.CELL_NOT_SENT
    symbols = {selectors.CELL_SYMBOLS[s] for s in ("implemented", "waiting", "not_sent")}
    assert len(symbols) == 3
    client.force_login(world.coordinator)
    url = reverse("backoffice:matrix", args=[world.campaign.pk])
    page = client.get(url).content.decode()
    answer = accepted.measure_answers.get(measure__code="1.1")
    assert (
        f'class="wm wm--implemented" href="/arbete/svar/{accepted.pk}/?open=m{answer.pk}#m{answer.pk}"'
        in page
    )
    assert 'class="wm wm--waiting"' in page
    assert 'class="wm wm--not_sent"' in page
    only_waiting = client.get(url, {"state": "waiting"}).content.decode()
    assert "wm--implemented" not in only_waiting.split("<table")[1]
    assert "wm--waiting" in only_waiting.split("<table")[1]
    goal_two = selectors.work_matrix(world.campaign, goal=2)
    assert {m.goal.number for m in goal_two.measures} == {2}
    police = selectors.work_matrix(world.campaign, kind="police")
    assert {r.organisation.kind.code for r in police.bodies} == {"police"}


def test_the_report_editor_autosaves_and_shows_each_sections_figures(client, world):
    _move(world, world.response_a, Action.SUBMIT, Action.APPROVE, Action.ACCEPT)
    client.force_login(world.coordinator)
    url = reverse("backoffice:report", args=[world.campaign.pk])
    page = client.get(url).content.decode()
    assert 'data-autosave="' in page
    assert page.count('class="report-section__figures"') >= 1 + world.plan.goals.count()
    reply = client.post(
        url, {"summary": "Sparad i farten.", "conclusions": ""}, HTTP_X_AUTOSAVE="1"
    )
    assert reply.json() == {"saved": True}
    assert "Sparad i farten." in client.get(url).content.decode()
    refused = client.post(
        url, {"summary": "Gäller 19121212-1212.", "conclusions": ""}, HTTP_X_AUTOSAVE="1"
    )
    assert refused.status_code == 400
    assert "id_summary" in refused.json()["errors"] or "summary" in refused.json()["errors"]


# --- Forms, defaults, wording ----------------------------------------------------------------


def test_forms_have_labels_above_and_safe_defaults(client, world, g):
    client.force_login(world.coordinator)
    members = client.get(reverse("backoffice:members")).content.decode()
    assert re.search(r'<option value="reporter" selected>', members)
    field = re.search(r'<div class="field[^"]*">\s*<label for="id_role">', members)
    assert field, "the label sits above its field"
    group = client.get(reverse("backoffice:group", args=[g.group.pk])).content.decode()
    assert re.search(r'<option value="member" selected>', group)
    item = client.get(reverse("backoffice:item-edit", args=[g.item.pk])).content.decode()
    assert "<select multiple" not in item
    goals = re.findall(r"Mål (\d+):", item.split('name="measures"')[0] + item)
    assert {"1", "2", "3", "4"} <= set(goals)
    assert item.count('type="checkbox" name="measures"') == world.plan.measures.count()


def test_dates_in_each_languages_form(client, world):
    client.force_login(world.coordinator)
    url = reverse("backoffice:campaign", args=[world.campaign.pk])
    assert "15 februari 2026" in client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()
    assert "15 February 2026" in english
    assert "02/15/2026" not in english
    with translation.override("en"):
        from django.utils.formats import date_format

        assert date_format(timezone.now().replace(hour=22, minute=13), "DATETIME_FORMAT").endswith(
            "22:13"
        )


def test_history_has_labels_and_comments_carry_names(client, world):
    world.coordinator.first_name, world.coordinator.last_name = "Karin", "Samordnare"
    world.coordinator.save()
    response = _move(world, world.response_a, Action.SUBMIT, Action.APPROVE)
    response_transition(
        response=response,
        user=world.coordinator,
        action=Action.RETURN,
        comments={"measure:1.1": "Beskriv närmare."},
    )
    client.force_login(world.reporter_a)
    history = client.get(reverse("backoffice:response-history", args=[response.pk])).content
    history = history.decode()
    assert "genomförd" in history
    assert ">True<" not in history  # a yes/no question's answer
    assert "Har ni en kontaktperson?</td><td>svar</td><td>–</td><td>ja<" in history
    assert ">implemented<" not in history
    page = client.get(reverse("backoffice:response", args=[response.pk])).content.decode()
    comment = page.split('<div class="comments">')[1].split("</div>")[0]
    assert "Beskriv närmare." in comment
    assert "Karin Samordnare" in comment
    assert "coordinator" not in comment


def test_a_service_is_verified_only_from_its_own_page(client, world):
    from nollvision.indicators.models import Area
    from nollvision.support.models import SupportService

    service = SupportService.objects.create(
        key="t", name={"sv": "Testjouren"}, needs=["adults"], area=Area.objects.get(code="2281")
    )
    client.force_login(world.coordinator)
    listing = client.get(reverse("backoffice:services")).content.decode()
    verify = reverse("backoffice:service-verified", args=[service.pk])
    assert verify not in listing
    assert "inte kontrollerad" in listing.lower() or "inte kontrollerats" in listing.lower()
    entry = client.get(reverse("backoffice:service-edit", args=[service.pk])).content.decode()
    assert f'action="{verify}"' in entry
    reply = client.post(verify)
    assert reply["Location"] == reverse("backoffice:service-edit", args=[service.pk])
    service.refresh_from_db()
    assert service.last_verified == timezone.localdate()


def test_the_language_link_of_a_page_answering_a_post_can_be_opened(client, world):
    answer = world.response_a.measure_answers.first()
    response_save(
        response=world.response_a,
        user=world.reporter_a,
        measures=[MeasureChange(answer.pk, answer.version, {"status": "ongoing"})],
    )
    client.force_login(world.reporter_a)
    page = reverse("backoffice:response", args=[world.response_a.pk])
    ask = client.post(
        reverse("backoffice:response-transition", args=[world.response_a.pk]),
        {"action": "submit"},
        HTTP_REFERER=f"http://testserver{page}",
    ).content.decode()
    link = re.search(r'<a href="([^"]+)" lang="en"', ask).group(1)
    assert link == f"/en{page}"
    elsewhere = client.post(
        reverse("backoffice:response-transition", args=[world.response_a.pk]),
        {"action": "submit"},
        HTTP_REFERER="https://example.invalid/arbete/",
    ).content.decode()
    assert re.search(r'<a href="([^"]+)" lang="en"', elsewhere).group(1) == "/en/"
    assert client.get(link).status_code == 200
