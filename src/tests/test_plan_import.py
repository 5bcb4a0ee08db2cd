"""Importing, re-importing and exporting plans against a real database."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nollvision.accounts.models import Organisation
from nollvision.plans.export import plan_to_yaml
from nollvision.plans.models import (
    CollaborationBody,
    Duty,
    Goal,
    Measure,
    Plan,
    ResponsibilityDescription,
    Term,
)
from nollvision.plans.plan_file import PlanFileError, parse_plan_file
from nollvision.plans.services import plan_import

from .helpers import default_plan_data, mutated, plan_yaml

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def database_snapshot() -> dict[str, int]:
    models = [
        Plan,
        Goal,
        Measure,
        Term,
        Duty,
        ResponsibilityDescription,
        CollaborationBody,
        Organisation,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_default_plan_imports_with_expected_counts(default_plan):
    per_goal = Counter(default_plan.measures.values_list("goal__number", flat=True))
    assert dict(per_goal) == {1: 6, 2: 15, 3: 10, 4: 9}
    assert default_plan.signatures.count() == 15
    assert sorted(default_plan.signatures.values_list("organisation__kind__code", flat=True)) == [
        "county-board",
        "employment-service",
        "migration",
        *["municipality"] * 7,
        "police",
        "prison-probation",
        "prosecution",
        "region",
        "social-insurance",
    ]
    duties = {
        row.organisation_kind.code: row.duties.count()
        for row in default_plan.responsibilities.select_related("organisation_kind")
    }
    assert duties == {
        "municipality": 19,
        "police": 8,
        "prosecution": 6,
        "region": 11,
        "prison-probation": 6,
        "employment-service": 7,
        "social-insurance": 7,
        "migration": 4,
    }
    assert default_plan.collaboration_bodies.count() == 4
    vocabularies = Counter(default_plan.terms.values_list("vocabulary", flat=True))
    assert dict(vocabularies) == {
        "prevention_levels": 3,
        "violence_areas": 6,
        "violence_staircase": 8,
        "chain_stages": 3,
    }
    section = default_plan.measures.filter(section__sv="Skydd, stöd och behandling")
    assert list(section.values_list("code", flat=True)) == [f"2.{n}" for n in range(7, 16)]
    assert (
        default_plan.measures.get(code="4.2")
        .text["sv"]
        .startswith("att all personal genomgår webbkurs om våld")
    )


def test_measures_keep_the_documents_order(default_plan):
    codes = list(
        default_plan.measures.order_by("goal__number", "position").values_list("code", flat=True)
    )
    expected = [
        f"{goal}.{n}"
        for goal, count in ((1, 6), (2, 15), (3, 10), (4, 9))
        for n in range(1, count + 1)
    ]
    assert codes == expected


def test_reimport_updates_in_place(default_plan):
    ids = set(default_plan.measures.values_list("pk", flat=True))
    data = mutated(
        default_plan_data(),
        lambda d: d["goals"][0]["measures"][0].update(
            text="normkritiskt arbete på alla arbetsplatser."
        ),
    )
    result = plan_import(document=parse_plan_file(plan_yaml(data), "plan.yaml"))
    assert result.created is False
    assert set(result.plan.measures.values_list("pk", flat=True)) == ids
    assert result.plan.measures.get(code="1.1").text == {
        "sv": "normkritiskt arbete på alla arbetsplatser."
    }


def test_reimport_can_swap_codes(default_plan):
    def swap(data):
        first, second = data["goals"][0]["measures"][:2]
        first["key"], second["key"] = "1.1", "1.2"
        first["code"], second["code"] = "1.2", "1.1"

    plan_import(document=parse_plan_file(plan_yaml(mutated(default_plan_data(), swap)), "p.yaml"))
    assert default_plan.measures.get(key="1.1").code == "1.2"
    assert default_plan.measures.get(key="1.2").code == "1.1"


def test_export_import_export_is_identical(default_plan):
    first = plan_to_yaml(default_plan)
    plan_import(document=parse_plan_file(first.encode(), "export.yaml"))
    assert plan_to_yaml(Plan.objects.get(pk=default_plan.pk)) == first
    assert "4.9" in first


def test_export_command_writes_to_stdout_and_file(default_plan, tmp_path):
    out = io.StringIO()
    call_command("export_plan", "vasternorrland-2022-2026", stdout=out)
    target = tmp_path / "plan.yaml"
    call_command("export_plan", "vasternorrland-2022-2026", "--output", str(target))
    assert target.read_text("utf-8") == out.getvalue() == plan_to_yaml(default_plan)


def test_export_of_unknown_plan_fails(db):
    with translation.override("en"), pytest.raises(CommandError, match="no plan 'nowhere'"):
        call_command("export_plan", "nowhere")


def test_broken_file_prints_problems_and_leaves_database_untouched(default_plan, tmp_path):
    before = database_snapshot()
    data = mutated(
        default_plan_data(),
        lambda d: (
            d["goals"][1]["measures"][4].update(code="2.4"),
            d["goals"][0].update(title="Ändrad titel"),
        ),
    )
    path = tmp_path / "broken.yaml"
    path.write_bytes(plan_yaml(data))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 problem"):
        call_command("import_plan", str(path), stderr=err)
    assert "goals[1].measures[4].code: duplicate code '2.4'" in err.getvalue()
    assert database_snapshot() == before
    assert Goal.objects.get(plan=default_plan, number=1).title["sv"] != "Ändrad titel"


def test_failure_late_in_import_rolls_everything_back(default_plan):
    before = database_snapshot()
    data = mutated(
        default_plan_data(),
        lambda d: (
            d["goals"][0].update(title="Ändrad titel"),
            d["organisations"][0].update(website="https://" + "x" * 500 + ".se/"),
        ),
    )
    with pytest.raises(PlanFileError):
        plan_import(document=parse_plan_file(plan_yaml(data), "plan.yaml"))
    assert database_snapshot() == before
    assert (
        default_plan.goals.get(number=1).title["sv"]
        == "Ett utökat och verkningsfullt förebyggande arbete mot våld"
    )


def test_unreadable_file_gives_a_clear_error(db, tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_plan", str(tmp_path / "missing.yaml"))


def test_import_without_file_loads_the_default_plan(db):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_plan", stdout=out)
        call_command("import_plan", "--if-missing", stdout=out)
    assert "Imported vasternorrland-2022-2026 version 1 with 40 measures" in out.getvalue()
    assert "in the database already" in out.getvalue()
    assert Measure.objects.count() == 40


def test_unique_measure_code_per_plan_is_a_database_constraint(default_plan):
    goal = default_plan.goals.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(plan=default_plan, goal=goal, code="1.1", key="other", text="x")


def test_one_goal_number_per_plan_is_a_database_constraint(default_plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(plan=default_plan, number=1, title="x")


# --- Robustness: arbitrary YAML never escapes as an unhandled exception ----------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=20),
    st.sampled_from(["2.4", "municipality", "universal", "sv", "", "2022-01-01"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "plan",
                    "goals",
                    "measures",
                    "code",
                    "text",
                    "number",
                    "title",
                    "sv",
                    "slug",
                    "format_version",
                    "version",
                    "kind",
                    "organisations",
                    "x",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)
PATHS = [
    ("plan",),
    ("plan", "version"),
    ("plan", "period"),
    ("goals",),
    ("goals", 0),
    ("goals", 0, "measures"),
    ("goals", 1, "measures", 2),
    ("goals", 2, "number"),
    ("organisations", 3),
    ("organisations", 0, "kind"),
    ("vocabularies",),
    ("responsibilities", 0, "duties", 1),
    ("collaboration_bodies", 0, "level"),
    ("plan", "previous_version"),
    ("retired_measures",),
]


def _set(data, path, value):
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _import_or_problems(content: bytes) -> None:
    problems = None
    try:
        plan_import(document=parse_plan_file(content, "fuzz.yaml"))
    except PlanFileError as error:
        problems = error.problems
    if problems is not None:
        assert problems
        assert all(str(problem).startswith("fuzz.yaml") for problem in problems)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=documents)
def test_arbitrary_yaml_never_raises_unhandled(db, document):
    _import_or_problems(plan_yaml({"format_version": 1, "payload": document}))
    _import_or_problems(plan_yaml(document) if isinstance(document, dict) else b"x: 1")


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(PATHS), value=documents)
def test_mutated_default_plan_never_raises_unhandled(db, path, value):
    data = default_plan_data()
    _set(data, path, value)
    _import_or_problems(plan_yaml(data))


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_unhandled(raw):
    problems = None
    try:
        parse_plan_file(raw, "bytes.yaml")
    except PlanFileError as error:
        problems = error.problems
    if problems is not None:
        assert len(problems) == 1
