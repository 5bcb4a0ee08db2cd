"""Reading and checking plan files: one clear message per problem, with file, line and path."""

import pytest
from django.utils import translation

from nollvision.plans.plan_file import (
    MAX_FILE_BYTES,
    CheckContext,
    PlanFileError,
    check_plan_document,
    parse_plan_file,
)

from .helpers import default_plan_data, mutated, plan_yaml

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def problems_of(content: bytes, context: CheckContext | None = None) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        check_plan_document(parse_plan_file(content, "plan.yaml"), context or CheckContext())
    return [str(problem) for problem in caught.value.problems]


def line_of(content: bytes, needle: str, occurrence: int = 1) -> int:
    lines = content.decode("utf-8").splitlines()
    hits = [number for number, line in enumerate(lines, start=1) if needle in line]
    return hits[occurrence - 1]


def test_default_plan_file_has_no_problems(default_plan_file):
    document = parse_plan_file(default_plan_file.read_bytes(), "default.yaml")
    check_plan_document(document, CheckContext())
    measures = [m for goal in document.data["goals"] for m in goal["measures"]]
    assert len(measures) == 40


def test_duplicate_measure_code_names_line_and_path():
    data = mutated(default_plan_data(), lambda d: d["goals"][1]["measures"][4].update(code="2.4"))
    content = plan_yaml(data)
    line = line_of(content, "code: '2.4'", occurrence=2)
    assert problems_of(content) == [
        f"plan.yaml:{line} goals[1].measures[4].code: duplicate code '2.4'"
    ]


def test_duplicate_goal_number_is_reported():
    data = mutated(default_plan_data(), lambda d: d["goals"][3].update(number=3))
    assert problems_of(plan_yaml(data))[0].endswith("goals[3].number: duplicate goal number '3'")


def test_unknown_organisation_kind_is_reported():
    data = mutated(
        default_plan_data(),
        lambda d: d["goals"][0]["measures"][1].update(organisation_kinds=["kommun"]),
    )
    (problem,) = problems_of(plan_yaml(data))
    assert problem.endswith(
        "goals[0].measures[1].organisation_kinds[0]: unknown organisation kind 'kommun'"
    )


def test_unknown_kind_is_accepted_when_it_exists_in_the_database():
    data = mutated(default_plan_data(), lambda d: d["organisations"][0].update(kind="national"))
    document = parse_plan_file(plan_yaml(data), "plan.yaml")
    check_plan_document(document, CheckContext(existing_kinds=frozenset({"national"})))
    assert document.data["organisations"][0]["kind"] == "national"


def test_unknown_vocabulary_term_and_chain_stage_are_reported():
    def change(data):
        data["goals"][0]["measures"][0]["prevention_levels"] = ["universel"]
        data["responsibilities"][0]["duties"][2]["stage"] = "discover"

    problems = problems_of(plan_yaml(mutated(default_plan_data(), change)))
    assert [p.split(" ", 1)[1] for p in problems] == [
        "goals[0].measures[0].prevention_levels[0]: unknown prevention level 'universel'",
        "responsibilities[0].duties[2].stage: unknown stage of the chain 'discover'",
    ]


def test_wrong_types_are_reported_each():
    def change(data):
        data["goals"][1]["number"] = "two"
        data["plan"]["period"]["start"] = [2022]

    problems = problems_of(plan_yaml(mutated(default_plan_data(), change)))
    assert [p.split(" ", 1)[1] for p in problems] == [
        "plan.period.start: expected a whole number, found [2022]",
        "goals[1].number: expected a whole number, found 'two'",
    ]


def test_missing_and_unknown_keys_are_reported():
    def change(data):
        del data["goals"][0]["measures"][0]["text"]
        data["goals"][0]["measures"][1]["colour"] = "red"

    problems = problems_of(plan_yaml(mutated(default_plan_data(), change)))
    assert [p.split(" ", 1)[1] for p in problems] == [
        "goals[0].measures[0]: required key 'text' is missing",
        "goals[0].measures[1].colour: unknown key 'colour'",
    ]


def test_text_without_swedish_is_reported():
    data = mutated(default_plan_data(), lambda d: d["goals"][0].update(title={"en": "Prevention"}))
    (problem,) = problems_of(plan_yaml(data))
    assert problem.endswith(
        "goals[0].title: expected text, or a mapping with 'sv' (and optionally 'en') text"
    )


def test_malformed_yaml_names_the_line():
    assert problems_of(b"format_version: 1\nplan: [1, 2\ngoals: []\n") == [
        "plan.yaml:3: not valid YAML, column 6: a list in [brackets] is not closed with ']'"
    ]


def test_duplicate_yaml_key_is_reported():
    content = b"format_version: 1\nformat_version: 1\n"
    assert problems_of(content) == ["plan.yaml:2 format_version: duplicate key 'format_version'"]


def test_aliases_are_refused():
    content = b"format_version: 1\na: &x [1]\nb: *x\n"
    assert problems_of(content) == ["plan.yaml:3 b: anchors and aliases are not supported"]


def test_empty_file_is_reported():
    assert problems_of(b"  \n\n") == ["plan.yaml: the file is empty"]


