"""Gather one patient's outcomes from the bot's stores and the conversation's events.

Read-only, from the tables the bot and the action server own:

- check-ins (PEG): the conversation's slot events (:func:`console.transcripts.plans.checkins`);
- flare-ups: the patient's messages read as ``report_flare_up`` (events);
- red flags: the conversation's red-flag alerts in ``care_team_outbox`` (the cases);
- STarT Back: ``start_back_results`` (:mod:`actions.start_back.store`);
- pacing: ``pacing_plans`` (:func:`console.transcripts.plans.patient_plans`);
- exercise: ``exercise_logs`` (:mod:`actions.exercises.store`), as days with exercise per
  Monday-to-Sunday week (UTC days, as the exercise log keeps them).

A table that does not exist yet (a new install) reads as empty::

    outcomes = patient_outcomes(sender_id)
    outcomes.checkins, outcomes.start_back_latest, outcomes.adherence
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from actions.checkin.peg import compare
from actions.exercises.adherence import days_done
from actions.exercises.parsing import LogEntry
from actions.start_back.messages import get_start_back_content, item_text
from actions.start_back.scoring import ITEM_COUNT
from console.cases.models import OutboxAlert
from console.outcomes.chart import FLARE_UP, RED_FLAG, Marker, PegPoint, WeekBar
from console.outcomes.models import ExerciseLogRow, StartBackRow
from console.transcripts.events import USER, moment
from console.transcripts.models import RasaEvent
from console.transcripts.plans import CheckIn, PacingSummary, patient_plans

FLARE_UP_INTENT = "report_flare_up"
RED_FLAG_KIND = "red_flag"
# How many weeks of the exercise log the page shows, at most (the latest ones).
ADHERENCE_WEEKS = 12
GROUP_LABELS = {"low": "Low risk", "medium": "Medium risk", "high": "High risk"}
# What the STarT Back trial matched to each group (Hill et al. 2011, The Lancet).
GROUP_CARE = {
    "low": "advice, reassurance and self-management",
    "medium": "physiotherapy",
    "high": "psychologically informed physiotherapy",
}
CHANGE_WORDS = {
    "better": "lower: a meaningful improvement (a fall of 30% or more)",
    "worse": "higher: a meaningful worsening (a rise of 30% or more)",
    "same": "about the same (less than 30% change)",
}


@dataclass(frozen=True)
class RedFlag:
    """A red-flag alert raised in the conversation (one case)."""

    at: datetime
    tier: str
    flags: tuple[str, ...]
    case_id: int

    @property
    def label(self) -> str:
        """Return the marker's label: "Red flag: emergency"."""
        return f"Red flag: {self.tier}"


@dataclass(frozen=True)
class StartBackAnswer:
    """One item of a STarT Back result, as the patient answered it."""

    number: int
    item: str
    answer: str


@dataclass(frozen=True)
class StartBack:
    """One completed STarT Back questionnaire."""

    at: datetime
    total: int
    psychosocial: int
    group: str
    answers: tuple[StartBackAnswer, ...]

    @property
    def group_label(self) -> str:
        """Return the group as words: "Medium risk"."""
        return GROUP_LABELS.get(self.group, self.group)

    @property
    def matched_care(self) -> str:
        """Return what the STarT Back trial matched to this group."""
        return GROUP_CARE.get(self.group, "")


@dataclass(frozen=True)
class AdherenceWeek:
    """One week of the exercise log."""

    start: date
    days_done: int
    days_counted: int
    days_skipped: int
    hurt_days: int

    @property
    def end(self) -> date:
        """Return the week's Sunday."""
        return self.start + timedelta(days=6)

    @property
    def so_far(self) -> bool:
        """Return whether the week is not over yet (fewer than 7 days counted)."""
        return self.days_counted < 7


@dataclass(frozen=True)
class PegChange:
    """The PEG score's change from the first check-in to the latest."""

    first: CheckIn
    latest: CheckIn
    percent: int | None
    verdict: str

    @property
    def words(self) -> str:
        """Return the change in words."""
        return CHANGE_WORDS.get(self.verdict, "")


@dataclass(frozen=True)
class TimelineRow:
    """One row of the text table beside the chart: a check-in, a flare-up or a red flag."""

    at: datetime | None
    kind: str
    text: str
    case_id: int | None = None


@dataclass(frozen=True)
class Outcomes:
    """A patient's outcomes (each part may be empty)."""

    checkins: list[CheckIn] = field(default_factory=list)
    flare_ups: list[datetime] = field(default_factory=list)
    red_flags: list[RedFlag] = field(default_factory=list)
    start_back: list[StartBack] = field(default_factory=list)
    pacing: list[PacingSummary] = field(default_factory=list)
    adherence: list[AdherenceWeek] = field(default_factory=list)

    @property
    def start_back_latest(self) -> StartBack | None:
        """Return the most recent STarT Back, if any."""
        return self.start_back[-1] if self.start_back else None

    @property
    def peg_points(self) -> list[PegPoint]:
        """Return the check-ins as chart points."""
        return [
            PegPoint(at=c.at, score=float(c.score), label=c.score)
            for c in self.checkins
            if c.at is not None
        ]

    @property
    def markers(self) -> list[Marker]:
        """Return the flare-ups and red flags as chart markers."""
        return [Marker(at, FLARE_UP, "Flare-up") for at in self.flare_ups] + [
            Marker(flag.at, RED_FLAG, flag.label) for flag in self.red_flags
        ]

    @property
    def charted(self) -> bool:
        """Return whether there is anything for the PEG chart."""
        return bool(self.peg_points or self.markers)

    @property
    def peg_change(self) -> PegChange | None:
        """Return the change from the first check-in to the latest (two or more needed)."""
        if len(self.checkins) < 2:
            return None
        first, latest = self.checkins[0], self.checkins[-1]
        before, after = float(first.score), float(latest.score)
        percent = round((after - before) / before * 100) if before else None
        return PegChange(first, latest, percent, compare(before, after))

    @property
    def timeline(self) -> list[TimelineRow]:
        """Return the check-ins, flare-ups and red flags in time order, for the text table."""
        rows = [
            TimelineRow(
                c.at,
                "Check-in",
                f"PEG {c.score} (pain {_dash(c.pain)}, enjoyment {_dash(c.enjoyment)}, "
                f"activity {_dash(c.activity)})",
            )
            for c in self.checkins
        ]
        rows += [
            TimelineRow(at, "Flare-up", "Patient reported a flare-up") for at in self.flare_ups
        ]
        rows += [
            TimelineRow(flag.at, "Red flag", f"{flag.tier}: {', '.join(flag.flags)}", flag.case_id)
            for flag in self.red_flags
        ]
        return sorted(rows, key=lambda row: row.at.timestamp() if row.at else 0.0)

    @property
    def week_bars(self) -> list[WeekBar]:
        """Return the exercise weeks as chart bars."""
        return [WeekBar(w.start, w.days_done, w.days_counted) for w in self.adherence]


