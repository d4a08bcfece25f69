"""Evaluate intent classification on the held-out NLU test set (tests/nlu/).

Runs ``rasa test nlu`` with the trained model, then prints per-intent precision, recall
and F1, the macro F1 and the most frequent confusion pairs. Exits non-zero when the
macro F1 is below the target, so `make nlu-report` can gate a change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "results" / "nlu"
TARGET_MACRO_F1 = 0.90


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", "tests/nlu/test_nlu.yml",
         "--model", "models/backcare.tar.gz", "--out", str(OUT), "--quiet"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    report = json.loads((OUT / "intent_report.json").read_text())
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    for name, row in sorted(report.items()):
        if not isinstance(row, dict) or "support" not in row or name.endswith("avg"):
            continue
        print(
            f"{name:28} {row['precision']:9.2f} {row['recall']:7.2f} "
            f"{row['f1-score']:6.2f} {row['support']:4d}"
        )
    macro = report["macro avg"]["f1-score"]
    print(f"\nmacro F1 {macro:.3f} (target {TARGET_MACRO_F1}); accuracy {report['accuracy']:.3f}")
    errors_file = OUT / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    if pairs:
        print("\nconfusions (expected -> predicted: count)")
        for (expected, predicted), count in pairs.most_common(20):
            print(f"  {expected} -> {predicted}: {count}")
    return 0 if macro >= TARGET_MACRO_F1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
