"""The revision of a plan as a task list (issue #25, item 6): the plan's page shows draft,
consultation, handling, adoption and signing with their states and the next step; answers to
handle wait in the coordinator's "Waiting for you"; adoption says what happened and offers the
signing, not a new version; those who answer a consultation see per measure what changed; the
public collaboration page names each group, never its identifier."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from nollvision.accounts.models import Membership, Role
from nollvision.meetings.models import Group, Meeting
from nollvision.plans import editor
from nollvision.plans.consultation import (
    answer_save,
    answer_submit,
    consultation_close,
    consultation_send,
    handle,
)
from nollvision.plans.editor import MeasureFields, Text
from nollvision.plans.models import ConsultationMeasureAnswer, Plan
from nollvision.plans.revision import answers_to_handle
from nollvision.plans.services import signing_record

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STAGES = ("draft", "consultation", "handling", "adoption", "signing")


def reverse(name, args=()):
    """The address of the English page (the texts checked here are the English msgids)."""
    with translation.override("en"):
        return django_reverse(name, args=args)


def _editor(client, plan) -> str:
    return client.get(reverse("backoffice:plan-editor", args=[plan.slug])).content.decode()


def _states(page: str) -> dict[str, str]:
    """Each stage's state, as the page's classes give them, in the page's order."""
    found = re.findall(r'class="revision__stage revision__stage--(\w+)"', page)
    assert len(found) == len(STAGES), found
    return dict(zip(STAGES, found, strict=True))


def _expect(*states: str) -> dict[str, str]:
    return dict(zip(STAGES, states, strict=True))


def _current(page: str) -> str:
    """The stage marked as the current step."""
    found = re.findall(r'revision__stage--\w+" aria-current="step">\s*<h3[^>]*>([^<]+)<', page)
    return found[0].strip() if found else ""


def _main_action(page: str) -> str:
    found = re.findall(r'class="button-link button-link--primary" href="([^"]+)"', page)
    return found[0] if found else ""


def test_the_task_list_walks_from_draft_to_signing(client, world):
    plan, coordinator = world.plan, world.coordinator
    client.force_login(coordinator)
    page = _editor(client, plan)
    assert 'id="revision"' not in page  # a first version as imported has no revision
    assert 'name="start"' in page
    assert 'class="secondary"' not in page.split('name="start"')[1][:60]

    # The draft: the coordinator's turn; the next step is sending it for consultation.
    draft = editor.draft_start(plan=plan, user=coordinator)
    measure = draft.measures.get(code="1.1")
    editor.measure_edit(
        plan=draft,
        user=coordinator,
        key=measure.key,
        fields=MeasureFields(code="1.1", goal=1, text=Text("Normkritiskt arbete överallt.")),
    )
    page = _editor(client, draft)
    assert _states(page) == _expect("now", "later", "later", "later", "later")
    assert _current(page).startswith("Draft")
    consultations = reverse("backoffice:consultations", args=[plan.slug])
    assert _main_action(page) == consultations + "#send-heading"
    assert "1 measure changed or new, 0 retired" in page

    # Sent: the signatories answer; the coordinator follows.
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=coordinator
    )
    page = _editor(client, draft)
    assert _states(page) == _expect("done", "open", "later", "later", "later")
    follow = reverse("backoffice:consultation", args=[consultation.pk])
    assert _main_action(page) == follow
    assert f"0 of {plan.signatures.count()} bodies have answered" in page

    # Sundsvall answers: its two answers (overall and on 1.1) wait for their handling.
    answer = consultation.answers.get(organisation=world.response_a.organisation)
    draft_measure = draft.measures.get(code="1.1")
    answer_save(
        answer=answer,
        verdict="changes",
        comment="Förtydliga.",
        measure_answers={draft_measure: ("disagree", "För brett.")},
        user=world.approver_a,
    )
    answer_submit(answer=answer, user=world.approver_a)
    page = _editor(client, draft)
    assert _states(page) == _expect("done", "open", "now", "later", "later")
    assert _current(page).startswith("Handling")  # the coordinator's turn comes first
    assert "2 answers wait for their handling." in page
    assert _main_action(page) == f"{follow}#measures-heading"
    assert answers_to_handle(coordinator) == [(consultation, 2)]

    # Handled: nothing waits; the consultation is still open.
    handle(item=answer, handling="accepted")
    handle(item=ConsultationMeasureAnswer.objects.get(answer=answer), handling="partly", reason="X")
    page = _editor(client, draft)
    assert _states(page) == _expect("done", "open", "open", "later", "later")
    assert _current(page).startswith("Consultation")
    assert _main_action(page) == follow
    assert answers_to_handle(coordinator) == []

    # Closed: adoption is the coordinator's turn.
    consultation_close(consultation=consultation)
    page = _editor(client, draft)
    assert _states(page) == _expect("done", "done", "done", "now", "later")
    assert _main_action(page) == reverse("backoffice:plan-adopt", args=[plan.slug])

    # Adopted through the page: the message says what happened; the signing comes next, and
    # starting version 3 is no longer the main action.
    response = client.post(
        reverse("backoffice:plan-adopt", args=[plan.slug]),
        {"adopted_on": timezone.localdate().isoformat()},
        follow=True,
    )
    page = response.content.decode()
    assert "The draft was saved." not in page
    assert "Version 2 was adopted on" in page
    assert "version 1 is archived" in page
    assert "Next, the signatories record their signings." in page
    assert _states(page) == _expect("done", "done", "done", "done", "open")
    signings = reverse("backoffice:plan-signings", args=[plan.slug])
    assert _main_action(page) == signings
    start = re.search(r'<button type="submit" name="start" value="1"([^>]*)>', page)
    assert start is not None
    assert 'class="secondary"' in start.group(1)
    assert reverse("public:plan-version", args=[plan.slug, 2]) in page  # the adopted plan

    # Every signatory records its signing: the revision is complete; version 3 may start.
    draft.refresh_from_db()
    for signatory in draft.signatures.select_related("organisation"):
        signing_record(
            plan=draft,
            organisation=signatory.organisation,
            data={
                "signed_by": "Ordförande",
                "role": "ordförande",
                "signed_on": timezone.localdate(),
            },
            user=coordinator,
        )
    page = _editor(client, draft)
    assert _states(page) == _expect("done", "done", "done", "done", "done")
    assert _main_action(page) == ""
    assert "The revision is complete" in page
    start = re.search(r'<button type="submit" name="start" value="1"([^>]*)>', page)
    assert start is not None
    assert "secondary" not in start.group(1)