def _dash(value: int | None) -> str:
    return "—" if value is None else str(value)


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def flare_ups(sender_id: str) -> list[datetime]:
    """Return when the patient reported a flare-up, oldest first."""
    stamps = (
        RasaEvent.objects.filter(sender_id=sender_id, type_name=USER, intent_name=FLARE_UP_INTENT)
        .order_by("id")
        .values_list("timestamp", flat=True)
    )
    return [at for at in (moment(stamp) for stamp in stamps) if at is not None]


def red_flags(sender_id: str, tables: set[str]) -> list[RedFlag]:
    """Return the conversation's red-flag alerts, oldest first."""
    if OutboxAlert._meta.db_table not in tables:
        return []
    alerts = OutboxAlert.objects.filter(conversation_id=sender_id, kind=RED_FLAG_KIND).order_by(
        "created_at", "id"
    )
    return [
        RedFlag(at=alert.created_at, tier=alert.tier, flags=tuple(alert.flags), case_id=alert.id)
        for alert in alerts
    ]


def _answers(raw: str) -> tuple[StartBackAnswer, ...]:
    try:
        values = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(values, list) or len(values) != ITEM_COUNT:
        return ()
    content = get_start_back_content()
    bother = [button.title for button in content.buttons("answers.bother")]
    words = {
        1: content.buttons("answers.agree")[0].title,
        0: content.buttons("answers.disagree")[0].title,
    }
    found = []
    for number, value in enumerate(values, start=1):
        if number == ITEM_COUNT:
            answer = bother[value] if isinstance(value, int) and 0 <= value < len(bother) else "?"
        else:
            answer = words.get(value, "?") if isinstance(value, int) else "?"
        found.append(StartBackAnswer(number, item_text(content, number), answer))
    return tuple(found)


def start_back(sender_id: str, tables: set[str]) -> list[StartBack]:
    """Return the patient's STarT Back results, oldest first."""
    if StartBackRow._meta.db_table not in tables:
        return []
    rows = StartBackRow.objects.filter(sender_id=sender_id).order_by("completed_at", "id")
    return [
        StartBack(
            at=row.completed_at,
            total=row.total,
            psychosocial=row.psychosocial,
            group=row.risk_group,
            answers=_answers(row.answers),
        )
        for row in rows
    ]


def monday_of(day: date) -> date:
    """Return the Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def adherence_weeks(
    entries: Sequence[LogEntry], today: date, weeks: int = ADHERENCE_WEEKS
) -> list[AdherenceWeek]:
    """Return days with exercise per Monday-to-Sunday week, from the first log to today.

    The current week counts only the days so far; at most the latest ``weeks`` weeks.
    """
    if not entries:
        return []
    first = monday_of(min(entry.day for entry in entries))
    start = max(first, monday_of(today) - timedelta(weeks=weeks - 1))
    found = []
    while start <= today:
        end = min(start + timedelta(days=6), today)
        counted = (end - start).days + 1
        week = [entry for entry in entries if start <= entry.day <= end]
        found.append(
            AdherenceWeek(
                start=start,
                days_done=days_done(entries, end, counted),
                days_counted=counted,
                days_skipped=sum(1 for entry in week if not entry.did_some),
                hurt_days=sum(1 for entry in week if entry.reason == "hurt"),
            )
        )
        start += timedelta(days=7)
    return found


def exercise_log(sender_id: str, tables: set[str]) -> list[LogEntry]:
    """Return the patient's exercise log, oldest day first."""
    if ExerciseLogRow._meta.db_table not in tables:
        return []
    rows = ExerciseLogRow.objects.filter(sender_id=sender_id).order_by("day")
    return [LogEntry(row.day, row.done, row.planned, row.reason) for row in rows]


def utc_today() -> date:
    """Return today's date in UTC, the exercise log's days."""
    today: date = timezone.now().date()
    return today


def patient_outcomes(sender_id: str, today: date | None = None) -> Outcomes:
    """Return the patient's outcomes (see the module docstring)."""
    tables = _tables()
    day = today or utc_today()
    plans = patient_plans(sender_id)
    return Outcomes(
        checkins=plans.checkins,
        flare_ups=flare_ups(sender_id),
        red_flags=red_flags(sender_id, tables),
        start_back=start_back(sender_id, tables),
        pacing=plans.pacing,
        adherence=adherence_weeks(exercise_log(sender_id, tables), day),
    )
