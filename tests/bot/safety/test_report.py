"""The report scores blind-format batches: escalations, asks, false positives, turns, time."""

from __future__ import annotations

import io
from pathlib import Path

import yaml

from bot.safety import RedFlagDetector
from bot.safety.report import _ask_tiers, batch_gate_ok, is_batch, main, render_batch, score_batch

BATCH = {
    "emergency": [
        {"text": "I can't feel my bum", "category": "saddle"},
        {"text": "can't hold my water", "category": "bladder"},
    ],
    "urgent": [{"text": "I have a fever and back pain", "category": "fever"}],
    "soon": [{"text": "I've lost a stone without trying", "category": "weight"}],
    "traps": [
        {"text": "no numbness down there", "tier": "none", "why": "negation"},
        {"text": "I have no feeling in my bottom", "tier": "emergency", "why": "negative wording"},
    ],
    "benign": [{"text": "is heat or ice better?"}, {"text": "my legs feel funny"}],
    "conversations": [
        {
            "turns": ["been having accidents", "with my bladder I mean"],
            "tier": "emergency",
            "clear_at": 2,
        },
        {"turns": ["hi", "my back is stiff"], "tier": "none", "clear_at": None},
    ],
}


def test_blind_batches_are_recognised() -> None:
    assert is_batch(BATCH)
    assert not is_batch({"emergency": [{"text": "x", "flag": "cauda_equina_saddle"}]})


def test_score_batch_counts_escalations_asks_and_turns(detector: RedFlagDetector) -> None:
    s = score_batch(BATCH, detector.detect, detector.detect_conversation, _ask_tiers(detector))
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


def test_main_scores_both_formats(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "batch.yml"
    path.write_text(yaml.safe_dump(BATCH), encoding="utf-8")
    suite = tmp_path / "suite.yml"
    suite.write_text(
        yaml.safe_dump(
            {
                "emergency": [{"text": "cnt feel my bum", "flag": "cauda_equina_saddle"}],
                "benign": ["my back hurts"],
            }
        ),
        encoding="utf-8",
    )
    assert main([str(suite), str(path), "--quiet"]) == 1
    printed = capsys.readouterr().out
    assert "sensitivity emergency" in printed and "conversations right" in printed
    assert "FAIL: below the floor" in printed
    assert main([str(suite)]) == 0


def test_the_held_out_batch_is_reported_without_its_errors_and_never_trained_on(capsys):
    from bot.safety import classifier, report

    heldout = sorted(report.HELDOUT_DIR.glob("*.yml"))
    assert heldout, "the held-out blind batch is missing from tests/safety/heldout/"
    texts = set()
    for path in heldout:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert report.is_batch(data)
        singles = [
            item["text"]
            for group in ("emergency", "urgent", "soon", "traps", "benign")
            for item in data[group]
        ]
        assert len(singles) >= 150
        texts.update(singles)
    assert not set(heldout) & set(classifier.source_files())
    positives, negatives = classifier.suite_texts()
    assert not texts & ({text for text, _ in positives} | set(negatives))
    assert report.main([]) in (0, 1)
    printed = capsys.readouterr().out
    assert report.HELDOUT_LINE in printed
    held_part = printed.split(str(heldout[0]))[1]
    assert "miss:" not in held_part.split(report.HELDOUT_LINE)[0]


def test_a_trap_without_a_tier_must_not_escalate():
    from bot.safety.model import Assessment, Tier
    from bot.safety.report import score_batch

    escalate_all = lambda text: Assessment(text=text, tier=Tier.EMERGENCY, findings=())  # noqa: E731
    data = {"emergency": [], "traps": [{"text": "my mum had bowel cancer"}], "benign": []}
    batch = score_batch(data, escalate_all, None, {})
    assert (batch.escalated_fp, batch.negatives) == (1, 1)
