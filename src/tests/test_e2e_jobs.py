"""The pages of background work in Chromium, checked with axe in Swedish on a phone and in
English on a desktop: the confirmation before publishing with its check, a failed job, and a
running job whose page follows it by itself (job.js) until it is done, without a reload."""

import pytest

from nollvision.jobs.enums import JobKind, JobState
from nollvision.jobs.models import Job

from .conftest import axe_run, submit_and_wait
from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = (("", (390, 844)), ("/en", (1280, 900)))


def _clean(page, language: str, width: int) -> None:
    results = axe_run(page, contrast=language == "")
    assert results.violations_count == 0, (page.url, results.generate_report())
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_the_pages_of_background_work_pass_axe_and_follow_the_job(page, live_server, world):
    base = live_server.url
    log_in(page, base, "coordinator")
    page.clock.install()  # the page's two-second poll runs on a clock the test moves
    for language, (width, height) in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}{language}/arbete/uppfoljningar/{world.campaign.pk}/rapport/")
        submit_and_wait(page, page.locator("form[action$='/rapport/publicera/'] button"))
        # The check lists the empty sections and the bodies not accepted; a tick is asked for.
        assert page.locator("#publication-check li").count() > 0
        assert page.locator("input[name=publish_anyway]").count() == 1
        _clean(page, language, width)
        failed = Job.objects.create(
            kind=JobKind.REPORT_PUBLISH,
            title="Publicering",
            started_by=world.coordinator,
            state=JobState.FAILED,
            attempts=3,
            error="Rapporten kunde inte sparas (disken är full). Ingenting publicerades.",
        )
        page.goto(f"{base}{language}/arbete/jobb/{failed.pk}/")
        assert page.locator(".job--failed .error-summary").count() == 1
        _clean(page, language, width)
        running = Job.objects.create(
            kind=JobKind.REPORT_PUBLISH,
            title="Publicering",
            started_by=world.coordinator,
            state=JobState.RUNNING,
            attempts=1,
            step=3,
            steps=14,
            step_label="Hela utgåvan: PDF",
        )
        page.goto(f"{base}{language}/arbete/jobb/{running.pk}/")
        assert page.locator("progress#job-progress").get_attribute("value") == "3"
        _clean(page, language, width)
        # The worker finishes: the page shows it by itself, in its status region.
        Job.objects.filter(pk=running.pk).update(
            state=JobState.DONE, step=14, result_label="Publicerad som nummer 9."
        )
        page.clock.run_for(2100)
        page.wait_for_selector(".job--done", timeout=15_000)
        assert "Publicerad som nummer 9." in page.locator("[role=status]").inner_text()
        assert page.url.endswith(f"/arbete/jobb/{running.pk}/")
        _clean(page, language, width)
