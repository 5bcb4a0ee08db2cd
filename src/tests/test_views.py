"""Public pages in both languages, filters, visibility of drafts, admin pages."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from nollvision.plans.enums import PlanStatus
from nollvision.plans.models import Measure

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
SLUG = "vasternorrland-2022-2026"


def page_urls(plan) -> list[str]:
    return [
        reverse("public:home"),
        reverse("public:plan-list"),
        reverse("public:plan-detail", args=[SLUG]),
        reverse("public:plan-version", args=[SLUG, plan.version]),
        reverse("public:measure-detail", args=[SLUG, plan.version, "2.7"]),
        reverse("public:responsibilities", args=[SLUG, plan.version]),
        reverse("public:collaboration", args=[SLUG, plan.version]),
        reverse("public:plan-compare", args=[SLUG]),
        reverse("accounts:login"),
        reverse("public:figures"),
        reverse("public:indicators"),
    ]


def measure_codes(html: str) -> list[str]:
    return re.findall(r'id="measure-([0-9.]+)"', html)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_page_answers_in_both_languages(client, default_plan, language):
    with translation.override(language):
        urls = page_urls(default_plan)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()
        if language == "en":
            assert url.startswith("/en/")


def test_the_plan_page_shows_every_measure_and_the_home_page_leads_to_it(client, default_plan):
    home = client.get("/").content.decode()
    assert measure_codes(home) == []  # the home page is a front door; the measures are here:
    assert f'href="/planer/{SLUG}/v1/"' in home
    html = client.get(f"/planer/{SLUG}/").content.decode()
    assert measure_codes(html) == list(
        default_plan.measures.order_by("goal__number", "position").values_list("code", flat=True)
    )
    assert "att all personal genomgår webbkurs om våld" in html
    assert "Visar 40 åtgärder av 40." in html


def test_english_page_is_in_english_and_marks_swedish_text(client, default_plan):
    html = client.get(f"/en/planer/{SLUG}/").content.decode()
    assert "Better knowledge and method development" in html
    assert "Showing 40 measures of 40." in html
    assert "(in Swedish)" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"goal": "3"}, [f"3.{n}" for n in range(1, 11)]),
        ({"area": "prostitution"}, ["1.3", "2.3", "3.6", "3.7", "3.8", "4.2"]),
        ({"level": "universal", "goal": "2"}, ["2.6"]),
        ({"kind": "prosecution", "goal": "3"}, ["3.1", "3.2", "3.3", "3.4", "3.5", "3.9", "3.10"]),
    ],
)
def test_filters_narrow_the_list(client, default_plan, query, expected):
    html = client.get(reverse("public:plan-detail", args=[SLUG]), query).content.decode()
    assert measure_codes(html) == expected


def test_kind_filter_includes_measures_for_every_kind(client, default_plan):
    html = client.get(f"/planer/{SLUG}/", {"kind": "migration"}).content.decode()
    codes = set(measure_codes(html))
    assert "2.3" in codes  # names migration
    assert "4.1" in codes  # names no kind: concerns everyone
    assert "3.1" not in codes  # police and prosecution only
    expected = {
        m.code
        for m in Measure.objects.filter(plan=default_plan).prefetch_related("organisation_kinds")
        if not m.organisation_kinds.all()
        or any(k.code == "migration" for k in m.organisation_kinds.all())
    }
    assert codes == expected


def test_invalid_filter_value_shows_an_error_and_every_measure(client, default_plan):
    html = client.get(f"/planer/{SLUG}/", {"goal": "99"}).content.decode()
    assert 'class="error"' in html
    assert len(measure_codes(html)) == 40


def test_draft_plan_is_hidden_from_the_public_and_shown_to_staff(client, default_plan, staff_user):
    default_plan.status = PlanStatus.DRAFT
    default_plan.save()
    url = reverse("public:plan-detail", args=[SLUG])
    assert client.get(url).status_code == 404
    assert "Ingen plan har publicerats ännu." in client.get("/").content.decode()
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_unknown_measure_is_404(client, default_plan):
    assert client.get(reverse("public:measure-detail", args=[SLUG, 1, "9.9"])).status_code == 404


def test_responsibilities_page_lists_signatories_and_duties(client, default_plan):
    html = client.get(reverse("public:responsibilities", args=[SLUG, 1])).content.decode()
    assert html.count('class="duties"') >= 8
    for name in ["Länsstyrelsen Västernorrland", "Migrationsverket", "Örnsköldsviks kommun"]:
        assert name in html
    assert "Arbeta i enlighet med SOSFS 2014/4." in html


def test_collaboration_page_lists_the_four_bodies(client, default_plan):
    html = client.get(reverse("public:collaboration", args=[SLUG, 1])).content.decode()
    assert re.findall(r"<h3>(.*?)</h3>", html) == [
        "Länsstyrelsen",
        "Regional ledningsgrupp",
        "Regional samverkansgrupp",
        "Operativ samverkansgrupp",
    ]


def test_plan_page_query_count_does_not_grow_with_filters(client, default_plan):
    url = f"/planer/{SLUG}/"
    client.get(url)  # the menu's reads of the counties' plans, kept for the cache's generation
    with CaptureQueriesContext(connection) as all_measures:
        client.get(url)
    with CaptureQueriesContext(connection) as one_goal:
        client.get(url, {"goal": "1"})
    assert len(all_measures) == len(one_goal)
    assert len(all_measures) <= 15


def test_language_switch_keeps_the_page(client, default_plan):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/planer/vasternorrland-2022-2026/v1/ansvar/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/planer/vasternorrland-2022-2026/v1/ansvar/"


def test_login_works(client, staff_user):
    response = client.post(
        reverse("accounts:login"), {"username": "staff", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == staff_user


def test_every_model_has_an_admin_that_opens(client, default_plan, staff_user):
    client.force_login(staff_user)
    # Historical* models (django-simple-history) are shown through their model's history page.
    ours = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("nollvision.") and not m.__name__.startswith("Historical")
    ]
    assert {m.__name__ for m in ours} - {m.__name__ for m in admin.site._registry} == set()
    for model in ours:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


# A state another person must act on moves only through its service, which tells them: the admin
# shows these and never edits them.
WORKFLOW_STATES = {
    ("followup", "Campaign"): {"status"},
    ("followup", "Response"): {"status"},
    ("plans", "Plan"): {"status", "adopted_on"},
    ("plans", "Consultation"): {"closed_at"},
    ("plans", "ConsultationAnswer"): {"submitted_at", "submitted_by"},
    ("plans", "Signing"): {"signed_on"},
    ("meetings", "Meeting"): {"minutes_published_at"},
    ("reports", "PublishedReport"): {"published_at"},
    ("accounts", "Invitation"): {"accepted_at"},
}


def test_the_admin_shows_workflow_states_and_never_edits_them(rf, client, staff_user):
    request = rf.get("/")
    request.user = staff_user
    for (app, name), states in WORKFLOW_STATES.items():
        model = apps.get_model(app, name)
        model_admin = admin.site._registry[model]
        for obj in (None, model()):  # the add form and a change form
            form = model_admin.get_form(request, obj)
            assert not states & set(form.base_fields), name
    client.force_login(staff_user)
    add = client.get(reverse("admin:followup_campaign_add")).content.decode()
    assert 'name="status"' not in add


def test_admin_edits_translated_text(client, default_plan, staff_user):
    client.force_login(staff_user)
    goal = default_plan.goals.get(number=3)
    url = reverse("admin:plans_goal_change", args=[goal.pk])
    response = client.post(
        url,
        {
            "plan": default_plan.pk,
            "number": 3,
            "title_0": "Effektivare brottsbekämpning",
            "title_1": "More effective law enforcement!",
            "text_0": "",
            "text_1": "",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == {
        "sv": "Effektivare brottsbekämpning",
        "en": "More effective law enforcement!",
    }
    response = client.post(
        url,
        {
            "plan": default_plan.pk,
            "number": 3,
            "title_0": "",
            "title_1": "Only English",
            "text_0": "",
            "text_1": "",
        },
    )
    assert response.status_code == 200
    assert "Svensk text krävs." in response.content.decode()


def test_every_page_names_its_icon_so_no_browser_asks_for_a_missing_favicon(client, default_plan):
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    (href,) = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    found = finders.find(href.removeprefix("/static/"))
    assert found
    assert Path(found).read_bytes().startswith(b"<svg")
