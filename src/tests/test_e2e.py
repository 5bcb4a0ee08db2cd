"""Real Chromium: the plan pages work with the keyboard alone, without JavaScript, and pass axe."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/planer/vasternorrland-2022-2026/v1/ansvar/",
        "/planer/vasternorrland-2022-2026/v1/samverkan/",
        "/planer/vasternorrland-2022-2026/v1/atgarder/2.7/",
        "/konto/logga-in/",
        "/siffror/",
        "/indikatorer/",
    ],
)
def test_pages_have_no_axe_violations(page, plan_site, path):
    page.goto(plan_site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, path.strip("/").replace("/", "_") or "home")


def test_filter_with_keyboard_and_without_javascript(browser, plan_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(plan_site + "/")
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
