"""Real Chromium and axe-core: every back-office page, in every state it can be in, as each role,
in Swedish (on a phone's screen) and in English (on a desktop's), with no violations and
nothing that makes a page scroll sideways. The pages are taken from the permission matrix
(every route of the back office); the answer is seen as a draft, sent in, approved, returned
and accepted, with its confirmation pages; the report as a draft and published."""

import pytest
from django.urls import reverse

from nollvision.accounts.models import Membership, Organisation, Role
from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition
from nollvision.indicators.models import Area
from nollvision.reports.services import report_publish
from nollvision.support.models import SupportService

from .conftest import answer_everything, axe_run, submit_and_wait
from .helpers import route_objects
from .test_e2e import screenshot
from .test_e2e_followup import log_in
from .test_permission_matrix import MATRIX

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = (390, 844), (1280, 900)
STACKED_TABLES_THAT_SCROLL = """Array.from(document.querySelectorAll('.table--stack'))
  .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).length"""
DOCUMENTS = {"draft", "annex-draft"}
# Who opens each route (one who may), in the order of preference.
OPENERS = ("coordinator", "secretary", "reporter_a", "staff")
# Routes whose GET is a file, not a page.
FILES = {
    "response-excel",
    "report-download",
    "report-published",
    "minutes",
    "attachment",
    "indicator-template",
    "plan-document",
    "consultation-summary",
    "job-file",
}


def _answer_in(world, slug, *moves):
    """A body's answer moved through the status table; reporter_a and approver_a act for it."""
    response = world.campaign.responses.get(organisation__slug=slug)
    organisation = Organisation.objects.get(slug=slug)
    for user, role in ((world.reporter_a, Role.REPORTER), (world.approver_a, Role.APPROVER)):
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        user.__dict__.pop("_nollvision_memberships", None)
    answer_everything(response, world.reporter_a)
    actors = {
        Action.SUBMIT: world.reporter_a,
        Action.APPROVE: world.approver_a,
        Action.ACCEPT: world.coordinator,
        Action.RETURN: world.coordinator,
    }
    for action in moves:
        response.refresh_from_db()
        response_transition(
            response=response,
            user=actors[action],
            action=action,
            comments={"measure:1.1": "Beskriv arbetet närmare."}
            if action == Action.RETURN
            else None,
            reason="Komplettera." if action == Action.RETURN else "",
        )
    return response


