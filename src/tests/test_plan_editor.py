"""The plan editor's rules (#18, parts 1 and 3): each step of the coordinator changes the draft as
the plan file format would record it, keeps the step in the history, and the result round-trips
through export and import; adoption archives the version it replaces, the next follow-up uses
the adopted version, and each signatory's signing is recorded."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from nollvision.accounts.models import Organisation
from nollvision.followup.errors import FollowupError
from nollvision.followup.services import campaign_create
from nollvision.plans import editor
from nollvision.plans.editor import MeasureFields, Text
from nollvision.plans.enums import PlanEdit, PlanStatus
from nollvision.plans.errors import PlanError
from nollvision.plans.export import plan_to_yaml
from nollvision.plans.models import Plan, PlanChange, Signing
from nollvision.plans.plan_file import parse_plan_file
from nollvision.plans.selectors import plan_diff
from nollvision.plans.services import plan_import, signing_record

pytestmark = pytest.mark.django_db
REASON = Text("Samverkansgruppen föreslog ändringen.", "Proposed by the collaboration group.")


@pytest.fixture
def draft(default_plan):
    return editor.draft_start(plan=default_plan, user=None)


def _fields(measure, **changes) -> MeasureFields:
    values = {
        "code": measure.code,
        "goal": measure.goal.number,
        "text": Text.of(dict(measure.text)),
        "section": Text.of(dict(measure.section)),
        "prevention_levels": tuple(t.code for t in measure.prevention_levels.all()),
        "violence_areas": tuple(t.code for t in measure.violence_areas.all()),
        "organisation_kinds": tuple(k.code for k in measure.organisation_kinds.all()),
    }
    values.update(changes)
    return MeasureFields(**values)


def _round_trips(plan) -> str:
    """Export the plan, import the file again, and export again: the same text."""
    text = plan_to_yaml(plan)
    plan_import(document=parse_plan_file(text.encode(), f"{plan.slug}.yaml"))
    again = plan_to_yaml(Plan.objects.get(pk=plan.pk))
    assert again == text
    return text


def test_only_one_draft_at_a_time_and_only_a_draft_is_edited(default_plan, draft):
    assert draft.status == PlanStatus.DRAFT
    assert draft.previous_version == default_plan
    with pytest.raises(PlanError, match="utkast"):
        editor.draft_start(plan=draft, user=None)
    measure = default_plan.measures.get(code="1.1")
    with pytest.raises(PlanError, match="utkast"):
        editor.measure_edit(
            plan=default_plan, user=None, key=measure.key, fields=_fields(measure, code="9.9")
        )
    assert default_plan.measures.filter(code="1.1").exists()
    assert PlanChange.objects.filter(plan=draft, action=PlanEdit.STARTED).count() == 1


def test_rewording_records_the_change_and_its_reason_and_back_again(draft):
    measure = draft.measures.get(code="1.1")
    old_text = dict(measure.text)
    fields = _fields(measure, text=Text("Ny lydelse.", "New wording."), change_reason=REASON)
    editor.measure_edit(plan=draft, user=None, key=measure.key, fields=fields)
    measure.refresh_from_db()
    assert measure.change == "reworded"
    assert dict(measure.change_reason) == {"sv": REASON.sv, "en": REASON.en}
    assert dict(measure.text) == {"sv": "Ny lydelse.", "en": "New wording."}
    change = PlanChange.objects.filter(plan=draft, action=PlanEdit.MEASURE).get()
    assert change.before["text"] != change.after["text"]
    # The old text again: unchanged again.
    editor.measure_edit(
        plan=draft, user=None, key=measure.key, fields=_fields(measure, text=Text.of(old_text))
    )
    measure.refresh_from_db()
    assert measure.change == "unchanged"
    _round_trips(draft)


def test_split_merge_retire_restore_reorder_and_add_round_trip(draft):
    codes = list(
        draft.goals.get(number=1).measures.order_by("position").values_list("code", flat=True)
    )
    first, second, third = codes[:3]
    key = draft.measures.get(code=first).key
    editor.measure_split(
        plan=draft,
        user=None,
        key=key,
        parts=[(f"{first}a", Text("Första delen.")), (f"{first}b", Text("Andra delen."))],
        reason=REASON,
    )
    parts = list(draft.measures.filter(code__in=[f"{first}a", f"{first}b"]).order_by("position"))
    assert [p.change for p in parts] == ["split", "split"]
    assert all([m.code for m in p.derived_from.all()] == [first] for p in parts)
    assert not draft.measures.filter(code=first).exists()
    assert {p.key for p in parts}.isdisjoint({key})

    keys = list(draft.measures.filter(code__in=[second, third]).values_list("key", flat=True))
    editor.measure_merge(
        plan=draft,
        user=None,
        keys=keys,
        code=f"{second}m",
        text=Text("Sammanslagen."),
        reason=REASON,
    )
    merged = draft.measures.get(code=f"{second}m")
    assert merged.change == "merged"
    assert sorted(m.code for m in merged.derived_from.all()) == sorted([second, third])

    retired = draft.measures.get(code="2.1")
    editor.measure_retire(plan=draft, user=None, key=retired.key, reason=REASON)
    assert [r.measure.code for r in draft.retired_measures.all()] == ["2.1"]
    assert str(draft.retired_measures.get().reason) == REASON.sv

    editor.measure_edit(
        plan=draft,
        user=None,
        key=None,
        fields=MeasureFields(code="2.99", goal=2, text=Text("En ny åtgärd."), change_reason=REASON),
    )
    new = draft.measures.get(code="2.99")
    assert new.change == "new"
    assert not new.derived_from.exists()

    goal_two = list(draft.goals.get(number=2).measures.order_by("position"))
    editor.measure_move(plan=draft, user=None, key=goal_two[-1].key, step=-1)
    order = list(
        draft.goals.get(number=2).measures.order_by("position").values_list("code", flat=True)
    )
    assert order[-2:] == ["2.99", goal_two[-2].code]
    with pytest.raises(PlanError):
        editor.measure_move(plan=draft, user=None, key=order[0] and goal_two[0].key, step=-1)

    text = _round_trips(draft)
    assert "change_reason" in text
    assert "retired_measures" in text

    # The comparison with the previous version shows every step.
    changes = {row.change for row in plan_diff(draft.previous_version, draft)}
    assert {"split", "merged", "new", "retired", "unchanged"} <= changes

    editor.measure_restore(plan=draft, user=None, code="2.1")
    assert not draft.retired_measures.exists()
    assert draft.measures.get(code="2.1").change == "unchanged"
    actions = set(PlanChange.objects.filter(plan=draft).values_list("action", flat=True))
    assert {"split", "merged", "retired", "measure_added", "moved", "restored"} <= actions


def test_a_refused_step_changes_nothing(draft):
    measure = draft.measures.get(code="1.1")
    other = draft.measures.get(code="1.2")
    before = plan_to_yaml(draft)
    with pytest.raises(PlanError):  # a code taken by another measure
        editor.measure_edit(
            plan=draft, user=None, key=measure.key, fields=_fields(measure, code="1.2")
        )
    with pytest.raises(PlanError, match="skälet"):
        editor.measure_retire(plan=draft, user=None, key=other.key, reason=Text(""))
    with pytest.raises(PlanError):  # a personal number in the text: the guard on the field
        editor.measure_edit(
            plan=draft,
            user=None,
            key=measure.key,
            fields=_fields(measure, text=Text("19121212-1212")),
        )
    assert plan_to_yaml(Plan.objects.get(pk=draft.pk)) == before
    assert not PlanChange.objects.filter(plan=draft).exclude(action=PlanEdit.STARTED).exists()


def test_goals_responsibilities_and_bodies(draft):
    editor.goal_edit(plan=draft, user=None, number=None, title=Text("Ett nytt mål"), text=Text(""))
    assert draft.goals.filter(number=draft.goals.count(), title__sv="Ett nytt mål").exists() or (
        draft.goals.order_by("-number").first().title["sv"] == "Ett nytt mål"
    )
    description = draft.responsibilities.first()
    editor.responsibility_edit(
        plan=draft,
        user=None,
        kind=description.organisation_kind.code,
        title=Text("Ansvar", "Responsibility"),
        duties=[
            editor.DutyFields(text=Text("Första skyldigheten")),
            editor.DutyFields(text=Text("Andra")),
        ],
    )
    description.refresh_from_db()
    assert [str(d.text) for d in description.duties.all()] == ["Första skyldigheten", "Andra"]
    editor.body_edit(
        plan=draft,
        user=None,
        key=None,
        name=Text("Ny arbetsgrupp"),
        level="operative",
        mandate=Text("Mandat"),
    )
    assert draft.collaboration_bodies.filter(key="ny-arbetsgrupp").exists()
    _round_trips(draft)


def test_adoption_archives_the_old_version_and_the_next_follow_up_uses_it(default_plan, draft):
    running = campaign_create(plan=default_plan, year=2025, deadline=date(2026, 2, 15))
    with pytest.raises(FollowupError):
        campaign_create(plan=draft, year=2026, deadline=date(2027, 2, 15))
    with pytest.raises(PlanError):
        editor.plan_adopt(
            plan=draft, user=None, adopted_on=timezone.localdate() + timedelta(days=2)
        )
    editor.plan_adopt(plan=draft, user=None, adopted_on=date(2025, 3, 1))
    draft.refresh_from_db()
    default_plan.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    assert draft.adopted_on == date(2025, 3, 1)
    assert default_plan.status == PlanStatus.ARCHIVED
    running.refresh_from_db()
    assert running.plan_id == default_plan.pk  # a follow-up already running keeps its version
    following = campaign_create(plan=draft, year=2026, deadline=date(2027, 2, 15))
    assert following.plan_id == draft.pk
    with pytest.raises(PlanError):
        editor.measure_retire(plan=draft, user=None, key=draft.measures.first().key, reason=REASON)


def test_each_signatory_records_its_signing(default_plan, draft):
    body = Organisation.objects.get(slug="sundsvalls-kommun")
    data = {
        "signed_by": "Ordförande",
        "role": "Kommunstyrelsens ordförande",
        "signed_on": date(2025, 3, 10),
    }
    with pytest.raises(PlanError):  # a draft is not signed
        signing_record(plan=draft, organisation=body, data=data, user=None)
    outsider = Organisation.objects.exclude(signatures__plan=default_plan).first()
    if outsider is not None:
        with pytest.raises(PlanError):
            signing_record(plan=default_plan, organisation=outsider, data=data, user=None)
    signing_record(plan=default_plan, organisation=body, data=data, user=None)
    signing_record(
        plan=default_plan, organisation=body, data={**data, "role": "Ordförande"}, user=None
    )
    signing = Signing.objects.exclude(signed_by="").get()  # over the plan file's stated signing
    assert signing.role == "Ordförande"
    assert signing.signed_on == date(2025, 3, 10)
    with pytest.raises(PlanError):
        signing_record(
            plan=default_plan,
            organisation=body,
            data={**data, "signed_on": timezone.localdate() + timedelta(days=1)},
            user=None,
        )
