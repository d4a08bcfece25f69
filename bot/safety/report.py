"""Score the red-flag detector against the phrasing suites and list every error.

Run ``python -m bot.safety.report [suite.yml ...]`` or ``make safety-report``. With no
argument it scores ``tests/safety/phrasings.yml`` and then every batch file beside it
(``tests/safety/*.yml``: blind batches added to the suite after scoring, and probes).
Two formats are read:

* the phrasing suite (``phrasings.yml``): per-tier sensitivity (emergency messages must
  reach emergency exactly), the benign false-positive rate, trap tier accuracy, and every
  miss and false positive with the detector's findings;
* the blind-batch format (keys ``emergency``/``urgent``/``soon``/``traps``/``benign``/
  ``conversations``, as written by outside helpers), scored by
  :mod:`bot.safety.batches`.

The exit code is 1 when the phrasing suite's emergency sensitivity is below 100% or its
benign false-positive rate is above 5%, or a batch in the suite folder falls below the
floor of :func:`batch_gate_ok`, so CI can gate on it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.safety.batches import (
    BATCH_FAIL_LINE,
    ESCALATION_GROUPS,
    ask_tiers,
    batch_gate_ok,
    describe,
    is_batch,
    render_batch,
    score_batch,
)
from bot.safety.catalogue import REPO_ROOT
from bot.safety.model import Assessment, Tier

SUITE_DIR = REPO_ROOT / "tests" / "safety"
DEFAULT_SUITE = SUITE_DIR / "phrasings.yml"
HELDOUT_DIR = SUITE_DIR / "heldout"
TRAINING_DIR = SUITE_DIR / "training"
HELDOUT_LINE = "  held-out: figures only, never used for fixing, never gated\n"  # prose-ok
TRAINING_LINE = "  training corpus: learned by the second opinion; never gated\n"  # prose-ok
MAX_BENIGN_FP_RATE = 0.05


@dataclass(frozen=True)
class Case:
    """One suite message with what it should produce."""

    group: str
    text: str
    tier: Tier
    flag: str | None = None


@dataclass
class GroupScore:
    """Pass/fail tally of one suite group."""

    passed: int = 0
    total: int = 0
    failures: list[tuple[Case, Assessment]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Return the share of passing cases (1.0 for an empty group)."""
        return self.passed / self.total if self.total else 1.0


def load_suite(path: Path = DEFAULT_SUITE) -> list[Case]:
    """Read the phrasing suite YAML into cases."""
    data: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases: list[Case] = []
    for group in ESCALATION_GROUPS:
        for item in data.get(group) or []:
            cases.append(Case(group, str(item["text"]), Tier(group), item.get("flag")))
    for item in data.get("traps") or []:
        cases.append(Case("traps", str(item["text"]), Tier(item["tier"]), item.get("flag")))
    for item in data.get("benign") or []:
        text = item["text"] if isinstance(item, Mapping) else item
        cases.append(Case("benign", str(text), Tier.NONE))
    return cases


def passes(case: Case, assessment: Assessment) -> bool:
    """Return True when the detector's tier is acceptable for the case."""
    if case.group == "emergency":
        return assessment.tier is Tier.EMERGENCY
    if case.group in ("urgent", "soon"):
        return assessment.tier >= case.tier
    return assessment.tier is case.tier


def score(cases: Sequence[Case], assess: Any) -> dict[str, GroupScore]:
    """Run ``assess`` (text -> Assessment) over the cases and tally each group."""
    scores: dict[str, GroupScore] = {}
    for case in cases:
        assessment: Assessment = assess(case.text)
        group = scores.setdefault(case.group, GroupScore())
        group.total += 1
        if passes(case, assessment):
            group.passed += 1
        else:
            group.failures.append((case, assessment))
    return scores


def flag_mismatches(cases: Sequence[Case], assess: Any) -> list[tuple[Case, Assessment]]:
    """Return cases whose expected flag id is not among the findings (informational)."""
    out = []
    for case in cases:
        if case.flag:
            assessment: Assessment = assess(case.text)
            if case.flag not in assessment.flag_ids:
                out.append((case, assessment))
    return out


