"""Several counties on one platform: each county's people see and change only their county's
support services, groups, measures and people; names that repeat carry their county; the public
pages follow the county in the address; a visitor from any of Sweden's municipalities finds
support; partial plan files import with warnings and pages leave out what the plan lacks."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from nollvision.accounts import geography
from nollvision.accounts.models import Invitation, Membership, Organisation, Role
from nollvision.meetings.models import GroupMember
from nollvision.meetings.services import minutes_publish
from nollvision.plans.models import Plan
from nollvision.plans.plan_file import PlanFileError, parse_plan_file
from nollvision.plans.services import plan_import
from nollvision.support.models import SupportService

from .helpers import SECOND_SLUG, default_plan_data, mutated, plan_yaml, second_county_plan_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


# --- The official list ---------------------------------------------------------------------------


def test_the_official_list_has_every_county_and_municipality():
    counties = geography.counties()
    municipalities = [m for c in counties for m in c.municipalities]
    assert (len(counties), len(municipalities)) == (21, 290)
    assert len({m.code for m in municipalities}) == 290
    assert all(m.code.startswith(m.county_code) for m in municipalities)
    assert geography.county("22").name == "Västernorrlands län"
    assert geography.county("0023").name == "Jämtlands län"
    assert geography.municipality("2281").name == "Sundsvall"
    assert geography.county_code_of_area("2380") == "23"
    assert geography.county_code_of_area("0000") is None
    assert geography.source().url.startswith("https://www.scb.se/")


# --- Support services ----------------------------------------------------------------------------


def test_each_coordinator_keeps_only_their_county_services(client, g, other):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    client.force_login(other.coordinator)
    page = client.get(reverse("backoffice:services")).content.decode()
    own = page.split('id="national-heading"')[0]
    assert "Stödlinjen i Östersund" in own
    assert "Socialtjänsten, Sundsvalls kommun" not in page
    assert "Kvinnofridslinjen" in page.split('id="national-heading"')[1]
    # Only the other county's own entry can be overdue for it, never Västernorrland's.
    assert "1 uppgift har inte kontrollerats" in page
    form = client.get(reverse("backoffice:service-create")).content.decode()
    codes = set(re.findall(r'<option value="(\d+)"', form))
    areas = {
        a.code
        for a in SupportService._meta.get_field("area").related_model.objects.filter(pk__in=codes)
    }
    assert areas == set(geography.county("23").area_codes)
    sundsvall = SupportService.objects.get(key="socialtjansten-sundsvall")
    response = client.post(
        reverse("backoffice:service-edit", args=[sundsvall.pk]),
        {"key": sundsvall.key, "name_0": "Kapad", "needs": ["adults"], "phone": "112"},
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("backoffice:service-verified", args=[sundsvall.pk])).status_code == 404
    )
    sundsvall.refresh_from_db()
    assert (str(sundsvall.name), sundsvall.last_verified) == (
        "Socialtjänsten, Sundsvalls kommun",
        None,
    )
    # Creating a service for an area of another county is refused too.
    harnosand = SupportService._meta.get_field("area").related_model.objects.get(code="2280")
    response = client.post(
        reverse("backoffice:service-create"),
        {"key": "fel-lan", "name_0": "Fel län", "needs": ["adults"], "area": harnosand.pk},
    )
    assert response.status_code == 200
    assert not SupportService.objects.filter(key="fel-lan").exists()


# --- Groups, meetings, measures ------------------------------------------------------------------


def test_groups_offer_only_the_plans_county(client, g, other):
    client.force_login(other.coordinator)
    page = client.get(reverse("backoffice:group", args=[other.group.pk])).content.decode()
    choices = page.split('name="organisation"')[1].split("</select>")[0]
    assert "Östersunds kommun" in choices
    assert "Sundsvalls kommun" not in choices
    response = client.post(
        reverse("backoffice:member-add", args=[other.group.pk]),
        {
            "username": g.world.reporter_a.username,
            "organisation": Organisation.objects.get(slug="ostersunds-kommun").pk,
            "role": "member",
        },
        follow=True,
    )
    assert "Ingen med det användarnamnet arbetar i en organisation i det här länet" in (
        response.content.decode()
    )
    assert not GroupMember.objects.filter(group=other.group, user=g.world.reporter_a).exists()
    sundsvall = Organisation.objects.get(slug="sundsvalls-kommun")
    response = client.post(
        reverse("backoffice:member-add", args=[other.group.pk]),
        {"username": other.approver.username, "organisation": sundsvall.pk, "role": "member"},
    )
    assert not GroupMember.objects.filter(group=other.group, user=other.approver).exists()
    action = client.get(reverse("backoffice:action-create", args=[other.item.pk])).content.decode()
    organisations = action.split('name="organisation"')[1].split("</select>")[0]
    assert "Länsstyrelsen Jämtlands län" in organisations
    assert "Länsstyrelsen Västernorrland" not in organisations
    actions = client.get(reverse("backoffice:actions")).content.decode()
    assert "Jämtlands uppdrag" in actions
    assert "Sammanställ rutinerna" not in actions


def test_decisions_and_actions_belong_to_their_plans_measure(client, g, other):
    """Both plans have a measure 2.1 with the same key: each page shows its own plan's work."""
    assert g.measure.key == other.measure.key
    for meeting in (g.meeting, other.meeting):
        minutes_publish(meeting=meeting, published=True)
    mine = client.get(f"/planer/{g.world.plan.slug}/v1/atgarder/2.1/").content.decode()
    theirs = client.get(f"/planer/{SECOND_SLUG}/v1/atgarder/2.1/").content.decode()
    assert "Sammanställ rutinerna" in mine
    assert "Jämtlands uppdrag" not in mine
    assert "Jämtlands uppdrag" in theirs
    assert "Sammanställ rutinerna" not in theirs
    client.force_login(g.world.coordinator)
    work = reverse("backoffice:measure-work", args=[g.world.plan.slug, g.measure.key])
    page = client.get(work).content.decode()
    assert "Sammanställ rutinerna" in page
    assert "Jämtlands uppdrag" not in page
    foreign = reverse("backoffice:measure-work", args=[SECOND_SLUG, other.measure.key])
    assert client.get(foreign).status_code == 404


