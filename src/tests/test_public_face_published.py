"""The public face once a follow-up is published: every public page and API route shows only
the published answers (never a draft), in few queries, with security headers and no cookies.

The published follow-up is built once for this module (conftest.built_once) and each test reads
a copy of it in its own transaction."""

import copy
import csv
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nollvision.accounts.models import Membership, Role
from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition
from nollvision.reports.services import report_publish

from .conftest import answer_everything, build_world, built_once
from .plain_names import crawl, identifiers, raw_identifiers
from .test_public_face import (
    API_ROUTES,
    DRAFT_MARKER,
    SLUG,
    accept,
    add_meetings,
    public_routes,
)

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="module")
def _published_once(django_db_setup, django_db_blocker):
    """Sundsvall's answers accepted and published; Timrå's a draft with a marked text."""
    with built_once(django_db_blocker):
        call_command("import_plan", verbosity=0)
        from nollvision.plans.models import Plan

        world = build_world(Plan.objects.get(slug=SLUG, version=1))
        call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
        call_command("load_support", verbosity=0, stdout=io.StringIO())
        accept(world, world.response_a, world.reporter_a, world.approver_a)
        report_publish(campaign=world.campaign, user=world.coordinator)
        answer_everything(world.response_b, world.reporter_b, status="planned")
        world.response_b.measure_answers.update(done=DRAFT_MARKER, may_publish=True)
        add_meetings(world.plan)
        yield world


@pytest.fixture
def published(_published_once, db):
    return copy.deepcopy(_published_once)


@pytest.mark.django_db
def test_a_draft_never_appears_on_any_public_page_or_api_route(client, published):
    for url in public_routes() + ["/en" + u for u in public_routes()] + API_ROUTES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert DRAFT_MARKER not in response.content.decode(), url
    figures = client.get(f"/api/v1/plans/{SLUG}/followups/").json()["results"]
    assert figures
    assert {row["bodies"] for row in figures} == {1}
    assert sum(row["planned"] for row in figures) == 0  # Timrå's draft statuses
    page = client.get(f"/planer/{SLUG}/v1/organisationer/timra-kommun/").content.decode()
    assert "Ingen uppföljning med den här organisationens accepterade svar" in page


@pytest.mark.django_db
def test_accepted_answers_wait_for_the_next_publication(client, published, django_user_model):
    world = published
    url = f"/api/v1/plans/{SLUG}/followups/?year=2025"
    approver_b = django_user_model.objects.create_user(username="approver_b")
    Membership.objects.create(
        user=approver_b, organisation=world.response_b.organisation, role=Role.APPROVER
    )
    for user, action in (
        (world.reporter_b, Action.SUBMIT),
        (approver_b, Action.APPROVE),
        (world.coordinator, Action.ACCEPT),
    ):
        response_transition(response=world.response_b, user=user, action=action)
    assert {row["bodies"] for row in client.get(url).json()["results"]} == {1}
    report_publish(campaign=world.campaign, user=world.coordinator, reason="Timrå accepterad.")
    assert {row["bodies"] for row in client.get(url).json()["results"]} == {2}
    # Reopened after publication: gone from the public figures at once.
    response_transition(
        response=world.response_a, user=world.coordinator, action=Action.REOPEN, reason="Fel år."
    )
    assert {row["bodies"] for row in client.get(url).json()["results"]} == {1}


@pytest.mark.django_db
def test_goal_page_counts_bodies_per_status_in_eight_queries(client, published):
    url = f"/planer/{SLUG}/v1/mal/2/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert len(queries) <= 8, [q["sql"] for q in queries]
    assert "Från den publicerade uppföljningen 2025" in page
    assert "accepterade svar från 1 organisationer" in page
    # Measure 2.1 concerns every body: Sundsvall reported it implemented.
    row = page.split('href="/planer/vasternorrland-2022-2026/v1/atgarder/2.1/"')[1].split("</tr>")[
        0
    ]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == [
        "0",
        "0",
        "0",
        "1",
        "0",
        "1",
    ]


@pytest.mark.django_db
def test_plan_api_answers_in_eight_queries(client, published):
    url = f"/api/v1/plans/{SLUG}/"
    with CaptureQueriesContext(connection) as queries:
        data = client.get(url).json()
    assert len(queries) <= 8, [q["sql"] for q in queries]
    assert sum(len(goal["measures"]) for goal in data["goals"]) == 40
    assert data["goals"][1]["measures"][0]["key"]
    assert "sundsvalls-kommun" in data["signatories"]


