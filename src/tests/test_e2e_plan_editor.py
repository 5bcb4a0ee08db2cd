"""The plan editor end to end in Chromium (#18): the coordinator starts the next version, rewords,
splits, merges, retires and reorders measures, previews the draft and its comparison, adopts it,
and a signatory's approver records its signing; each page state passes axe in Swedish and in
English, and the adopted version round-trips through export and import."""

import pytest

from nollvision.plans.enums import PlanStatus
from nollvision.plans.export import plan_to_yaml
from nollvision.plans.models import Plan, Signing
from nollvision.plans.plan_file import parse_plan_file
from nollvision.plans.services import plan_import

from .conftest import axe_run, submit_and_wait
from .test_e2e import screenshot
from .test_e2e_followup import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _axe(page, what: str) -> None:
    results = axe_run(page)
    assert results.violations_count == 0, (what, page.url, results.generate_report())
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, f"plan-editor-{what}")


def _both(page, base, path, what) -> None:
    """The page in Swedish on a phone and in English on a desktop, each under axe."""
    for language, size in (("", (390, 844)), ("/en", (1280, 900))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        reply = page.goto(base + language + path)
        assert reply.status == 200, (path, reply.status)
        _axe(page, f"{what}{language.replace('/', '-')}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_coordinator_revises_adopts_and_the_bodies_sign_in_the_browser(
    page, live_server, world
):
    for user in (world.coordinator, world.approver_a):
        user.set_password("a-long-test-password")
        user.save()
    base = live_server.url
    slug = world.plan.slug
    editor_path = f"/arbete/planer/{slug}/plan/"
    draft_path = f"/arbete/planer/{slug}/utkast/"
    log_in(page, base, "coordinator")
    _both(page, base, editor_path, "no-draft")

    page.goto(base + editor_path)
    submit_and_wait(page, page.get_by_role("button", name="Starta version 2 som utkast"))
    draft = Plan.objects.get(slug=slug, status=PlanStatus.DRAFT)
    assert draft.version == 2

    # Every form of the editor sent empty: each refuses with its error summary, under axe, in
    # both languages; nothing changes.
    steps = ("uppgifter/", "mal/nytt/", "atgard/ny/", "sla-ihop/", "samverkan/ny/", "anta/")
    steps += (f"atgard/{draft.measures.get(code='4.1').key}/dela/",)
    steps += (f"atgard/{draft.measures.get(code='4.1').key}/utga/",)
    steps += (f"ansvar/{draft.responsibilities.first().organisation_kind.code}/",)
    before = plan_to_yaml(draft)
    for step in steps:
        for language, size in (("", (390, 844)), ("/en", (1280, 900))):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.goto(f"{base}{language}{draft_path}{step}")
            for field in page.locator("main form input[type=text], main form textarea").all():
                field.fill("")
            submit_and_wait(
                page, page.locator("main form button[type=submit]:not([name=remove])").last
            )
            assert page.locator(".error-summary").count() == 1, step
            _axe(page, f"empty-{step.replace('/', '-')}{language.replace('/', '-')}")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert plan_to_yaml(Plan.objects.get(pk=draft.pk)) == before

    # Reword 1.1, first with a personal number, which is refused where it was typed.
    key = draft.measures.get(code="1.1").key
    page.goto(f"{base}{draft_path}atgard/{key}/")
    page.get_by_label("Åtgärd (svenska)").fill("Se 19121212-1212")
    submit_and_wait(page, page.get_by_role("button", name="Spara"))
    assert page.locator(".error-summary").count() == 1
    _axe(page, "measure-error")
    page.get_by_label("Åtgärd (svenska)").fill("Normkritiskt arbete på alla arbetsplatser.")
    page.get_by_label("Skäl till ändringen (svenska)").fill("Gäller alla arbetsplatser.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{editor_path}#m-{key}")
    assert draft.measures.get(code="1.1").change == "reworded"

    # Split 1.2 in two.
    page.goto(f"{base}{draft_path}atgard/{draft.measures.get(code='1.2').key}/dela/")
    page.get_by_label("Åtgärd 1 (svenska)").fill("Normkritiskt arbete i grundskolan.")
    page.get_by_label("Åtgärd 2 (svenska)").fill("Normkritiskt arbete i gymnasieskolan.")
    page.get_by_label("Skäl (svenska)").fill("Skolformerna har olika huvudmän.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{editor_path}*")
    assert sorted(draft.measures.filter(change="split").values_list("code", flat=True)) == [
        "1.2a",
        "1.2b",
    ]

    # Merge 2.1 and 2.2: chosen in the editor's table, confirmed on the merge page.
    page.goto(base + editor_path)
    page.get_by_label("Välj 2.1 för att slå ihop").check()
    page.get_by_label("Välj 2.2 för att slå ihop").check()
    page.get_by_role("button", name="Slå ihop de valda åtgärderna").click()
    page.wait_for_url("**/sla-ihop/**")
    _axe(page, "merge")
    page.get_by_label("Den sammanslagna åtgärden (svenska)").fill(
        "Rutiner finns för att ställa frågan om våld, till dem verksamheten möter och till egen personal."
    )
    page.get_by_label("Skäl (svenska)").fill("Samma rutin.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{editor_path}*")
    assert draft.measures.get(code="2.1").change == "merged"

    # Retire 3.1, and move the last measure of goal 1 up one place.
    page.goto(f"{base}{draft_path}atgard/{draft.measures.get(code='3.1').key}/utga/")
    submit_and_wait(page, page.get_by_role("button", name="Spara"))
    assert page.locator(".error-summary").count() == 1  # the reason is required
    _axe(page, "retire-error")
    page.get_by_label("Skäl (svenska)").fill("Genomförd under 2022–2024.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{editor_path}#retired")
    last = draft.goals.get(number=1).measures.order_by("position").last()
    page.goto(base + editor_path)
    page.get_by_role("button", name=f"Flytta {last.code} upp").click()
    page.wait_for_url(f"**#m-{last.key}")
    order = list(
        draft.goals.get(number=1).measures.order_by("position").values_list("code", flat=True)
    )
    assert order[-2] == last.code

    # The editor with changes, retirements and history; the preview and its comparison.
    _both(page, base, editor_path, "draft")
    _both(page, base, f"{draft_path}forhandsvisning/", "preview")
    assert page.get_by_text("Genomförd under 2022–2024.").count() >= 1
    assert page.get_by_text("Samma rutin.").count() >= 1

    # Adopt.
    _both(page, base, f"{draft_path}anta/", "adopt")
    page.goto(f"{base}{draft_path}anta/")
    page.get_by_label("Antagen den").fill("2025-03-01")
    page.get_by_role("button", name="Anta version 2").click()
    page.wait_for_url(f"**{editor_path}")
    draft.refresh_from_db()
    world.plan.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    assert world.plan.status == PlanStatus.ARCHIVED

    # Sundsvall's approver records its signing; the public plan page shows it.
    log_in(page, base, "approver_a")
    signings = f"/arbete/planer/{slug}/underskrifter/"
    _both(page, base, signings, "signings-empty")
    for language in ("", "/en"):
        page.goto(f"{base}{language}{signings}")
        submit_and_wait(page, page.locator("main form button[type=submit]").last)
        assert page.locator(".error-summary").count() == 1
        _axe(page, f"signings-error{language.replace('/', '-')}")
    page.goto(base + signings)
    page.get_by_label("Undertecknad av").fill("Ordförande")
    page.get_by_label("I rollen som").fill("kommunstyrelsens ordförande")
    page.get_by_label("Undertecknad den").fill("2025-03-10")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{signings}")
    assert Signing.objects.get(plan=draft).organisation == world.response_a.organisation
    _both(page, base, signings, "signings-recorded")
    page.goto(f"{base}/planer/{slug}/")
    assert page.get_by_text("2025-03-10").count() >= 1
    # The public comparison of the two versions fits a phone (its table stacks), in both languages.
    _both(page, base, f"/planer/{slug}/jamfor/?from_version=1&to_version=2", "public-comparison")
    assert page.locator("table.diff tbody tr").count() >= 3

    # The adopted version round-trips: export, import, export gives the same file.
    text = plan_to_yaml(draft)
    plan_import(document=parse_plan_file(text.encode(), f"{slug}.yaml"))
    assert plan_to_yaml(Plan.objects.get(pk=draft.pk)) == text
    assert "change_reason" in text
    assert "Genomförd under 2022–2024." in text
