"""Real Chromium: the plan pages work with the keyboard alone, without JavaScript, and pass axe."""

import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def public_site(plan_site):
    """The plan, a published follow-up (demo data) and the support services."""
    from nollvision.devtools.demo.followup import load_demo
    from nollvision.plans.models import Plan

    load_demo(
        plan=Plan.objects.get(slug="vasternorrland-2022-2026"), years=(2024, 2025), publish=True
    )
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    from .test_public_face import add_meetings

    add_meetings(Plan.objects.get(slug="vasternorrland-2022-2026"))
    return plan_site


def test_every_public_page_in_both_languages_has_no_axe_violations(page, public_site):
    from .test_public_face import public_routes

    paths = ["/konto/logga-in/", *public_routes()]
    paths += ["/en" + path for path in paths]
    axe = Axe()
    failures = {}
    for path in paths:
        response = page.goto(public_site + path)
        assert response.status == 200, path
        expected = "en" if path.startswith("/en/") else "sv"
        assert page.get_attribute("html", "lang") == expected, path
        results = axe.run(page)
        if results.violations_count:
            failures[path] = results.generate_report()
        screenshot(page, path.strip("/").replace("/", "_") or "home")
    assert not failures, "\n".join(f"{path}: {report}" for path, report in failures.items())


def test_help_in_ange_in_two_steps_on_a_phone(browser, public_site):
    """From the front page on a phone-sized screen: "Get support", then "Ånge"."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
    page = context.new_page()
    page.goto(public_site + "/")
    page.get_by_role("link", name="Få stöd").click()
    page.get_by_role("link", name="Ånge", exact=True).click()
    assert page.locator("h1").inner_text() == "Stöd i Ånge"
    danger = page.locator("#need-danger").locator("..")
    assert danger.get_by_role("link", name="112").first.is_visible()
    assert page.get_by_text("Socialtjänsten, Ånge kommun").first.is_visible()
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The quick exit is on screen without scrolling.
    box = page.get_by_role("link", name="Lämna sidan snabbt").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 667
    screenshot(page, "phone-support-ange")
    context.close()


def test_support_finder_with_keyboard_and_without_javascript(browser, public_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(public_site + "/stod/")
    page.get_by_role("link", name="Härnösand").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/stod/2280/")
    assert page.locator("h1").inner_text() == "Stöd i Härnösand"
    context.close()


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
