"""Real Chromium: the plan pages work with the keyboard alone, without JavaScript, and pass axe."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from .conftest import axe_run

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_every_public_page_in_both_languages_has_no_axe_violations(page, public_site):
    from .test_e2e_public import STATES
    from .test_public_face import public_routes

    paths = ["/konto/logga-in/", *public_routes(), *STATES]
    paths += ["/en" + path for path in paths]
    failures = {}
    for path in paths:
        response = page.goto(public_site + path)
        assert response.status == 200, path
        expected = "en" if path.startswith("/en/") else "sv"
        assert page.get_attribute("html", "lang") == expected, path
        results = axe_run(page, contrast=not path.startswith("/en/"))
        if results.violations_count:
            failures[path] = results.generate_report()
        screenshot(page, path.strip("/").replace("/", "_") or "home")
    assert not failures, "\n".join(f"{path}: {report}" for path, report in failures.items())


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
