"""Run the whole phrasing suite (tests/safety/phrasings.yml) against the detector."""

from __future__ import annotations

import io

import pytest

from bot.safety import RedFlagDetector
from bot.safety.report import DEFAULT_SUITE, gate_ok, load_suite, render, score

CASES = load_suite(DEFAULT_SUITE)


@pytest.fixture(scope="module")
def scores(detector: RedFlagDetector):  # type: ignore[no-untyped-def]
    return score(CASES, detector.detect)


def test_suite_size() -> None:
    groups: dict[str, int] = {}
    for case in CASES:
        groups[case.group] = groups.get(case.group, 0) + 1
    assert len(CASES) >= 360
    assert groups["emergency"] >= 120
    assert groups["urgent"] >= 50
    assert groups["soon"] >= 50
    assert groups["benign"] >= 100
    assert groups["traps"] >= 40


def _failures(scores, group: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{c.text!r} -> {a.to_json()}" for c, a in scores[group].failures]


def test_every_emergency_reaches_emergency(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores["emergency"].rate == 1.0, _failures(scores, "emergency")


def test_benign_false_positive_rate(scores) -> None:  # type: ignore[no-untyped-def]
    assert 1.0 - scores["benign"].rate <= 0.05, _failures(scores, "benign")


@pytest.mark.parametrize("group", ["urgent", "soon"])
def test_urgent_and_soon_sensitivity(scores, group: str) -> None:  # type: ignore[no-untyped-def]
    assert scores[group].rate >= 0.90, _failures(scores, group)


def test_trap_accuracy(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores["traps"].rate >= 0.90, _failures(scores, "traps")


def test_report_renders_and_gates(scores) -> None:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    render(scores, [], buffer)
    text = buffer.getvalue()
    assert "sensitivity emergency" in text and "benign false positives" in text
    assert gate_ok(scores)
