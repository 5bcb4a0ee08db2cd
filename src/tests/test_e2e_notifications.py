"""Real Chromium and axe-core: the notices under "Waiting for you", the choices page (changed with
the keyboard alone) and the coordinator's outbox with a failing and a sent
message, on a phone and a desktop (issue #25, items 1 and 2)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition
from nollvision.notifications.delivery import deliver_due
from nollvision.notifications.enums import Delivery, Kind
from nollvision.notifications.models import NoticePreference, OutboxMessage

from .conftest import answer_everything, axe_run, submit_and_wait
from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = ({"width": 390, "height": 844}, {"width": 1280, "height": 900})


def _axe_clean(page, what):
    for size in SIZES:
        page.set_viewport_size(size)
        results = axe_run(page)
        assert results.violations_count == 0, (what, size, results.generate_report())
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], what


def test_notices_choices_and_outbox_with_the_keyboard_and_axe(
    browser, live_server, world, settings
):
    settings.EMAIL_BACKEND = "nollvision.notifications.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nobody answers: failing
    for user in (world.approver_a, world.coordinator):
        user.set_password("a-long-test-password")
        user.save()
    answer_everything(world.response_a, world.reporter_a)
    response_transition(response=world.response_a, user=world.reporter_a, action=Action.SUBMIT)
    deliver_due()
    mail.send_mail("Skickat tidigare", "Text", None, ["reporter_b@example.invalid"])
    OutboxMessage.objects.filter(subject="Skickat tidigare").update(sent_at=timezone.now())

    # axe runs as a script, so this context has JavaScript; the pages use none.
    context = browser.new_context()
    context.set_default_timeout(20000)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "approver_a")
    notice = page.locator(".notices li").first
    expect(notice).to_contain_text("Sundsvalls kommun")
    expect(notice).to_contain_text(world.plan.region.name)
    _axe_clean(page, "home with a notice")
    # The choices, with the keyboard alone: the submitted kind to the daily digest.
    page.goto(base + "/arbete/meddelanden/")
    _axe_clean(page, "notices")
    digest = page.locator(f'input[name="{Kind.SUBMITTED}"][value="{Delivery.DIGEST}"]')
    digest.focus()
    page.keyboard.press("Space")
    expect(digest).to_be_checked()
    with page.expect_navigation():
        page.locator("form:has(input[value='preferences']) button").focus()
        page.keyboard.press("Enter")
    assert NoticePreference.objects.get(user=world.approver_a, kind=Kind.SUBMITTED).delivery == (
        Delivery.DIGEST
    )
    submit_and_wait(page, page.locator("form:has(input[value='read']) button"))
    page.goto(base + "/arbete/")
    expect(page.locator(".notices")).to_have_count(0)
    # The coordinator's outbox: the failing message with its error, the sent one.
    log_in(page, base, "coordinator")
    page.goto(base + "/arbete/utkorg/")
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="Skickat tidigare")).to_have_count(1)
    failing = rows.filter(has_text="Sundsvalls kommun")
    expect(failing).to_have_count(1)
    expect(failing).to_contain_text("Connection")
    _axe_clean(page, "outbox")
    row = OutboxMessage.objects.exclude(subject="Skickat tidigare").get()
    assert row.attempts == 1
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=30)
    context.close()
