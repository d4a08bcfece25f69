"""What the patient has made with the assistant, shown beside their transcript.

- Pacing plans and the flare-up plan: the action server's plans store
  (:mod:`actions.pacing.store`, tables ``pacing_plans`` and ``flare_up_plans``), read
  without writing; the tables exist once the action server has opened the store.
- Check-in (PEG) scores: not stored apart, but in the conversation's own events, as
  the slots the check-in sets (:mod:`actions.checkin.actions`): each ``peg_last_score``
  is one check-in's score, after its three answers (``peg_pain``, ``peg_enjoyment``,
  ``peg_activity``).

::

    plans = patient_plans(sender_id)
    plans.pacing, plans.flare, plans.checkins
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from actions.checkin.peg import format_score
from actions.flare_ups.plan import FIELDS as FLARE_FIELDS
from console.transcripts.events import SLOT, moment, parse_payload
from console.transcripts.models import FlarePlanRow, PacingPlanRow, RasaEvent

# The check-in's slots (actions.checkin.actions.PEG_SLOTS and its result slot).
PEG_ANSWERS = ("peg_pain", "peg_enjoyment", "peg_activity")
PEG_SCORE = "peg_last_score"
FLARE_LABELS = {
    "triggers": "Likely triggers",
    "warning_signs": "Early warning signs",
    "helps": "What helps",
    "contacts": "Who can help",
    "step_back": "Stepping back to the baseline",
}


@dataclass(frozen=True)
class PacingSummary:
    """One pacing plan and where the patient is in it."""

    activity: str
    unit: str
    good_day: float
    bad_day: float
    increase_pct: float
    goal: int | None
    weeks: tuple[int, ...]
    week_number: int
    updated_at: datetime

    @property
    def this_week(self) -> int:
        """Return this week's daily amount."""
        return self.weeks[self.week_number - 1]


@dataclass(frozen=True)
class CheckIn:
    """One check-in: the PEG score and its three answers (None when not seen)."""

    at: datetime | None
    score: str
    pain: int | None
    enjoyment: int | None
    activity: int | None


@dataclass(frozen=True)
class PatientPlans:
    """The patient's plans and check-ins (each may be empty)."""

    pacing: list[PacingSummary] = field(default_factory=list)
    flare: list[tuple[str, str]] = field(default_factory=list)
    flare_updated_at: datetime | None = None
    checkins: list[CheckIn] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Say whether there is nothing to show."""
        return not (self.pacing or self.flare or self.checkins)


def _pacing(row: PacingPlanRow) -> PacingSummary | None:
    try:
        weeks = tuple(int(value) for value in json.loads(row.weeks))
    except (TypeError, ValueError):
        return None
    if not weeks:
        return None
    return PacingSummary(
        activity=row.activity,
        unit=row.unit,
        good_day=row.good_day,
        bad_day=row.bad_day,
        increase_pct=row.increase_pct,
        goal=row.goal,
        weeks=weeks,
        week_number=max(0, min(row.current_week, len(weeks) - 1)) + 1,
        updated_at=row.updated_at,
    )


def _whole(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return None


def checkins(sender_id: str) -> list[CheckIn]:
    """Return the conversation's check-ins from its slot events, oldest first."""
    found: list[CheckIn] = []
    answers: dict[str, int | None] = dict.fromkeys(PEG_ANSWERS)
    rows = (
        RasaEvent.objects.filter(
            sender_id=sender_id, type_name=SLOT, action_name__in=(*PEG_ANSWERS, PEG_SCORE)
        )
        .order_by("id")
        .values_list("action_name", "timestamp", "data")
    )
    for name, timestamp, data in rows:
        value = parse_payload(data).get("value")
        if name in answers:
            # The result clears the answers (None): keep the last ones given.
            if _whole(value) is not None:
                answers[name] = _whole(value)
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            found.append(
                CheckIn(
                    at=moment(timestamp),
                    score=format_score(float(value)),
                    pain=answers["peg_pain"],
                    enjoyment=answers["peg_enjoyment"],
                    activity=answers["peg_activity"],
                )
            )
            answers = dict.fromkeys(PEG_ANSWERS)
    return found


def patient_plans(sender_id: str) -> PatientPlans:
    """Return the patient's pacing plans, flare-up plan and check-ins."""
    tables = set(connection.introspection.table_names())
    pacing: list[PacingSummary] = []
    flare: list[tuple[str, str]] = []
    flare_updated_at = None
    if PacingPlanRow._meta.db_table in tables:
        rows = PacingPlanRow.objects.filter(sender_id=sender_id).order_by("-updated_at", "-id")
        pacing = [plan for plan in (_pacing(row) for row in rows) if plan is not None]
    if FlarePlanRow._meta.db_table in tables:
        row = FlarePlanRow.objects.filter(sender_id=sender_id).first()
        if row is not None:
            flare = [
                (FLARE_LABELS.get(name, name), str(getattr(row, name))) for name in FLARE_FIELDS
            ]
            flare_updated_at = row.updated_at
    return PatientPlans(
        pacing=pacing, flare=flare, flare_updated_at=flare_updated_at, checkins=checkins(sender_id)
    )