def test_every_back_office_page_in_every_state_passes_axe_in_both_languages(
    page, live_server, g, django_user_model
):
    world = g.world
    for user in (world.coordinator, world.reporter_a, world.approver_a, world.reader, g.secretary):
        user.set_password("a-long-test-password")
        user.save()
    django_user_model.objects.create_user(
        username="staff", password="a-long-test-password", is_staff=True
    )
    submitted = _answer_in(world, "ange-kommun", Action.SUBMIT)
    approved = _answer_in(world, "harnosands-kommun", Action.SUBMIT, Action.APPROVE)
    returned = _answer_in(world, "kramfors-kommun", Action.SUBMIT, Action.APPROVE, Action.RETURN)
    accepted = _answer_in(world, "timra-kommun", Action.SUBMIT, Action.APPROVE, Action.ACCEPT)
    # Transactional tests empty the tables between tests: the migration's areas may be gone.
    area, _new = Area.objects.get_or_create(
        code="2281", defaults={"name": "Sundsvall", "level": "municipality"}
    )
    service = SupportService.objects.create(
        key="axe", name={"sv": "Axetjänsten"}, needs=["adults"], area=area
    )
    objects = route_objects(g, service=service, membership=0, county_code="22")
    pages = []  # (who, path, what)
    for name, (arguments, allowed, method) in MATRIX.items():
        who = next((role for role in OPENERS if role in allowed), None)
        # A route no one opens in the matrix's state is opened in its own state below.
        if method == "GET" and name not in FILES and allowed:
            assert who is not None, f"no one in {OPENERS} opens {name}: add an opener"
            pages.append((who, reverse(f"backoffice:{name}", args=arguments(objects)), name))
    # A prioritisation recorded: the priorities page lists it, and opens it for correcting.
    from datetime import date

    from nollvision.plans.services import priority_save

    priority = priority_save(
        plan=world.plan,
        data={
            "title": "Prioriterade samverkansåtgärder",
            "first_year": 2022,
            "last_year": 2024,
            "decided_by": "Regional samverkansgrupp",
            "decided_on": date(2022, 3, 1),
        },
        measures=world.plan.measures.filter(code__in=("1.1", "2.1")),
    )
    response_page = "/arbete/svar/{}/"
    pages += [
        (
            "coordinator",
            f"/arbete/planer/{world.plan.slug}/prioriteringar/?andra={priority.pk}",
            "priority-edit",
        ),
        ("approver_a", response_page.format(submitted.pk), "answer-submitted"),
        ("coordinator", response_page.format(approved.pk), "answer-approved"),
        ("reporter_a", response_page.format(returned.pk), "answer-returned"),
        ("coordinator", response_page.format(accepted.pk), "answer-accepted"),
        ("reader", response_page.format(accepted.pk), "answer-accepted-reader"),
        ("coordinator", f"/arbete/svar/{accepted.pk}/publicering/", "clear-body"),
        ("coordinator", f"/arbete/svar/{accepted.pk}/historik/", "history-outsider"),
        (
            "coordinator",
            f"/arbete/uppfoljningar/{world.campaign.pk}/organisationer/{world.response_a.pk}/",
            "body-draft",
        ),
        ("coordinator", f"/arbete/uppfoljningar/{world.campaign.pk}/resultat/?goal=2", "goal"),
        ("coordinator", f"/arbete/uppfoljningar/{world.campaign.pk}/rapport/utkast.html", "draft"),
        (
            "coordinator",
            f"/arbete/uppfoljningar/{world.campaign.pk}/rapport/utkast.bilaga.html",
            "annex-draft",
        ),
        ("secretary", "/arbete/uppdrag/?overdue=on", "overdue-actions"),
        # The prioritised measures alone, on every page that filters on them.
        *(
            (
                "coordinator",
                f"/arbete/uppfoljningar/{world.campaign.pk}/{sub}?prioritised=on",
                f"prioritised-{sub or 'overview'}",
            )
            for sub in ("", "resultat/", "matris/", "rapport/")
        ),
        ("reporter_a", "/arbete/", "home-reporter"),
        ("approver_a", "/arbete/", "home-approver"),
        ("reader", "/arbete/", "home-reader"),
    ]
    base = live_server.url
    checked = 0
    current = None
    for who, path, what in sorted(pages):
        if who != current:
            log_in(page, base, who)
            current = who
        # Swedish on a phone, English on a desktop: both languages and both sizes, once each.
        for language, (width, height) in (("", PHONE), ("/en", DESKTOP)):
            page.set_viewport_size({"width": width, "height": height})
            reply = page.goto(base + language + path)
            assert reply.status == 200, (who, path, reply.status)
            # Contrast on the Swedish pass, every other rule on both (conftest.axe_run).
            results = axe_run(page, contrast=language == "")
            assert results.violations_count == 0, (who, language + path, results.generate_report())
            # Nothing makes the page scroll sideways; wide tables scroll inside their frame.
            # (The report's HTML drafts are print-shaped documents, laid out as the PDF.)
            if what not in DOCUMENTS:
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (who, path)
            # A table that stacks on a phone has nothing left to scroll sideways to.
            hidden = page.evaluate(STACKED_TABLES_THAT_SCROLL)
            assert hidden == 0, (who, language + path, width)
            checked += 1
            screenshot(page, f"backoffice-{what}-{width}")
    # The pages a POST leads to: a step's confirmation, and the report once published.
    # A step's confirmation: first blocked by missing parts, then ready to send.
    type(world.response_a).objects.filter(pk=world.response_a.pk).update(status="draft")
    log_in(page, base, "reporter_a")
    for complete in (False, True):
        if complete:
            answer_everything(world.response_a, world.reporter_a)
        page.goto(f"{base}/arbete/svar/{world.response_a.pk}/")
        submit_and_wait(page, page.locator("#action-submit button"))
        assert page.locator(".error-summary").count() == (0 if complete else 1)
        results = axe_run(page)
        assert results.violations_count == 0, results.generate_report()
    log_in(page, base, "coordinator")
    report_publish(campaign=world.campaign, user=world.coordinator)
    for language in ("", "/en"):
        page.goto(f"{base}{language}/arbete/uppfoljningar/{world.campaign.pk}/rapport/")
        results = axe_run(page)
        assert results.violations_count == 0, results.generate_report()
        page.goto(f"{base}{language}/arbete/svar/{approved.pk}/")
        submit_and_wait(page, page.locator("#action-accept button"))
        results = axe_run(page)
        assert results.violations_count == 0, results.generate_report()
        # Publishing again asks why, on the confirmation itself.
        page.goto(f"{base}{language}/arbete/uppfoljningar/{world.campaign.pk}/rapport/")
        submit_and_wait(page, page.locator("form[action$='/rapport/publicera/'] button"))
        assert page.locator("textarea[name=reason]").count() == 1
        results = axe_run(page)
        assert results.violations_count == 0, results.generate_report()
    assert checked == 2 * len(pages)
    page.goto(f"{base}/arbete/uppfoljningar/{world.campaign.pk}/resultat/")
    assert page.get_by_role("img", name="Åtgärder efter status per mål").count() == 1