def test_indicator_values_of_another_county_are_refused(client, g, other):
    from nollvision.indicators.csv_import import template
    from nollvision.indicators.loaders import indicator_set_load

    indicator_set_load()
    client.force_login(other.coordinator)
    upload = SimpleUploadedFile("v.csv", template("2281").encode())
    page = client.post(reverse("backoffice:indicator-upload"), {"file": upload}).content.decode()
    assert "2281 (Sundsvall) är inte ett område i ert län" in page
    assert client.get(reverse("backoffice:indicator-template")).content.decode() == template("0023")


# --- Names that repeat ---------------------------------------------------------------------------


def test_repeated_organisation_names_carry_their_county(admin_client, g, other):
    page = admin_client.get(reverse("admin:accounts_membership_add")).content.decode()
    choices = page.split('name="organisation"')[1].split("</select>")[0]
    assert ">Polismyndigheten (Västernorrlands län)<" in choices
    assert ">Polismyndigheten (Jämtlands län)<" in choices
    assert ">Sundsvalls kommun<" in choices  # unique: no county needed
    page = admin_client.get(reverse("admin:accounts_organisation_changelist")).content.decode()
    assert "Jämtlands län" in page


def test_every_organisation_field_names_repeated_counties():
    """Written once: every form field of every model field that points to organisations."""
    from django.apps import apps

    from nollvision.accounts.fields import _LabelMixin

    fields = [
        field
        for model in apps.get_models()
        if not hasattr(model, "instance_type")  # simple-history's copies are never edited
        for field in model._meta.get_fields()
        if field.is_relation
        and field.related_model is Organisation
        and not field.auto_created
        and field.editable
        and not field.one_to_many
    ]
    assert len(fields) >= 7
    for field in fields:
        assert isinstance(field.formfield(), _LabelMixin), f"{field.model.__name__}.{field.name}"


# --- Invitations through the admin ---------------------------------------------------------------