def gate_ok(scores: Mapping[str, GroupScore]) -> bool:
    """Return True when emergency sensitivity is 100% and benign FP rate is <= 5%."""
    emergency = scores.get("emergency", GroupScore())
    benign = scores.get("benign", GroupScore())
    return emergency.rate == 1.0 and (1.0 - benign.rate) <= MAX_BENIGN_FP_RATE


def render(
    scores: Mapping[str, GroupScore],
    mismatches: Sequence[tuple[Case, Assessment]],
    out: TextIO,
) -> None:
    """Print the summary table and every failure."""
    out.write("Red-flag detector phrasing suite\n")
    out.write("================================\n")
    for group in ESCALATION_GROUPS:
        s = scores.get(group, GroupScore())
        out.write(f"sensitivity {group:<10} {s.rate:7.1%}  ({s.passed}/{s.total})\n")
    benign = scores.get("benign", GroupScore())
    fp = benign.total - benign.passed
    fp_rate = fp / benign.total if benign.total else 0.0
    out.write(f"benign false positives {fp_rate:7.1%}  ({fp}/{benign.total})\n")
    traps = scores.get("traps", GroupScore())
    out.write(f"trap tier accuracy     {traps.rate:7.1%}  ({traps.passed}/{traps.total})\n")
    for group in (*ESCALATION_GROUPS, "traps", "benign"):
        failures = scores.get(group, GroupScore()).failures
        if not failures:
            continue
        title = "false positives" if group == "benign" else "misses"
        out.write(f"\n{group} {title} ({len(failures)}):\n")
        for case, assessment in failures:
            out.write(f"  - {case.text!r}: expected {case.tier.value}, {describe(assessment)}\n")
    if mismatches:
        out.write(f"\nright tier, other flag id ({len(mismatches)}, informational):\n")
        for case, assessment in mismatches:
            out.write(f"  - {case.text!r}: expected {case.flag}, {describe(assessment)}\n")
    out.write("\nPASS\n" if gate_ok(scores) else "\nFAIL: emergency < 100% or benign FP > 5%\n")


def main(argv: Sequence[str]) -> int:
    """Score the suites named in ``argv`` (or the defaults) and print the reports."""
    from bot.safety.__main__ import _block_tensorflow

    _block_tensorflow()
    from bot.safety.detector import RedFlagDetector

    quiet = "--quiet" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        paths = [DEFAULT_SUITE, *sorted(p for p in SUITE_DIR.glob("*.yml") if p != DEFAULT_SUITE)]
        paths += sorted(TRAINING_DIR.glob("*.yml")) + sorted(HELDOUT_DIR.glob("*.yml"))
    detector = RedFlagDetector.from_catalogue()
    conversation = getattr(detector, "detect_conversation", None)
    ok = True
    for path in paths:
        data: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if is_batch(data) and path.parent == HELDOUT_DIR:
            # The held-out batch shows how the detector does on messages nobody tuned it
            # to: its errors stay hidden so that nobody fixes to them.
            batch = score_batch(data, detector.detect, conversation, ask_tiers(detector))
            render_batch(str(path), batch, sys.stdout, errors=False)
            sys.stdout.write(HELDOUT_LINE)
            continue
        if is_batch(data) and path.parent == TRAINING_DIR:
            # A training corpus: the second opinion learned it, so only the frames' part
            # of its figures means much; shown, never gated.
            batch = score_batch(data, detector.detect, conversation, ask_tiers(detector))
            render_batch(str(path), batch, sys.stdout, errors=False)
            sys.stdout.write(TRAINING_LINE)
            continue
        if is_batch(data):
            batch = score_batch(data, detector.detect, conversation, ask_tiers(detector))
            render_batch(str(path), batch, sys.stdout, errors=not quiet)
            if not batch_gate_ok(batch):
                sys.stdout.write(BATCH_FAIL_LINE)
                ok = False
            continue
        cases = load_suite(path)
        scores = score(cases, detector.detect)
        failed = {id(c) for s in scores.values() for c, _ in s.failures}
        passing = [case for case in cases if id(case) not in failed]
        render(scores, flag_mismatches(passing, detector.detect), sys.stdout)
        ok = ok and gate_ok(scores)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
