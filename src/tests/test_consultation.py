"""The consultation (remiss) of a draft plan version with its signatories (issue #18, part 2):
the coordinator sends the draft out with a deadline, three bodies' approvers answer per measure
and overall, the coordinator reads the answers per measure and per body, records how each was
handled, reminds and closes; the summary is a PDF and a Word file read back here."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from nollvision.accounts.models import Membership, Organisation, Role
from nollvision.plans.consultation import (
    answer_save,
    answer_submit,
    answers_by_body,
    answers_by_measure,
    bodies_not_answered,
    consultation_close,
    consultation_remind,
    consultation_reminders_send,
    consultation_send,
    consultations_to_answer,
    handle,
    verdict_counts,
    without_approvers,
)
from nollvision.plans.consultation_documents import summary_docx, summary_pdf
from nollvision.plans.errors import PlanError
from nollvision.plans.models import ConsultationAnswer, ConsultationReminder
from nollvision.plans.plan_file import parse_plan_file
from nollvision.plans.services import plan_import, plan_new_version

from .helpers import pdf_text, plan_yaml, second_county_plan_data
from .test_tagged_pdfs import accessibility_problems

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.django_db]

PERSONAL_NUMBER = "19121212-1212"
BODIES = ("sundsvalls-kommun", "kramfors-kommun", "region-vasternorrland")


def _person(django_user_model, username, slug, role):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.invalid", password="a-long-test-password"
    )
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(slug=slug), role=role
    )
    return user


@pytest.fixture
def people(default_plan, django_user_model):
    """The county board's coordinator, an approver at three signatories and a reporter at the
    first; the draft of version 2 of the default plan."""
    draft = plan_new_version(plan=default_plan)
    return SimpleNamespace(
        plan=default_plan,
        draft=draft,
        coordinator=_person(
            django_user_model, "coordinator", "lansstyrelsen-vasternorrland", Role.COORDINATOR
        ),
        approvers=[
            _person(django_user_model, f"approver_{n}", slug, Role.APPROVER)
            for n, slug in enumerate(BODIES)
        ],
        reporter=_person(django_user_model, "reporter_0", BODIES[0], Role.REPORTER),
    )


@pytest.fixture
def sent(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        people.consultation = consultation_send(
            plan=people.draft,
            deadline=timezone.localdate() + timedelta(days=14),
            message="Vi vill ha era synpunkter på utkastet.",
            user=people.coordinator,
            base_url="https://nollvision.example/",
        )
    people.answers = [people.consultation.answers.get(organisation__slug=slug) for slug in BODIES]
    people.m11 = people.draft.measures.get(code="1.1")
    people.m21 = people.draft.measures.get(code="2.1")
    return people


def _answer_url(answer) -> str:
    return reverse("backoffice:consultation-answer", args=[answer.pk])


def _overview_url(consultation) -> str:
    return reverse("backoffice:consultation", args=[consultation.pk])


def _post_answer(client, answer, data, *, action="save", confirmed=False):
    payload = {"action": action, **data}
    if confirmed:
        payload["confirmed"] = "1"
    return client.post(_answer_url(answer), payload)


def _three_bodies_answer(client, s):
    """Each approver answers through the page: saves a draft, then sends it in (confirmed)."""
    plans = [
        (
            "agree",
            "Bra utkast.",
            {s.m11: ("agree", ""), s.m21: ("changes", "Förtydliga ansvaret för 2.1.")},
        ),
        ("changes", "Tidplanen är för snäv.", {s.m11: ("disagree", "Åtgärd 1.1 saknar medel.")}),
        ("disagree", "Utkastet behöver omarbetas.", {s.m21: ("disagree", "Stryk 2.1.")}),
    ]
    for approver, answer, (verdict, comment, measures) in zip(
        s.approvers, s.answers, plans, strict=True
    ):
        client.force_login(approver)
        data = {"overall-verdict": verdict, "overall-comment": comment}
        for measure, (m_verdict, m_comment) in measures.items():
            data[f"m{measure.pk}-verdict"] = m_verdict
            data[f"m{measure.pk}-comment"] = m_comment
        assert _post_answer(client, answer, data).status_code == 302
        page = _post_answer(client, answer, data, action="submit")
        assert page.status_code == 200
        assert 'name="confirmed" value="1"' in page.content.decode()
        assert (
            _post_answer(client, answer, data, action="submit", confirmed=True).status_code == 302
        )
    for answer in s.answers:
        answer.refresh_from_db()
    return plans


# --- Sending ------------------------------------------------------------------------------------


def test_sending_makes_an_answer_per_signatory_and_mails_each_bodys_approvers(sent):
    signatories = set(sent.draft.signatures.values_list("organisation__slug", flat=True))
    assert len(signatories) > 3
    assert set(sent.consultation.answers.values_list("organisation__slug", flat=True)) == (
        signatories
    )
    # One message per body with an approver: the three bodies here, each to its approver.
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        (f"approver_{n}@example.invalid",) for n in range(3)
    )
    by_body = {m.to[0]: m for m in mail.outbox}
    message = by_body["approver_0@example.invalid"]
    assert str(sent.draft.title) in message.subject
    assert "Vi vill ha era synpunkter på utkastet." in message.body
    assert f"https://nollvision.example{_answer_url(sent.answers[0])}" in message.body
    assert "Sundsvalls kommun" in message.body


def test_sending_is_refused_for_an_adopted_version_a_past_deadline_or_twice(people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(PlanError):
        consultation_send(plan=people.plan, deadline=tomorrow, user=people.coordinator)
    with pytest.raises(PlanError):
        consultation_send(plan=people.draft, deadline=timezone.localdate(), user=people.coordinator)
    consultation_send(plan=people.draft, deadline=tomorrow, user=people.coordinator)
    with pytest.raises(PlanError):
        consultation_send(plan=people.draft, deadline=tomorrow, user=people.coordinator)
    assert people.draft.consultations.count() == 1


def test_the_coordinator_sends_the_draft_from_the_page_after_a_confirmation(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.coordinator)
    url = reverse("backoffice:consultations", args=[people.plan.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="deadline"' in page.content.decode()
    deadline = (timezone.localdate() + timedelta(days=21)).isoformat()
    data = {"deadline": deadline, "message": "Svara senast i tid."}
    # A past deadline is a form error in place.
    past = client.post(url, {**data, "deadline": timezone.localdate().isoformat()})
    assert past.status_code == 400
    assert 'class="errorlist"' in past.content.decode()
    confirm = client.post(url, data)
    assert confirm.status_code == 200
    assert "Sundsvalls kommun" in confirm.content.decode()
    # The bodies nobody there would hear it at are named before it goes, with the way to invite.
    unheard = {
        s.organisation.name
        for s in people.draft.signatures.select_related("organisation")
        if not s.organisation.memberships.filter(role="approver").exists()
    }
    assert unheard

    def named(page: str) -> set[str]:
        said = page.split(" får e-postmeddelandet")[0].rsplit("Ingen på ", 1)[1]
        return set(said.split(", "))

    assert named(confirm.content.decode()) == unheard
    assert f'href="{reverse("backoffice:members")}#invite-heading"' in confirm.content.decode()
    assert people.draft.consultations.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**data, "confirmed": "1"})
    assert named(client.get(done["Location"]).content.decode()) == unheard  # and once it went
    consultation = people.draft.consultations.get()
    assert done.status_code == 302
    assert done["Location"] == _overview_url(consultation)
    assert consultation.message == "Svara senast i tid."
    assert len(mail.outbox) == 3
    # Out for consultation: the page lists it and offers no second sending.
    page = client.get(url).content.decode()
    assert _overview_url(consultation) in page
    assert 'name="deadline"' not in page


# --- Answering ----------------------------------------------------------------------------------


def test_three_bodies_answer_and_the_coordinator_sees_them_per_measure_and_per_body(client, sent):
    _three_bodies_answer(client, sent)
    assert [a.verdict for a in sent.answers] == ["agree", "changes", "disagree"]
    assert all(a.submitted_at is not None for a in sent.answers)
    assert [a.submitted_by for a in sent.answers] == sent.approvers

    answers = answers_by_body(sent.consultation)
    goals = answers_by_measure(sent.consultation, answers)
    rows = [row for _goal, goal_rows in goals for row in goal_rows]
    # Every measure of the draft in plan order, answered or not.
    assert [row.code for row in rows] == list(
        sent.draft.measures.order_by("goal__number", "position").values_list("code", flat=True)
    )
    by_code = {row.code: row for row in rows}
    assert [(i.answer.organisation.slug, i.verdict) for i in by_code["1.1"].answers] == [
        ("kramfors-kommun", "disagree"),
        ("sundsvalls-kommun", "agree"),
    ]
    assert sorted(i.comment for i in by_code["2.1"].answers) == [
        "Förtydliga ansvaret för 2.1.",
        "Stryk 2.1.",
    ]
    assert by_code["1.2"].answers == []
    counts = {c.verdict: (c.overall, c.measures) for c in verdict_counts(answers)}
    assert counts == {"agree": (1, 1), "changes": (1, 1), "disagree": (1, 2)}

    client.force_login(sent.coordinator)
    page = client.get(_overview_url(sent.consultation)).content.decode()
    for text in (
        "Sundsvalls kommun",
        "Kramfors kommun",
        "Region Västernorrland",
        "Tidplanen är för snäv.",
        "Åtgärd 1.1 saknar medel.",
        "Förtydliga ansvaret för 2.1.",
        "Stryk 2.1.",
    ):
        assert text in page, text
    # A handling form beside each answer that asks for one (not beside a plain "agree").
    plain = sent.answers[0].measure_answers.get(measure_code="1.1")
    commented = sent.answers[0].measure_answers.get(measure_code="2.1")
    assert f'value="m{commented.pk}"' in page
    assert f'value="m{plain.pk}"' not in page
    assert f'value="a{sent.answers[0].pk}"' in page


def test_the_overview_reads_the_same_number_of_queries_for_one_or_three_answers(client, sent):
    client.force_login(sent.coordinator)
    url = _overview_url(sent.consultation)
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for answer in sent.answers[:1]:
        answer_save(
            answer=answer,
            verdict="changes",
            comment="Ett.",
            measure_answers={sent.m11: ("changes", "Ändra.")},
            user=None,
        )
        answer_submit(answer=answer, user=None)
    one = queries()
    for answer in sent.answers[1:]:
        answer_save(
            answer=answer,
            verdict="disagree",
            comment="Två.",
            measure_answers={sent.m11: ("disagree", "Nej."), sent.m21: ("agree", "Ja.")},
            user=None,
        )
        answer_submit(answer=answer, user=None)
    assert queries() == one


def test_a_draft_is_kept_and_measures_without_an_answer_count_as_no_comment(client, sent):
    answer = sent.answers[0]
    client.force_login(sent.approvers[0])
    page = client.get(_answer_url(answer)).content.decode()
    assert f'name="m{sent.m11.pk}-verdict"' in page
    assert page.count("<details") >= sent.draft.goals.count()
    data = {f"m{sent.m11.pk}-verdict": "changes", f"m{sent.m11.pk}-comment": "Ändra."}
    assert _post_answer(client, answer, data).status_code == 302
    assert list(answer.measure_answers.values_list("measure_code", "verdict", "comment")) == [
        ("1.1", "changes", "Ändra.")
    ]
    # Sending in needs an overall answer; the draft is saved meanwhile.
    refused = _post_answer(client, answer, data, action="submit")
    assert refused.status_code == 400
    assert 'id="error-summary"' in refused.content.decode()
    answer.refresh_from_db()
    assert answer.submitted_at is None
    # Clearing the measure's answer removes it; sending in with no measures is allowed.
    data = {"overall-verdict": "agree", f"m{sent.m11.pk}-verdict": ""}
    assert _post_answer(client, answer, data, action="submit", confirmed=True).status_code == 302
    answer.refresh_from_db()
    assert answer.submitted_at is not None
    assert answer.measure_answers.count() == 0
    # Sent in: the page is text, and a later post changes nothing.
    page = client.get(_answer_url(answer)).content.decode()
    assert 'name="overall-verdict"' not in page
    assert _post_answer(client, answer, {"overall-verdict": "disagree"}).status_code == 302
    answer.refresh_from_db()
    assert answer.verdict == "agree"
    with pytest.raises(PlanError):
        answer_save(answer=answer, verdict="disagree", comment="", measure_answers={}, user=None)


def test_a_comment_without_an_answer_is_a_form_error(client, sent):
    answer = sent.answers[0]
    client.force_login(sent.approvers[0])
    data = {f"m{sent.m21.pk}-comment": "Bara en kommentar."}
    page = _post_answer(client, answer, data)
    assert page.status_code == 400
    content = page.content.decode()
    assert f'href="#id_m{sent.m21.pk}-verdict_0"' in content
    assert answer.measure_answers.count() == 0
    with pytest.raises(PlanError):
        answer_save(
            answer=answer,
            verdict="",
            comment="",
            measure_answers={sent.m21: ("", "Bara en kommentar.")},
            user=None,
        )


def test_the_guard_refuses_a_personal_number_in_a_comment_as_a_form_error(client, sent):
    answer = sent.answers[0]
    client.force_login(sent.approvers[0])
    for data in (
        {"overall-verdict": "agree", "overall-comment": f"Gäller {PERSONAL_NUMBER}"},
        {
            "overall-verdict": "agree",
            f"m{sent.m11.pk}-verdict": "changes",
            f"m{sent.m11.pk}-comment": f"Se {PERSONAL_NUMBER}",
        },
    ):
        page = _post_answer(client, answer, data)
        assert page.status_code == 400
        content = page.content.decode()
        assert 'id="error-summary"' in content
        assert 'class="errorlist"' in content
    answer.refresh_from_db()
    assert (answer.verdict, answer.comment, answer.measure_answers.count()) == ("", "", 0)
    # The service refuses it too, whoever calls it.
    with pytest.raises(PlanError):
        answer_save(
            answer=answer,
            verdict="agree",
            comment=f"Gäller {PERSONAL_NUMBER}",
            measure_answers={},
            user=None,
        )


def test_a_reporter_reads_the_answer_and_the_coordinator_sees_no_draft(client, sent):
    answer = sent.answers[0]
    answer_save(
        answer=answer,
        verdict="changes",
        comment="Utkastets text.",
        measure_answers={sent.m11: ("changes", "Utkast om 1.1.")},
        user=sent.approvers[0],
    )
    client.force_login(sent.reporter)
    page = client.get(_answer_url(answer))
    assert page.status_code == 200
    assert "Utkastets text." in page.content.decode()
    assert 'name="overall-verdict"' not in page.content.decode()
    # A reporter may not answer for the body.
    assert _post_answer(client, answer, {"overall-verdict": "agree"}).status_code == 302
    answer.refresh_from_db()
    assert answer.verdict == "changes"
    client.force_login(sent.coordinator)
    page = client.get(_answer_url(answer)).content.decode()
    assert "Utkastets text." not in page
    assert "Utkast om 1.1." not in client.get(_overview_url(sent.consultation)).content.decode()
    answer_submit(answer=answer, user=sent.approvers[0])
    assert "Utkastets text." in client.get(_answer_url(answer)).content.decode()


def test_an_answer_outlives_its_measure_leaving_the_draft(sent):
    answer = sent.answers[0]
    answer_save(
        answer=answer,
        verdict="changes",
        comment="",
        measure_answers={sent.m21: ("disagree", "Stryk 2.1.")},
        user=None,
    )
    answer_submit(answer=answer, user=None)
    sent.m21.delete()
    goals = answers_by_measure(sent.consultation)
    goal, rows = goals[-1]
    assert goal is None
    assert [(row.code, row.measure, [i.comment for i in row.answers]) for row in rows] == [
        ("2.1", None, ["Stryk 2.1."])
    ]
    assert "2.1" not in [row.code for _goal, goal_rows in goals[:-1] for row in goal_rows]
    text = " ".join(pdf_text(summary_pdf(sent.consultation)))
    assert "Stryk 2.1." in text


def test_odd_requests_are_refused(people, sent):
    with pytest.raises(PlanError):
        answer_save(
            answer=sent.answers[0],
            verdict="",
            comment="",
            measure_answers={people.plan.measures.get(code="1.1"): ("agree", "")},
            user=None,
        )
    empty = plan_new_version(plan=people.draft)
    empty.signatures.all().delete()
    with pytest.raises(PlanError):
        consultation_send(plan=empty, deadline=timezone.localdate() + timedelta(days=3), user=None)


# --- Handling -----------------------------------------------------------------------------------


def test_handling_needs_a_reason_when_partly_or_not_accepted(client, sent):
    _three_bodies_answer(client, sent)
    client.force_login(sent.coordinator)
    url = _overview_url(sent.consultation)
    item = sent.answers[1].measure_answers.get(measure_code="1.1")
    key = f"m{item.pk}"
    refused = client.post(
        url, {"action": "handle", "item": key, f"h-{key}-handling": "partly", f"h-{key}-reason": ""}
    )
    assert refused.status_code == 400
    content = refused.content.decode()
    assert f'href="#id_h-{key}-reason"' in content
    item.refresh_from_db()
    assert item.handling == ""
    done = client.post(
        url,
        {
            "action": "handle",
            "item": key,
            f"h-{key}-handling": "partly",
            f"h-{key}-reason": "Medel söks i nästa budget.",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == f"{url}#item-{key}"
    item.refresh_from_db()
    assert (item.handling, item.handling_reason) == ("partly", "Medel söks i nästa budget.")
    assert item.handled_at is not None
    # The overall answer too; accepted needs no reason.
    overall = sent.answers[2]
    key = f"a{overall.pk}"
    client.post(url, {"action": "handle", "item": key, f"h-{key}-handling": "accepted"})
    overall.refresh_from_db()
    assert (overall.handling, overall.handling_reason) == ("accepted", "")
    # The service says the same, and refuses an answer not sent in.
    with pytest.raises(PlanError):
        handle(item=overall, handling="not", reason="  ")
    with pytest.raises(PlanError):
        handle(item=overall, handling="maybe", reason="")
    with pytest.raises(PlanError):
        handle(item=overall, handling="not", reason=f"Se {PERSONAL_NUMBER}")
    waiting = sent.consultation.answers.get(organisation__slug="polismyndigheten-vasternorrland")
    with pytest.raises(PlanError):
        handle(item=waiting, handling="accepted", reason="")
    # An item of another consultation is not found here.
    assert client.post(url, {"action": "handle", "item": "m999999"}).status_code == 404


# --- Reminders, closing -------------------------------------------------------------------------


def test_reminders_go_once_a_day_per_body_by_e_mail(client, sent):
    today = timezone.localdate()
    first, second, third = sent.answers
    answer_save(answer=third, verdict="agree", comment="", measure_answers={}, user=None)
    answer_submit(answer=third, user=None)
    mail.outbox.clear()  # the coordinators' notice of that answer
    logs = consultation_remind(
        consultation=sent.consultation, answers=[first], by=sent.coordinator, today=today
    )
    assert [(log.organisation.slug, log.recipients, log.sent_by) for log in logs] == [
        ("sundsvalls-kommun", 1, sent.coordinator)
    ]
    assert [m.to for m in mail.outbox] == [["approver_0@example.invalid"]]
    assert (
        consultation_remind(
            consultation=sent.consultation, answers=[first], by=sent.coordinator, today=today
        )
        == []
    )
    # "Remind all who have not answered" from the page: confirmed first; not the one that has
    # answered, not the one reminded today.
    client.force_login(sent.coordinator)
    url = _overview_url(sent.consultation)
    page = client.post(url, {"action": "remind_all"})
    assert page.status_code == 200
    assert ConsultationReminder.objects.count() == 1
    assert client.post(url, {"action": "remind_all", "confirmed": "1"}).status_code == 302
    reminded = set(
        ConsultationReminder.objects.filter(sent_on=today).values_list(
            "organisation__slug", flat=True
        )
    )
    waiting = set(
        bodies_not_answered(sent.consultation).values_list("organisation__slug", flat=True)
    )
    # Bodies with nobody to hear it (no approver) are not logged as reminded.
    unheard = {
        o.slug
        for o in without_approvers(a.organisation for a in bodies_not_answered(sent.consultation))
    }
    assert unheard
    assert reminded == waiting - unheard
    assert "region-vasternorrland" not in reminded
    assert [m.to for m in mail.outbox] == [
        ["approver_0@example.invalid"],
        ["approver_1@example.invalid"],
    ]
    # One body from its row; today already: nothing more.
    assert client.post(url, {"action": "remind", "answer": second.pk}).status_code == 302
    assert len(mail.outbox) == 2
    # The daily reminder: near the deadline, the next day, once.
    tomorrow = today + timedelta(days=1)
    assert consultation_reminders_send(today=tomorrow) == []  # two weeks left: not yet
    near = sent.consultation.deadline - timedelta(days=3)
    daily = consultation_reminders_send(today=near, base_url="https://nollvision.example")
    # Each body that has someone to hear it; the others named, never logged as reminded.
    assert {log.organisation.slug for log in daily} | {o.slug for o in daily.unreachable} == (
        waiting
    )
    assert {log.organisation.slug for log in daily} == waiting - unheard
    assert all(log.recipients > 0 for log in ConsultationReminder.objects.all())
    assert all(log.sent_by is None for log in daily)
    assert consultation_reminders_send(today=near) == []
    assert f"https://nollvision.example{_answer_url(first)}" in mail.outbox[-1].body
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "consultation reminder(s) sent" in out.getvalue()


def test_a_closed_consultation_refuses_answers(client, sent):
    answer = sent.answers[0]
    client.force_login(sent.approvers[0])
    assert consultations_to_answer(sent.approvers[0]) == [answer]
    home = client.get(reverse("backoffice:home")).content.decode()
    assert _answer_url(answer) in home

    client.force_login(sent.coordinator)
    url = _overview_url(sent.consultation)
    assert client.post(url, {"action": "close"}).status_code == 200  # the confirmation
    sent.consultation.refresh_from_db()
    assert sent.consultation.is_open
    assert client.post(url, {"action": "close", "confirmed": "1"}).status_code == 302
    sent.consultation.refresh_from_db()
    assert not sent.consultation.is_open

    client.force_login(sent.approvers[0])
    response = _post_answer(client, answer, {"overall-verdict": "agree"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.verdict == ""
    page = client.get(_answer_url(answer)).content.decode()
    assert 'name="overall-verdict"' not in page
    assert consultations_to_answer(sent.approvers[0]) == []
    with pytest.raises(PlanError):
        answer_save(answer=answer, verdict="agree", comment="", measure_answers={}, user=None)
    with pytest.raises(PlanError):
        answer_submit(answer=answer, user=None)
    with pytest.raises(PlanError):
        consultation_close(consultation=sent.consultation)
    with pytest.raises(PlanError):
        consultation_remind(
            consultation=sent.consultation,
            answers=[answer],
            by=None,
            today=timezone.localdate(),
        )
    assert consultation_reminders_send(today=sent.consultation.deadline) == []


# --- The summary ---------------------------------------------------------------------------------


def _handled(client, sent):
    _three_bodies_answer(client, sent)
    handle(
        item=sent.answers[1].measure_answers.get(measure_code="1.1"),
        handling="partly",
        reason="Medel söks i nästa budget.",
    )
    handle(
        item=sent.answers[2].measure_answers.get(measure_code="2.1"),
        handling="not",
        reason="Åtgärden behövs enligt lag.",
    )
    handle(item=sent.answers[2], handling="not", reason="Omarbetning ryms inte i tidplanen.")
    handle(item=sent.answers[0], handling="accepted", reason="")


EXPECTED = (
    "Sundsvalls kommun",
    "Kramfors kommun",
    "Region Västernorrland",
    "Polismyndigheten",  # asked, did not answer
    "Tidplanen är för snäv.",
    "Åtgärd 1.1 saknar medel.",
    "Stryk 2.1.",
    "Medel söks i nästa budget.",
    "Åtgärden behövs enligt lag.",
    "Omarbetning ryms inte i tidplanen.",
)


def test_the_summary_pdf_is_tagged_and_reads_back_every_answer_and_handling(client, sent):
    _handled(client, sent)
    client.force_login(sent.coordinator)
    response = client.get(
        reverse("backoffice:consultation-summary", args=[sent.consultation.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = response.content
    text = " ".join(" ".join(page.split()) for page in pdf_text(pdf))
    assert [word for word in EXPECTED if word not in text] == []
    assert (
        accessibility_problems(
            pdf,
            lang="sv",
            title_has=[str(sent.draft.title), sent.draft.region.name],
            alts=[],
            tables=True,
        )
        == []
    )
    assert summary_pdf(sent.consultation)[:5] == b"%PDF-"


def test_the_summary_word_file_reads_back_every_answer_and_handling(client, sent):
    _handled(client, sent)
    client.force_login(sent.coordinator)
    response = client.get(
        reverse("backoffice:consultation-summary", args=[sent.consultation.pk, "docx"])
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = " ".join(texts)
    assert [word for word in EXPECTED if word not in text] == []
    assert sent.draft.region.name in document.core_properties.title
    assert document.core_properties.language == "sv"
    # Per measure: each body's answer with the handling and its reason in one row.
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    row = next(row for row in rows if "Åtgärd 1.1 saknar medel." in row)
    assert (row[0], row[2]) == ("Kramfors kommun", "Åtgärd 1.1 saknar medel.")
    assert row[3].endswith(": Medel söks i nästa budget.")
    assert summary_docx(sent.consultation)[:2] == b"PK"
    assert (
        client.get(
            reverse("backoffice:consultation-summary", args=[sent.consultation.pk, "odt"])
        ).status_code
        == 404
    )


# --- Who may -------------------------------------------------------------------------------------


def test_people_of_another_county_are_refused(client, sent, django_user_model):
    plan_import(document=parse_plan_file(plan_yaml(second_county_plan_data()), "jamtland.yaml"))
    approver_o = _person(django_user_model, "approver_o", "ostersunds-kommun", Role.APPROVER)
    coordinator_o = _person(
        django_user_model, "coordinator_o", "lansstyrelsen-jamtland", Role.COORDINATOR
    )
    answer = sent.answers[0]
    urls = [
        _answer_url(answer),
        _overview_url(sent.consultation),
        reverse("backoffice:consultation-summary", args=[sent.consultation.pk, "pdf"]),
        reverse("backoffice:consultations", args=[sent.draft.slug]),
    ]
    for user in (approver_o, coordinator_o, sent.approvers[1]):
        client.force_login(user)
        for url in urls:
            if user == sent.approvers[1] and url == urls[0]:
                continue
            assert client.get(url).status_code in (403, 404), (user.username, url)
            assert client.post(url, {"overall-verdict": "agree"}).status_code in (403, 404)
    # An approver of another body of the same county does not see Sundsvall's answer.
    client.force_login(sent.approvers[1])
    assert client.get(_answer_url(answer)).status_code == 403
    answer.refresh_from_db()
    assert answer.verdict == ""
    client.logout()
    assert client.get(_answer_url(answer)).status_code == 302


def test_the_home_page_links_the_coordinator_to_the_consultation(client, sent):
    client.force_login(sent.coordinator)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:consultations", args=[sent.draft.slug]) in page
    assert not ConsultationAnswer.objects.filter(submitted_at__isnull=False).exists()
