"""Write the verdicts as a batch of the safety suite (``tests/safety/*.yml``).

Each missed message goes under the tier it should have reached, each false alarm under
``traps`` with ``tier: none``; the text is exactly what the patient wrote, and the
category names the clinician's note. The file is a blind-format batch (it always has a
``conversations`` key), so ``python -m bot.safety.report <file>`` scores it with
:func:`bot.safety.batches.score_batch`: copy it into ``tests/safety/`` and each verdict
is a regression case::

    text = export_yaml(Verdict.objects.all(), now=timezone.now())
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import yaml

from console.review.models import Verdict, VerdictKind
from console.review.verdicts import MISSED_TIERS

GROUPS = (*MISSED_TIERS, "traps", "benign", "conversations")
CATEGORY_PREFIX = "clinician review"


def category(verdict: Verdict) -> str:
    """Return the item's category: ``clinician review: <note>`` (the kind, without a note)."""
    note = " ".join(verdict.note.split())
    if not note:
        note = "missed " + verdict.tier if verdict.kind == VerdictKind.MISSED else "false alarm"
    return f"{CATEGORY_PREFIX}: {note}"


def export_data(verdicts: Iterable[Verdict]) -> dict[str, list[dict[str, Any]]]:
    """Return the batch: every group present, each message once per group, oldest first."""
    data: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    seen: set[tuple[str, str]] = set()
    for verdict in sorted(verdicts, key=lambda v: (v.at, v.pk)):
        if verdict.kind == VerdictKind.MISSED and verdict.tier in MISSED_TIERS:
            group, item = verdict.tier, {"text": verdict.text, "category": category(verdict)}
        elif verdict.kind == VerdictKind.FALSE_ALARM:
            group = "traps"
            item = {"text": verdict.text, "category": category(verdict), "tier": "none"}
        else:
            continue
        if (group, verdict.text) in seen or not verdict.text.strip():
            continue
        seen.add((group, verdict.text))
        data[group].append(item)
    return data


def export_yaml(verdicts: Iterable[Verdict], now: datetime) -> str:
    """Return the batch as YAML, with a comment saying where it came from."""
    data = export_data(verdicts)
    missed = sum(len(data[tier]) for tier in MISSED_TIERS)
    header = (
        f"# Clinicians' review verdicts from the BackCare console, {now:%Y-%m-%d %H:%M} UTC:\n"
        f"# {missed} missed red flag(s) under their tier, {len(data['traps'])} false alarm(s)\n"
        "# under traps (tier none). Patients' own words: review before adding to tests/safety/.\n"
    )
    body = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10**6
    )
    return header + body
