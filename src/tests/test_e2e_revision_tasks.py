"""Real Chromium and axe-core on the new states of the plan's revision (issue #25, item 6): the
answer form of a consultation showing what changed in each measure, the plan's task list with
answers to handle and after adoption, and the work page with answers waiting; in Swedish on a
phone and in English on a desktop, with every folded part opened and nothing scrolling
sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nollvision.plans import editor
from nollvision.plans.consultation import (
    answer_save,
    answer_submit,
    consultation_close,
    consultation_send,
    handle,
)
from nollvision.plans.editor import Text

from .conftest import axe_run
from .test_e2e import screenshot
from .test_e2e_followup import log_in
from .test_revision_tasks import reworded_and_split

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = (("", (390, 844)), ("/en", (1280, 900)))


def _both(page, base, path, what) -> None:
    for language, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        reply = page.goto(base + language + path)
        assert reply.status == 200, (path, reply.status)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        results = axe_run(page, contrast=width == 390)
        assert results.violations_count == 0, (what, page.url, results.generate_report())
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (what, page.url)
        screenshot(page, f"revision-{what}-{width}")


def test_the_revision_pages_pass_axe_in_both_languages(page, live_server, world):
    for user in (world.coordinator, world.approver_a):
        user.set_password("a-long-test-password")
        user.save()
    base, coordinator = live_server.url, world.coordinator
    draft, key = reworded_and_split(world)
    editor.measure_retire(plan=draft, user=coordinator, key=key["3.1"], reason=Text("Klar."))
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=coordinator
    )
    answer = consultation.answers.get(organisation=world.response_a.organisation)

    # The approver's answer form, each changed measure with its before and after.
    log_in(page, base, "approver_a")
    _both(page, base, f"/arbete/remiss/svar/{answer.pk}/", "answer-with-changes")
    assert page.locator("table.diff tbody tr").count() == 4  # reworded, two parts, retired

    answer_save(
        answer=answer,
        verdict="changes",
        comment="Förtydliga.",
        measure_answers={draft.measures.get(code="1.2a"): ("changes", "Vem ansvarar?")},
        user=world.approver_a,
    )
    answer_submit(answer=answer, user=world.approver_a)
    _both(page, base, f"/arbete/remiss/svar/{answer.pk}/", "answer-read-with-changes")

    # The coordinator: answers wait on the work page and in the task list.
    log_in(page, base, "coordinator")
    _both(page, base, "/arbete/", "home-answers-to-handle")
    editor_path = f"/arbete/planer/{draft.slug}/plan/"
    _both(page, base, editor_path, "tasks-handling")

    # Handled, closed and adopted: the signing is next.
    for item in (answer, *answer.measure_answers.all()):
        handle(item=item, handling="accepted")
    consultation_close(consultation=consultation)
    editor.plan_adopt(plan=draft, user=coordinator, adopted_on=timezone.localdate())
    _both(page, base, editor_path, "tasks-signing")
    assert page.locator(".revision__stage[aria-current=step]").count() == 1
