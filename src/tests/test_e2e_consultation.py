"""Real Chromium and axe-core: every page of the consultation in every state, in Swedish (on a
phone's screen) and in English (on a desktop's), with no violations and nothing that makes the
page scroll sideways: the send form and its confirmation, the overview without and with answers,
with a handling form in error and once closed, the answer form editable, in error, its
confirmation, sent in and read by a reporter, the home pages. And an answer given with the
keyboard alone, without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nollvision.accounts.models import Role
from nollvision.plans.consultation import answer_save, answer_submit, consultation_send
from nollvision.plans.models import ConsultationAnswer
from nollvision.plans.services import plan_new_version

from .conftest import axe_run, submit_and_wait
from .test_consultation import BODIES, PERSONAL_NUMBER, _person
from .test_e2e import screenshot
from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = (390, 844), (1280, 900)
LANGUAGES = (("", PHONE), ("/en", DESKTOP))


def _check(page, what: str, width: int) -> None:
    """axe on the page with every folded part opened, and no sideways scrolling."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    # Contrast on the Swedish pass (the phone), every other rule on both (conftest.axe_run).
    results = axe_run(page, contrast=width == PHONE[0])
    assert results.violations_count == 0, (what, page.url, results.generate_report())
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (what, page.url)
    screenshot(page, f"consultation-{what}-{width}")


def _size(page, size) -> int:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    return size[0]


@pytest.fixture
def setup(default_plan, django_user_model):
    draft = plan_new_version(plan=default_plan)
    coordinator = _person(
        django_user_model, "coordinator", "lansstyrelsen-vasternorrland", Role.COORDINATOR
    )
    approvers = [
        _person(django_user_model, f"approver_{n}", slug, Role.APPROVER)
        for n, slug in enumerate(BODIES)
    ]
    _person(django_user_model, "reporter_0", BODIES[0], Role.REPORTER)
    return draft, coordinator, approvers


