"""The reminder form's slots, and what a patient's first message already says about them.

Plain functions, no Rasa imports, used by :mod:`actions.reminders.actions`. A message
such as "remind me to do my exercises every weekday at 9am" fills the whole form, so
the reminder is saved without a question; "set a reminder" fills nothing::

    prefill("remind me about my check-in on Sundays at 6pm", [], quiet)
    # {"reminder_kind": "checkin", "reminder_days": "sun", "reminder_time": "18:00"}

Only a time that cannot be anything else counts in such a message ("9am", "18:00",
"at 7"), so "3 days a week" is not read as 3pm; a time in the quiet hours is left for
the form to ask about, where the answer is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from actions.reminders.parsing import read_days, read_kind, read_time, read_zone
from bot.reminders.schedule import (
    QuietHours,
    Schedule,
    clock_code,
    days_code,
    days_from_code,
    parse_clock,
)
from bot.reminders.store import KINDS

KIND_SLOT: Final = "reminder_kind"
DAYS_SLOT: Final = "reminder_days"
TIME_SLOT: Final = "reminder_time"
ZONE_SLOT: Final = "reminder_zone"
MODE_SLOT: Final = "reminder_mode"
FORM_SLOTS: Final = (KIND_SLOT, DAYS_SLOT, TIME_SLOT)
ALL_SLOTS: Final = (*FORM_SLOTS, ZONE_SLOT, MODE_SLOT)
MODE_SET: Final = "set"
MODE_CHANGE: Final = "change"
# The entity a button may carry to say which reminder it sets up.
KIND_ENTITY: Final = "reminder_kind"


def kind_of(text: str | None, entities: Iterable[Mapping[str, Any]] | None) -> str | None:
    """Return the reminder kind a message names: its ``reminder_kind`` entity, or its words."""
    for entity in entities or []:
        if entity.get("entity") == KIND_ENTITY and entity.get("value") in KINDS:
            return str(entity["value"])
    return read_kind(text)


def prefill(
    text: str | None, entities: Iterable[Mapping[str, Any]] | None, quiet: QuietHours
) -> dict[str, str]:
    """Return the form slots (and the zone) a first message already fills."""
    found: dict[str, str] = {}
    kind = kind_of(text, entities)
    if kind:
        found[KIND_SLOT] = kind
    days = read_days(text)
    if days:
        found[DAYS_SLOT] = days_code(days)
    at = read_time(text, strict=True)
    if at is not None and not quiet.contains(at):
        found[TIME_SLOT] = clock_code(at)
    zone = read_zone(text)
    if zone:
        found[ZONE_SLOT] = zone
    return found


def schedule_from_slots(days: Any, at: Any, zone: str, quiet: QuietHours) -> Schedule | None:
    """Return the schedule the form's slots describe, or ``None`` if one is missing or bad."""
    try:
        return Schedule(days_from_code(str(days)), parse_clock(str(at)), zone, quiet)
    except (TypeError, ValueError):
        return None