def test_the_admin_invites_through_the_invitation_service(admin_client, world):
    board = Organisation.objects.get(slug="lansstyrelsen-vasternorrland")
    url = reverse("admin:accounts_invitation_add")
    for email in ("ny@example.invalid", "andra@example.invalid"):
        response = admin_client.post(
            url, {"email": email, "organisation": board.pk, "role": Role.COORDINATOR}
        )
        assert response.status_code == 302
    invitations = list(Invitation.objects.order_by("email"))
    assert [i.email for i in invitations] == ["andra@example.invalid", "ny@example.invalid"]
    assert all(len(i.token_hash) == 64 for i in invitations)
    assert len({i.token_hash for i in invitations}) == 2
    assert [m.to for m in mail.outbox] == [["ny@example.invalid"], ["andra@example.invalid"]]
    assert "/konto/inbjudan/" in mail.outbox[0].body


# --- Setting up a county from the browser's pages ------------------------------------------------


def test_staff_set_up_a_county_and_its_coordinator_opens_a_follow_up(
    client, world, django_user_model
):
    staff = django_user_model.objects.create_user(username="drift", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("backoffice:counties") + "?county=23").url == "/arbete/lan/23/"
    url = reverse("backoffice:county", args=["23"])
    broken = mutated(
        second_county_plan_data(),
        lambda d: d["goals"][0]["measures"][1].update(code=d["goals"][0]["measures"][0]["code"]),
    )
    response = client.post(
        url,
        {"step": "plan", "file": SimpleUploadedFile("jamtland.yaml", plan_yaml(broken))},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"jamtland\.yaml:\d+ goals\[0\]\.measures\[1\]\.code", page)
    assert "Ingenting importerades" in page
    assert not Plan.objects.filter(slug=SECOND_SLUG).exists()
    wrong_county = SimpleUploadedFile("jamtland.yaml", plan_yaml(second_county_plan_data()))
    page = client.post(
        reverse("backoffice:county", args=["24"]), {"step": "plan", "file": wrong_county}
    )
    assert "filen gäller län 23, inte län 24" in page.content.decode()
    good = SimpleUploadedFile("jamtland.yaml", plan_yaml(second_county_plan_data()))
    response = client.post(url, {"step": "plan", "file": good}, follow=True)
    assert "Importerade jamtland-2023-2026 version 1 med 40 åtgärder." in response.content.decode()
    board = Organisation.objects.get(slug="lansstyrelsen-jamtland")
    page = client.get(url).content.decode()
    assert f'<option value="{board.pk}" selected>' in page  # the county board is suggested
    client.post(
        url, {"step": "invite", "email": "samordnare@jamtland.invalid", "organisation": board.pk}
    )
    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", mail.outbox[-1].body).group(0)
    client.logout()
    path = link.split("testserver", 1)[-1]
    response = client.post(
        path,
        {
            "full_name": "Samordnare Jämtland",
            "password1": "ett-långt-lösenord-2026",
            "password2": "ett-långt-lösenord-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    coordinator = get_user_model().objects.get(email="samordnare@jamtland.invalid")
    assert Membership.objects.get(user=coordinator).role == Role.COORDINATOR
    plan = Plan.objects.get(slug=SECOND_SLUG)
    response = client.post(
        reverse("backoffice:campaign-create"),
        {"plan": plan.pk, "year": 2025, "deadline": "2026-02-15", "introduction": ""},
    )
    assert response.status_code == 302
    campaign = plan.campaigns.get(year=2025)
    page = client.get(reverse("backoffice:campaign", args=[campaign.pk])).content.decode()
    participants = re.findall(r'name="participants" value="(\d+)" checked', page)
    assert len(participants) == len(second_county_plan_data()["organisations"])
    client.post(
        reverse("backoffice:campaign-action", args=[campaign.pk]),
        {"action": "open", "participants": participants},
    )
    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert {r.organisation.slug for r in campaign.responses.all()} == {
        o["slug"] for o in second_county_plan_data()["organisations"]
    }
    # Neither coordinator can reach the other's follow-up.
    assert client.get(reverse("backoffice:campaign", args=[world.campaign.pk])).status_code == 404


def test_staff_keep_a_countys_support_before_it_has_a_coordinator(admin_client, db):
    from .conftest import _areas_of_sweden

    areas = _areas_of_sweden()
    url = reverse("backoffice:county", args=["24"])
    page = admin_client.get(url).content.decode()
    assert "3. Stöd i länet" in page
    assert "Inget stödinslag för länet eller dess kommuner än" in page
    add = reverse("admin:support_supportservice_add")
    assert f'href="{add}"' in page
    umea = areas.get(code="2480")
    response = admin_client.post(
        add,
        {
            "key": "umea-stod",
            "name_0": "Stödlinjen i Umeå",
            "name_1": "",
            "position": 0,
            "for_whom_0": "Stöd för vuxna.",
            "for_whom_1": "",
            "needs": '["adults"]',
            "area": umea.pk,
            "url": "https://example.invalid/stod",
            "source": "https://example.invalid/stod",
        },
    )
    service = SupportService.objects.filter(key="umea-stod").first()
    assert service is not None, re.findall(r"errorlist[^>]*>.{0,300}", response.content.decode())
    page = admin_client.get(url).content.decode()
    assert "Stödlinjen i Umeå" in page
    assert "(Umeå)" in page
    assert reverse("admin:support_supportservice_change", args=[service.pk]) in page
    # The other counties' entries are not on this county's page.
    SupportService.objects.create(
        key="sundsvall-stod",
        name={"sv": "Stöd i Sundsvall"},
        needs=["adults"],
        area=areas.get(code="2281"),
    )
    assert "Stöd i Sundsvall" not in admin_client.get(url).content.decode()


# --- Plan files ----------------------------------------------------------------------------------


def test_a_plan_file_cannot_take_over_another_countys_plan_or_bodies(default_plan):
    taken_slug = mutated(
        second_county_plan_data(),
        lambda d: d["plan"].update(slug=default_plan.slug, version=2, previous_version=1),
    )
    with pytest.raises(PlanFileError) as error:
        plan_import(document=parse_plan_file(plan_yaml(taken_slug), "x.yaml"))
    assert "plan.slug: en plan med den här identifieraren tillhör ett annat län (22)" in str(
        error.value
    )
    taken_body = mutated(
        second_county_plan_data(),
        lambda d: d["organisations"][1].update(slug="polismyndigheten-vasternorrland"),
    )
    with pytest.raises(PlanFileError) as error:
        plan_import(document=parse_plan_file(plan_yaml(taken_body), "x.yaml"))
    assert (
        "organisations[1].slug: identifieraren polismyndigheten-vasternorrland är ett annat läns"
        in str(error.value)
    )
    police = Organisation.objects.get(slug="polismyndigheten-vasternorrland")
    assert police.region.code == "22"


def _partial_plan() -> dict:
    def strip(data):
        data["plan"]["slug"] = "delplan-2025"
        data["plan"]["region"] = {"code": "24", "name": "Västerbottens län"}
        data["plan"].pop("resource_centre", None)
        data["organisations"] = [
            {
                "slug": "umea-kommun",
                "name": "Umeå kommun",
                "kind": "municipality",
                "signatory": True,
            }
        ]
        data.pop("vocabularies")
        data.pop("responsibilities")
        data.pop("collaboration_bodies")
        for goal in data["goals"]:
            for measure in goal["measures"]:
                measure.pop("prevention_levels", None)
                measure.pop("violence_areas", None)

    return mutated(default_plan_data(), strip)


def test_a_partial_plan_file_imports_with_warnings(db, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "delplan.yaml"
    path.write_bytes(plan_yaml(_partial_plan()))
    call_command("import_plan", str(path), stdout=out, stderr=err)
    warnings = err.getvalue()
    for words in (
        "vocabularies.prevention_levels: inga preventionsnivåer",
        "vocabularies.violence_staircase: ingen våldstrappa",
        "vocabularies.chain_stages: inga steg i insatskedjan",
        "responsibilities: inga ansvarsbeskrivningar",
        "collaboration_bodies: inga samverkansorgan",
    ):
        assert words in warnings
    assert f"{path}:" in warnings  # located: file and line
    assert "Importerade delplan-2025 version 1" in out.getvalue()


def test_pages_leave_out_what_a_partial_plan_lacks(client, db, django_user_model):
    result = plan_import(document=parse_plan_file(plan_yaml(_partial_plan()), "delplan.yaml"))
    plan = result.plan
    page = client.get(f"/planer/{plan.slug}/v1/").content.decode()
    for heading in ("Våldstrappan", "Preventionsnivåer", 'name="level"', 'name="area"'):
        assert heading not in page
    page = client.get(f"/planer/{plan.slug}/v1/ansvar/").content.decode()
    assert "Insatskedjan" not in page
    assert "Ansvarsbeskrivningar" not in page
    page = client.get(f"/planer/{plan.slug}/v1/atgarder/1.1/").content.decode()
    assert "Preventionsnivåer" not in page
    # The easy-read page says what a plan is about from its own vocabulary, and this one has none.
    page = client.get(f"/planer/{plan.slug}/lattlast/").content.decode()
    assert "Planen handlar om:" not in page
    assert "Västerbottens län" in page
    from nollvision.followup.services import campaign_create, campaign_open

    campaign = campaign_create(plan=plan, year=2025, deadline=date(2026, 2, 15))
    campaign_open(campaign=campaign)
    reporter = django_user_model.objects.create_user(username="umea")
    Membership.objects.create(
        user=reporter, organisation=Organisation.objects.get(slug="umea-kommun"), role=Role.REPORTER
    )
    client.force_login(reporter)
    response = campaign.responses.get()
    page = client.get(reverse("backoffice:response", args=[response.pk])).content.decode()
    assert "Preventionsnivåer som berörts" not in page
    assert "på er webbplats" not in page  # no resource centre in the plan: not asked


def test_the_easy_read_page_says_what_the_countys_plan_is_about(client, world):
    from nollvision.plans.models import Term

    page = client.get(f"/planer/{world.plan.slug}/lattlast/").content.decode()
    assert "Planen handlar om:" in page
    areas = Term.objects.filter(plan=world.plan, vocabulary="violence_areas")
    assert areas.count() >= 5
    for area in areas:
        assert f"<li>{area.label['sv']}</li>" in page
    areas.filter(code="heder").delete()
    page = client.get(f"/planer/{world.plan.slug}/lattlast/").content.decode()
    assert "<li>Hedersrelaterat våld och förtryck</li>" not in page


def test_county_wording_comes_from_the_plan(client, world, other, django_user_model):
    client.force_login(world.reporter_a)
    page = client.get(reverse("backoffice:response", args=[world.response_a.pk])).content.decode()
    assert "Västernorrland mot våld på er webbplats" in page
    client.force_login(other.reporter)
    page = client.get(reverse("backoffice:response", args=[other.response.pk])).content.decode()
    body = page.split('id="body"')[1]
    assert "Resurscentrum Jämtland på er webbplats" in body
    assert "Västernorrland" not in body
    client.logout()
    easy = client.get(f"/planer/{SECOND_SLUG}/lattlast/").content.decode()
    assert "Det här är en plan för Jämtlands län." in easy
    assert "<li>Kommun (2)</li>" in easy
    assert "Västernorrland" not in easy.split("<main")[1]


# --- The public site for every county ------------------------------------------------------------


COUNTY_LESS = re.compile(r'href="(?:/en)?/(?:indikatorer|siffror|lattlast|vad-gor-jag)/[^"]*"')


def _crawl(client, starts: list[str], inside: tuple[str, ...], most: int = 90) -> dict[str, str]:
    """The pages reached from `starts` by following links whose address begins with one of
    `inside` (files and the quick exit left out), as {address: page}."""
    seen, queue, pages = set(starts), list(starts), {}
    while queue and len(pages) < most:
        path = queue.pop(0)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        page = response.content.decode()
        pages[path] = page
        for link in re.findall(r'href="(/[^"#?]*)', page):
            if link.startswith(inside) and "dokument." not in link and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def test_a_crawl_of_each_countys_pages_stays_in_that_county(client, world, other):
    """From each county's plan pages, in both languages: every link carries the county (none to
    a county-less address), and no page names the other county."""
    names = {world.plan.slug: "Västernorrland", SECOND_SLUG: "Jämtland"}
    for slug, own in names.items():
        foreign = next(name for name in names.values() if name != own)
        starts = [f"/planer/{slug}/", f"/en/planer/{slug}/"]
        pages = _crawl(client, starts, (f"/planer/{slug}/", f"/en/planer/{slug}/"))
        assert len(pages) > 40, len(pages)
        for path, page in pages.items():
            assert not COUNTY_LESS.search(page), (path, COUNTY_LESS.search(page).group(0))
            main = page.split("<main", 1)[1].split("</main>", 1)[0]
            assert foreign not in main, (path, foreign)


def test_with_two_counties_the_visitor_chooses_and_pages_follow_the_county(client, world, other):
    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    home = client.get("/").content.decode()
    assert f'href="/planer/{SECOND_SLUG}/"' in home
    assert f'href="/planer/{world.plan.slug}/"' in home
    assert 'href="/stod/"' in home
    page = client.get(f"/planer/{SECOND_SLUG}/").content.decode()
    for name in ("indikatorer", "siffror", "lattlast", "vad-gor-jag"):
        assert f'href="/planer/{SECOND_SLUG}/{name}/"' in page
    page = client.get(f"/planer/{world.plan.slug}/").content.decode()
    # Every county is the default county: the first one's links carry it too.
    for name in ("indikatorer", "siffror", "lattlast", "vad-gor-jag"):
        assert f'href="/planer/{world.plan.slug}/{name}/"' in page
        assert f'href="/{name}/"' not in page
    # A county-less address asks which county, and leads to the same page in each.
    for language in ("", "/en"):
        for name in ("indikatorer", "siffror", "lattlast", "vad-gor-jag", "vad-gor-jag/barn"):
            ask = client.get(f"{language}/{name}/")
            assert ask.status_code == 200
            chooser = ask.content.decode()
            for slug in (world.plan.slug, SECOND_SLUG):
                assert f'href="{language}/planer/{slug}/{name}/"' in chooser, (language, name)
            assert ("välj ditt län" if not language else "choose your county") in chooser
    # The chooser says which page was asked for.
    assert "<h1>Indikatorer – välj ditt län</h1>" in client.get("/indikatorer/").content.decode()
    indicators = client.get(f"/planer/{SECOND_SLUG}/indikatorer/").content.decode()
    assert "Jämtlands län" in indicators
    # No area of Västernorrland (Sweden's figures may cite a Sundsvall newspaper as their source).
    assert "Sundsvall</th>" not in indicators
    assert "Västernorrlands län</th>" not in indicators
    figures = client.get(f"/planer/{SECOND_SLUG}/siffror/").content.decode()
    assert "Västernorrlands län" not in figures
    assert "planen anger" not in figures  # Västernorrland's printed figures stay Västernorrland's
    guide = client.get(f"/planer/{SECOND_SLUG}/vad-gor-jag/").content.decode()
    assert "Jämtlands län" in guide
    assert client.get("/planer/finns-inte/indikatorer/").status_code == 404
    # The back office's menu follows the person's county.
    for person, slug in ((world.coordinator, world.plan.slug), (other.coordinator, SECOND_SLUG)):
        client.force_login(person)
        work = client.get(reverse("backoffice:home")).content.decode()
        assert f'href="/planer/{slug}/indikatorer/"' in work
        assert 'href="/indikatorer/"' not in work
    client.logout()


def test_published_minutes_carry_their_countys_frame(client, g, other):
    minutes_publish(meeting=other.meeting)
    page = client.get(f"/protokoll/{other.meeting.pk}/").content.decode()
    assert f'href="/planer/{SECOND_SLUG}/indikatorer/"' in page
    assert 'href="/indikatorer/"' not in page


def test_with_one_county_the_home_page_is_its_plan(client, default_plan):
    page = client.get("/").content.decode()
    assert "Välj ditt län" not in page
    assert default_plan.title["sv"] in page


def test_a_visitor_from_any_municipality_finds_support(client, g, other):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    start = client.get("/stod/").content.decode()
    assert len(re.findall(r'<option value="[0-9]{4}"', start)) == 290
    # Nothing preselected, the label reads right on its own, and the counties with a plan here
    # come first (in Swedish order), their municipalities in Swedish order too.
    assert '<option value="">– välj en kommun –</option>' in start
    assert "selected" not in start.split('id="kommun"')[1].split("</select>")[0]
    assert '<label for="kommun">Din kommun</label>' in start
    groups = re.findall(r'<optgroup label="([^"]+)">', start)
    assert groups[:2] == ["Jämtlands län", "Västernorrlands län"]
    assert len(groups) == 21
    vasternorrland = start.split('<optgroup label="Västernorrlands län">')[1].split("</optgroup>")[
        0
    ]
    names = re.findall(r">([^<]+)</option>", vasternorrland)
    assert (names[0], names[-1]) == ("Härnösand", "Örnsköldsvik"), names
    # With several counties here the visitor chooses from the list (no 290 links); once a place
    # is chosen, its county's municipalities are links.
    assert 'href="/stod/2281/"' not in start
    assert client.get("/stod/?kommun=0980").url == "/stod/0980/"
    gotland = client.get("/stod/0980/").content.decode()
    assert "<h1>Stöd i Gotland</h1>" in gotland
    assert "Kvinnofridslinjen" in gotland
    assert "Socialtjänsten, Sundsvalls kommun" not in gotland
    ostersund = client.get("/stod/2380/").content.decode()
    assert 'href="/stod/2321/"' in ostersund  # Åre, in the same county
    assert 'href="/stod/2281/"' not in ostersund
    assert '<option value="2380" selected>' in ostersund
    assert "Stödlinjen i Östersund" in ostersund
    assert "Västernorrland mot våld" not in ostersund
    assert f'href="/planer/{SECOND_SLUG}/indikatorer/"' in ostersund  # the menu follows
    county = client.get("/stod/0023/").content.decode()
    assert "<h1>Stöd i Jämtlands län</h1>" in county
    assert client.get("/stod/lanet/").url == "/stod/0022/"
    assert client.get("/stod/9999/").status_code == 404
    assert client.get("/stod/?kommun=9999").status_code == 404


# --- The API by county ---------------------------------------------------------------------------


def test_the_api_lists_one_countys_plans_bodies_and_services_with_one_spelling_of_codes(
    client, g, other
):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    every = client.get("/api/v1/organisations/?page_size=500").json()["results"]
    police = [o for o in every if o["name"] == "Polismyndigheten"]
    assert sorted(o["county"] for o in police) == ["22", "23"]  # the same name, two counties
    for county in ("22", "23"):
        bodies = client.get(f"/api/v1/organisations/?county={county}&page_size=500").json()
        assert bodies["results"]
        assert {o["county"] for o in bodies["results"]} == {county}
        plans = client.get(f"/api/v1/plans/?county={county}").json()["results"]
        assert plans
        assert {p["county"] for p in plans} == {county}
        services = client.get(f"/api/v1/support-services/?county={county}&page_size=500").json()
        assert services["results"]
        assert {s["county"] for s in services["results"]} == {county}  # no national line
        assert {s["area"] for s in services["results"]} <= set(geography.county(county).area_codes)
    # One spelling across the API: a county in two digits, an area in four.
    ostersund = client.get("/api/v1/support-services/?area=2380&page_size=500").json()["results"]
    assert {s["county"] for s in ostersund} == {"23", None}
    assert all(s["area"] is None or len(s["area"]) == 4 for s in ostersund)
    # A code that names no county or area answers 404; one of the wrong shape 422.
    answers = {
        "/api/v1/organisations/?county=99": 404,
        "/api/v1/plans/?county=00": 404,
        "/api/v1/support-services/?county=98": 404,
        "/api/v1/support-services/?area=9999": 404,
        "/api/v1/organisations/?county=2": 422,
        "/api/v1/plans/?county=022": 422,
        "/api/v1/support-services/?area=22": 422,
        "/api/v1/support-services/?county=²²": 422,
    }
    assert {url: client.get(url).status_code for url in answers} == answers
    # A county with no plan here is a county: an empty list, not an error.
    assert client.get("/api/v1/plans/?county=01").json()["results"] == []
