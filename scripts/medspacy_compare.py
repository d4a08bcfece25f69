"""Compare medspaCy's ConText with the project's own context rules on the same mentions.

medspaCy needs spaCy 3.7 and cannot live beside the project's spaCy 3.4, so the
comparison runs in three steps across two environments:

1. ``python -m scripts.medspacy_compare dump out.json [suite.yml ...]`` (project venv):
   the detector tokenizes each message and finds its concept mentions; tokens, sentence
   starts and mention spans are written out.
2. ``python scripts/medspacy_context.py out.json marks.json`` (a throwaway venv with
   medspaCy): ConText with its default rules marks each mention negated, family,
   historical or hypothetical.
3. ``python -m scripts.medspacy_compare score out.json marks.json`` (project venv): the
   flag frames run twice on the same mentions, once with the project's context marks and
   once with ConText's, and both are scored per group.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

import yaml  # noqa: E402

from bot.safety.context import Mention  # noqa: E402
from bot.safety.detector import RedFlagDetector  # noqa: E402
from bot.safety.model import Tier  # noqa: E402
from bot.safety.report import SUITE_DIR  # noqa: E402

GROUPS = ("emergency", "urgent", "soon")


def cases(paths: list[Path]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for group in GROUPS:
            for item in data.get(group) or []:
                out.append({"text": str(item["text"]), "group": group, "tier": group})
        for item in data.get("traps") or []:
            out.append({"text": str(item["text"]), "group": "traps", "tier": str(item["tier"])})
        for item in data.get("benign") or []:
            text = item["text"] if isinstance(item, dict) else item
            out.append({"text": str(text), "group": "benign", "tier": "none"})
    return out


def dump(out: Path, paths: list[Path]) -> None:
    detector = RedFlagDetector.from_catalogue(second_opinion=None)
    rows = []
    for case in cases(paths):
        doc, lay, mentions, _ = detector.read(case["text"])
        rows.append(
            {
                **case,
                "words": [t.text for t in doc],
                "spaces": [bool(t.whitespace_) for t in doc],
                "sent_starts": [
                    i == 0 or lay.sentence[i] != lay.sentence[i - 1] for i in range(len(doc))
                ],
                "mentions": [[m.concept, m.start, m.end] for m in mentions],
            }
        )
    out.write_text(json.dumps(rows), encoding="utf-8")
    print(f"{len(rows)} messages written to {out}")


def tier_of(detector: RedFlagDetector, doc: Any, lay: Any, mentions: list[Mention]) -> Tier:
    by_concept: dict[str, list[Mention]] = {}
    for m in mentions:
        by_concept.setdefault(m.concept, []).append(m)
    findings = detector._findings(doc, lay, by_concept, allow_hypothetical=False)
    return max((f.tier for f in findings), default=Tier.NONE)


def passes(group: str, expected: str, tier: Tier) -> bool:
    want = Tier(expected)
    if group == "emergency":
        return tier is Tier.EMERGENCY
    if group in ("urgent", "soon"):
        return tier >= want
    return tier is want


def score(dumped: Path, marks_path: Path) -> None:
    detector = RedFlagDetector.from_catalogue(second_opinion=None)
    rows = json.loads(dumped.read_text(encoding="utf-8"))
    marks = json.loads(marks_path.read_text(encoding="utf-8"))
    tally: dict[str, dict[str, list[int]]] = {"ours": {}, "context": {}}
    disagreements: list[str] = []
    for row, row_marks in zip(rows, marks, strict=True):
        doc, lay, ours, _ = detector.read(row["text"])
        assert [[m.concept, m.start, m.end] for m in ours] == row["mentions"]
        theirs = [
            Mention(
                m.concept,
                m.start,
                m.end,
                negated=mk["negated"],
                other=mk["family"],
                hypothetical=mk["hypothetical"],
                resolved=False,
                distant=mk["historical"],
            )
            for m, mk in zip(ours, row_marks, strict=True)
        ]
        for name, mentions in (("ours", ours), ("context", theirs)):
            ok = passes(row["group"], row["tier"], tier_of(detector, doc, lay, mentions))
            cell = tally[name].setdefault(row["group"], [0, 0])
            cell[0] += ok
            cell[1] += 1
        a = passes(row["group"], row["tier"], tier_of(detector, doc, lay, ours))
        b = passes(row["group"], row["tier"], tier_of(detector, doc, lay, theirs))
        if a != b:
            disagreements.append(
                f"{'ours' if a else 'ConText'} right: [{row['group']}] {row['text'][:100]!r}"
            )
    print(f"{'group':<10} {'project rules':>16} {'medspaCy ConText':>18}")
    for group in (*GROUPS, "traps", "benign"):
        o = tally["ours"].get(group, [0, 0])
        c = tally["context"].get(group, [0, 0])
        if o[1]:
            print(
                f"{group:<10} {o[0]:>7}/{o[1]:<4} {o[0] / o[1]:5.1%} {c[0]:>7}/{c[1]:<4} {c[0] / c[1]:5.1%}"
            )
    print(f"\n{len(disagreements)} messages where only one is right:")
    for line in disagreements:
        print("  " + line)


def main(argv: list[str]) -> int:
    mode, *rest = argv
    if mode == "dump":
        out, *paths = rest
        dump(Path(out), [Path(p) for p in paths] or sorted(SUITE_DIR.glob("*.yml")))
    else:
        score(Path(rest[0]), Path(rest[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
