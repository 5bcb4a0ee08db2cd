"""Every figure against a small data set computed by hand."""

import pytest

from nollvision.reports import figures
from nollvision.reports.figures import (
    MISSING,
    NOT_CONCERNED,
    Answer,
    Body,
    CampaignData,
    Filter,
    MeasureRow,
)

pytestmark = pytest.mark.unit

M1, M2, M3 = (
    MeasureRow(1, "1.1", 1, "a"),
    MeasureRow(2, "1.2", 1, "b"),
    MeasureRow(3, "2.1", 2, "c"),
)
B1 = Body(10, "Ånge kommun", "municipality", True)
B2 = Body(20, "Polisen", "police", True)
B3 = Body(30, "Timrå kommun", "municipality", False)


def data() -> CampaignData:
    return CampaignData(
        year=2025,
        goals={1: "Förebygga", 2: "Upptäcka"},
        measures=[M1, M2, M3],
        bodies=[B1, B2, B3],
        concerned={(10, 1), (10, 2), (10, 3), (20, 1), (20, 3), (30, 1), (30, 2), (30, 3)},
        answers=[
            Answer(10, 1, "implemented", "Utbildning"),
            Answer(10, 2, "ongoing"),
            Answer(10, 3, "not_relevant"),
            Answer(20, 1, "implemented", "Rutin"),
            Answer(20, 3, "planned"),
        ],
        routines={10: {"ask_clients": "yes", "ask_staff": "no"}, 20: {"ask_clients": "yes"}},
        competence={
            10: {"staff": 100, "violence": 50, "prostitution": 0, "honour": None, "children": 10},
            20: {"staff": 300, "violence": 30, "prostitution": 30, "honour": 0, "children": 0},
        },
    )


def test_response_rate():
    assert figures.response_rate(data()) == (2, 3)
    assert figures.response_rate(data(), Filter(kind="municipality")) == (1, 2)


def test_status_by_goal_counts_accepted_answers_only():
    result = {goal: (c.counts, c.n) for goal, c in figures.status_by_goal(data())}
    assert result == {
        1: ({"implemented": 2, "ongoing": 1}, 3),
        2: ({"not_relevant": 1, "planned": 1}, 2),
    }
    goal_one = dict(figures.status_by_goal(data()))[1]
    assert goal_one.share("implemented") == pytest.approx(2 / 3)
    assert goal_one.share("planned") == 0


def test_filters_by_kind_goal_and_body():
    police = {g: c.counts for g, c in figures.status_by_goal(data(), Filter(kind="police"))}
    assert police == {1: {"implemented": 1}, 2: {"planned": 1}}
    assert [g for g, _c in figures.status_by_goal(data(), Filter(goal=2))] == [2]
    by_body = {b.id: c.n for b, c in figures.status_by_body(data(), Filter(body=10))}
    assert by_body == {10: 3}


def test_status_by_kind():
    result = {kind: c.counts for kind, c in figures.status_by_kind(data())}
    assert result == {
        "municipality": {"implemented": 1, "ongoing": 1, "not_relevant": 1},
        "police": {"implemented": 1, "planned": 1},
    }


def test_matrix_shows_each_bodys_own_status():
    matrix = figures.measure_matrix(data())
    assert matrix.row(M1) == ["implemented", "implemented", MISSING]
    assert matrix.row(M2) == ["ongoing", NOT_CONCERNED, MISSING]
    assert matrix.row(M3) == ["not_relevant", "planned", MISSING]
    assert matrix.completeness(M1) == (2, 3)
    assert matrix.completeness(M2) == (1, 2)


def test_measure_texts():
    assert [(b.id, s, t) for b, s, t in figures.measure_texts(data(), 1)] == [
        (10, "implemented", "Utbildning"),
        (20, "implemented", "Rutin"),
    ]


def test_routines():
    assert figures.routines_table(data())[0][1][:2] == ["yes", "no"]
    counts = figures.routine_counts(data())
    assert counts["ask_clients"] == {"yes": 2}
    assert counts["ask_staff"] == {"no": 1}


def test_competence_per_body_and_weighted_for_the_county():
    rows = {b.id: c for b, c in figures.competence_by_body(data())}
    assert rows[10].share("violence") == 0.5
    assert rows[10].share("honour") == 0
    county, n = figures.competence_county(data())
    assert n == 2
    assert county.staff == 400
    assert county.share("violence") == pytest.approx(80 / 400)
    assert county.share("prostitution") == pytest.approx(30 / 400)
