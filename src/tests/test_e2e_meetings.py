"""Real Chromium: the secretary's pages pass axe, and a decision is recorded with the keyboard
alone and without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_e2e import screenshot
from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_meeting_pages_pass_axe(page, live_server, g):
    g.secretary.set_password("a-long-test-password")
    g.secretary.save()
    base = live_server.url
    log_in(page, base, "secretary")
    for path, name in (
        ("/arbete/grupper/", "groups"),
        (f"/arbete/grupper/{g.group.pk}/", "group"),
        (f"/arbete/moten/{g.meeting.pk}/", "meeting"),
        (f"/arbete/grupper/{g.group.pk}/moten/ny/", "meeting-form"),
        (f"/arbete/punkter/{g.item.pk}/", "item-form"),
        (f"/arbete/uppdrag/{g.action.pk}/", "action-form"),
        ("/arbete/uppdrag/?overdue=on", "actions"),
        (f"/arbete/planer/{g.measure.plan.slug}/atgarder/{g.measure.key}/", "measure-work"),
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        results = Axe().run(page)
        assert results.violations_count == 0, (path, results.generate_report())
        screenshot(page, name)


def test_a_decision_with_the_keyboard_and_without_javascript(browser, live_server, g):
    g.secretary.set_password("a-long-test-password")
    g.secretary.save()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "secretary")
    page.goto(f"{base}/arbete/moten/{g.meeting.pk}/")
    page.get_by_label("Anteckna ett beslut").focus()
    page.keyboard.type("Beslutat med tangentbordet.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("p.decision")).to_have_text("Beslut: Beslutat med tangentbordet.")
    expect(page.get_by_role("listitem").filter(has_text="Beslutet antecknades.")).to_have_count(1)
    context.close()
