"""The SVG charts keep every text inside the drawing, whatever the labels (issue 16: labels cut
at the edges of the dashboard's charts)."""

import re

import pytest

from nollvision.core import charts

pytestmark = pytest.mark.unit

# A generous width per character at the charts' 12 px sans-serif (most letters are narrower).
CHAR = 7.0
LONG = "Basprogram om våld mot barn och unga inom skola och socialtjänst i hela länet"
STATUSES = [
    ("implemented", "genomförd"),
    ("ongoing", "pågår"),
    ("planned", "planerad"),
    ("not_started", "inte påbörjad"),
    ("not_relevant", "inte relevant"),
]


def _texts_inside(svg: str) -> None:
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    texts = re.findall(
        r'<text x="([\d.]+)" y="[\d.]+"(?: text-anchor="(\w+)")?>([^<]*)</text>', svg
    )
    assert texts
    for x, anchor, text in texts:
        length = len(text) * CHAR
        start = {"end": float(x) - length, "middle": float(x) - length / 2}.get(anchor, float(x))
        assert start >= 0, (text, start)
        assert start + length <= width, (text, start + length, width)


def test_stacked_bars_keep_the_legend_and_labels_inside():
    chart = charts.stacked_bars(
        "c1",
        "Status",
        "Status per mål",
        [(LONG, {"implemented": 0.5, "ongoing": 0.5}, 12), ("Mål 2", {"planned": 1.0}, 3)],
        STATUSES,
    )
    _texts_inside(str(chart.svg))


def test_bars_and_lines_keep_long_labels_inside():
    _texts_inside(str(charts.bars("c2", "Kurser", "Andel", [(LONG, 0.4), ("Kort", 0.9)]).svg))
    lines = charts.lines("c3", "Över tid", "Andel", [2023, 2024, 2025], [(LONG, [0.1, 0.2, 0.3])])
    _texts_inside(str(lines.svg))
