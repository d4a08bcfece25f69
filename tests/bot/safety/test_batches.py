"""Blind-format batches are scored: escalations, asks, false positives, turns, time."""

from __future__ import annotations

import io

from bot.safety import RedFlagDetector
from bot.safety.batches import ask_tiers, batch_gate_ok, is_batch, render_batch, score_batch
from tests.bot.safety.samples import BATCH


def test_blind_batches_are_recognised() -> None:
    assert is_batch(BATCH)
    assert not is_batch({"emergency": [{"text": "x", "flag": "cauda_equina_saddle"}]})


def test_score_batch_counts_escalations_asks_and_turns(detector: RedFlagDetector) -> None:
    s = score_batch(BATCH, detector.detect, detector.detect_conversation, ask_tiers(detector))
    assert (s.reached["emergency"], s.reached_or_asked["emergency"], s.totals["emergency"]) == (
        1,
        2,
        2,
    )
    assert s.all_escalations == (3, 4)
    assert s.trap_findings == (1, 1)
    assert (s.negatives, s.escalated_fp, s.asked_fp) == (3, 0, 1)
    assert s.conversations == (2, 2)
    assert s.median_ms > 0
    # One question in three ordinary messages is above the 10% floor for asks.
    assert not batch_gate_ok(s)
    s.asked_fp = 0
    assert batch_gate_ok(s)
    out = io.StringIO()
    render_batch("batch", s, out)
    text = out.getvalue()
    assert "escalated or asked" in text and "median ms per message" in text


def test_a_trap_without_a_tier_must_not_escalate():
    from bot.safety.model import Assessment, Tier

    escalate_all = lambda text: Assessment(text=text, tier=Tier.EMERGENCY, findings=())  # noqa: E731
    data = {"emergency": [], "traps": [{"text": "my mum had bowel cancer"}], "benign": []}
    batch = score_batch(data, escalate_all, None, {})
    assert (batch.escalated_fp, batch.negatives) == (1, 1)
