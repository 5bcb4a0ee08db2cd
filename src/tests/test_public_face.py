"""The public face: published-only figures on every public page and API route, support finder,
guide, cache, security headers, suppression of small counts."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition
from nollvision.public import urls as public_urls
from nollvision.reports.services import report_publish
from nollvision.support.models import SupportService

from .conftest import answer_everything
from .helpers import VASTERNORRLAND_BY_NAME

pytestmark = [pytest.mark.integration]

SLUG = "vasternorrland-2022-2026"
DRAFT_MARKER = "UTKAST-SOM-ALDRIG-FAR-SYNAS"


def accept(world, response, reporter, approver=None, status="implemented"):
    answer_everything(response, reporter, status=status)
    response_transition(response=response, user=reporter, action=Action.SUBMIT)
    if approver is not None:
        response_transition(response=response, user=approver, action=Action.APPROVE)
    response_transition(response=response, user=world.coordinator, action=Action.ACCEPT)


def public_routes() -> list[str]:
    """One address for every public page (checked against the URL configuration)."""
    plan = f"/planer/{SLUG}/v1/"
    routes = {
        "home": "/",
        "plan-list": "/planer/",
        "safer-browsing": "/surfa-sakrare/",
        "accessibility": "/tillganglighet/",
        "support": "/stod/",
        "support-area": "/stod/2260/",
        "guide": "/vad-gor-jag/",
        "situation": "/vad-gor-jag/barn/",
        "figures": "/siffror/",
        "indicators": "/indikatorer/",
        "easy-read": "/lattlast/",
        "plan-figures": f"/planer/{SLUG}/siffror/",
        "plan-indicators": f"/planer/{SLUG}/indikatorer/",
        "plan-easy-read": f"/planer/{SLUG}/lattlast/",
        "plan-guide": f"/planer/{SLUG}/vad-gor-jag/",
        "plan-situation": f"/planer/{SLUG}/vad-gor-jag/barn/",
        "plan-detail": f"/planer/{SLUG}/",
        "plan-version": plan,
        "goal-detail": plan + "mal/2/",
        "measure-detail": plan + "atgarder/2.1/",
        "responsibilities": plan + "ansvar/",
        "organisation-detail": plan + "organisationer/timra-kommun/",
        "collaboration": plan + "samverkan/",
        "easy-read-version": plan + "lattlast/",
        "plan-compare": f"/planer/{SLUG}/jamfor/",
        "reports": f"/planer/{SLUG}/rapporter/",
        "minutes": f"/protokoll/{published_minutes_pk()}/",
    }
    # Not pages: the quick exit redirects, a report file is a download (test_public_record.py),
    # so is the plan as a document (test_plan_document.py, drafts included).
    downloads = {"report-file", "plan-document", "plan-version-document"}
    names = {p.name for p in public_urls.urlpatterns} - {"quick-exit", *downloads}
    assert names == set(routes), names ^ set(routes)
    return list(routes.values())


def published_minutes_pk() -> int:
    from nollvision.meetings.models import Meeting

    return Meeting.objects.filter(minutes_published_at__isnull=False).values_list("pk", flat=True)[
        0
    ]


def add_meetings(plan) -> None:
    """A meeting with published minutes, and one whose unpublished decision carries the marker."""
    from nollvision.meetings import services as meetings
    from nollvision.meetings.models import Group

    group = Group.objects.get(plan_slug=plan.slug, key="regional-samverkansgrupp")
    now = timezone.now()
    for title, published in (("Publicerat möte", True), ("Internt möte", False)):
        meeting = meetings.meeting_schedule(
            group=group,
            data={"title": title, "starts_at": now, "ends_at": now + timedelta(hours=1)},
        )
        item = meetings.item_save(
            meeting=meeting,
            item=None,
            data={"title": "Punkt"},
            goals=[],
            measures=list(plan.measures.filter(code="2.1")),
        )
        meetings.decision_add(item=item, text="Ett öppet beslut." if published else DRAFT_MARKER)
        if published:
            meetings.minutes_publish(meeting=meeting)


API_ROUTES = [
    "/api/v1/plans/",
    f"/api/v1/plans/{SLUG}/",
    f"/api/v1/plans/{SLUG}/followups/",
    f"/api/v1/plans/{SLUG}/followups/?format=csv",
    "/api/v1/organisations/",
    "/api/v1/support-services/",
]


# --- Cache -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cached_public_pages_are_stale_as_soon_as_a_follow_up_is_published(client, world, settings):
    settings.NOLLVISION_PUBLIC_CACHE_SECONDS = 600
    url = f"/planer/{SLUG}/v1/mal/1/"
    assert "Ingen uppföljning av planen har publicerats" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0  # served from the cache
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    report_publish(campaign=world.campaign, user=world.coordinator)
    assert "Från den publicerade uppföljningen 2025" in client.get(url).content.decode()


@pytest.mark.django_db
def test_logged_in_users_are_never_served_from_the_cache(client, world, settings):
    settings.NOLLVISION_PUBLIC_CACHE_SECONDS = 600
    client.get("/planer/")
    client.force_login(world.coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/planer/").content.decode()
    assert len(queries) > 0
    assert "Logga ut" in page


# --- Support finder and guide -------------------------------------------------------------------


@pytest.fixture
def support(default_plan):
    call_command("load_support", verbosity=0, stdout=io.StringIO())


def test_support_finder_for_ange_lists_each_service_once_its_own_first(client, support):
    start = client.get("/stod/").content.decode()
    assert 'href="/stod/2260/"' in start
    assert ">Ånge<" in start
    # The municipalities in the order a person looks for their own, as on the front door.
    names = re.findall(r'<a href="/stod/22\d\d/"[^>]*>([^<]+)</a>', start)
    assert names == VASTERNORRLAND_BY_NAME
    page = client.get("/stod/2260/").content.decode()
    assert "<h1>Stöd i Ånge</h1>" in page
    names = re.findall(r'<h2 class="service__name">([^<]+)</h2>', page)
    assert len(names) == len(set(names))  # each service once, with the needs it meets on it
    assert names[0] == "Socialtjänsten, Ånge kommun"  # the municipality's own first
    assert names.index("Västernorrland mot våld") < names.index("Kvinnofridslinjen")  # county
    assert names.index("Larmnummer 112") < names.index("Polisen")  # emergency first of its level
    assert "Socialtjänsten, Timrå kommun" not in page  # another municipality's
    assert 'href="tel:020505050"' in page
    assert "Hjälper vid" in page
    # Narrowing by need is a plain link; the list keeps only the services that meet it.
    assert 'href="?behov=children"' in page
    children = client.get("/stod/2260/?behov=children").content.decode()
    kept = re.findall(r'<h2 class="service__name">([^<]+)</h2>', children)
    expected = [s.name for s in SupportService.objects.all() if "children" in s.needs]
    assert sorted(kept) == sorted(str(n) for n in expected if str(n) in names)
    assert "BRIS" in kept
    assert "Polisen" not in kept
    assert 'aria-current="page">Barn och unga' in children
    # An unknown need shows everything, not an error.
    assert client.get("/stod/2260/?behov=x").status_code == 200
    assert client.get("/stod/9999/").status_code == 404


def test_shipped_services_invent_nothing_and_never_alarm_the_visitor(client, support):
    for service in SupportService.objects.all():
        if service.last_verified or service.permanent:
            assert service.source, service.key  # says where it was checked
        assert service.phone or service.url, service.key  # a way to reach it, never "find it"
        service.full_clean()
    permanent = set(SupportService.objects.filter(permanent=True).values_list("phone", flat=True))
    assert {"112", "114 14", "1177", "020-50 50 50", "116 111"} <= permanent
    ange = SupportService.objects.get(key="socialtjansten-ange")
    assert ange.phone == ""  # no number could be confirmed: the municipality's page instead
    assert ange.url.startswith("https://www.ange.se/")
    assert ange.url == ange.source
    for code in ("2260", "2281", "0022"):
        page = client.get(f"/stod/{code}/").content.decode()
        assert "inte kontrollerats" not in page
        assert "växel" not in page  # every municipality here has an entry of its own
        assert "Ett permanent nationellt nummer: kontrolleras varje år" in page
    sundsvall = client.get("/stod/2281/").content.decode()
    assert "Uppgifterna kontrollerades 9 april 2020: källor" in sundsvall  # the county's website
    assert 'href="https://sundsvall.se/"' in sundsvall


def test_coordinator_is_warned_of_entries_not_verified_in_twelve_months(client, world, support):
    SupportService.objects.filter(key="socialtjansten-ange").update(
        last_verified=timezone.localdate() - timedelta(days=30)
    )
    client.force_login(world.coordinator)
    # The county's own entries: the county-wide two and the seven municipalities', one checked.
    due = 2 + 7 - 1
    page = client.get(reverse("backoffice:services")).content.decode()
    assert f"{due} uppgifter har inte kontrollerats de senaste tolv månaderna" in page
    assert "Kvinnofridslinjen" in page.split('id="national-heading"')[1]  # shown, not nagged
    home = client.get(reverse("backoffice:home")).content.decode()
    assert f"{due} stödverksamheter har inte kontrollerats på tolv månader" in home
    service = SupportService.objects.get(key="socialtjansten-timra")
    client.post(reverse("backoffice:service-verified", args=[service.pk]))
    service.refresh_from_db()
    assert service.last_verified == timezone.localdate()


def test_service_form_refuses_bad_input_and_other_roles(client, world, support):
    service = SupportService.objects.get(key="vasternorrland-mot-vald")
    client.force_login(world.reporter_a)
    assert client.get(reverse("backoffice:services")).status_code == 403
    assert client.post(reverse("backoffice:service-verified", args=[service.pk])).status_code == 403
    client.force_login(world.coordinator)
    response = client.post(
        reverse("backoffice:service-edit", args=[service.pk]),
        {"key": service.key, "name_0": "Resurscentrum", "phone": "ring oss", "needs": []},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ett telefonnummer har bara siffror" in page
    assert "Detta fält måste fyllas i." in page
    phone = service.phone
    service.refresh_from_db()
    assert service.phone == phone
    # A national service is kept by the administrators: not the county's to edit or verify.
    national = SupportService.objects.get(key="bris")
    assert client.get(reverse("backoffice:service-edit", args=[national.pk])).status_code == 404
    assert (
        client.post(reverse("backoffice:service-verified", args=[national.pk])).status_code == 404
    )


def test_guide_steps_link_the_plans_duties(client, default_plan, support):
    page = client.get("/vad-gor-jag/").content.decode()
    assert 'href="/vad-gor-jag/barn/"' in page
    page = client.get("/vad-gor-jag/barn/").content.decode()
    first = page.split('<li class="step">')[1].split("</li>\n")[0]
    assert "Upptäcka: alla organisationer" in first
    # The duty to report, from every responsibility description that has it.
    assert first.count("14 kap 1 § Socialtjänstlagen") >= 6
    assert client.get("/vad-gor-jag/finns-inte/").status_code == 404


# --- Headers, cookies, privacy -------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_with_posted_forms_send_the_referrer_to_this_site_only(client, world):
    assert client.get("/konto/logga-in/")["Referrer-Policy"] == "same-origin"
    assert client.get("/en/konto/logga-in/")["Referrer-Policy"] == "same-origin"
    client.force_login(world.coordinator)
    assert client.get("/planer/")["Referrer-Policy"] == "same-origin"
    client.logout()
    assert client.get("/planer/")["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_small_counts_of_people_are_hidden_on_the_indicator_page(client, default_plan, settings):
    from nollvision.indicators.csv_import import csv_import
    from nollvision.indicators.models import Indicator
    from nollvision.indicators.privacy import is_suppressed

    from .indicator_rows import csv_file

    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    indicator = Indicator.objects.get(code="anmalda-valdsbrott")
    rows = "anmalda-valdsbrott,2260,2022,T,3,,\nanmalda-valdsbrott,2281,2022,T,47,,\n"
    csv_import(
        content=csv_file(rows),
        source="test",
    )
    assert "<td>3,0</td>" in client.get("/indikatorer/").content.decode()  # a rate: shown
    Indicator.objects.filter(pk=indicator.pk).update(counts_people=True)
    page = client.get("/indikatorer/").content.decode()
    assert "<td>3,0</td>" not in page
    assert "<td>47,0</td>" in page
    assert "1 värde under 5 visas inte" in page
    indicator.counts_people = True
    assert [is_suppressed(indicator, v, 5) for v in (0, 1, 4, 5, None)] == [
        False,
        True,
        True,
        False,
        False,
    ]
    settings.NOLLVISION_SUPPRESS_BELOW = 50
    assert "<td>47,0</td>" not in client.get("/indikatorer/").content.decode()


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_is_rate_limited(client, default_plan, settings):
    from django.core.cache import cache

    cache.clear()
    settings.NOLLVISION_API_RATE = "3/m"
    codes = [client.get("/api/v1/plans/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    cache.clear()


@pytest.mark.django_db
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="nollvision.settings.production",
        SECRET_KEY="x" * 10 + "y" * 20 + "z" * 20 + "0123456789abcdef",
        ALLOWED_HOSTS="nollvision.example",
        NOLLVISION_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "nollvision", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_openapi_lists_the_documented_routes():
    from nollvision.api.api import api

    paths = set(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))["paths"])
    assert paths == {
        "/api/v1/plans/",
        "/api/v1/plans/{slug}/",
        "/api/v1/plans/{slug}/followups/",
        "/api/v1/organisations/",
        "/api/v1/support-services/",
    }


def test_the_menu_marks_the_page_and_the_section_a_person_is_on(client, default_plan):
    import re

    def marked(path):
        page = client.get(path).content.decode()
        menu = page.split('class="nav-list"', 1)[1].split("</ul>", 1)[0]
        return re.findall(r'href="([^"]+)" aria-current="(page|true)"', menu)

    assert marked("/stod/") == [("/stod/", "page")]
    assert marked("/stod/2281/") == [("/stod/", "true")]
    assert marked("/en/stod/") == [("/en/stod/", "page")]
    assert marked("/planer/") == [("/planer/", "page")]
    assert marked("/indikatorer/") == [("/indikatorer/", "page")]
    assert marked("/tillganglighet/") == []
