"""The charts drawn on the server: SVG structure, scales, markers, and text for screen readers.

Parsed as XML, as a browser would read them: every value escaped, a title and a
description named by ``aria-labelledby``, axis labels, one circle per check-in with its
value written above it, and markers told apart by shape, line and words, not by colour.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

import pytest

from console.outcomes.chart import (
    FLARE_UP,
    LANES,
    MAX_TICKS,
    RED_FLAG,
    Marker,
    PegPoint,
    WeekBar,
    adherence_chart,
    peg_chart,
    peg_layout,
)

SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2026, 11, 2, 18, 0, tzinfo=timezone.utc)
POINTS = [PegPoint(T0 + timedelta(days=7 * week), score) for week, score in enumerate(
    [7.3, 7.0, 6.7, 7.7, 6.0, 5.3, 4.7, 4.0])]  # fmt: skip
MARKERS = [
    Marker(T0 + timedelta(days=17), FLARE_UP, "Flare-up"),
    Marker(T0 + timedelta(days=29), RED_FLAG, "Red flag: urgent"),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if cls is None or cls in (t.get("class") or "").split()
    ]


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def test_the_chart_is_an_image_with_a_title_and_a_description():
    root = parse(peg_chart(POINTS, MARKERS))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "PEG score over time"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    assert "8 check-ins, from 7.3 on 2 Nov 2026 18:00 UTC to 4 on 21 Dec 2026 18:00 UTC" in (
        desc.text
    )
    assert "1 flare-up and 1 red flag marked" in desc.text


def test_both_axes_are_labelled_with_their_ticks():
    root = parse(peg_chart(POINTS, MARKERS))
    assert texts(root, "y-label") == ["PEG score (0 to 10, lower is better)"]
    assert texts(root, "x-label") == ["Date (UTC)"]
    assert texts(root, "y-tick") == ["0", "2", "4", "6", "8", "10"]
    dates = texts(root, "x-tick")
    assert 3 <= len(dates) <= MAX_TICKS
    assert all(label.split()[1] in ("Nov", "Dec") for label in dates)


def test_each_check_in_is_a_circle_on_the_line_with_its_value_written():
    root = parse(peg_chart(POINTS, MARKERS))
    points = groups(root, "peg-point")
    assert len(points) == 8
    assert next(g.find(f"{SVG}circle/{SVG}title").text for g in points) == (
        "PEG 7.3 on 2 Nov 2026 18:00 UTC"
    )
    assert texts(root, "peg-value") == ["7.3", "7", "6.7", "7.7", "6", "5.3", "4.7", "4"]
    (line,) = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "peg-line"]
    assert len(line.get("points").split()) == 8


def test_time_runs_left_to_right_and_a_higher_score_is_higher_up():
    layout = peg_layout(POINTS, MARKERS)
    xs = [p.x for p in layout.points]
    assert xs == sorted(xs) and layout.box.left < xs[0] and xs[-1] < layout.box.right
    by_score = sorted(layout.points, key=lambda p: p.point.score)
    assert [p.y for p in by_score] == sorted((p.y for p in by_score), reverse=True)
    ten = next(t.position for t in layout.y_ticks if t.label == "10")
    assert ten == layout.box.top
    flare = layout.markers[0]
    assert xs[2] < flare.x < xs[3]


def test_markers_differ_by_shape_line_and_words():
    root = parse(peg_chart(POINTS, MARKERS))
    (flare,) = [g for g in groups(root, "marker") if "flare-up" in g.get("class").split()]
    (red,) = [g for g in groups(root, "marker") if "red-flag" in g.get("class").split()]
    flare_shape = flare.find(f"{SVG}polygon")
    red_shape = red.find(f"{SVG}polygon")
    assert len(flare_shape.get("points").split()) == 3  # a triangle
    assert len(red_shape.get("points").split()) == 4  # a diamond
    assert flare.find(f"{SVG}line").get("stroke-dasharray") == "6 4"
    assert red.find(f"{SVG}line").get("stroke-dasharray") is None
    assert texts(flare) == ["Flare-up"]
    assert texts(red) == ["Red flag: urgent"]
    assert red_shape.find(f"{SVG}title").text == "Red flag: urgent, 1 Dec 2026 18:00 UTC"
    legend = " ".join(texts(groups(root, "legend")[0]))
    assert legend == "PEG score (check-in) Flare-up reported Red-flag alert"


def test_labels_close_together_go_in_different_lanes():
    close = [Marker(T0 + timedelta(hours=6 * n), FLARE_UP, "Flare-up") for n in range(LANES)]
    layout = peg_layout(POINTS, close)
    assert sorted(m.lane for m in layout.markers) == list(range(LANES))
    assert len({layout.lane_y(m.lane) for m in layout.markers}) == LANES
    assert all(y > 0 for y in (layout.lane_y(n) for n in range(LANES)))


def test_a_label_near_the_right_edge_is_drawn_to_the_left_of_its_line():
    late = Marker(POINTS[-1].at, RED_FLAG, "Red flag: emergency")
    (placed,) = peg_layout(POINTS, [late]).markers
    assert placed.anchor == "end" and placed.label_x < placed.x


def test_one_check_in_or_only_markers_still_draw():
    one = parse(peg_chart(POINTS[:1], []))
    assert len(groups(one, "peg-point")) == 1
    assert texts(one, "x-tick")
    only = parse(peg_chart([], MARKERS))
    assert texts(only, "empty") == ["No check-ins yet"]
    assert "no check-ins yet" in only.find(f"{SVG}desc").text
    with pytest.raises(ValueError):
        peg_chart([], [])


def test_every_value_is_escaped():
    hostile = Marker(T0, RED_FLAG, 'Red flag: <script>alert("x")</script> & co')
    svg = str(peg_chart(POINTS, [hostile]))
    assert "<script>" not in svg
    root = parse(svg)
    assert 'Red flag: <script>alert("x")</script> & co' in texts(root)


def test_a_chart_over_a_new_year_writes_the_years():
    points = [
        PegPoint(datetime(2026, 12, 1, tzinfo=timezone.utc), 6),
        PegPoint(datetime(2027, 2, 1, tzinfo=timezone.utc), 4),
    ]
    dates = texts(parse(peg_chart(points, [])), "x-tick")
    assert any(label.endswith("2027") for label in dates)


def test_the_exercise_chart_writes_each_week_on_its_bar():
    weeks = [
        WeekBar(date(2026, 11, 30), 4, 7),
        WeekBar(date(2026, 12, 7), 6, 7),
        WeekBar(date(2026, 12, 14), 2, 4),
    ]
    root = parse(adherence_chart(weeks))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Days with exercise, per week"
    assert "3 weeks shown; exercise on 12 of 18 days" in root.find(f"{SVG}desc").text
    bars = groups(root, "week")
    assert [texts(g, "bar-value")[0] for g in bars] == ["4 of 7", "6 of 7", "2 of 4"]
    assert [texts(g, "x-tick")[0] for g in bars] == ["30 Nov", "7 Dec", "14 Dec"]
    heights = [float(g.find(f"{SVG}rect").get("height")) for g in bars]
    assert heights[1] > heights[0] > heights[2]
    assert texts(root, "x-label") == ["Week starting (Monday, UTC)"]
