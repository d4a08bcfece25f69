"""Score the red-flag detector on a blind-format batch, and time it.

A blind batch (keys ``emergency``/``urgent``/``soon``/``traps``/``benign``/
``conversations``, as written by outside helpers) is scored by :func:`score_batch`:
escalation at or above tier, the share of emergencies reached or asked about (an
``ask`` verdict whose question would reveal the emergency), false positives escalated
and asked on ordinary and trap messages, conversations scored with
``detect_conversation`` turn by turn (right when escalated at or above tier by turn
``clear_at + 1``; benign ones must never escalate), and the median milliseconds per
message. The safety report (:mod:`bot.safety.report`) prints it::

    batch = score_batch(data, detector.detect, detector.detect_conversation)
    render_batch("probe_1.yml", batch, sys.stdout)
    batch_gate_ok(batch)

:func:`detection_times` is the one timing loop the report, the benchmarks and the
tests share.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

from bot.safety.model import Assessment, Tier

ESCALATION_GROUPS = ("emergency", "urgent", "soon")
_Input = TypeVar("_Input")
_Result = TypeVar("_Result")


def timed_ms(detect: Callable[[_Input], _Result], text: _Input, timings_ms: list[float]) -> _Result:
    """Call ``detect(text)``, append its time in milliseconds to ``timings_ms``."""
    start = time.perf_counter()
    result = detect(text)
    timings_ms.append((time.perf_counter() - start) * 1000)
    return result


def detection_times(
    detect: Callable[[str], Any], texts: Sequence[str], passes: int = 3
) -> list[float]:
    """Return the milliseconds of each call over ``passes`` passes, after one warm-up pass."""
    for text in texts:
        detect(text)
    timings: list[float] = []
    for _ in range(passes):
        for text in texts:
            timed_ms(detect, text, timings)
    return timings


def describe(assessment: Assessment) -> str:
    """Return one report line for an assessment: its tier, and each finding's evidence."""
    flags = ", ".join(f"{f.id}({f.tier.value}: {f.evidence!r})" for f in assessment.findings)
    question = " [warning-sign question]" if assessment.warning_sign_question else ""
    return f"got {assessment.tier.value}{question}" + (f" <- {flags}" if flags else "")


BATCH_KEYS = frozenset({"emergency", "urgent", "soon", "traps", "benign", "conversations"})


@dataclass
class BatchScore:
    """Tallies of one blind-format batch.

    Attributes:
        reached: per escalation group, messages escalated at or above their tier.
        reached_or_asked: per group, escalated, or asked a question whose YES means a
            flag at or above their tier.
        totals: per group, the number of messages.
        negatives: ordinary and none-tier trap messages.
        escalated_fp: negatives that escalated.
        asked_fp: negatives that got an ask.
        trap_findings: (right, total) for traps whose expected tier is not none.
        conversations: (right, total) over all conversations.
        benign_conversations_escalated: benign conversations with any escalated turn.
        timings_ms: time of each single-message ``detect`` call.
        errors: one line per miss or false positive.
    """

    reached: dict[str, int] = field(default_factory=dict)
    reached_or_asked: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    negatives: int = 0
    escalated_fp: int = 0
    asked_fp: int = 0
    trap_findings: tuple[int, int] = (0, 0)
    conversations: tuple[int, int] = (0, 0)
    benign_conversations_escalated: int = 0
    timings_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def rate(self, group: str, asked: bool = False) -> float:
        """Return the share of ``group`` reached (or reached or asked)."""
        counts = self.reached_or_asked if asked else self.reached
        total = self.totals.get(group, 0)
        return counts.get(group, 0) / total if total else 1.0

    @property
    def all_escalations(self) -> tuple[int, int]:
        """Return (reached, total) over the three escalation groups."""
        return (
            sum(self.reached.get(g, 0) for g in ESCALATION_GROUPS),
            sum(self.totals.get(g, 0) for g in ESCALATION_GROUPS),
        )

    @property
    def median_ms(self) -> float:
        """Return the median time of one ``detect`` call in milliseconds."""
        return statistics.median(self.timings_ms) if self.timings_ms else 0.0


def is_batch(data: Mapping[str, Any]) -> bool:
    """Return True for a blind-format batch (it has conversations or no flag ids)."""
    if "conversations" in data:
        return True
    items = [i for g in ESCALATION_GROUPS for i in data.get(g) or [] if isinstance(i, Mapping)]
    return bool(items) and all("flag" not in item for item in items)


def _reaches(tier: Tier, expected: Tier) -> bool:
    return tier is Tier.EMERGENCY if expected is Tier.EMERGENCY else tier >= expected


