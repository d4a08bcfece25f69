"""A small run of the conversation fuzzer (scripts/fuzz.py) against the real servers.

``make fuzz`` runs the large budget (2,000 conversations of 20 turns); this keeps a few
minutes' worth in every ``make test``: 100 seeded conversations of 15 turns, with the
invariants on every turn (an answer, at most 8 messages, no text three times, a red
flag answered with its tier's response and exactly one alert row) and a clean log.
"""

from __future__ import annotations

import pytest

from scripts import fuzz

pytestmark = pytest.mark.e2e


def test_random_conversations_break_no_invariant():
    report = fuzz.run(conversations=100, turns=15, seed=20261128, workers=4)
    print(report.summary())
    assert report.conversations == 100
    assert report.turns == 1500
    assert report.red_flags > 0 and report.kinds["button"] > 0 and report.kinds["short"] > 0
    assert report.breaks == [], "\n\n".join(report.breaks[:5])
    assert not report.log_problems, report.log_problems
