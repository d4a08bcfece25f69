"""The safety report reads both formats and keeps the held-out batch's errors hidden."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.safety.report import main
from tests.bot.safety.samples import BATCH


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
    from bot.safety import classifier, examples, report

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
    positives, negatives = examples.suite_texts()
    assert not texts & ({text for text, _ in positives} | set(negatives))
    assert report.main([]) in (0, 1)
    printed = capsys.readouterr().out
    assert report.HELDOUT_LINE in printed
    held_part = printed.split(str(heldout[0]))[1]
    assert "miss:" not in held_part.split(report.HELDOUT_LINE)[0]