def score_batch(
    data: Mapping[str, Any],
    detect: Callable[[str], Assessment],
    detect_conversation: Callable[[list[str]], Assessment] | None = None,
    ask_tiers: Mapping[str, Tier] | None = None,
) -> BatchScore:
    """Score one blind-format batch.

    Args:
        data: the parsed batch.
        detect: text -> Assessment.
        detect_conversation: messages -> Assessment for the latest turn; without it each
            turn is scored on its own.
        ask_tiers: the tier a YES to each ask id means (an ask counts for a group only
            when its tier reaches the group's tier).
    """
    tiers = ask_tiers or {}
    result = BatchScore()

    def timed(text: str) -> Assessment:
        return timed_ms(detect, text, result.timings_ms)

    def asked_for(assessment: Assessment, expected: Tier) -> bool:
        ask = assessment.ask
        return ask is not None and _reaches(tiers.get(ask, Tier.NONE), expected)

    for group in ESCALATION_GROUPS:
        expected = Tier(group)
        for item in data.get(group) or []:
            text = str(item["text"] if isinstance(item, Mapping) else item)
            a = timed(text)
            result.totals[group] = result.totals.get(group, 0) + 1
            hit = _reaches(a.tier, expected)
            result.reached[group] = result.reached.get(group, 0) + hit
            hit_or_ask = hit or asked_for(a, expected)
            result.reached_or_asked[group] = result.reached_or_asked.get(group, 0) + hit_or_ask
            if not hit:
                how = f"asked {a.ask}" if hit_or_ask else describe(a)
                result.errors.append(f"{group} miss: {text!r}: {how}")
    trap_right = trap_total = 0
    traps = [item for item in data.get("traps") or [] if isinstance(item, Mapping)]
    # A trap without a tier is a message that must not escalate (tier "none").
    negatives: list[tuple[str, str]] = [
        (str(item["text"]), "trap") for item in traps if item.get("tier", "none") == "none"
    ]
    for item in traps:
        if item.get("tier", "none") == "none":
            continue
        expected = Tier(str(item["tier"]))
        a = timed(str(item["text"]))
        trap_total += 1
        if _reaches(a.tier, expected):
            trap_right += 1
        else:
            asked = f" (asked {a.ask})" if asked_for(a, expected) else ""
            result.errors.append(f"trap miss: {item['text']!r}: {describe(a)}{asked}")
    result.trap_findings = (trap_right, trap_total)
    for item in data.get("benign") or []:
        negatives.append((str(item["text"] if isinstance(item, Mapping) else item), "benign"))
    for text, kind in negatives:
        a = timed(text)
        result.negatives += 1
        if a.tier is not Tier.NONE:
            result.escalated_fp += 1
            result.errors.append(f"{kind} false positive: {text!r}: {describe(a)}")
        elif a.ask is not None:
            result.asked_fp += 1
            result.errors.append(f"{kind} asked: {text!r}: ask {a.ask}")
    right = 0
    conversations = data.get("conversations") or []
    for conv in conversations:
        turns = [str(t) for t in conv["turns"]]
        verdicts = [
            detect_conversation(turns[: i + 1]) if detect_conversation else detect(turns[i])
            for i in range(len(turns))
        ]
        got = [v.tier.value + (f"?{v.ask}" if v.ask else "") for v in verdicts]
        expected = Tier(str(conv.get("tier") or "none"))
        clear_at = conv.get("clear_at")
        if expected is Tier.NONE or not clear_at:
            if any(v.tier is not Tier.NONE for v in verdicts):
                result.benign_conversations_escalated += 1
                result.errors.append(f"benign conversation escalated: {turns} -> {got}")
            else:
                right += 1
            continue
        # clear_at counts turns from 1; the verdict may come one turn later.
        window = verdicts[: int(clear_at) + 1]
        if any(_reaches(v.tier, expected) for v in window):
            right += 1
        else:
            result.errors.append(
                f"conversation miss ({expected.value}, clear at {clear_at}): {turns} -> {got}"
            )
    result.conversations = (right, len(conversations))
    return result


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:6.1%} ({part}/{whole})" if whole else "     - (0/0)"


def render_batch(name: str, s: BatchScore, out: TextIO, errors: bool = True) -> None:
    """Print one batch's figures (and its errors)."""
    out.write(f"\n{name}\n{'-' * len(name)}\n")
    for group in ESCALATION_GROUPS:
        total = s.totals.get(group, 0)
        out.write(
            f"  {group:<10} escalated {_pct(s.reached.get(group, 0), total)}"
            f"   escalated or asked {_pct(s.reached_or_asked.get(group, 0), total)}\n"
        )
    reached, total = s.all_escalations
    # Developer-facing report lines, not patient text.
    out.write(f"  all escalations at or above tier {_pct(reached, total)}\n")  # prose-ok
    out.write(f"  traps with a finding right       {_pct(*s.trap_findings)}\n")
    out.write(f"  false positives escalated        {_pct(s.escalated_fp, s.negatives)}\n")
    out.write(f"  false positives asked            {_pct(s.asked_fp, s.negatives)}\n")
    out.write(f"  conversations right              {_pct(*s.conversations)}")
    out.write(f"  (benign escalated: {s.benign_conversations_escalated})\n")
    out.write(f"  median ms per message            {s.median_ms:.2f}\n")
    if errors and s.errors:
        for line in s.errors:
            out.write(f"    - {line}\n")


BATCH_FAIL_LINE = "  FAIL: below the floor kept for batches in the suite\n"  # prose-ok
MIN_BATCH_EMERGENCY_REACHED_OR_ASKED = 0.95
MAX_BATCH_FP_ESCALATED = 0.05
MAX_BATCH_FP_ASKED = 0.10


def batch_gate_ok(s: BatchScore) -> bool:
    """Return True when a batch meets the floor kept for batches already in the suite.

    At least 95% of its emergencies escalated or asked about, at most 5% of its
    ordinary and trap messages escalated and at most 10% asked, no benign conversation
    escalated. (Fresh blind batches are judged against the issue's own targets.)
    """
    fp_escalated = s.escalated_fp / s.negatives if s.negatives else 0.0
    fp_asked = s.asked_fp / s.negatives if s.negatives else 0.0
    return (
        s.rate("emergency", asked=True) >= MIN_BATCH_EMERGENCY_REACHED_OR_ASKED
        and fp_escalated <= MAX_BATCH_FP_ESCALATED
        and fp_asked <= MAX_BATCH_FP_ASKED
        and s.benign_conversations_escalated == 0
    )


def ask_tiers(detector: Any) -> dict[str, Tier]:
    """Return the tier a YES to each of the detector's asks means."""
    asks = getattr(detector.catalogue, "asks", ())
    return {ask.id: ask.tier for ask in asks}
