"""A county set up from a partial plan file completes its plan in the editor (#24, item 4): the
coordinator adds the stages of the chain and the other vocabularies, adds and removes
responsibility descriptions of the kinds of body the plan has, is warned of measures naming a
kind no body of the plan is, and adopts the result; a term still in use cannot be removed."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from nollvision.accounts.models import Membership, Organisation, OrganisationKind, Role
from nollvision.plans import editor, gaps
from nollvision.plans.editor import DutyFields, TermFields, Text
from nollvision.plans.enums import PlanEdit, PlanStatus, Vocabulary
from nollvision.plans.errors import PlanError
from nollvision.plans.export import plan_to_yaml
from nollvision.plans.models import Plan, PlanChange
from nollvision.plans.plan_file import parse_plan_file
from nollvision.plans.services import plan_import

from .helpers import plan_yaml
from .test_counties import _partial_plan

pytestmark = pytest.mark.django_db

STAGES = [("upptacka", "Upptäcka", "Detect"), ("", "Utreda", "Investigate")]


@pytest.fixture
def partial(db) -> Plan:
    """The partial plan (one body, a municipality; no vocabularies, descriptions or bodies)."""
    return plan_import(document=parse_plan_file(plan_yaml(_partial_plan()), "delplan.yaml")).plan


@pytest.fixture
def coordinator(partial):
    """The coordinator of the partial plan's county, at its county administrative board."""
    board = Organisation.objects.create(
        slug="lansstyrelsen-vasterbotten",
        name="Länsstyrelsen Västerbotten",
        kind=OrganisationKind.objects.get(code="county-board"),
        region=partial.region,
    )
    user = get_user_model().objects.create_user(username="samordnare-ac")
    Membership.objects.create(user=user, organisation=board, role=Role.COORDINATOR)
    return user


@pytest.fixture
def draft(partial, coordinator) -> Plan:
    return editor.draft_start(plan=partial, user=coordinator)


def _url(name, plan, *args, language="en"):
    with translation.override(language):
        return reverse(f"backoffice:{name}", args=[plan.slug, *args])


