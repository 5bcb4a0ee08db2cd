"""Real Chromium: a whole round of the follow-up, and axe-core on the answer form and overview."""

import contextlib
import re

import pytest
from playwright.sync_api import expect

from nollvision.followup.enums import ResponseStatus
from nollvision.followup.models import MeasureAnswer, Response

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("a-long-test-password")
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(base + "/arbete/")


PHONE = {"width": 390, "height": 844}


def sticky_share(page) -> float:
    """The share of the screen that bars fixed to its edges take (sticky or fixed elements)."""
    height = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => ["sticky", "fixed"].includes(getComputedStyle(e).position))
            .reduce((sum, e) => sum + e.getBoundingClientRect().height, 0)"""
    )
    return height / page.viewport_size["height"]


def on_a_phone(page, url) -> float:
    """The page on a 390 by 844 phone: its sticky bars' share of the screen; then the desktop."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    page.goto(url)
    share = sticky_share(page)
    page.set_viewport_size(desktop)
    return share


def test_a_round_of_the_follow_up_in_the_browser(page, live_server, world):
    from .conftest import answer_everything, axe_run, submit_and_wait

    base = live_server.url
    response = world.response_a
    answer_everything(response, world.reporter_a, status="ongoing")  # the body section too
    answers = list(response.measure_answers.order_by("measure__goal__number", "measure__position"))
    first = answers[0]
    MeasureAnswer.objects.filter(pk=first.pk).update(status="", done="")  # one missing

    log_in(page, base, "reporter_a")
    assert on_a_phone(page, f"{base}/arbete/svar/{response.pk}/") <= 0.15  # the status bar
    page.goto(f"{base}/arbete/svar/{response.pk}/")
    # The one missing answer, one click away; its measure opens there.
    page.get_by_role("link", name=re.compile("Gå till första svaret som saknas")).click()
    page.select_option(f"#id_m{first.pk}-status", "implemented")
    page.fill(f"#id_m{first.pk}-done", "Normkritiska samtal på alla arbetsplatsträffar.")
    page.get_by_role("button", name=f"Spara och stanna här ({first.measure.code})").click()
    page.wait_for_load_state()
    # Saving returned to where it was: the same measure, open.
    assert page.url.endswith(f"?open=m{first.pk}#m{first.pk}")
    assert page.input_value(f"#id_m{first.pk}-done") == (
        "Normkritiska samtal på alla arbetsplatsträffar."
    )
    expect(page.locator(".toc__complete")).to_have_text("Alla delar är besvarade.")
    page.get_by_role("button", name="Skicka till godkännaren …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skicka svaret till godkännaren?")
    page.get_by_role("button", name="Skicka till godkännaren").click()
    expect(page.get_by_text("Skickat till godkännarna för Sundsvalls kommun.")).to_be_visible()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.SUBMITTED

    log_in(page, base, "approver_a")
    page.goto(f"{base}/arbete/svar/{response.pk}/")
    # The summary at the top: the parts, and the approval without scrolling down the answer.
    summary = page.locator("#summary")
    expect(summary).to_contain_text(re.compile(r"(\d+) av \1 delar besvarade"))
    assert axe_run(page).violations_count == 0
    summary.get_by_role("button", name="Godkänn och skicka till länsstyrelsen …").click()
    page.get_by_role("button", name="Godkänn och skicka").click()
    expect(page.get_by_text("Godkänt och skickat till länsstyrelsen.")).to_be_visible()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.APPROVED

    log_in(page, base, "coordinator")
    # On a phone the review bar leaves the screen to the answer (issue 25: at most 15 %).
    assert on_a_phone(page, f"{base}/arbete/svar/{response.pk}/") <= 0.15
    page.goto(f"{base}/arbete/uppfoljningar/{world.campaign.pk}/")
    page.get_by_role("link", name="Sundsvalls kommun").click()
    page.fill(f"#comment-{first.pk}", "Vilka arbetsplatser gäller det?")
    # The review bar stays in view while reading, far down the answer.
    page.locator("#body").scroll_into_view_if_needed()
    expect(page.locator(".review-bar")).to_be_in_viewport()
    page.get_by_role("button", name="Skicka tillbaka till myndigheten med kommentarer …").click()
    expect(page.get_by_text("Vilka arbetsplatser gäller det?")).to_be_visible()
    submit_and_wait(page, page.get_by_role("button", name="Skicka tillbaka svaret"))
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.RETURNED

    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/")
    page.get_by_role("link", name="Sundsvalls kommun").first.click()
    returned = page.locator("#returned")
    expect(returned).to_contain_text("Vilka arbetsplatser gäller det?")
    returned.get_by_role("link", name=first.measure.code).click()
    expect(page.locator(f"#id_m{first.pk}-done")).to_be_visible()  # its measure opened
    assert MeasureAnswer.objects.get(pk=first.pk).done == (
        "Normkritiska samtal på alla arbetsplatsträffar."
    )


