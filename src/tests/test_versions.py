"""New versions of a plan: copy, changes recorded per measure, differences between versions."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from nollvision.plans.errors import PlanError
from nollvision.plans.export import plan_to_data
from nollvision.plans.models import Plan
from nollvision.plans.plan_file import PlanDocument, PlanFileError, parse_plan_file
from nollvision.plans.selectors import plan_diff
from nollvision.plans.services import plan_import, plan_new_version

from .helpers import default_plan_data, mutated, plan_yaml

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def version_two_data() -> dict:
    """Version 2: 1.1 reworded, 1.2 split, 1.3+1.4 merged, 1.5 retired, one new measure."""
    data = default_plan_data()
    data["plan"].update(version=2, previous_version=1, status="draft")
    goal = data["goals"][0]
    old = goal["measures"]
    goal["measures"] = [
        {**old[0], "text": "normkritiskt arbete på alla arbetsplatser."},
        {
            "code": "1.2",
            "key": "1.2a",
            "text": "normkritiskt arbete i förskolan.",
            "change": "split",
            "derived_from": ["1.2"],
        },
        {
            "code": "1.3",
            "key": "1.2b",
            "text": "normkritiskt arbete i grundskolan.",
            "change": "split",
            "derived_from": ["1.2"],
        },
        {
            "code": "1.4",
            "key": "1.34",
            "text": "sammanslagen åtgärd om undervisning och insatser.",
            "change": "merged",
            "derived_from": ["1.3", "1.4"],
        },
        {**old[5], "code": "1.5", "key": "1.6"},
        {"code": "1.6", "key": "1.7", "text": "en helt ny åtgärd.", "change": "new"},
    ]
    data["retired_measures"] = [{"code": "1.5", "reason": "Genomförd."}]
    return data


def test_new_version_is_a_draft_copy(default_plan):
    new = plan_new_version(plan=default_plan)
    assert (new.version, new.status, new.previous_version_id) == (2, "draft", default_plan.pk)
    assert new.measures.count() == 40
    assert set(new.measures.values_list("change", flat=True)) == {"unchanged"}
    assert {row.change for row in plan_diff(default_plan, new)} == {"unchanged"}
    assert new.signatures.count() == 15
    with pytest.raises(PlanError):
        plan_new_version(plan=default_plan)


def test_changes_between_versions_are_recorded_and_shown(default_plan, client):
    result = plan_import(document=parse_plan_file(plan_yaml(version_two_data()), "v2.yaml"))
    changes = dict(result.plan.measures.filter(goal__number=1).values_list("code", "change"))
    assert changes == {
        "1.1": "reworded",
        "1.2": "split",
        "1.3": "split",
        "1.4": "merged",
        "1.5": "unchanged",
        "1.6": "new",
    }
    rows = [
        (row.change, [m.code for m in row.old], row.new.code if row.new else None)
        for row in plan_diff(default_plan, result.plan)
    ][:7]
    assert rows == [
        ("reworded", ["1.1"], "1.1"),
        ("split", ["1.2"], "1.2"),
        ("split", ["1.2"], "1.3"),
        ("merged", ["1.3", "1.4"], "1.4"),
        ("unchanged", ["1.6"], "1.5"),
        ("new", [], "1.6"),
        ("unchanged", ["2.1"], "2.1"),
    ]
    retired = [row for row in plan_diff(default_plan, result.plan) if row.change == "retired"]
    assert [(row.old[0].code, row.reason) for row in retired] == [("1.5", "Genomförd.")]
    result.plan.status = "adopted"
    result.plan.save()
    html = client.get(
        reverse("public:plan-compare", args=[default_plan.slug]),
        {"from_version": 1, "to_version": 2},
    ).content.decode()
    assert "diff__row--split" in html
    assert "diff__row--retired" in html
    assert "Genomförd." in html


def test_version_file_must_account_for_every_old_measure(default_plan):
    data = version_two_data()
    del data["retired_measures"]
    with translation.override("en"), pytest.raises(PlanFileError) as caught:
        plan_import(document=parse_plan_file(plan_yaml(data), "v2.yaml"))
    assert [p.message for p in caught.value.problems] == [
        "measure '1.5' of the previous version is neither carried on nor retired"
    ]


def test_wrong_recorded_change_is_refused(default_plan):
    data = mutated(
        version_two_data(), lambda d: d["goals"][0]["measures"][0].update(change="unchanged")
    )
    with translation.override("en"), pytest.raises(PlanFileError) as caught:
        plan_import(document=parse_plan_file(plan_yaml(data), "v2.yaml"))
    assert [str(p).split(" ", 1)[1] for p in caught.value.problems] == [
        "goals[0].measures[0].change: the text says 'reworded', not 'unchanged'"
    ]


def test_missing_previous_version_is_refused(db):
    data = mutated(default_plan_data(), lambda d: d["plan"].update(version=3, previous_version=2))
    with translation.override("en"), pytest.raises(PlanFileError) as caught:
        plan_import(document=parse_plan_file(plan_yaml(data), "v3.yaml"))
    assert [p.message for p in caught.value.problems] == [
        "version 2 of plan 'vasternorrland-2022-2026' does not exist"
    ]
    assert Plan.objects.count() == 0


def test_reimport_that_would_orphan_a_later_version_is_refused(default_plan):
    plan_import(document=parse_plan_file(plan_yaml(version_two_data()), "v2.yaml"))
    data = mutated(default_plan_data(), lambda d: d["goals"][0]["measures"].pop(4))
    with translation.override("en"), pytest.raises(PlanFileError) as caught:
        plan_import(document=parse_plan_file(plan_yaml(data), "v1.yaml"))
    assert "which a later version of the plan builds on" in caught.value.problems[0].message
    assert default_plan.measures.count() == 40


def test_version_round_trip_is_identical(default_plan):
    plan_import(document=parse_plan_file(plan_yaml(version_two_data()), "v2.yaml"))
    second = Plan.objects.get(version=2)
    data = plan_to_data(second)
    plan_import(document=PlanDocument(data=data, filename="again", lines={}))
    assert plan_to_data(Plan.objects.get(version=2)) == data


def test_diff_across_several_versions_follows_keys(default_plan):
    plan_import(document=parse_plan_file(plan_yaml(version_two_data()), "v2.yaml"))
    second = Plan.objects.get(version=2)
    third = plan_new_version(plan=second)
    rows = {
        (row.change, tuple(m.code for m in row.old), row.new.code if row.new else None)
        for row in plan_diff(default_plan, third)
    }
    assert ("reworded", ("1.1",), "1.1") in rows
    assert ("unchanged", ("2.1",), "2.1") in rows
    assert ("new", (), "1.2") in rows  # the split part has a key of its own
    assert ("retired", ("1.2",), None) in rows


def test_check_command_checks_a_version_file_against_the_database(default_plan, tmp_path):
    path = tmp_path / "v2.yaml"
    path.write_bytes(plan_yaml(version_two_data()))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_plan", str(path), "--check", stdout=out)
    assert out.getvalue().strip() == f"{path}: no problems found"
    assert not Plan.objects.filter(version=2).exists()
