"""The coordinator writes and revises the professionals' guide ("What do I do if ...") in the back
office (#24): situations and their steps, in order; the public pages show each change at once.
Only the coordinators of the plan's county may; another county's people do not even find it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from nollvision.accounts.models import OrganisationKind
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Duty, Term
from nollvision.support.models import Situation, Step
from nollvision.support.services import situation_save, step_save

from .helpers import guide_objects

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PERSONAL_NUMBER = "19121212-1212"  # the public test series, nobody's


def _url(name, *args):
    return reverse(f"backoffice:{name}", args=args)


def _public(slug, key) -> str:
    """The public situation page as a visitor without cookies sees it (served from the cache when
    it is there)."""
    response = Client().get(reverse("public:plan-situation", args=[slug, key]))
    assert response.status_code == 200
    return response.content.decode()


def _situation_data(key, sv, en="", intro=""):
    return {"key": key, "title_0": sv, "title_1": en, "introduction_0": intro, "introduction_1": ""}


def _step_data(stage, text, kind=None, contains=""):
    return {
        "stage": stage,
        "organisation_kind": kind.pk if kind else "",
        "text_0": text,
        "text_1": "",
        "duty_contains": contains,
    }


@pytest.fixture
def coordinator(client, world, template_contexts):
    """The county board's coordinator, with the forms of the pages at hand (`response.context`)."""
    client.force_login(world.coordinator)
    return client