def test_a_version_adopted_without_consultation_says_none_was_held(client, world):
    client.force_login(world.coordinator)
    draft = editor.draft_start(plan=world.plan, user=world.coordinator)
    response = client.post(
        reverse("backoffice:plan-adopt", args=[draft.slug]),
        {"adopted_on": timezone.localdate().isoformat()},
        follow=True,
    )
    page = response.content.decode()
    assert _states(page) == _expect("done", "skipped", "skipped", "done", "open")
    assert "No consultation was held on this version." in page

    # A version imported from a file may carry no date of adoption.
    Plan.objects.filter(pk=draft.pk).update(adopted_on=None)
    page = _editor(client, draft)
    assert _states(page) == _expect("done", "skipped", "skipped", "done", "open")
    assert "Adopted." in page


def test_answers_to_handle_wait_for_the_coordinator_only(client, world):
    draft = editor.draft_start(plan=world.plan, user=world.coordinator)
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=world.coordinator
    )
    home = reverse("backoffice:home")
    client.force_login(world.coordinator)
    assert "Consultation answers to handle" not in client.get(home).content.decode()

    answer = consultation.answers.get(organisation=world.response_a.organisation)
    answer_save(answer=answer, verdict="agree", comment="", measure_answers={}, user=None)
    answer_submit(answer=answer, user=world.approver_a)
    # A plain "agree" asks for no handling.
    assert "Consultation answers to handle" not in client.get(home).content.decode()

    other = consultation.answers.get(organisation__slug="timra-kommun")
    answer_save(answer=other, verdict="disagree", comment="Nej.", measure_answers={}, user=None)
    answer_submit(answer=other, user=None)
    page = client.get(home).content.decode()
    waiting = page.split('id="waiting-heading"')[1]
    assert "Consultation answers to handle" in waiting
    link = reverse("backoffice:consultation", args=[consultation.pk]) + "#measures-heading"
    assert f'href="{link}"' in waiting
    assert "1 answer waits for its handling" in waiting

    # Not for the signatory's own people, nor the county's readers.
    for user in (world.approver_a, world.reader):
        client.force_login(user)
        assert "Consultation answers to handle" not in client.get(home).content.decode()


def reworded_and_split(world):
    """A draft of the next version with 1.1 reworded and 1.2 split (with their reasons); the
    draft and the keys of its measures by code."""
    coordinator = world.coordinator
    draft = editor.draft_start(plan=world.plan, user=coordinator)
    key = {m.code: m.key for m in draft.measures.all()}
    editor.measure_edit(
        plan=draft,
        user=coordinator,
        key=key["1.1"],
        fields=MeasureFields(
            code="1.1",
            goal=1,
            text=Text("Normkritiskt arbete på alla arbetsplatser."),
            change_reason=Text("Gäller alla arbetsplatser."),
        ),
    )
    editor.measure_split(
        plan=draft,
        user=coordinator,
        key=key["1.2"],
        parts=[("1.2a", Text("Del i grundskolan.")), ("1.2b", Text("Del i gymnasiet."))],
        reason=Text("Olika huvudmän."),
    )
    return draft, key