def _terms_post(rows, seen=None) -> dict:
    """The vocabulary page's post: one row per (code, Swedish, English[, delete]), in order."""
    data = {"term-TOTAL_FORMS": str(len(rows)), "term-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        code, sv, en = row[:3]
        data.update(
            {
                f"term-{index}-code": code,
                f"term-{index}-label_sv": sv,
                f"term-{index}-label_en": en,
                f"term-{index}-ORDER": str(index + 1),
            }
        )
        if len(row) > 3 and row[3]:
            data[f"term-{index}-DELETE"] = "on"
    return data


def _stages(plan) -> list[tuple[str, str]]:
    return [
        (term.code, term.label["sv"])
        for term in plan.terms.filter(vocabulary=Vocabulary.CHAIN_STAGE).order_by("position")
    ]


def _round_trips(plan) -> str:
    text = plan_to_yaml(plan)
    plan_import(document=parse_plan_file(text.encode(), f"{plan.slug}.yaml"))
    assert plan_to_yaml(Plan.objects.get(pk=plan.pk)) == text
    return text


# --- Through the pages ---------------------------------------------------------------------------


def test_a_partial_plan_is_completed_and_adopted_through_the_pages(client, partial, coordinator):
    client.force_login(coordinator)
    response = client.post(_url("plan-editor", partial), {"start": "1"})
    assert response.status_code == 302
    draft = Plan.objects.get(slug=partial.slug, status=PlanStatus.DRAFT)

    page = client.get(_url("plan-editor", draft)).content.decode()
    assert "The plan names no stages of the chain of interventions." in page
    assert "The plan has no violence staircase." in page
    stages_url = _url("plan-vocabulary", draft, "chain_stages")
    assert f'href="{stages_url}"' in page
    # The municipality (the plan's one body) has no description: a link adds one.
    add_url = _url("plan-responsibility-add", draft)
    assert f'href="{add_url}?kind=municipality"' in page
    # Measures naming the police, which the plan has no body of, are listed in a warning.
    warning = page.split('id="kinds-without-bodies"')[1].split("</div>")[0]
    police = draft.measures.filter(organisation_kinds__code="police").order_by("code")
    assert police.exists()
    for measure in police:
        assert f">{measure.code}</a>" in warning
    with translation.override("en"):
        assert str(OrganisationKind.objects.get(code="police")) in warning

    # The stages of the chain, added on their page (a code is made from the label if left out).
    response = client.post(stages_url, _terms_post([*STAGES, ("", "", "")]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _stages(draft) == [("upptacka", "Upptäcka"), ("utreda", "Utreda")]
    page = client.get(_url("plan-vocabulary", draft, "chain_stages")).content.decode()
    assert 'name="term-0-code"' in page
    assert 'value="Detect"' in page

    # The add page offers only the kinds of the plan's bodies without a description.
    page = client.get(_url("plan-responsibility-add", draft) + "?kind=municipality").content
    page = page.decode()
    assert '<option value="municipality" selected>' in page
    assert 'value="police"' not in page
    assert 'name="duty-0-stage"' in page
    response = client.post(
        _url("plan-responsibility-add", draft),
        {
            "kind": "municipality",
            "title_sv": "Kommunens ansvar",
            "title_en": "The municipality's responsibility",
            "duty-TOTAL_FORMS": "3",
            "duty-INITIAL_FORMS": "0",
            "duty-0-group_sv": "Socialtjänsten",
            "duty-0-text_sv": "Uppmärksamma barn som bevittnat våld.",
            "duty-0-stage": "upptacka",
            "duty-1-text_sv": "Utreda barnets behov av stöd.",
            "duty-1-text_en": "Assess the child's need of support.",
            "duty-1-stage": "utreda",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    description = draft.responsibilities.get(organisation_kind__code="municipality")
    assert [(d.text["sv"], d.chain_stage.code) for d in description.duties.all()] == [
        ("Uppmärksamma barn som bevittnat våld.", "upptacka"),
        ("Utreda barnets behov av stöd.", "utreda"),
    ]
    # No kind is left to add: the kind is not offered again.
    page = client.get(_url("plan-responsibility-add", draft)).content.decode()
    assert 'value="municipality"' not in page

    # A stage a duty uses cannot be removed: refused at the form, nothing changed.
    steps = PlanChange.objects.filter(plan=draft).count()
    before = plan_to_yaml(draft)
    response = client.post(
        _url("plan-vocabulary", draft, "chain_stages"),
        _terms_post([("upptacka", "Upptäcka", "Detect", True), ("utreda", "Utreda", "")]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "is still used by the duties of Kommunens ansvar" in page
    assert plan_to_yaml(Plan.objects.get(pk=draft.pk)) == before
    assert PlanChange.objects.filter(plan=draft).count() == steps

    # The measure form offers the plan's bodies' kinds, and keeps a kind no body is (marked).
    measure = police.first()
    page = client.get(_url("plan-measure", draft, measure.key)).content.decode()
    assert 'value="municipality"' in page
    assert "(no body of the plan)" in page
    page = client.get(_url("plan-measure-add", draft)).content.decode()
    assert 'value="municipality"' in page
    assert 'value="police"' not in page

    # Adopted, the version's public responsibilities page shows the new duties and stages.
    response = client.post(_url("plan-adopt", draft), {"adopted_on": "2025-03-01"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    client.logout()
    page = client.get(f"/en/planer/{draft.slug}/v{draft.version}/ansvar/").content.decode()
    assert "Assess the child&#x27;s need of support." in page
    assert "Uppmärksamma barn som bevittnat våld." in page
    assert "Investigate" in page


def test_a_description_is_removed_with_one_press(client, draft, coordinator):
    _describe(draft, coordinator)
    client.force_login(coordinator)
    url = _url("plan-responsibility", draft, "municipality")
    page = client.get(url).content.decode()
    assert 'name="remove"' in page
    response = client.post(url, {"remove": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("#responsibilities")
    assert not draft.responsibilities.exists()
    assert PlanChange.objects.filter(plan=draft, action=PlanEdit.DESCRIPTION_REMOVED).exists()
    assert client.get(url).status_code == 404


def test_without_stages_the_duty_has_no_stage_and_the_page_says_where_to_add_them(
    client, draft, coordinator
):
    client.force_login(coordinator)
    page = client.get(_url("plan-responsibility-add", draft)).content.decode()
    assert 'name="duty-0-stage"' not in page
    assert "The plan names no stages of the chain of interventions" in page
    assert _url("plan-vocabulary", draft, "chain_stages") in page


def test_the_vocabulary_page_refuses_an_unknown_vocabulary_and_rows_without_swedish(
    client, draft, coordinator
):
    client.force_login(coordinator)
    assert client.get(_url("plan-vocabulary", draft, "colours")).status_code == 404
    response = client.post(
        _url("plan-vocabulary", draft, "prevention_levels"), _terms_post([("uni", "", "Universal")])
    )
    assert response.status_code == 400
    assert "Write the term in Swedish" in response.content.decode()
    assert not draft.terms.exists()


def test_the_editor_steps_need_the_plans_coordinator(client, draft, world):
    client.force_login(world.coordinator)  # another county's: not even told the draft exists
    assert client.get(_url("plan-vocabulary", draft, "chain_stages")).status_code == 404
    assert client.post(_url("plan-responsibility-add", draft), {"kind": "x"}).status_code == 404


def test_the_measure_form_offers_the_kinds_of_the_plans_bodies_only(db):
    from nollvision.backoffice.plan_forms import MeasureForm

    data = _partial_plan()
    data["organisations"] = []
    plan = plan_import(document=parse_plan_file(plan_yaml(data), "ingen.yaml")).plan
    assert "organisation_kinds" not in MeasureForm(plan=plan).fields  # no bodies: every kind
    form = MeasureForm(initial={"organisation_kinds": ["police"]}, plan=plan)
    with translation.override("en"):
        assert [code for code, _label in form.fields["organisation_kinds"].choices] == ["police"]


# --- The editor's functions ----------------------------------------------------------------------


def _describe(draft, user=None):
    editor.vocabulary_edit(
        plan=draft,
        user=user,
        name="chain_stages",
        terms=[TermFields(Text("Upptäcka", "Detect"), "upptacka"), TermFields(Text("Utreda"))],
    )
    return editor.responsibility_add(
        plan=draft,
        user=user,
        kind="municipality",
        title=Text("Kommunens ansvar"),
        duties=[DutyFields(Text("Uppmärksamma våld."), stage="upptacka")],
    )


def test_terms_are_added_renamed_reordered_and_removed(draft):
    change = editor.vocabulary_edit(
        plan=draft,
        user=None,
        name="violence_staircase",
        terms=[TermFields(Text("Kommentarer")), TermFields(Text("Hot", "Threats"), "hot")],
    )
    assert change.action == PlanEdit.VOCABULARY
    assert change.before == {"terms": []}
    assert [t["code"] for t in change.after["terms"]] == ["kommentarer", "hot"]
    editor.vocabulary_edit(
        plan=draft,
        user=None,
        name="violence_staircase",
        terms=[TermFields(Text("Verbala hot"), "hot"), TermFields(Text("Nedsättande"), "")],
    )
    terms = draft.terms.filter(vocabulary="violence_staircase").order_by("position")
    assert [(t.code, dict(t.label)) for t in terms] == [
        ("hot", {"sv": "Verbala hot"}),
        ("nedsattande", {"sv": "Nedsättande"}),
    ]
    text = _round_trips(draft)
    assert "violence_staircase:" in text
    editor.vocabulary_edit(plan=draft, user=None, name="violence_staircase", terms=[])
    assert not draft.terms.exists()
    assert "vocabularies" not in plan_to_yaml(draft)


def test_a_term_keeps_its_description_when_renamed(default_plan):
    draft = editor.draft_start(plan=default_plan, user=None)
    term = draft.terms.get(vocabulary="prevention_levels", code="universal")
    term.description = {"sv": "Hela befolkningen."}
    term.save()
    rows = [
        TermFields(Text.of(dict(t.label)), t.code)
        for t in draft.terms.filter(vocabulary="prevention_levels").order_by("position")
    ]
    rows[0] = TermFields(Text("Universell"), "universal")
    editor.vocabulary_edit(plan=draft, user=None, name="prevention_levels", terms=rows)
    term.refresh_from_db()
    assert (dict(term.label), dict(term.description)) == (
        {"sv": "Universell"},
        {"sv": "Hela befolkningen."},
    )


def test_a_term_in_use_is_not_removed_and_nothing_changes(default_plan):
    draft = editor.draft_start(plan=default_plan, user=None)
    before = plan_to_yaml(draft)
    users = list(
        draft.measures.filter(prevention_levels__code="universal")
        .order_by("goal__number", "position")
        .values_list("code", flat=True)
    )
    kept = [
        TermFields(Text.of(dict(t.label)), t.code)
        for t in draft.terms.filter(vocabulary="prevention_levels").exclude(code="universal")
    ]
    with translation.override("en"), pytest.raises(PlanError) as refused:
        editor.vocabulary_edit(plan=draft, user=None, name="prevention_levels", terms=kept)
    assert f"measure {users[0]}" in str(refused.value)
    assert plan_to_yaml(Plan.objects.get(pk=draft.pk)) == before
    assert not PlanChange.objects.filter(plan=draft, action=PlanEdit.VOCABULARY).exists()


def test_a_vocabulary_is_refused_with_repeated_codes_or_an_unknown_name(draft):
    with pytest.raises(PlanError):
        editor.vocabulary_edit(
            plan=draft,
            user=None,
            name="chain_stages",
            terms=[TermFields(Text("A"), "a"), TermFields(Text("B"), "a")],
        )
    with pytest.raises(PlanError):
        editor.vocabulary_edit(plan=draft, user=None, name="colours", terms=[])
    with pytest.raises(PlanError):  # the guard on the text: a personal number
        editor.vocabulary_edit(
            plan=draft, user=None, name="chain_stages", terms=[TermFields(Text("19121212-1212"))]
        )
    assert not draft.terms.exists()


def test_a_description_is_added_only_for_a_kind_the_plans_bodies_have(draft):
    duty = [DutyFields(Text("Ingripa."))]
    with pytest.raises(PlanError):  # no body of the plan is the police
        editor.responsibility_add(
            plan=draft, user=None, kind="police", title=Text("Polisens ansvar"), duties=duty
        )
    with pytest.raises(PlanError):  # at least one duty
        editor.responsibility_add(
            plan=draft, user=None, kind="municipality", title=Text("Kommunens"), duties=[]
        )
    change = _describe(draft)
    assert change.action == PlanEdit.DESCRIPTION_ADDED
    assert change.after["duties"] == [{"text": "Uppmärksamma våld.", "stage": "upptacka"}]
    with pytest.raises(PlanError):  # one description per kind
        editor.responsibility_add(
            plan=draft, user=None, kind="municipality", title=Text("Igen"), duties=duty
        )
    text = _round_trips(draft)
    assert "organisation_kind: municipality" in text
    change = editor.responsibility_remove(plan=draft, user=None, kind="municipality")
    assert change.before["title"] == "Kommunens ansvar"
    assert "responsibilities" not in plan_to_yaml(draft)
    with pytest.raises(PlanError):
        editor.responsibility_remove(plan=draft, user=None, kind="municipality")
    with pytest.raises(PlanError):
        editor.responsibility_edit(
            plan=draft, user=None, kind="municipality", title=Text("X"), duties=duty
        )


def test_gaps_name_what_the_draft_lacks(draft):
    signatories = list(draft.signatures.select_related("organisation__kind"))
    kinds = gaps.body_kinds(signatories)
    assert [kind.code for kind in kinds] == ["municipality"]
    assert [kind.code for kind in gaps.plan_body_kinds(draft)] == ["municipality"]
    assert gaps.kinds_without_description(kinds, draft.responsibilities.all()) == kinds
    measures = list(draft.measures.prefetch_related("organisation_kinds").order_by("code"))
    rows = gaps.measures_naming_kinds_without_bodies(measures, kinds)
    expected = {
        m.code: sorted(k.code for k in m.organisation_kinds.all() if k.code != "municipality")
        for m in measures
    }
    assert {m.code: sorted(k.code for k in absent) for m, absent in rows} == {
        code: absent for code, absent in expected.items() if absent
    }
    assert all("municipality" not in [k.code for k in absent] for _m, absent in rows)
    assert gaps.measures_naming_kinds_without_bodies(measures, OrganisationKind.objects.all()) == []
    _describe(draft)
    assert gaps.kinds_without_description(kinds, draft.responsibilities.all()) == []
    rows = gaps.vocabulary_rows(draft.terms.all())
    assert [(row.name, [term.code for term in row.terms]) for row in rows] == [
        ("prevention_levels", []),
        ("violence_areas", []),
        ("violence_staircase", []),
        ("chain_stages", ["upptacka", "utreda"]),
    ]
    with translation.override("en"):
        assert str(rows[0].missing) == "The plan names no prevention levels."


def test_adopting_the_completed_partial_plan_round_trips(draft):
    _describe(draft)
    editor.plan_adopt(plan=draft, user=None, adopted_on=date(2025, 3, 1))
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    _round_trips(draft)


# --- In the browser ------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_vocabulary_and_description_pages_in_the_browser(page, live_server, partial):
    from .conftest import submit_and_wait
    from .test_e2e_followup import log_in
    from .test_e2e_plan_editor import _axe, _both

    board = Organisation.objects.create(
        slug="lansstyrelsen-vasterbotten",
        name="Länsstyrelsen Västerbotten",
        kind=OrganisationKind.objects.get(code="county-board"),
        region=partial.region,
    )
    user = get_user_model().objects.create_user(
        username="samordnare-ac", password="a-long-test-password"
    )
    Membership.objects.create(user=user, organisation=board, role=Role.COORDINATOR)
    draft = editor.draft_start(plan=partial, user=user)
    base = live_server.url
    path = f"/arbete/planer/{draft.slug}/utkast/"
    log_in(page, base, "samordnare-ac")

    # The stages, typed into the empty rows (a row without Swedish is refused where it is).
    page.goto(f"{base}{path}ordlista/chain_stages/")
    page.locator('[name="term-0-label_en"]').fill("Detect")
    submit_and_wait(page, page.locator("main form button[type=submit]").last)
    assert page.locator(".error-summary").count() == 1
    _axe(page, "vocabulary-error")
    page.locator('[name="term-0-label_sv"]').fill("Upptäcka")
    page.locator('[name="term-1-label_sv"]').fill("Utreda")
    submit_and_wait(page, page.locator("main form button[type=submit]").last)
    assert _stages(draft) == [("upptacka", "Upptäcka"), ("utreda", "Utreda")]
    _both(page, base, f"{path}ordlista/chain_stages/", "vocabulary")
    _both(page, base, f"{path}ansvar/ny/", "responsibility-add")
    # The editor says what is missing and warns of measures naming a kind no body is (on a
    # phone; the editor page is in both languages in test_e2e_plan_editor).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/arbete/planer/{draft.slug}/plan/")
    assert page.locator("#kinds-without-bodies li").count() >= 1
    _axe(page, "partial-draft")
