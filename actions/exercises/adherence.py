"""Adherence arithmetic for the exercise log: the patient's day, days done, a gentle streak.

Plain functions over :class:`~actions.exercises.parsing.LogEntry` rows, no Rasa imports::

    today = local_day(utcnow())                       # UTC: see below
    days_done(entries, today)                         # days with some exercise, last 7
    streak(entries, today)                            # days in a row, up to today
    verdict(days_done(entries, today))                # "most", "some", "few" or "none"

Days are the patient's calendar days. The project has no per-patient time zone setting
yet, so the actions call :func:`local_day` with UTC (its default); every function takes
the day or the zone as an argument, so a patient's own zone can be passed in later
without changing the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Final

from actions.exercises.parsing import LogEntry

WEEK_DAYS: Final = 7
# Verdicts on a week: 5 or more days is most, 2 to 4 some, 1 few, 0 none.
MOST_DAYS: Final = 5
SOME_DAYS: Final = 2


def local_day(moment: datetime, zone: tzinfo = timezone.utc) -> date:
    """Return the calendar day ``moment`` falls on in ``zone`` (UTC unless given).

    A naive ``moment`` is taken to be in UTC, as the database returns them.
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(zone).date()


def week_start(today: date, days: int = WEEK_DAYS) -> date:
    """Return the first day of the ``days`` days that end with ``today``."""
    return today - timedelta(days=days - 1)


def in_window(entries: Iterable[LogEntry], today: date, days: int = WEEK_DAYS) -> list[LogEntry]:
    """Return the entries of the ``days`` days ending ``today`` (later days are left out)."""
    first = week_start(today, days)
    return [entry for entry in entries if first <= entry.day <= today]


def days_done(entries: Iterable[LogEntry], today: date, days: int = WEEK_DAYS) -> int:
    """Return on how many of the ``days`` days ending ``today`` some exercise was done."""
    return len({entry.day for entry in in_window(entries, today, days) if entry.did_some})


def streak(entries: Iterable[LogEntry], today: date) -> int:
    """Return how many days in a row, up to today, some exercise was done.

    Gentle: a today with nothing logged yet does not break the run (the day is not
    over), so the run may end yesterday. A day logged as skipped does break it.
    """
    by_day = {entry.day: entry for entry in entries}
    day = today
    if today not in by_day:
        day = today - timedelta(days=1)
    count = 0
    while day in by_day and by_day[day].did_some:
        count += 1
        day -= timedelta(days=1)
    return count


def verdict(done: int) -> str:
    """Return the word for a week with ``done`` days done: most, some, few or none."""
    if done >= MOST_DAYS:
        return "most"
    if done >= SOME_DAYS:
        return "some"
    return "few" if done == 1 else "none"
