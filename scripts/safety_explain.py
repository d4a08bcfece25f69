"""Show how the red-flag detector reads messages: every concept mention and its context.

Usage: python -m scripts.safety_explain "message one" "message two" ...
For catalogue editing: shows which terms matched, which were negated, someone else's,
resolved, distant or hypothetical, and the verdict (tier, findings, ask).
"""

from __future__ import annotations

import sys

sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

from bot.safety.detector import RedFlagDetector  # noqa: E402


def explain(detector: RedFlagDetector, text: str) -> None:
    doc, lay, mentions, cues = detector.read(text)
    print(f"\n{text!r}")
    print(
        "  clauses:",
        " | ".join(
            " ".join(t.text for t in doc if lay.clause[t.i] == c) for c in sorted(set(lay.clause))
        ),
    )
    for kind, found in cues.items():
        for m in found:
            print(f"  cue {kind:<22} {doc[m.start : m.end].text!r}")
    for m in sorted(mentions, key=lambda m: m.start):
        marks = [
            k for k in ("negated", "other", "hypothetical", "resolved", "distant") if getattr(m, k)
        ]
        print(f"  {m.concept:<26} {doc[m.start : m.end].text!r} {' '.join(marks)}")
    a = detector.detect(text)
    print("  =>", a.tier.value, [f"{f.id}:{f.evidence!r}" for f in a.findings], "ask:", a.ask)


if __name__ == "__main__":
    d = RedFlagDetector.from_catalogue()
    for t in sys.argv[1:]:
        explain(d, t)