def test_every_consultation_page_in_every_state_passes_axe_in_both_languages(
    page, live_server, setup
):
    draft, _coordinator, _approvers = setup
    base = live_server.url
    checked = 0

    # The coordinator: the send form, its error and its confirmation.
    log_in(page, base, "coordinator")
    send = f"/arbete/planer/{draft.slug}/remiss/"
    for language, size in LANGUAGES:
        width = _size(page, size)
        page.goto(base + language + send)
        _check(page, "send-form", width)
        page.locator("input[name=deadline]").fill(timezone.localdate().isoformat())
        submit_and_wait(page, page.locator("main form button[type=submit]"))
        assert page.locator(".errorlist").count() == 1
        _check(page, "send-form-error", width)
        deadline = timezone.localdate() + timedelta(days=14)
        page.locator("input[name=deadline]").fill(deadline.isoformat())
        page.locator("textarea[name=message]").fill("Svara gärna per åtgärd.")
        submit_and_wait(page, page.locator("main form button[type=submit]"))
        assert page.locator("input[name=confirmed]").count() == 1
        _check(page, "send-confirm", width)
        checked += 3
    submit_and_wait(page, page.locator("main form button[type=submit]"))  # sent, in English
    consultation = draft.consultations.get()
    page.wait_for_url(f"{base}/en/arbete/remiss/{consultation.pk}/")
    answers = {a.organisation.slug: a for a in consultation.answers.select_related("organisation")}
    overview = f"/arbete/remiss/{consultation.pk}/"
    for language, size in LANGUAGES:
        width = _size(page, size)
        for path, what in ((overview, "overview-empty"), (send, "list"), ("/arbete/", "home")):
            page.goto(base + language + path)
            _check(page, what, width)
            checked += 1

    # An approver: the form, an error, a draft, the confirmation, sent in.
    first = answers[BODIES[0]]
    log_in(page, base, "approver_0")
    answer_page = f"/arbete/remiss/svar/{first.pk}/"
    measure = draft.measures.get(code="1.1")
    for language, size in LANGUAGES:
        width = _size(page, size)
        ConsultationAnswer.objects.filter(pk=first.pk).update(verdict="")
        page.goto(base + language + "/arbete/")
        _check(page, "home-approver", width)
        page.goto(base + language + answer_page)
        _check(page, "answer-form", width)
        page.locator("textarea[name=overall-comment]").fill(f"Gäller {PERSONAL_NUMBER}")
        submit_and_wait(page, page.locator("button[name=action][value=save]"))
        assert page.locator("#error-summary").count() == 1
        _check(page, "answer-error", width)
        page.locator("textarea[name=overall-comment]").fill("Ett bra utkast.")
        page.locator(f"#id_m{measure.pk}-verdict_2").check()
        page.locator(f"textarea[name=m{measure.pk}-comment]").fill("Förtydliga 1.1.")
        submit_and_wait(page, page.locator("button[name=action][value=save]"))
        _check(page, "answer-draft", width)
        submit_and_wait(page, page.locator("button[name=action][value=submit]"))
        assert page.locator("#error-summary").count() == 1  # no overall answer yet
        _check(page, "answer-needs-overall", width)
        page.locator("#id_overall-verdict_1").check()
        submit_and_wait(page, page.locator("button[name=action][value=submit]"))
        assert page.locator("input[name=confirmed]").count() == 1
        _check(page, "answer-confirm", width)
        checked += 6
    submit_and_wait(page, page.locator("main form button[type=submit]"))  # sent in, in English
    first.refresh_from_db()
    assert first.submitted_at is not None
    assert first.measure_answers.get().comment == "Förtydliga 1.1."
    # The two other bodies answer through the service.
    for slug, verdict in ((BODIES[1], "disagree"), (BODIES[2], "agree")):
        answer_save(
            answer=answers[slug],
            verdict=verdict,
            comment="Synpunkt.",
            measure_answers={measure: (verdict, "Om 1.1.")},
            user=None,
        )
        answer_submit(answer=answers[slug], user=None)
    for language, size in LANGUAGES:
        width = _size(page, size)
        page.goto(base + language + answer_page)
        _check(page, "answer-sent", width)
        checked += 1
    log_in(page, base, "reporter_0")
    for language, size in LANGUAGES:
        width = _size(page, size)
        page.goto(base + language + answer_page)
        _check(page, "answer-reporter", width)
        checked += 1

    # The coordinator: answers in, a handling form in error, the overview closed.
    log_in(page, base, "coordinator")
    item = first.measure_answers.get()
    for language, size in LANGUAGES:
        width = _size(page, size)
        page.goto(base + language + overview)
        _check(page, "overview-answers", width)
        page.locator(f"select[name=h-m{item.pk}-handling]").select_option("not")
        page.locator(f"textarea[name=h-m{item.pk}-reason]").fill("")
        submit_and_wait(page, page.locator(f"#item-m{item.pk} button[type=submit]"))
        assert page.locator("#error-summary").count() == 1
        _check(page, "handling-error", width)
        page.locator(f"textarea[name=h-m{item.pk}-reason]").fill("Ryms inte i planen.")
        submit_and_wait(page, page.locator(f"#item-m{item.pk} form button[type=submit]"))
        _check(page, "handled", width)
        submit_and_wait(page, page.locator("form:has(input[name=action][value=close]) button"))
        assert page.locator("input[name=confirmed]").count() == 1
        _check(page, "close-confirm", width)
        checked += 4
    item.refresh_from_db()
    assert (item.handling, item.handling_reason) == ("not", "Ryms inte i planen.")
    submit_and_wait(page, page.locator("main form button[type=submit]"))
    consultation.refresh_from_db()
    assert not consultation.is_open
    for language, size in LANGUAGES:
        width = _size(page, size)
        page.goto(base + language + overview)
        _check(page, "overview-closed", width)
        checked += 1
    log_in(page, base, "approver_1")
    for language, size in LANGUAGES:
        width = _size(page, size)
        page.goto(base + language + f"/arbete/remiss/svar/{answers[BODIES[1]].pk}/")
        _check(page, "answer-closed", width)
        checked += 1
    assert checked == 2 * 20


def test_an_answer_with_the_keyboard_alone_and_without_javascript(browser, live_server, setup):
    draft, coordinator, _approvers = setup
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=7), user=coordinator
    )
    answer = consultation.answers.get(organisation__slug=BODIES[0])
    measure = draft.measures.get(code="2.1")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "approver_0")
    page.goto(f"{base}/arbete/remiss/svar/{answer.pk}/")
    page.locator("#id_overall-verdict_0").focus()
    page.keyboard.press("Space")
    goal = page.locator(f"details#goal-{measure.goal.number} > summary")
    goal.focus()
    page.keyboard.press("Enter")
    page.locator(f"#id_m{measure.pk}-verdict_0").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # agree with changes
    page.keyboard.press("Tab")
    page.keyboard.type("Tydligare ansvar.")
    page.locator(f"button[name=return_to][value=goal-{measure.goal.number}]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/arbete/remiss/svar/{answer.pk}/#goal-{measure.goal.number}")
    row = answer.measure_answers.get()
    assert (row.measure_code, row.verdict, row.comment) == ("2.1", "changes", "Tydligare ansvar.")
    answer.refresh_from_db()
    assert answer.verdict == "agree"
    page.locator("button[name=action][value=submit]").focus()
    page.keyboard.press("Enter")
    page.locator("input[name=confirmed] ~ button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("input[name=overall-verdict]")).to_have_count(0)
    answer.refresh_from_db()
    assert answer.submitted_at is not None
    context.close()
