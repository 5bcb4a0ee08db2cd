"""Real Chromium: a whole round of the follow-up, and axe-core on the answer form and overview."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from nollvision.followup.enums import ResponseStatus
from nollvision.followup.models import MeasureAnswer, Response
from nollvision.followup.services import MeasureChange, response_save

from .test_e2e import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("a-long-test-password")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(base + "/arbete/")


def test_a_round_of_the_follow_up_in_the_browser(page, live_server, world):
    base = live_server.url
    response = world.response_a
    answers = list(response.measure_answers.order_by("measure__goal__number", "measure__position"))
    # Everything but the first measure was answered earlier.
    response_save(
        response=response,
        user=world.reporter_a,
        measures=[
            MeasureChange(a.pk, a.version, {"status": "ongoing", "done": "Arbete pågår."})
            for a in answers[1:]
        ],
    )
    first = answers[0]

    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/svar/{response.pk}/")
    page.select_option(f"#id_m{first.pk}-status", "implemented")
    page.fill(f"#id_m{first.pk}-done", "Normkritiska samtal på alla arbetsplatsträffar.")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_load_state()
    page.reload()
    assert page.input_value(f"#id_m{first.pk}-done") == (
        "Normkritiska samtal på alla arbetsplatsträffar."
    )
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, "answer-form")
    page.get_by_role("button", name="Skicka till godkännaren").click()
    page.wait_for_load_state()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.SUBMITTED

    log_in(page, base, "approver_a")
    page.goto(f"{base}/arbete/svar/{response.pk}/")
    page.get_by_role("button", name="Godkänn och skicka till länsstyrelsen").click()
    page.wait_for_load_state()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.APPROVED

    log_in(page, base, "coordinator")
    page.goto(f"{base}/arbete/uppfoljningar/{world.campaign.pk}/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, "overview")
    page.get_by_role("link", name="Sundsvalls kommun").click()
    page.fill(f"#comment-{first.pk}", "Vilka arbetsplatser gäller det?")
    page.get_by_role("button", name="Skicka tillbaka med kommentarer").click()
    page.wait_for_load_state()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.RETURNED

    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/svar/{response.pk}/")
    assert page.get_by_text("Vilka arbetsplatser gäller det?").is_visible()
    assert MeasureAnswer.objects.get(pk=first.pk).done == (
        "Normkritiska samtal på alla arbetsplatsträffar."
    )


def test_autosave_saves_while_typing(page, live_server, world):
    base = live_server.url
    first = world.response_a.measure_answers.order_by("pk").first()
    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/")
    page.fill(f"#id_m{first.pk}-done", "Sparas av sig själv.")
    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Sparat"), timeout=15000)
    assert MeasureAnswer.objects.get(pk=first.pk).done == "Sparas av sig själv."
    page.locator("#autosave-status").evaluate("element => { element.textContent = ''; }")
    page.fill(f"#id_m{first.pk}-done", "Sparas av sig själv, igen.")
    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Sparat"), timeout=15000)
    saved = MeasureAnswer.objects.get(pk=first.pk)
    assert (saved.done, saved.version) == ("Sparas av sig själv, igen.", 2)


def test_dashboard_and_report_page_pass_axe(page, live_server, world):
    from .test_reports import accept

    accept(world, world.response_a, world.reporter_a, world.approver_a)
    base = live_server.url
    log_in(page, base, "coordinator")
    for path, name in (
        (f"/arbete/uppfoljningar/{world.campaign.pk}/resultat/", "dashboard"),
        (f"/arbete/uppfoljningar/{world.campaign.pk}/resultat/?goal=2", "dashboard-goal"),
        (f"/arbete/uppfoljningar/{world.campaign.pk}/matris/", "matrix"),
        (f"/arbete/uppfoljningar/{world.campaign.pk}/rapport/utkast.html", "report-draft"),
        (f"/arbete/uppfoljningar/{world.campaign.pk}/rapport/utkast.bilaga.html", "annex-draft"),
        (f"/arbete/uppfoljningar/{world.campaign.pk}/rapport/", "report-page"),
    ):
        page.goto(base + path)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        screenshot(page, name)
    page.goto(f"{base}/arbete/uppfoljningar/{world.campaign.pk}/resultat/")
    assert page.get_by_role("img", name="Åtgärder efter status per mål").count() == 1
