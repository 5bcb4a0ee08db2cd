"""Real Chromium: a decision is recorded with the keyboard alone and without JavaScript (the
pages themselves are checked with axe in test_e2e_backoffice)."""

import pytest
from playwright.sync_api import expect

from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


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