def test_those_who_answer_see_what_changed_in_each_measure(client, world):
    coordinator = world.coordinator
    old = {m.code: str(m.text) for m in world.plan.measures.all()}
    draft, key = reworded_and_split(world)
    editor.measure_merge(
        plan=draft,
        user=coordinator,
        keys=[key["2.1"], key["2.2"]],
        code="2.1",
        text=Text("En gemensam rutin för frågan om våld."),
        reason=Text("Samma rutin."),
    )
    editor.measure_edit(
        plan=draft,
        user=coordinator,
        key=None,
        fields=MeasureFields(
            code="4.10", goal=4, text=Text("Gemensam kompetensplan."), change_reason=Text("Ny.")
        ),
    )
    editor.measure_retire(
        plan=draft, user=coordinator, key=key["3.1"], reason=Text("Genomförd 2022–2024.")
    )
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=coordinator
    )
    answer = consultation.answers.get(organisation=world.response_a.organisation)
    url = reverse("backoffice:consultation-answer", args=[answer.pk])
    client.force_login(world.approver_a)
    page = client.get(url).content.decode()

    # Each kind of change, shown in a stacking comparison table with before, after and reason.
    for kind in ("reworded", "split", "merged", "new", "retired"):
        assert f'class="diff__row diff__row--{kind}"' in page, kind
    assert page.count('<table class="diff">') == 6  # five changed measures (two split parts)
    for text in (
        old["1.1"],
        "Normkritiskt arbete på alla arbetsplatser.",
        "Reason: Gäller alla arbetsplatser.",
        old["1.2"],
        "Del i grundskolan.",
        "Reason: Olika huvudmän.",
        old["2.1"],
        old["2.2"],
        "Reason: Samma rutin.",
        "Gemensam kompetensplan.",
        old["3.1"],
        "Reason: Genomförd 2022–2024.",
        "1 measure taken out of the plan",
        "What changed since version 1",
        'data-label="Before (version 1)"',
        'data-label="After (version 2)"',
    ):
        assert text in page, text
    # The change sits with its measure's answer in the form.
    fieldset = page.split(f'id="id_m{draft.measures.get(code="4.10").pk}-verdict_0"')[0]
    assert fieldset.rsplit('<fieldset class="measure">', 1)[1].count("diff__row--new") == 1

    # Once sent in, the answer is read with the change beside each answered measure.
    answer_save(
        answer=answer,
        verdict="changes",
        comment="",
        measure_answers={draft.measures.get(code="1.2a"): ("changes", "Förtydliga.")},
        user=world.approver_a,
    )
    answer_submit(answer=answer, user=world.approver_a)
    page = client.get(url).content.decode()
    assert "diff__row--split" in page.split('id="measures-heading"')[1]
    assert "diff__row--retired" in page  # the measures taken out stay listed


def test_the_collaboration_page_names_each_group_not_its_identifier(client, world):
    group = Group.objects.get(plan_slug=world.plan.slug, key="regional-samverkansgrupp")
    now = timezone.now()
    for days in (40, 20, 10):
        start = now - timedelta(days=days)
        Meeting.objects.create(
            group=group,
            title=f"Möte {days}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            minutes_published_at=now,
        )
    page = client.get(
        reverse("public:collaboration", args=[world.plan.slug, world.plan.version])
    ).content.decode()
    minutes = page.split('id="minutes-heading"')[1]
    assert f"{world.plan.slug}/regional-samverkansgrupp" not in page
    body = world.plan.collaboration_bodies.get(key="regional-samverkansgrupp")
    assert minutes.count(f"{body.name}: Möte") == 3


def test_an_approver_without_the_consultation_sees_no_answer(client, world, django_user_model):
    """The change view is part of the answer page: another body's approver is refused it."""
    draft = editor.draft_start(plan=world.plan, user=world.coordinator)
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=world.coordinator
    )
    answer = consultation.answers.get(organisation=world.response_a.organisation)
    stranger = django_user_model.objects.create_user(username="approver_timra")
    Membership.objects.create(
        user=stranger, organisation=world.response_b.organisation, role=Role.APPROVER
    )
    client.force_login(stranger)
    response = client.get(reverse("backoffice:consultation-answer", args=[answer.pk]))
    assert response.status_code == 403


def test_answers_to_handle_reads_the_same_queries_for_one_and_three_consultations(world):
    draft = editor.draft_start(plan=world.plan, user=world.coordinator)
    counted = []
    for _round in range(3):
        consultation = consultation_send(
            plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=world.coordinator
        )
        answer = consultation.answers.get(organisation=world.response_a.organisation)
        answer_save(answer=answer, verdict="disagree", comment="", measure_answers={}, user=None)
        answer_submit(answer=answer, user=None)
        consultation_close(consultation=consultation)
        coordinator = type(world.coordinator).objects.get(pk=world.coordinator.pk)  # no cache
        with CaptureQueriesContext(connection) as queries:
            found = answers_to_handle(coordinator)
        counted.append((len(found), len(queries)))
    assert [rows for rows, _queries in counted] == [1, 2, 3]
    assert counted[0][1] == counted[2][1]
