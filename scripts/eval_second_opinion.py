"""Measure what the learned second opinion adds to the concept frames, and what it costs.

Usage: python -m scripts.eval_second_opinion [batch.yml ...] [--exclude file.yml ...]

Trains the classifier without the named batches (and without any ``--exclude`` file),
then scores each batch three ways: frames alone, frames + second opinion (the
classifier is read only when the frames find nothing, and can only ask), and the
classifier alone (its top class at each threshold). Prints emergency escalated or
asked, asks on ordinary and trap messages, and the median time per message.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]

import yaml  # noqa: E402

from bot.safety import classifier as C  # noqa: E402
from bot.safety.batches import ask_tiers, score_batch  # noqa: E402
from bot.safety.detector import RedFlagDetector  # noqa: E402
from bot.safety.model import Tier  # noqa: E402


def main(argv: list[str]) -> int:
    batches = [Path(a) for a in argv if not a.startswith("--") and a not in _excluded(argv)]
    exclude = [*batches, *(Path(a) for a in _excluded(argv))]
    frames = RedFlagDetector.from_catalogue(second_opinion=None)
    opinion = C.build(frames, exclude=exclude)
    both = RedFlagDetector(frames.catalogue, frames._norm.nlp, opinion)
    tiers = ask_tiers(frames)
    print(f"trained without: {[p.name for p in exclude]}")
    for path in batches:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        print(f"\n{path.name}")
        runs = [("frames alone", frames, None)] + [
            (f"frames + opinion @ {t:.2f}", both, t) for t in (0.5, 0.6, 0.7, 0.8, 0.9)
        ]
        for name, det, threshold in runs:
            if threshold is not None:
                opinion.threshold = threshold
            s = score_batch(data, det.detect, det.detect_conversation, tiers)
            em = s.totals.get("emergency", 0)
            reached, total = s.all_escalations
            print(
                f"  {name:<24} emergency escalated {s.reached.get('emergency', 0)}/{em}, "
                f"escalated or asked {s.reached_or_asked.get('emergency', 0)}/{em}; "
                f"all at tier {reached}/{total}; FP escalated {s.escalated_fp}/{s.negatives}, "
                f"asked {s.asked_fp}/{s.negatives}; median {s.median_ms:.2f} ms"
            )
            if det is both and threshold == 0.8:
                for line in s.errors:
                    if "asked" in line or "miss" in line:
                        print(f"      {line}")
        # The classifier alone: would it have raised a question at all?
        emergencies = [str(i["text"]) for i in data.get("emergency") or []]
        negatives = [str(i["text"]) for i in data.get("traps") or [] if i.get("tier", "none") == "none"]
        negatives += [
            str(i["text"] if isinstance(i, dict) else i) for i in data.get("benign") or []
        ]
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
            hit = sum(_flagged(opinion, t, threshold) for t in emergencies)
            fp = sum(_flagged(opinion, t, threshold) for t in negatives)
            print(
                f"  classifier alone @ {threshold:.1f}: emergencies flagged {hit}/{len(emergencies)}, "
                f"ordinary/trap flagged {fp}/{len(negatives)}"
            )
        missed = [t for t in emergencies if frames.detect(t).tier is not Tier.EMERGENCY]
        if missed:
            print("  frames' emergency misses and the classifier's reading:")
            for t in missed:
                scores = opinion.scores(t)
                top = max(scores, key=lambda k: scores[k])
                print(f"    {top}:{scores[top]:.2f}  {t[:90]!r}")
    return 0


def _flagged(opinion: C.SecondOpinion, text: str, threshold: float) -> bool:
    scores = opinion.scores(text)
    label = max(scores, key=lambda k: scores[k])
    return label not in (C.NONE_CLASS, C.OTHER_CLASS) and scores[label] >= threshold


def _excluded(argv: list[str]) -> list[str]:
    out, take = [], False
    for a in argv:
        if a == "--exclude":
            take = True
        elif take:
            out.append(a)
            take = False
    return out


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