def test_the_coordinator_writes_revises_and_orders_the_guide_and_the_public_page_follows(
    coordinator, world, settings
):
    settings.NOLLVISION_PUBLIC_CACHE_SECONDS = 600  # the public pages are cached, as in production
    slug = world.plan.slug
    guide = _url("guide", slug)
    home = coordinator.get(_url("home")).content.decode()
    assert f'href="{guide}"' in home

    response = coordinator.post(
        _url("guide-situation-add", slug),
        _situation_data(
            "hot-pa-jobbet", "En kollega hotas", "A colleague is threatened", "Lyssna."
        ),
    )
    situation = Situation.objects.get(plan_slug=slug, key="hot-pa-jobbet")
    assert response["Location"] == f"{guide}#situation-{situation.pk}"
    assert (dict(situation.title), dict(situation.introduction)) == (
        {"sv": "En kollega hotas", "en": "A colleague is threatened"},
        {"sv": "Lyssna."},
    )
    assert situation.history.first().history_user == world.coordinator
    assert "Lyssna." in _public(slug, "hot-pa-jobbet")  # now in the cache

    police = OrganisationKind.objects.get(code="police")
    add_step = _url("guide-step-add", slug, situation.pk)
    coordinator.post(add_step, _step_data("detect", "Fråga om våld."))
    coordinator.post(add_step, _step_data("investigate", "Polisen utreder.", police, "anmälan"))
    first, second = situation.steps.order_by("position")
    assert (first.position, first.stage, first.organisation_kind, str(first.text)) == (
        1,
        "detect",
        None,
        "Fråga om våld.",
    )
    assert (second.position, second.stage, second.organisation_kind, second.duty_contains) == (
        2,
        "investigate",
        police,
        "anmälan",
    )
    page = _public(slug, "hot-pa-jobbet")
    assert page.index("Fråga om våld.") < page.index("Polisen utreder.")
    listed = coordinator.get(guide).content.decode()
    assert listed.index("Fråga om våld.") < listed.index("Polisen utreder.")
    assert _url("guide-step", slug, first.pk) in listed

    # Revise: the title, a step's text and kind; the public page shows it at once.
    coordinator.post(
        _url("guide-situation", slug, situation.pk),
        _situation_data("hot-pa-jobbet", "En kollega hotas eller utsätts"),
    )
    coordinator.post(_url("guide-step", slug, first.pk), _step_data("support", "Erbjud stöd."))
    page = _public(slug, "hot-pa-jobbet")
    assert ("En kollega hotas eller utsätts" in page, "Erbjud stöd." in page) == (True, True)
    assert "Fråga om våld." not in page

    # Reorder: the second step up; the situation up to first place in the guide.
    response = coordinator.post(_url("guide-step-move", slug, second.pk), {"direction": "up"})
    assert response["Location"] == f"{guide}#step-{second.pk}"
    assert list(situation.steps.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    page = _public(slug, "hot-pa-jobbet")
    assert page.index("Polisen utreder.") < page.index("Erbjud stöd.")
    # Moving the first step further up changes nothing.
    coordinator.post(_url("guide-step-move", slug, second.pk), {"direction": "up"})
    assert Step.objects.get(pk=second.pk).position == 1
    other_situation = Situation.objects.create(plan_slug=slug, key="annat", title={"sv": "Annat"})
    coordinator.post(_url("guide-situation-move", slug, situation.pk), {"direction": "up"})
    assert list(Situation.objects.filter(plan_slug=slug).values_list("key", flat=True)) == [
        "hot-pa-jobbet",
        "annat",
    ]
    guide_page = Client().get(reverse("public:plan-guide", args=[slug])).content.decode()
    assert guide_page.index("En kollega hotas") < guide_page.index("Annat")

    # Delete a step: a confirmation page first, then the step is gone.
    delete_step = _url("guide-step-delete", slug, first.pk)
    confirm = coordinator.post(delete_step)
    assert (confirm.status_code, Step.objects.filter(pk=first.pk).exists()) == (200, True)
    assert 'name="confirmed" value="1"' in confirm.content.decode()
    coordinator.post(delete_step, {"confirmed": "1"})
    assert list(situation.steps.values_list("pk", flat=True)) == [second.pk]
    assert "Erbjud stöd." not in _public(slug, "hot-pa-jobbet")

    # Delete the situation: its steps go with it, and its public page.
    delete = _url("guide-situation-delete", slug, situation.pk)
    assert coordinator.post(delete).status_code == 200
    assert Situation.objects.filter(pk=situation.pk).exists()
    response = coordinator.post(delete, {"confirmed": "1"})
    assert response["Location"] == guide
    assert Situation.objects.filter(pk=situation.pk).exists() is False
    assert Step.objects.filter(pk=second.pk).exists() is False
    response = Client().get(reverse("public:plan-situation", args=[slug, "hot-pa-jobbet"]))
    assert response.status_code == 404
    assert list(Situation.objects.filter(plan_slug=slug)) == [other_situation]


def test_a_situation_key_is_unique_in_its_plan(coordinator, world):
    slug = world.plan.slug
    Situation.objects.create(plan_slug=slug, key="barn", title={"sv": "Barn"})
    response = coordinator.post(
        "/en" + _url("guide-situation-add", slug), _situation_data("barn", "Ett annat barn")
    )
    assert response.status_code == 200
    message = "Another situation of this plan has this identifier. Choose another one."
    assert response.context["form"].errors["key"] == [message]
    assert message in response.content.decode()
    assert list(Situation.objects.filter(plan_slug=slug).values_list("key", flat=True)) == ["barn"]
    # Changing a situation keeps its own key.
    barn = Situation.objects.get(plan_slug=slug, key="barn")
    coordinator.post(_url("guide-situation", slug, barn.pk), _situation_data("barn", "Barnet"))
    assert str(Situation.objects.get(pk=barn.pk).title) == "Barnet"


def test_a_personal_number_in_a_step_is_refused_at_the_field_and_nothing_is_saved(
    coordinator, world
):
    slug = world.plan.slug
    ids = guide_objects(world.plan)
    step = Step.objects.get(pk=ids["step"])
    response = coordinator.post(
        _url("guide-step", slug, step.pk), _step_data("detect", f"Gäller {PERSONAL_NUMBER}.")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["text"]
    assert str(Step.objects.get(pk=step.pk).text) == "Upptäck."
    response = coordinator.post(
        _url("guide-step-add", slug, ids["situation"]),
        _step_data("detect", "Ring.", contains=PERSONAL_NUMBER),
    )
    assert list(response.context["form"].errors) == ["duty_contains"]
    assert Step.objects.filter(situation_id=ids["situation"]).count() == 1


def test_a_step_names_a_stage_of_the_plans_chain(coordinator, world):
    slug = world.plan.slug
    ids = guide_objects(world.plan)
    response = coordinator.post(
        _url("guide-step-add", slug, ids["situation"]), _step_data("no-such-stage", "Ring.")
    )
    assert list(response.context["form"].errors) == ["stage"]
    form = coordinator.get(_url("guide-step-add", slug, ids["situation"])).context["form"]
    assert [code for code, _label in form.fields["stage"].choices] == [
        "",
        *Term.objects.filter(plan=world.plan, vocabulary=Vocabulary.CHAIN_STAGE)
        .order_by("position")
        .values_list("code", flat=True),
    ]
    choices = list(form.fields["organisation_kind"].choices)
    with translation.override("en"):
        assert (choices[0][0], str(choices[0][1])) == ("", "Every body")
    kinds = OrganisationKind.objects.filter(pk__in=[str(value) for value, _label in choices[1:]])
    assert {"police", "municipality"} <= set(kinds.values_list("code", flat=True))


def test_a_plan_without_chain_stages_gets_no_step_form_and_a_link_to_the_plan(coordinator, world):
    slug = world.plan.slug
    ids = guide_objects(world.plan)
    Duty.objects.filter(description__plan__slug=slug).update(chain_stage=None)
    Term.objects.filter(plan__slug=slug, vocabulary=Vocabulary.CHAIN_STAGE).delete()
    for url in (
        _url("guide-step-add", slug, ids["situation"]),
        _url("guide-step", slug, ids["step"]),
    ):
        response = coordinator.get(url)
        page = response.content.decode()
        assert (response.status_code, response.context["form"]) == (200, None)
        assert 'id="no-stages"' in page
        assert f'href="{_url("plan-editor", slug)}"' in page
        assert 'name="stage"' not in page
        response = coordinator.post(url, _step_data("detect", "Ring."))
        assert response.status_code == 200
    assert list(
        Step.objects.filter(situation_id=ids["situation"]).values_list("pk", flat=True)
    ) == [ids["step"]]
    guide = coordinator.get(_url("guide", slug)).content.decode()
    assert _url("guide-step-add", slug, ids["situation"]) not in guide
    assert f'href="{_url("plan-editor", slug)}"' in guide


def test_another_countys_coordinator_finds_nothing_and_changes_nothing(client, g, other):
    world = g.world
    slug = world.plan.slug
    ids = guide_objects(world.plan)
    theirs = guide_objects(other.plan)
    client.force_login(other.coordinator)
    before = list(Situation.objects.values_list("pk", "key", "position", "title"))
    steps_before = list(Step.objects.values_list("pk", "position", "text"))
    situation, step = ids["situation"], ids["step"]
    for name, args, data in (
        ("guide", [slug], {}),
        ("guide-situation-add", [slug], _situation_data("ny", "Ny")),
        ("guide-situation", [slug, situation], _situation_data("ny", "Ny")),
        ("guide-situation-move", [slug, situation], {"direction": "down"}),
        ("guide-situation-delete", [slug, situation], {"confirmed": "1"}),
        ("guide-step-add", [slug, situation], _step_data("detect", "Ny")),
        ("guide-step", [slug, step], _step_data("detect", "Ny")),
        ("guide-step-move", [slug, step], {"direction": "down"}),
        ("guide-step-delete", [slug, step], {"confirmed": "1"}),
        # Their own plan in the address does not reach the first county's objects either.
        ("guide-situation", [other.plan.slug, situation], _situation_data("ny", "Ny")),
        ("guide-situation-delete", [other.plan.slug, situation], {"confirmed": "1"}),
        ("guide-step", [other.plan.slug, step], _step_data("detect", "Ny")),
        ("guide-step-delete", [other.plan.slug, step], {"confirmed": "1"}),
    ):
        url = _url(name, *args)
        assert client.get(url).status_code in (404, 405), (name, "GET")
        assert client.post(url, data).status_code == 404, (name, "POST")
    assert list(Situation.objects.values_list("pk", "key", "position", "title")) == before
    assert list(Step.objects.values_list("pk", "position", "text")) == steps_before
    # Their own guide is theirs to keep.
    assert (
        client.get(_url("guide-situation", other.plan.slug, theirs["situation"])).status_code == 200
    )


def test_people_without_the_coordinators_role_are_refused(client, world):
    slug = world.plan.slug
    ids = guide_objects(world.plan)
    for user in (world.reporter_a, world.approver_a, world.reader):
        client.force_login(user)
        assert client.get(_url("guide", slug)).status_code == 403
        assert client.get(_url("guide-step", slug, ids["step"])).status_code == 403
        response = client.post(_url("guide-step-delete", slug, ids["step"]), {"confirmed": "1"})
        assert response.status_code == 403
    assert Step.objects.filter(pk=ids["step"]).exists()
    client.logout()
    response = client.get(_url("guide", slug))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_the_guide_page_reads_the_same_number_of_queries_for_one_and_three_situations(
    coordinator, world
):
    slug = world.plan.slug
    police = OrganisationKind.objects.get(code="police")

    def add(key):
        situation = situation_save(
            plan=world.plan, situation=None, data={"key": key, "title": {"sv": key}}
        )
        for stage in ("detect", "investigate"):
            step_save(
                plan=world.plan,
                situation=situation,
                step=None,
                data={"stage": stage, "organisation_kind": police, "text": {"sv": key}},
            )

    coordinator.get(_url("guide", slug))  # what the first page of a session reads once
    counts = []
    for keys in (["a"], ["b", "c"]):
        for key in keys:
            add(key)
        with CaptureQueriesContext(connection) as queries:
            response = coordinator.get(_url("guide", slug))
        assert response.status_code == 200
        counts.append(len(queries))
    assert Situation.objects.filter(plan_slug=slug).count() == 3
    assert counts[0] == counts[1]


def test_a_guide_of_an_unknown_plan_is_not_found(coordinator):
    assert coordinator.get(_url("guide", "ingen-sadan-plan")).status_code == 404


def _both(page, base, path, what) -> None:
    """The page in Swedish on a phone and in English on a desktop, each under axe, without
    sideways scrolling."""
    from .conftest import axe_run
    from .test_e2e import screenshot

    for language, size in (("", (390, 844)), ("/en", (1280, 900))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        reply = page.goto(base + language + path)
        assert reply.status == 200, (path, reply.status)
        results = axe_run(page, contrast=not language)
        assert results.violations_count == 0, (what, page.url, results.generate_report())
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        screenshot(page, f"guide-editor-{what}{language.replace('/', '-')}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_guide_and_its_step_form_in_the_browser(page, live_server, world):
    from .conftest import submit_and_wait
    from .test_e2e_followup import log_in

    world.coordinator.set_password("a-long-test-password")
    world.coordinator.save()
    ids = guide_objects(world.plan)
    situation = Situation.objects.get(pk=ids["situation"])
    police = OrganisationKind.objects.get(code="police")
    step_save(
        plan=world.plan,
        situation=situation,
        step=None,
        data={"stage": "investigate", "organisation_kind": police, "text": {"sv": "Polisen."}},
    )
    base, slug = live_server.url, world.plan.slug
    log_in(page, base, "coordinator")
    submit_and_wait(page, page.locator(f'main a[href="{_url("guide", slug)}"]'))  # from the home
    _both(page, base, _url("guide", slug), "guide")
    _both(page, base, _url("guide-step", slug, ids["step"]), "step")
    _both(page, base, _url("guide-situation", slug, ids["situation"]), "situation")

    # Keyboard only: the second step moves up with its button; a personal number is refused at
    # the field, under axe.
    page.goto(base + _url("guide", slug))
    button = page.locator(f"#step-{Step.objects.get(text__sv='Polisen.').pk} button[value=up]")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert [str(step.text) for step in situation.steps.order_by("position")] == [
        "Polisen.",
        "Upptäck.",
    ]
    page.goto(base + _url("guide-step", slug, ids["step"]))
    page.locator("#id_text_0").fill(f"Gäller {PERSONAL_NUMBER}.")
    submit_and_wait(page, page.locator("main form button[type=submit]"))
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_text_0").input_value() == f"Gäller {PERSONAL_NUMBER}."
    assert axe_violations(page) == 0
    assert str(Step.objects.get(pk=ids["step"]).text) == "Upptäck."

    # Deleting asks first, on a page of its own.
    page.goto(base + _url("guide", slug))
    submit_and_wait(page, page.locator(f"#step-{ids['step']} form[action$='/ta-bort/'] button"))
    assert page.locator("input[name=confirmed]").count() == 1
    assert axe_violations(page) == 0
    submit_and_wait(page, page.locator("main form button[type=submit]"))
    assert Step.objects.filter(pk=ids["step"]).exists() is False


def axe_violations(page) -> int:
    from .conftest import axe_run

    return axe_run(page).violations_count


def test_a_step_keeps_a_stage_the_plan_no_longer_has_but_takes_no_new_unknown_one(
    coordinator, world
):
    from django.core.exceptions import ValidationError

    slug = world.plan.slug
    ids = guide_objects(world.plan)
    situation = Situation.objects.get(pk=ids["situation"])
    step = Step.objects.create(situation=situation, position=2, stage="gammal", text={"sv": "Ett"})
    form = coordinator.get(_url("guide-step", slug, step.pk)).context["form"]
    assert ("gammal", "gammal") in form.fields["stage"].choices
    coordinator.post(_url("guide-step", slug, step.pk), _step_data("gammal", "Två"))
    step.refresh_from_db()
    assert (step.stage, str(step.text)) == ("gammal", "Två")
    for existing, stage in ((step, "annan"), (None, "gammal")):
        with pytest.raises(ValidationError) as refused:
            step_save(
                plan=world.plan,
                situation=situation,
                step=existing,
                data={"stage": stage, "text": {"sv": "Tre"}},
            )
        assert list(refused.value.message_dict) == ["stage"]
    assert list(situation.steps.order_by("position").values_list("stage", flat=True)) == [
        "detect",
        "gammal",
    ]


def test_moves_at_the_ends_and_odd_directions_change_nothing(coordinator, world):
    from nollvision.support.services import situation_move, step_move

    slug = world.plan.slug
    ids = guide_objects(world.plan)
    situation = Situation.objects.get(pk=ids["situation"])
    last = Situation.objects.create(plan_slug=slug, key="sist", position=5, title={"sv": "Sist"})
    assert situation_move(situation=last, up=False) is False
    assert step_move(step=Step.objects.get(pk=ids["step"]), up=True) is False
    for direction in ("", "sideways", "UP"):
        response = coordinator.post(
            _url("guide-situation-move", slug, situation.pk), {"direction": direction}
        )
        assert response["Location"] == f"{_url('guide', slug)}#situation-{situation.pk}"
    coordinator.post(_url("guide-situation-move", slug, situation.pk), {"direction": "down"})
    assert list(Situation.objects.filter(plan_slug=slug).values_list("key", "position")) == [
        ("sist", 0),
        ("matris", 1),
    ]
    assert coordinator.get(_url("guide-situation-move", slug, situation.pk)).status_code == 405


def test_the_rule_names_the_coordinators_of_the_plans_county_only(world):
    coordinator = world.coordinator
    assert coordinator.has_perm("support.change_guide", world.plan) is True
    assert coordinator.has_perm("support.change_guide", None) is False
    assert world.reporter_a.has_perm("support.change_guide", world.plan) is False


def test_a_situation_without_an_identifier_gets_one_from_its_title(coordinator, world):
    slug = world.plan.slug
    response = coordinator.post(
        _url("guide-situation-add", slug), _situation_data("", "Barn som far illa på förskolan")
    )
    assert response.status_code == 302
    situation = Situation.objects.get(plan_slug=slug, title__sv="Barn som far illa på förskolan")
    assert situation.key == "barn-som-far-illa-pa-forskolan"
    assert "Barn som far illa på förskolan" in _public(slug, situation.key)