@pytest.mark.django_db
def test_organisation_page_shows_commitments_duties_and_published_texts(client, published):
    world = published
    world.response_a.refresh_from_db()
    answer = world.response_a.measure_answers.get(measure__code="2.1")
    page = client.get(f"/planer/{SLUG}/v1/organisationer/sundsvalls-kommun/").content.decode()
    assert "Upptäcka och identifiera barn som kan vara utsatt för våld" in page  # a duty
    assert "Rutin antagen." not in page  # not cleared for publication
    from nollvision.followup.services import answer_clear_for_publication

    answer.may_publish = True
    answer.save()
    answer_clear_for_publication(answer=answer, user=world.coordinator)
    page = client.get(f"/planer/{SLUG}/v1/organisationer/sundsvalls-kommun/").content.decode()
    assert "Rutin antagen." in page
    assert client.get(f"/planer/{SLUG}/v1/organisationer/okand/").status_code == 404


@pytest.mark.django_db
def test_journalist_downloads_progress_per_goal_as_csv(client, published):
    response = client.get(f"/api/v1/plans/{SLUG}/followups/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["goal"] for row in rows] == ["1", "2", "3", "4"]
    assert {row["year"] for row in rows} == {"2025"}
    total = sum(int(row["answers"]) for row in rows)
    assert total == published.response_a.measure_answers.count()
    assert sum(int(row["implemented"]) for row in rows) == total


@pytest.mark.django_db
def test_public_pages_send_security_headers_and_no_cookies(client, published):
    for url in public_routes() + API_ROUTES:
        response = client.get(url)
        assert response.cookies == {}, url
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, url
        assert "default-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_html_report_is_allowed_exactly_its_own_style(client, published):
    client.force_login(published.coordinator)
    response = client.get(
        reverse("backoffice:report-published", args=[published.campaign.pk, 1, "html"])
    )
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy
    assert ' style="' not in response.content.decode()


@pytest.mark.django_db
def test_openapi_document_is_valid_and_every_path_answers(client, published):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    for path, operations in document["paths"].items():
        url = path.replace("{slug}", SLUG)
        response = client.get(url)
        assert response.status_code == 200, url
        assert set(operations) == {"get"}
        csv_response = client.get(url, {"format": "csv"})
        assert csv_response["Content-Type"].startswith("text/csv"), url


@pytest.mark.django_db
def test_api_pages_and_refuses_bad_parameters(client, published):
    first = client.get("/api/v1/organisations/", {"page_size": 5}).json()
    assert first["count"] == 15
    assert len(first["results"]) == 5
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["page"] == 2
    assert second["results"][0]["slug"] > first["results"][-1]["slug"]
    assert client.get("/api/v1/organisations/", {"page_size": 0}).status_code == 422
    assert client.get("/api/v1/organisations/", {"page_size": 501}).status_code == 422
    assert client.get("/api/v1/organisations/", {"page": "x"}).status_code == 422
    assert client.get("/api/v1/plans/okand/").status_code == 404
    services = client.get("/api/v1/support-services/", {"area": "2260", "need": "stop"}).json()
    keys = {s["key"] for s in services["results"]}
    assert {"valj-att-sluta", "socialtjansten-ange"} <= keys
    assert "socialtjansten-timra" not in keys
    assert client.post("/api/v1/plans/").status_code == 405


# --- No raw identifiers (issue 25, item 7) ---------------------------------------------------


def test_the_identifier_check_finds_an_identifier_where_a_name_is_meant():
    known = {"vasternorrland-2022-2026", "regional-samverkansgrupp", "kvinnofridslinjen-se"}
    shown = "Protokoll: vasternorrland-2022-2026/regional-samverkansgrupp, 2025-03-01"
    assert raw_identifiers(shown, known) == {"vasternorrland-2022-2026", "regional-samverkansgrupp"}
    assert raw_identifiers("Regional samverkansgrupp: Möte", known) == set()
    assert raw_identifiers("Webbplats: www.kvinnofridslinjen-se.se/stod", known) == set()


@pytest.mark.django_db
def test_no_public_page_of_the_default_county_shows_a_raw_identifier(client, published):
    """Every public page reached by links from the home page (the published report in the
    site's frame, the minutes, support and indicators included) names things, never shows a
    slug, key or code (tests/plain_names.py)."""
    known = identifiers()
    assert {SLUG, "sundsvalls-kommun", "regional-samverkansgrupp", "anmalda-valdsbrott"} <= known
    texts = crawl(client)
    reached = set(texts)
    assert f"/planer/{SLUG}/v1/samverkan/" in reached
    assert f"/planer/{SLUG}/v1/organisationer/sundsvalls-kommun/" in reached
    assert any(path.startswith("/protokoll/") for path in reached)
    assert any(re.search(r"/rapporter/\d+/\d+\.html$", path) for path in reached)
    assert any(re.search(r"/rapporter/\d+/\d+\.bilaga\.html$", path) for path in reached)
    assert any(path.startswith("/stod/22") for path in reached)
    assert len(texts) > 60, len(texts)
    shown = {path: raw_identifiers(text, known) for path, text in texts.items()}
    assert {path: found for path, found in shown.items() if found} == {}