def test_huge_file_is_refused_before_parsing():
    content = b"#" * (MAX_FILE_BYTES + 1)
    assert problems_of(content) == [
        f"plan.yaml: the file is {MAX_FILE_BYTES + 1} bytes, more than the limit of "
        f"{MAX_FILE_BYTES} bytes"
    ]


def test_file_that_is_not_utf8_names_the_line():
    content = "format_version: 1\nplan:\n  title: Västernorrland\n".encode("latin-1")
    assert problems_of(content) == [
        "plan.yaml:3: the file is not UTF-8 text (byte 0xe4 at position 34)"
    ]


def test_top_level_must_be_a_mapping():
    assert problems_of(b"- 1\n- 2\n") == [
        "plan.yaml:1: the file must hold a mapping of keys at the top level"
    ]


def test_unsupported_format_version():
    data = mutated(default_plan_data(), lambda d: d.update(format_version=2))
    (problem,) = problems_of(plan_yaml(data))
    assert problem == (
        "plan.yaml:1 format_version: unsupported format version 2 "
        "(this version of Nollvision reads 1)"
    )


def test_period_that_ends_before_it_starts():
    data = mutated(default_plan_data(), lambda d: d["plan"]["period"].update(start=2027))
    (problem,) = problems_of(plan_yaml(data))
    assert problem.endswith("plan.period.end: the period ends before it starts")


def test_messages_are_translated_to_swedish():
    with translation.override("sv"):
        assert problems_of(b"") == ["plan.yaml: filen är tom"]


# --- Nothing personal, nothing that costs a traceback (issue 23) -------------------------------


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("organisations[1].slug", lambda d: d["organisations"][1].update(slug="p-191212121212")),
        (
            "goals[0].measures[0].code",
            lambda d: d["goals"][0]["measures"][0].update(code="1.1 121212-1212"),
        ),
        (
            "organisations[0].website",
            lambda d: d["organisations"][0].update(website="https://example.se/19121212-1212"),
        ),
        ("plan.slug", lambda d: d["plan"].update(slug="plan-121212\u200b1212")),
    ],
)
def test_personal_numbers_are_refused_in_identifiers_codes_and_addresses(where, change):
    found = problems_of(plan_yaml(mutated(default_plan_data(), change)))
    assert any(f" {where}: contains what looks like a personal identity number" in p for p in found)


def test_a_date_that_does_not_exist_is_a_problem_with_its_line():
    content = plan_yaml(default_plan_data()).replace(
        b"status: adopted", b"status: adopted\n  adopted_on: 2025-02-30", 1
    )
    line = line_of(content, "adopted_on: 2025-02-30")
    with pytest.raises(PlanFileError) as caught:
        parse_plan_file(content, "plan.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"plan.yaml:{line} plan.adopted_on: '2025-02-30' is not a date that exists"
    ]


def test_the_problem_list_is_capped_with_a_count_of_the_rest():
    data = default_plan_data()
    for goal in data["goals"]:
        for measure in goal["measures"]:
            measure["unknown_a"] = measure["unknown_b"] = measure["unknown_c"] = 1
            measure["unknown_d"] = measure["unknown_e"] = measure["unknown_f"] = 1
    found = problems_of(plan_yaml(data))
    assert len(found) == 201
    assert found[-1].endswith(": and 40 more problems")


def test_problems_of_shape_and_of_meaning_come_in_one_round():
    def change(d):
        d["goals"][0]["measures"][0]["colour"] = "red"  # shape: an unknown key
        d["goals"][1]["measures"][4]["code"] = "2.4"  # meaning: a code used twice

    problems = [
        p.split(" ", 1)[1] for p in problems_of(plan_yaml(mutated(default_plan_data(), change)))
    ]

    assert problems == [
        "goals[0].measures[0].colour: unknown key 'colour'",
        "goals[1].measures[4].code: duplicate code '2.4'",
    ]


def test_a_file_whose_shape_stops_the_meaning_checks_lists_its_shape_problems():
    data = mutated(default_plan_data(), lambda d: d["plan"].update(period="2022-2026"))
    problems = problems_of(plan_yaml(data))
    assert problems
    assert all("period" in p for p in problems)


@pytest.mark.parametrize(
    ("content", "english", "swedish"),
    [
        (
            b"format_version: 1\nplan: a: b\n",
            "plan.yaml:2: not valid YAML, column 8: a colon where no new key can start",
            "plan.yaml:2: ogiltig YAML, kolumn 8: ett kolon där ingen ny nyckel kan börja",
        ),
        (
            b"format_version: 1\nplan:\n\ttitle: x\n",
            "plan.yaml:3: not valid YAML, column 1: a character that cannot begin a value",
            "plan.yaml:3: ogiltig YAML, kolumn 1: ett tecken som inte kan inleda ett värde",
        ),
    ],
)
def test_yaml_syntax_errors_are_said_in_the_language_of_the_page(content, english, swedish):
    (problem,) = problems_of(content)
    assert problem.startswith(english)
    with translation.override("sv"):
        (problem,) = problems_of(content)
    assert problem.startswith(swedish)
