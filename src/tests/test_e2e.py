"""Real Chromium: the plan pages work with the keyboard alone and without JavaScript. Every public
page passes axe in test_e2e_public.py, in the same walk that checks it on a phone."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def support_site(plan_site):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    return plan_site


def test_support_finder_with_keyboard_and_without_javascript(browser, support_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(support_site + "/stod/")
    page.get_by_role("link", name="Härnösand").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/stod/2280/")
    assert page.locator("h1").inner_text() == "Stöd i Härnösand"
    context.close()


def test_filter_with_keyboard_and_without_javascript(browser, plan_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(plan_site + "/planer/vasternorrland-2022-2026/")  # the plan's page has the filters
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.locator("#id_goal").focus()
    page.keyboard.press("End")  # the last goal
    page.locator("button", has_text="Visa åtgärder").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**goal=4**")
    assert page.locator("li.measure").count() == 9
    assert page.locator("[role=status]").inner_text() == "Visar 9 åtgärder av 40."
    context.close()
