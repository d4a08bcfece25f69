"""Show how the red-flag detector reads messages: every concept mention and its context.

Usage: python -m scripts.safety_explain "message one" "message two" ...
For catalogue editing: shows which terms matched, which were negated, someone else's,
resolved, distant or hypothetical, and the verdict (tier, findings, ask).
"""

from __future__ import annotations

import sys

sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

from bot.safety.context import drop_absorbed, layout, mark, valid_triggers  # noqa: E402
from bot.safety.detector import RedFlagDetector  # noqa: E402


def explain(detector: RedFlagDetector, text: str) -> None:
    cat = detector.catalogue
    doc = detector._norm.annotate(text)
    mentions, cues = detector._mentions(doc)
    lay = layout(doc, cat.clause_breaks, cat.clause_joiners, cat.clause_subjects)
    mentions = drop_absorbed(doc, mentions, cues.get("negation", []))
    shields = [*mentions, *cues.get("pseudo_negation", [])]
    context = {
        "negation": valid_triggers(cues.get("negation", []), shields),
        "other_person": cues.get("other_person", []),
        "other_person_after": cues.get("other_person_after", []),
        "resolved": cues.get("resolved", []),
        "distant_past": cues.get("distant_past", []),
        "hypothetical_forward": cues.get("hypothetical_forward", []),
        "hypothetical_clause": cues.get("hypothetical_clause", []),
        "if": cues.get("conditional", []),
    }
    mark(
        doc,
        lay,
        mentions,
        context,
        cat.self_words,
        cat.negation_window,
        cat.generic_words,
        cat.self_actions,
    )
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