# Whether the focused element is covered in part by the sticky bars (quick exit above, the
# form's status bar below), where it would fit between them.
COVERED = """() => {
  const box = document.activeElement.getBoundingClientRect();
  const bar = document.querySelector(".status-bar, .save-bar, .review-bar");
  const exit = document.querySelector(".quick-exit");
  const below = bar ? bar.getBoundingClientRect().top : window.innerHeight;
  const above = exit ? exit.getBoundingClientRect().bottom : 0;
  return box.height < below - above && (box.bottom > below || box.top < above);
}"""


def test_the_answer_form_with_the_keyboard_alone(page, live_server, world):
    """Tab to the contents, follow a measure's link, answer it and save, all with keys."""
    base = live_server.url
    second = world.response_a.measure_answers.order_by(
        "measure__goal__number", "measure__position"
    )[1]
    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/")
    link = page.locator(".toc__measures a").nth(1)
    for _step in range(200):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the contents cannot be reached with Tab")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"m{second.pk}"  # the measure opened and took the focus
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"id_m{second.pk}-status"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # the reason for "not relevant"
    page.keyboard.press("Tab")
    page.keyboard.type("Rutinen gäller hela förvaltningen.")
    for _step in range(40):
        page.keyboard.press("Tab")
        # No field taking the focus is hidden, even in part, under a sticky bar.
        assert not page.evaluate(COVERED), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("document.activeElement.textContent").startswith("Spara och stanna här"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    saved = MeasureAnswer.objects.get(pk=second.pk)
    assert saved.done == "Rutinen gäller hela förvaltningen."
    assert saved.status != ""
    assert page.url.endswith(f"#m{second.pk}")


def test_autosave_saves_while_typing(page, live_server, world):
    from .conftest import axe_run

    base = live_server.url
    first = world.response_a.measure_answers.order_by("pk").first()
    log_in(page, base, "reporter_a")
    # The page's timers run on a clock the test moves: the four seconds after the last key
    # press pass at once (the saves themselves go over the network as always).
    page.clock.install()
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/?open=m{first.pk}")
    page.fill(f"#id_m{first.pk}-done", "Sparas av sig själv.")
    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Osparade ändringar"))
    page.clock.run_for(3000)  # not yet: the page waits four seconds after the last change
    assert MeasureAnswer.objects.get(pk=first.pk).done != "Sparas av sig själv."
    page.clock.run_for(1500)
    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Sparat"), timeout=15000)
    assert MeasureAnswer.objects.get(pk=first.pk).done == "Sparas av sig själv."
    page.locator("#autosave-status").evaluate("element => { element.textContent = ''; }")
    page.fill(f"#id_m{first.pk}-done", "Sparas av sig själv, igen.")
    page.clock.run_for(4500)
    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Sparat"), timeout=15000)
    saved = MeasureAnswer.objects.get(pk=first.pk)
    assert (saved.done, saved.version) == ("Sparas av sig själv, igen.", 2)
    # A refused text: the message beside its field, the text still on the screen.
    page.fill(f"#id_m{first.pk}-done", "Gäller 19121212-1212.")
    page.clock.run_for(4500)
    expect(page.locator(f"#id_m{first.pk}-done_autosave_error")).to_contain_text("personnummer")
    assert page.input_value(f"#id_m{first.pk}-done") == "Gäller 19121212-1212."
    # The part that waits is named at the top with a link to it, while a change to another
    # measure in the same background save is kept (issue 25).
    second = world.response_a.measure_answers.order_by("pk")[1]
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/?open=m{second.pk}")
    page.locator(f"#m{first.pk}").evaluate("element => element.closest('details').open = true")
    page.fill(f"#id_m{first.pk}-done", "Gäller 19121212-1212.")
    page.fill(f"#id_m{second.pk}-done", "Sparas trots grannen.")
    page.clock.run_for(4500)
    waiting = page.locator("#waiting-summary")
    expect(waiting).to_be_visible(timeout=15000)
    expect(waiting.locator(f'a[href="#id_m{first.pk}-done"]')).to_have_count(1)
    assert MeasureAnswer.objects.get(pk=second.pk).done == "Sparas trots grannen."
    assert MeasureAnswer.objects.get(pk=first.pk).done == "Sparas av sig själv, igen."
    assert axe_run(page).violations_count == 0


def test_last_years_answer_copied_and_confirmed_in_the_browser(page, live_server, world):
    """Last year's accepted answer beside a measure: copied into it with one button, marked
    "copied, check" until confirmed (issue 25)."""
    from datetime import date

    from nollvision.followup.services import campaign_create, campaign_open

    from .conftest import answer_everything, axe_run, submit_and_wait

    earlier = campaign_create(plan=world.plan, year=2024, deadline=date(2025, 2, 15))
    (accepted,) = campaign_open(campaign=earlier, organisations=[world.response_a.organisation])
    answer_everything(accepted, world.reporter_a, status="ongoing")
    Response.objects.filter(pk=accepted.pk).update(status=ResponseStatus.ACCEPTED)
    first = world.response_a.measure_answers.order_by("measure__goal__number", "measure__position")[
        0
    ]
    base = live_server.url
    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/")
    expect(page.locator("#reuse button[name=copy][value=all]")).to_be_visible()
    # Enter in a field saves (the form's default button), never copies last year's answer.
    page.fill("#id_body-staff_concerned", "120")
    with page.expect_navigation():
        page.press("#id_body-staff_concerned", "Enter")
    assert not MeasureAnswer.objects.filter(copied_from_year__isnull=False).exists()
    assert (
        world.response_a.body_answer.__class__.objects.get(
            response=world.response_a
        ).staff_concerned
        == 120
    )
    page.locator(f"#m{first.pk}").evaluate("element => element.closest('details').open = true")
    submit_and_wait(page, page.locator(f"button[name=copy][value=m{first.pk}]"))
    assert page.url.endswith(f"?open=m{first.pk}#m{first.pk}")
    expect(page.locator(f"#id_m{first.pk}-done")).to_have_value("Rutin antagen.")
    expect(page.locator(".chip--copied")).to_have_count(1)
    expect(page.locator(f'#reuse a[href="#m{first.pk}"]')).to_have_count(1)
    assert axe_run(page).violations_count == 0
    submit_and_wait(page, page.locator(f"button[name=confirm][value=m{first.pk}]"))
    expect(page.locator(".chip--copied")).to_have_count(0)
    assert MeasureAnswer.objects.get(pk=first.pk).copied_from_year is None


def test_saving_while_a_background_save_is_on_its_way_is_no_conflict(page, live_server, world):
    base = live_server.url
    first = world.response_a.measure_answers.order_by("pk").first()
    log_in(page, base, "reporter_a")
    held = []

    def slow_autosave(route):
        if route.request.headers.get("x-autosave") == "1" and not held:
            # The server saves now; its answer reaches the page late (a slow network).
            held.append((route, route.fetch()))
            return
        route.continue_()

    page.route("**/arbete/svar/*/", slow_autosave)
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/?open=m{first.pk}")
    page.select_option(f"#id_m{first.pk}-status", "ongoing")  # a change: saved in 1.5 s
    for _tick in range(50):  # until the background save has reached the server (at most 5 s)
        if held:
            break
        page.wait_for_timeout(100)
    assert held  # the background save has reached the server, its answer not the page
    page.fill(f"#id_m{first.pk}-done", "Skrivet medan det sparades.")
    page.locator(f"#m{first.pk} button[name=return_to]").click()
    page.wait_for_timeout(300)
    route, response = held[0]
    with contextlib.suppress(Exception):  # without the wait, the page has left already
        route.fulfill(response=response)
    page.wait_for_url(re.compile(rf"open=m{first.pk}#m{first.pk}$"))
    saved = MeasureAnswer.objects.get(pk=first.pk)
    assert (saved.status, saved.done) == ("ongoing", "Skrivet medan det sparades.")
    assert page.locator(".conflicts").count() == 0


def test_a_confirmation_reloaded_says_so_and_passes_axe(page, live_server, world):
    """Reloading the "send to the approver" confirmation (a POST's page) or switching its
    language opens the address with GET: a page in the site's frame, with the way back, in both
    languages and without violations."""
    from .conftest import axe_run

    base = live_server.url
    log_in(page, base, "reporter_a")
    status = f"/arbete/svar/{world.response_a.pk}/status/"
    for language, heading in (
        ("", "Sidan tar bara emot ett formulär"),
        ("/en", "This page only takes a form"),
    ):
        reply = page.goto(base + language + status)
        assert reply.status == 405
        expect(page.locator("h1")).to_have_text(heading)
        back = page.locator(f'a[href="{language}/arbete/svar/{world.response_a.pk}/"]')
        expect(back).to_have_count(1)
        results = axe_run(page)
        assert results.violations_count == 0, results.generate_report()
    back.click()
    page.wait_for_url(f"{base}/en/arbete/svar/{world.response_a.pk}/")


def test_sending_on_while_a_part_waits_saves_first_and_the_confirmation_says_so(
    page, live_server, world
):
    """A reporter who presses "Send to the approver…" while a text was refused (and another
    change is not yet saved): the change is saved first, and the confirmation says that the
    part that waits is not in what is sent."""
    from .conftest import answer_everything, axe_run, submit_and_wait
    from .test_e2e import screenshot

    answer_everything(world.response_a, world.reporter_a)
    first, second = world.response_a.measure_answers.order_by("pk")[:2]
    base = live_server.url
    log_in(page, base, "reporter_a")
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/?open=m{first.pk}")
    page.locator(f"#m{second.pk}").evaluate("element => element.closest('details').open = true")
    page.fill(f"#id_m{first.pk}-done", "Gäller 19121212-1212.")
    page.fill(f"#id_m{second.pk}-done", "Sparas innan svaret skickas.")
    submit_and_wait(page, page.locator("#action-submit button"))
    warning = page.locator("#waiting-parts")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("1 del av formuläret väntar på en rättelse")
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"confirm-waiting-{width}")
    assert MeasureAnswer.objects.get(pk=second.pk).done == "Sparas innan svaret skickas."
    assert "19121212" not in MeasureAnswer.objects.get(pk=first.pk).done
    assert axe_run(page).violations_count == 0
    # Nothing waits: no warning.
    page.goto(f"{base}/arbete/svar/{world.response_a.pk}/")
    submit_and_wait(page, page.locator("#action-submit button"))
    expect(page.locator("h1")).to_have_text("Skicka svaret till godkännaren?")
    expect(page.locator("#waiting-parts")).to_have_count(0)
