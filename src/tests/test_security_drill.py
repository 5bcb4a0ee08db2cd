"""Security drill over every route: CSRF on every form, who may reach what, hostile input."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from nollvision.meetings.models import Decision

from .helpers import pdf_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Routes that take no form posts from browsers: the read-only API (its views answer 405).
CSRF_EXEMPT_PREFIXES = ("/api/v1/",)


def all_routes(resolver=None, prefix="") -> list[str]:
    """Every URL of the project, with each parameter filled by a sample value."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += all_routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            routes.append(pattern)
    filled = []
    for route in routes:
        if route.startswith("^") or "(" in route:  # the admin's regular expressions
            route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
            route = re.sub(r"\([^)]*\)", "1", route).replace("^", "").replace("$", "")
            route = route.replace("\\", "")
        route = re.sub(r"<int:[^>]+>", "1", route)
        route = re.sub(r"<(?:str|slug|path):[^>]+>|<[^>:]+>", "x", route)
        filled.append("/" + route.lstrip("/"))
    return sorted(set(filled))


def test_every_form_post_needs_the_csrf_token(g):
    client = Client(enforce_csrf_checks=True)
    client.force_login(g.world.coordinator)
    checked = 0
    for route in all_routes():
        if route.startswith(CSRF_EXEMPT_PREFIXES):
            continue
        response = client.post(route, {"x": "1"})
        assert response.status_code == 403, route
        assert b"CSRF" in response.content, route
        checked += 1
    assert checked > 60


def test_backoffice_routes_for_the_anonymous_and_for_someone_without_a_role(
    client,
    g,
    django_user_model,
):
    nobody = django_user_model.objects.create_user(username="nobody")
    work = [r for r in all_routes() if r.startswith("/arbete/")]
    assert len(work) > 40
    # Someone without a role reaches their work page (which says so) and nothing else.
    open_to_any_user = {"/arbete/"}
    for route in work:
        response = client.get(route)
        assert response.status_code in (302, 405), route
        if response.status_code == 302:
            assert response["Location"].startswith("/konto/logga-in/"), route
    client.force_login(nobody)
    for route in work:
        response = client.get(route)
        if route in open_to_any_user:
            assert response.status_code in (200, 404), route
        else:
            assert response.status_code in (403, 404, 405), (route, response.status_code)
    # What the open page shows someone without a role: nothing of anyone's.
    assert "Sammanställ rutinerna" not in client.get("/arbete/").content.decode()
    assert client.get("/arbete/uppdrag/").status_code == 403


HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "\u200d 👩🏽‍⚕️ ÅÄÖ",  # a zero-width joiner inside an emoji sequence is ordinary text
]
# Invisible control characters are refused (test_text_guards.py), never stored or shown.
INVISIBLE = "\u202eevil\u202c \u200b"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_text_and_shown_escaped(client, g, text):
    client.force_login(g.secretary)
    client.post(f"/arbete/punkter/{g.item.pk}/beslut/", {"text": text})
    assert Decision.objects.get(item=g.item).text == text
    client.post(f"/arbete/punkter/{g.item.pk}/", {"title": text})
    page = client.get(f"/arbete/moten/{g.meeting.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    if "<" in text:
        assert "&lt;" in page
    else:
        assert text in page


def test_nul_characters_and_overlong_titles_are_refused_with_a_message(client, g):
    client.force_login(g.secretary)
    page = client.post(f"/arbete/punkter/{g.item.pk}/", {"title": "a\x00b"}).content.decode()
    assert "formuläret innehåller ett tecken som inte är tillåtet" in page
    page = client.post(f"/arbete/punkter/{g.item.pk}/", {"title": INVISIBLE}).content.decode()
    assert "osynliga styrtecken (U+200B, U+202C, U+202E)" in page
    page = client.post(f"/arbete/punkter/{g.item.pk}/", {"title": "x" * 301}).content.decode()
    assert "300 tecken (det har 301)" in page or "300 tecken (den har 301)" in page
    g.item.refresh_from_db()
    assert g.item.title == "Rutiner"


def test_a_text_over_its_limit_is_refused_and_one_at_the_limit_kept_whole(client, g):
    client.force_login(g.secretary)
    url = f"/arbete/punkter/{g.item.pk}/beslut/"
    reply = client.post(url, {"text": "x" * 10_001})
    assert reply.status_code == 400
    assert "som mest 10000 tecken (den har 10001)" in reply.content.decode()
    assert ">" + "x" * 10_001 + "</textarea>" in reply.content.decode()  # nothing lost
    assert not Decision.objects.filter(item=g.item).exists()
    text = ("Lång text. " * 1000)[:10_000].strip()
    client.post(url, {"text": text})
    assert Decision.objects.get(item=g.item).text == text
    assert client.get(f"/arbete/moten/{g.meeting.pk}/").status_code == 200


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_an_answer_and_a_support_service_is_shown_escaped(client, world, text):
    from nollvision.followup.models import MeasureAnswer
    from nollvision.support.models import SupportService

    from .test_backoffice_views import page_data

    client.force_login(world.reporter_a)
    answer = world.response_a.measure_answers.order_by("pk").first()
    post = page_data(world.response_a)
    post[f"m{answer.pk}-status"] = "ongoing"
    post[f"m{answer.pk}-done"] = text
    client.post(f"/arbete/svar/{world.response_a.pk}/", post)
    assert MeasureAnswer.objects.get(pk=answer.pk).done == text
    page = client.get(f"/arbete/svar/{world.response_a.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    client.force_login(world.coordinator)
    service = SupportService.objects.create(
        key="fientlig", name={"sv": text}, needs=["adults"], phone="112"
    )
    page = client.get(f"/arbete/stod/{service.pk}/").content.decode()
    page += client.get("/stod/lanet/").content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_a_zip_bomb_workbook_is_refused_before_it_is_read(client, world):
    import zipfile
    from io import BytesIO

    from django.urls import reverse

    from nollvision.followup.models import MeasureAnswer

    client.force_login(world.reporter_a)
    workbook = client.get(reverse("backoffice:response-excel", args=[world.response_a.pk]))
    bomb = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(workbook.content)) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("xl/padding.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")
    assert len(bomb.getvalue()) < 1024 * 1024  # small to upload, 60 MB once unpacked
    bomb.name = "svar.xlsx"
    bomb.seek(0)
    before = list(MeasureAnswer.objects.values_list("pk", "version"))
    page = client.post(
        reverse("backoffice:response-upload", args=[world.response_a.pk]), {"file": bomb}
    ).content.decode()
    assert "packas upp till 60 MB" in page
    assert list(MeasureAnswer.objects.values_list("pk", "version")) == before


def test_an_oversized_indicator_file_is_refused_without_being_read(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nollvision.indicators.models import IndicatorValue

    client.force_login(world.coordinator)
    huge = SimpleUploadedFile("stor.csv", b"indicator,area,year,sex,value\n" * 400_000)
    assert huge.size > 10 * 1024 * 1024
    page = client.post("/arbete/indikatorer/", {"file": huge}).content.decode()
    assert "Filen är större än 10 MB." in page
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_the_report_and_the_guide_is_shown_escaped(client, world, text):
    from nollvision.reports.documents import render, report_content
    from nollvision.reports.models import Report
    from nollvision.reports.services import report_save
    from nollvision.support.models import Step
    from nollvision.support.services import guide_load

    report_save(
        report=Report.objects.get_or_create(campaign=world.campaign)[0],
        user=world.coordinator,
        summary=f"Sammanfattning {text}",
        conclusions=text,
        analyses={"1": text},
    )
    content = report_content(world.campaign)
    for fmt in ("html", "bilaga.html"):
        html = render(content, fmt).decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    html = render(content, "html").decode()
    assert ("&lt;" in html) if "<" in text else (text in html)
    assert "Sammanfattning" in "".join(pdf_text(render(content, "pdf")))

    guide_load()
    step = Step.objects.order_by("pk").first()
    step.text = {"sv": text}
    step.save()
    page = client.get(f"/vad-gor-jag/{step.situation.key}/").content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_nul_characters_in_addresses_and_queries_never_reach_the_database(client, g):
    """PostgreSQL refuses NUL in any string; a request carrying one is turned away first."""
    paths = [r for r in all_routes() if not r.startswith(("/admin/", "/api/"))]
    client.force_login(g.world.coordinator)
    for route in paths:
        for url in (f"{route}?q=%00&goal=1", route.replace("/x/", "/a%00b/") + "?goal=%00"):
            assert client.get(url).status_code == 400, url
    for url in (
        "/api/v1/plans/a%00b/",
        "/api/v1/plans/a%00b/followups/",
        "/api/v1/support-services/?area=%00",
    ):
        assert client.get(url).status_code in (404, 422), url
