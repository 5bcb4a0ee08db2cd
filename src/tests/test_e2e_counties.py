"""Real Chromium, a second county's story: staff set it up in the browser (a plan file with an
error, then a partial one without the chain's stages or responsibility descriptions, then the
first coordinator's invitation); the coordinator accepts it, logs in, opens a follow-up, adds
what the file lacked in a revision and adopts it; its public pages show it and pass axe; a
visitor from the new county finds support."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nollvision.followup.models import Campaign
from nollvision.plans.models import Plan

from .conftest import axe_run, submit_and_wait
from .helpers import SECOND_SLUG, mutated, plan_yaml, second_county_plan_data
from .test_e2e import screenshot
from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _partial(data: dict) -> dict:
    """The county's plan file without the chain's stages and the responsibility descriptions."""
    data["vocabularies"].pop("chain_stages")
    data.pop("responsibilities")
    return data


def _no_axe_violations(page, where):
    results = axe_run(page)
    assert results.violations_count == 0, (where, results.generate_report())


def test_staff_set_up_a_county_in_the_browser(
    page, live_server, world, django_user_model, tmp_path
):
    base = live_server.url
    django_user_model.objects.create_user(
        username="drift", password="a-long-test-password", is_staff=True
    )
    log_in(page, base, "drift")
    page.get_by_role("link", name="Län: lägg upp ett län").click()
    _no_axe_violations(page, "counties")
    page.get_by_role("combobox", name="Länet").select_option(label="Jämtlands län")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämtlands län")
    _no_axe_violations(page, "county")

    broken = tmp_path / "jamtland.yaml"
    broken.write_bytes(
        plan_yaml(
            mutated(
                second_county_plan_data(),
                lambda d: d["plan"].update(period={"start": 2026, "end": 2023}),
            )
        )
    )
    page.get_by_label("Planfil (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Kontrollera och importera").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Ingenting importerades")
    expect(summary).to_contain_text(re.compile(r"jamtland\.yaml:\d+ plan\.period\.end"))
    _no_axe_violations(page, "county with errors")
    screenshot(page, "county-errors")
    assert not Plan.objects.filter(slug=SECOND_SLUG).exists()

    fixed = tmp_path / "jamtland-fixed.yaml"
    fixed.write_bytes(plan_yaml(_partial(second_county_plan_data())))
    page.get_by_label("Planfil (YAML)").set_input_files(str(fixed))
    page.get_by_role("button", name="Kontrollera och importera").click()
    expect(
        page.get_by_text("Importerade jamtland-2023-2026 version 1 med 40 åtgärder.")
    ).to_be_visible()

    page.get_by_label("E-postadress").fill("samordnare@jamtland.invalid")
    expect(page.get_by_role("combobox", name="Organisation")).to_have_value(
        str(
            Plan.objects.get(slug=SECOND_SLUG)
            .signatures.get(organisation__slug="lansstyrelsen-jamtland")
            .organisation_id
        )
    )
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(
        page.get_by_text("En inbjudan skickades till samordnare@jamtland.invalid.")
    ).to_be_visible()
    _no_axe_violations(page, "county set up")
    screenshot(page, "county-set-up")

    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(base + "/konto/inbjudan/" + link.split("/konto/inbjudan/")[1])
    page.get_by_label("Ditt namn").fill("Samordnare Jämtland")
    page.get_by_label("Lösenord:", exact=True).fill("ett-langt-losenord-2026")
    page.get_by_label("Lösenordet igen").fill("ett-langt-losenord-2026")
    page.get_by_role("button", name="Spara och logga in").click()
    page.wait_for_url(base + "/arbete/")
    page.get_by_role("link", name="Starta en ny uppföljning").click()
    page.get_by_label("År som följs upp").fill("2025")
    page.get_by_label("Sista svarsdag").fill("2026-02-15")
    page.get_by_role("button", name="Skapa").click()
    page.get_by_role("button", name="Öppna uppföljningen för myndigheterna").click()
    expect(page.get_by_role("button", name="Stäng uppföljningen")).to_be_visible()
    campaign = Campaign.objects.get(plan__slug=SECOND_SLUG, year=2025)
    assert campaign.status == "open"
    assert campaign.responses.count() == len(second_county_plan_data()["organisations"])

    # What the file lacked, added in a revision: the chain's stages and the municipalities'
    # responsibility; then the draft is adopted and the public pages show them.
    page.goto(f"{base}/arbete/planer/{SECOND_SLUG}/plan/")
    expect(page.get_by_text("Planen anger inga steg i insatskedjan")).to_have_count(0)
    submit_and_wait(page, page.get_by_role("button", name="Starta version 2 som utkast"))
    expect(page.get_by_text("Planen anger inga steg i insatskedjan.")).to_be_visible()
    draft_path = f"/arbete/planer/{SECOND_SLUG}/utkast/"
    page.goto(f"{base}{draft_path}ordlista/chain_stages/")
    page.locator('[name="term-0-label_sv"]').fill("Upptäcka")
    page.locator('[name="term-1-label_sv"]').fill("Stödja")
    submit_and_wait(page, page.locator("main form button[type=submit]").last)
    page.goto(f"{base}{draft_path}ansvar/ny/?kind=municipality")
    page.locator('[name="title_sv"]').fill("Kommunens ansvar")
    page.locator('[name="duty-0-text_sv"]').fill("Upptäcka barn som upplever våld i hemmet.")
    page.locator('[name="duty-0-stage"]').select_option("upptacka")
    submit_and_wait(page, page.locator("main form button[type=submit]").last)
    page.goto(f"{base}{draft_path}anta/")
    page.get_by_label("Antagen den").fill("2025-03-01")
    submit_and_wait(page, page.get_by_role("button", name="Anta version 2"))
    assert Plan.objects.get(slug=SECOND_SLUG, version=2).status == "adopted"
    page.goto(f"{base}/planer/{SECOND_SLUG}/v2/ansvar/")
    expect(page.get_by_text("Upptäcka barn som upplever våld i hemmet.")).to_be_visible()
    _no_axe_violations(page, "responsibilities added in the browser")

    page.context.clear_cookies()
    page.goto(base + "/stod/")
    page.get_by_label("Din kommun", exact=True).select_option(label="Östersund")
    page.get_by_role("button", name="Visa stöd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stöd i Östersund")
    _no_axe_violations(page, "support in Östersund")
    # Two counties now: a county-less page asks which county, on a phone too, in both languages.
    page.set_viewport_size({"width": 390, "height": 844})
    for language, heading in (
        ("", "Indikatorer – välj ditt län"),
        ("/en", "Indicators – choose your county"),
    ):
        page.goto(f"{base}{language}/indikatorer/")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        _no_axe_violations(page, f"county chooser {language or 'sv'}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Jämtlands län").click()
    page.wait_for_url(f"**/planer/{SECOND_SLUG}/indikatorer/")
