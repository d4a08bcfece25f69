"""Move a case on: new -> acknowledged -> patient contacted -> closed.

Each step is one transaction that records the transition beside the new state. The
step says which state it starts from, so two clinicians pressing the same button at
once move the case once; the second is told it has already moved::

    advance(alert, user, expected=State.NEW, note="")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from console.cases.models import CaseState, CaseTransition, OutboxAlert, State

NEXT_STATE: dict[str, str] = {
    State.NEW: State.ACKNOWLEDGED,
    State.ACKNOWLEDGED: State.CONTACTED,
    State.CONTACTED: State.CLOSED,
}
# Closing these needs an outcome note.
NOTE_REQUIRED_TIERS = frozenset({"emergency", "crisis"})


class StepRefused(ValueError):
    """The step cannot be taken; the message says why (shown to the clinician)."""


@dataclass(frozen=True)
class Step:
    """A step just taken."""

    alert_id: int
    from_state: str
    to_state: str


def state_of(alert_id: int) -> str:
    """Return the case's current state (``new`` when nobody has acted on it)."""
    row = CaseState.objects.filter(alert_id=alert_id).values_list("state", flat=True).first()
    return str(row) if row else State.NEW


def note_required(alert: OutboxAlert, to_state: str) -> bool:
    """Say whether moving ``alert`` to ``to_state`` needs a note."""
    return to_state == State.CLOSED and alert.tier in NOTE_REQUIRED_TIERS


def advance(alert: OutboxAlert, user: Any, expected: str, note: str = "") -> Step:
    """Move ``alert``'s case one step on from ``expected``; record who, when and the note.

    Raises:
        StepRefused: the case is not in ``expected`` any more (somebody moved it), it
            is closed, or a required outcome note is missing.
    """
    start = str(expected)
    if start not in State.LABELS:
        raise StepRefused("unknown state")
    if start not in NEXT_STATE:
        raise StepRefused("this case is closed")
    target = NEXT_STATE[start]
    note = note.strip()
    if note_required(alert, target) and not note:
        raise StepRefused("an outcome note is required to close an emergency case")
    with transaction.atomic():
        CaseState.objects.get_or_create(alert_id=alert.id)
        changes: dict[str, Any] = {"state": target}
        if target == State.CLOSED:
            changes["outcome"] = note
        moved = CaseState.objects.filter(alert_id=alert.id, state=start).update(**changes)
        if moved != 1:
            raise StepRefused("this case has already moved on; see its current state")
        CaseTransition.objects.create(
            alert_id=alert.id, from_state=start, to_state=target, by=user, note=note
        )
    return Step(alert.id, start, target)
