"""Help first, also on a phone, and the public record in the site's frame (issue 25, items 7
and 8), in Chromium: on a 390 by 844 phone every municipality's support page of both demo
counties shows a number to call other than 112 on the first screen; the home page is a front
door no taller than 4 000 px, one tap from help, the plan, its figures and easy-to-read; a
published report's HTML is shown in the site's frame (quick exit, menus, language), fits the
phone and passes axe on the phone and on a desktop."""

import io

import pytest
from django.core.management import call_command

from nollvision.accounts import geography

from .conftest import axe_run
from .helpers import plan_yaml, second_county_plan_data
from .test_e2e import screenshot
from .test_public_face import SLUG, accept

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HOME_MAX = 4000

# The bottom edge (in the page) of the first link that calls a number other than 112.
FIRST_NUMBER = """() => {
  const call = [...document.querySelectorAll('main a[href^="tel:"]')]
    .find((a) => a.getAttribute("href") !== "tel:112" && a.offsetParent !== null);
  return call ? call.getBoundingClientRect().bottom + window.scrollY : null;
}"""


def _first_number_bottoms(page, site, county_code: str) -> dict[str, float | None]:
    found = {}
    for municipality in geography.county(county_code).municipalities:
        page.goto(f"{site}/stod/{municipality.code}/")
        found[municipality.name] = page.evaluate(FIRST_NUMBER)
    return found


def _too_low(found: dict) -> dict:
    return {name: y for name, y in found.items() if y is None or y > PHONE["height"]}


def _page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_on_a_phone_help_is_on_the_first_screen_and_the_record_is_in_the_frame(
    browser, live_server, world
):
    site = live_server.url
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    from nollvision.reports.services import report_publish

    publication = report_publish(campaign=world.campaign, user=world.coordinator)
    year, number = world.campaign.year, publication.number

    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    page = phone.new_page()

    # The home page: a front door, help first, each way in one tap away.
    page.goto(site + "/")
    screenshot(page, "phone-home")
    assert _page_height(page) <= HOME_MAX, _page_height(page)
    assert page.locator(".support-first").get_by_role("link", name="Ring 112").is_visible()
    # A number besides 112 on the first screen, before any municipality is chosen.
    assert page.evaluate(FIRST_NUMBER) <= PHONE["height"], page.evaluate(FIRST_NUMBER)
    exit_box = page.get_by_role("link", name="Lämna sidan snabbt").bounding_box()
    assert exit_box["y"] + exit_box["height"] <= PHONE["height"]
    doors = page.locator("main a")
    hrefs = set(doors.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))"))
    for wanted in ("/stod/", f"/planer/{SLUG}/v1/", "/siffror/", "/lattlast/", "/indikatorer/"):
        assert wanted in hrefs, (wanted, hrefs)
    assert not axe_run(page).violations_count, axe_run(page).generate_report()

    page.goto(site + "/stod/")
    assert page.evaluate(FIRST_NUMBER) <= PHONE["height"], page.evaluate(FIRST_NUMBER)
    # Every municipality of the default county: a number besides 112 on the first screen.
    assert _too_low(_first_number_bottoms(page, site, "22")) == {}
    page.goto(site + "/stod/2282/")  # Kramfors, a municipality without a number of its own
    screenshot(page, "phone-support-kramfors")
    assert not axe_run(page).violations_count, axe_run(page).generate_report()

    # The published report's HTML in the site's frame, on the phone.
    for fmt in ("html", "bilaga.html"):
        url = f"{site}/planer/{SLUG}/rapporter/{year}/{number}.{fmt}"
        page.goto(url)
        screenshot(page, f"phone-report-{fmt}")
        assert page.get_by_role("link", name="Lämna sidan snabbt").is_visible()
        assert page.get_by_role("navigation", name="Huvudmeny").count() == 1
        assert page.get_by_role("navigation", name="Språk").get_by_role("link").count() == 1
        assert page.get_by_role("link", name="Årsrapporter").count() >= 1
        assert page.locator("main h1").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (fmt, width)
        cover = page.locator(".report-frame .cover")
        if fmt == "html":  # the cover is a heading, not a screen
            assert cover.bounding_box()["height"] < PHONE["height"] / 2
        results = axe_run(page)
        assert not results.violations_count, (fmt, results.generate_report())
        # The print version is the frozen file, one tap away.
        printed = page.locator(f'.report-frame__bar a[href$="/{number}.{fmt}?utskrift"]')
        assert printed.count() == 1
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    for fmt in ("html", "bilaga.html"):
        page.goto(f"{site}/planer/{SLUG}/rapporter/{year}/{number}.{fmt}")
        assert page.get_by_role("link", name="Lämna sidan snabbt").is_visible()
        results = axe_run(page)
        assert not results.violations_count, (fmt, results.generate_report())
    page.goto(f"{site}/en/planer/{SLUG}/rapporter/{year}/{number}.html")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator(".report-frame").get_attribute("lang") == "sv"
    results = axe_run(page, contrast=False)
    assert not results.violations_count, results.generate_report()
    desktop.close()

    # The second demo county beside the first: its municipalities too, and the home page that
    # now lets the visitor choose a county stays a front door.
    from nollvision.plans.plan_file import parse_plan_file
    from nollvision.plans.services import plan_import

    plan_import(document=parse_plan_file(plan_yaml(second_county_plan_data()), "jamtland.yaml"))
    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    page = phone.new_page()
    assert _too_low(_first_number_bottoms(page, site, "23")) == {}
    page.goto(site + "/")
    assert _page_height(page) <= HOME_MAX, _page_height(page)
    assert page.get_by_role("link", name="Ring 112").first.is_visible()
    phone.close()
