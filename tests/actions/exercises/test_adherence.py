"""Adherence arithmetic: the patient's day, days done in the last 7, and a gentle run."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from actions.exercises.adherence import (
    days_done,
    in_window,
    local_day,
    streak,
    verdict,
    week_start,
)
from actions.exercises.parsing import LogEntry

TODAY = date(2026, 11, 28)


def done_on(*days_before: int, done: int = 3) -> list[LogEntry]:
    return [LogEntry(TODAY - timedelta(days=d), done, 3) for d in days_before]


# --- the patient's day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "zone", "day"),
    [
        (datetime(2026, 11, 28, 23, 59, tzinfo=timezone.utc), timezone.utc, date(2026, 11, 28)),
        (datetime(2026, 11, 29, 0, 0, tzinfo=timezone.utc), timezone.utc, date(2026, 11, 29)),
        # Naive times from the database are UTC.
        (datetime(2026, 11, 28, 23, 59), timezone.utc, date(2026, 11, 28)),
        # Late evening in New York is already tomorrow in UTC...
        (
            datetime(2026, 11, 29, 3, 30, tzinfo=timezone.utc),
            ZoneInfo("America/New_York"),
            date(2026, 11, 28),
        ),
        # ...and early morning in Sydney is still yesterday in UTC.
        (
            datetime(2026, 11, 28, 14, 0, tzinfo=timezone.utc),
            ZoneInfo("Australia/Sydney"),
            date(2026, 11, 29),
        ),
        # The night the UK clocks go back: 00:30 UTC is 01:30 BST on the 25th.
        (
            datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc),
            ZoneInfo("Europe/London"),
            date(2026, 10, 25),
        ),
        (
            datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc),
            ZoneInfo("Europe/London"),
            date(2026, 10, 25),
        ),
        # Across the year end.
        (
            datetime(2026, 12, 31, 23, 0, tzinfo=timezone.utc),
            timezone(timedelta(hours=2)),
            date(2027, 1, 1),
        ),
    ],
)
def test_local_day(moment, zone, day):
    assert local_day(moment, zone) == day


def test_local_day_is_utc_by_default():
    moment = datetime(2026, 11, 28, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert local_day(moment) == date(2026, 11, 29)


# --- days done -----------------------------------------------------------------------------


def test_the_week_is_today_and_the_six_days_before():
    assert week_start(TODAY) == date(2026, 11, 22)
    assert in_window(done_on(0, 6, 7, -1), TODAY) == done_on(0, 6)


@pytest.mark.parametrize(
    ("entries", "days"),
    [
        ([], 0),
        (done_on(0), 1),
        (done_on(0, 1, 2, 3, 4, 5, 6), 7),
        (done_on(0, 1, 2, 3, 4, 5, 6, 7, 8), 7),  # older days are not this week
        (done_on(0, 2) + done_on(1, done=0), 2),  # a skipped day is not done
        (done_on(3, done=1), 1),  # some is a day done
    ],
)
def test_days_done_in_the_last_seven(entries, days):
    assert days_done(entries, TODAY) == days


def test_a_log_for_today_in_another_zone_lands_on_that_day():
    # 03:30 UTC on the 29th is the 28th in New York: it counts for the 28th's week.
    day = local_day(
        datetime(2026, 11, 29, 3, 30, tzinfo=timezone.utc), ZoneInfo("America/New_York")
    )
    assert days_done([LogEntry(day, 3, 3)], TODAY) == 1
    assert days_done([LogEntry(day, 3, 3)], TODAY - timedelta(days=1)) == 0


# --- the run of days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "run"),
    [
        ([], 0),
        (done_on(0), 1),
        (done_on(0, 1, 2), 3),
        (done_on(1, 2), 2),  # nothing logged today yet: the run is not broken
        (done_on(1, 2) + done_on(0, done=0), 0),  # skipped today: it is
        (done_on(0, 1, 3, 4), 2),  # a day with nothing logged breaks it
        (done_on(2, 3), 0),
        (done_on(*range(12)), 12),  # a run may be longer than a week
    ],
)
def test_streak(entries, run):
    assert streak(entries, TODAY) == run


@pytest.mark.parametrize(
    ("days", "word"), [(0, "none"), (1, "few"), (2, "some"), (4, "some"), (5, "most"), (7, "most")]
)
def test_verdict(days, word):
    assert verdict(days) == word
