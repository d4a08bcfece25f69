"""Reminder schedule arithmetic: days, time of day, time zones (with DST changes), quiet hours."""

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.reminders.schedule import (
    EVERY_DAY,
    NO_QUIET_HOURS,
    QuietHours,
    Schedule,
    clock_code,
    days_code,
    days_from_code,
    parse_clock,
    wall_time,
    zone_of,
)

UTC = timezone.utc
LONDON = "Europe/London"
QUIET = QuietHours.parse("21:00-08:00")


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def schedule(days="mon,tue,wed,thu,fri,sat,sun", at="09:00", zone=LONDON, quiet=QUIET):
    return Schedule(days_from_code(days), parse_clock(at), zone, quiet)


# --- days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 24, 10, 0), utc(2026, 11, 25, 9, 0)),  # Tue after 9 -> Wed
        (utc(2026, 11, 25, 8, 59), utc(2026, 11, 25, 9, 0)),  # Wed before 9 -> today
        (utc(2026, 11, 25, 9, 0), utc(2026, 11, 27, 9, 0)),  # due now -> strictly after: Fri
        (utc(2026, 11, 27, 10, 0), utc(2026, 11, 30, 9, 0)),  # Fri after 9 -> Mon
        (utc(2026, 11, 29, 23, 59), utc(2026, 11, 30, 9, 0)),  # Sunday night -> Mon
    ],
)
def test_the_next_chosen_day_at_the_chosen_time(now, expected):
    assert schedule("mon,wed,fri").next_after(now) == expected


def test_every_day_is_tomorrow_once_today_has_passed():
    daily = schedule()
    assert daily.next_after(utc(2026, 11, 28, 12, 0)) == utc(2026, 11, 29, 9, 0)
    assert daily.days == EVERY_DAY


def test_a_weekly_check_in_is_seven_days_apart():
    sundays = schedule("sun", at="18:30")
    first = sundays.next_after(utc(2026, 11, 28, 12, 0))
    assert first == utc(2026, 11, 29, 18, 30)
    assert sundays.next_after(first) == first + timedelta(days=7)


def test_no_days_means_never():
    assert Schedule(frozenset(), time(9, 0), LONDON).next_after(utc(2026, 11, 28)) is None


def test_day_codes_round_trip_and_bad_ones_are_refused():
    assert days_from_code("mon,wed,fri") == {0, 2, 4}
    assert days_from_code("Monday, Sunday") == {0, 6}
    assert days_code({6, 0, 2}) == "mon,wed,sun"
    with pytest.raises(ValueError, match="weekday"):
        days_from_code("mon,funday")


# --- time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # 9am in New York in winter is 14:00 UTC.
        ("America/New_York", utc(2026, 11, 24, 12, 0), utc(2026, 11, 24, 14, 0)),
        # Monday 23:00 UTC is already Tuesday 08:00 in Tokyo: 9am Tuesday there is 00:00 UTC.
        ("Asia/Tokyo", utc(2026, 11, 23, 23, 0), utc(2026, 11, 24, 0, 0)),
        # Kolkata is 5:30 ahead: 9am is 03:30 UTC.
        ("Asia/Kolkata", utc(2026, 11, 24, 0, 0), utc(2026, 11, 24, 3, 30)),
    ],
)
def test_the_time_is_the_patients_own_clock(zone, now, expected):
    assert schedule(zone=zone).next_after(now) == expected


def test_the_day_is_the_patients_own_day():
    # Sunday 20:00 in Los Angeles is Monday 04:00 UTC: a Monday-only reminder at 9am
    # Los Angeles time is still a day away.
    mondays = schedule("mon", zone="America/Los_Angeles", quiet=NO_QUIET_HOURS)
    assert mondays.next_after(utc(2026, 11, 30, 4, 0)) == utc(2026, 11, 30, 17, 0)


def test_an_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        zone_of("Mars/Olympus_Mons")


# --- daylight-saving changes ---------------------------------------------------------------


def test_nine_am_stays_nine_am_when_the_clocks_go_forward():
    # UK clocks go forward on Sunday 28 March 2027 at 01:00 UTC.
    daily = schedule()
    saturday = daily.next_after(utc(2027, 3, 27, 0, 0))
    sunday = daily.next_after(saturday)
    monday = daily.next_after(sunday)
    assert saturday == utc(2027, 3, 27, 9, 0)  # GMT
    assert sunday == utc(2027, 3, 28, 8, 0)  # BST
    assert monday == utc(2027, 3, 29, 8, 0)
    assert sunday - saturday == timedelta(hours=23)


def test_nine_am_stays_nine_am_when_the_clocks_go_back():
    # UK clocks go back on Sunday 25 October 2026 at 01:00 UTC.
    daily = schedule()
    saturday = daily.next_after(utc(2026, 10, 24, 0, 0))
    sunday = daily.next_after(saturday)
    assert saturday == utc(2026, 10, 24, 8, 0)  # BST
    assert sunday == utc(2026, 10, 25, 9, 0)  # GMT
    assert sunday - saturday == timedelta(hours=25)


def test_a_time_skipped_by_the_change_moves_forward_by_the_gap():
    # 01:30 does not exist in London on 28 March 2027: the reminder comes at 02:30 BST.
    early = schedule(at="01:30", quiet=NO_QUIET_HOURS)
    due = early.next_after(utc(2027, 3, 27, 12, 0))
    assert due == utc(2027, 3, 28, 1, 30)
    assert early.local(due).time() == time(2, 30)
    assert wall_time(date(2027, 3, 28), time(1, 30), zone_of(LONDON)).hour == 2


def test_a_time_that_happens_twice_is_due_once():
    # 01:30 happens twice in London on 25 October 2026 (BST, then GMT).
    early = schedule(at="01:30", quiet=NO_QUIET_HOURS)
    first = early.next_after(utc(2026, 10, 24, 12, 0))
    assert first == utc(2026, 10, 25, 0, 30)  # 01:30 BST
    # After the first 01:30, the second one (01:30 GMT) is not a second reminder.
    assert early.next_after(first) == utc(2026, 10, 26, 1, 30)


def test_the_us_change_is_on_its_own_date():
    # New York changes on 14 March 2027, two weeks before London.
    daily = schedule(zone="America/New_York")
    saturday = daily.next_after(utc(2027, 3, 13, 0, 0))
    assert saturday == utc(2027, 3, 13, 14, 0)  # EST
    assert daily.next_after(saturday) == utc(2027, 3, 14, 13, 0)  # EDT


# --- quiet hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "now", "expected"),
    [
        ("07:00", utc(2026, 11, 24, 0, 0), utc(2026, 11, 24, 8, 0)),  # early: end of quiet
        ("22:30", utc(2026, 11, 24, 12, 0), utc(2026, 11, 25, 8, 0)),  # late: next morning
        ("20:59", utc(2026, 11, 24, 12, 0), utc(2026, 11, 24, 20, 59)),  # just before
        ("08:00", utc(2026, 11, 24, 0, 0), utc(2026, 11, 24, 8, 0)),  # the end is allowed
    ],
)
def test_a_time_in_the_quiet_hours_waits_for_their_end(at, now, expected):
    assert schedule(at=at).next_after(now) == expected


def test_quiet_hours_are_read_on_the_patients_clock():
    new_york = schedule(zone="America/New_York")
    assert new_york.is_quiet(utc(2026, 11, 25, 3, 0))  # 22:00 in New York
    assert not new_york.is_quiet(utc(2026, 11, 25, 14, 0))  # 09:00 there
    assert schedule().is_quiet(utc(2026, 11, 25, 3, 0))  # 03:00 in London
    assert schedule().leave_quiet(utc(2026, 11, 24, 22, 0)) == utc(2026, 11, 25, 8, 0)
    assert schedule().leave_quiet(utc(2026, 11, 24, 12, 0)) == utc(2026, 11, 24, 12, 0)


def test_quiet_hours_within_one_day_and_none():
    lunch = QuietHours.parse("12:00-14:00")
    assert lunch.contains(time(13, 0)) and not lunch.contains(time(14, 0))
    assert not lunch.contains(time(11, 59))
    assert schedule(at="12:30", quiet=lunch).next_after(utc(2026, 11, 24, 0, 0)) == utc(
        2026, 11, 24, 14, 0
    )
    for off in ("off", "", "none"):
        assert QuietHours.parse(off) == NO_QUIET_HOURS
    assert not NO_QUIET_HOURS.contains(time(3, 0))
    assert QUIET.code == "21:00-08:00" and NO_QUIET_HOURS.code == "off"


@pytest.mark.parametrize("value", ["21:00", "9pm-8am", "25:00-08:00"])
def test_bad_quiet_hours_are_refused(value):
    with pytest.raises(ValueError):
        QuietHours.parse(value)


def test_clock_codes_round_trip():
    assert clock_code(parse_clock("7:05")) == "07:05"
    with pytest.raises(ValueError):
        parse_clock("seven")


# --- invariants over a year of reminders -----------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
SCHEDULES = [
    ("mon,tue,wed,thu,fri,sat,sun", "09:00"),
    ("mon,wed,fri", "07:30"),
    ("sun", "18:00"),
    ("sat,sun", "01:30"),  # in the DST gap or overlap some nights, and in quiet hours
    ("tue,thu", "23:15"),  # in the quiet hours: always moved to the next morning
]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(("days", "at"), SCHEDULES)
def test_a_year_of_reminders_keeps_every_promise(zone, days, at):
    plan = schedule(days, at, zone)
    moment = utc(2026, 6, 1, 0, 0)
    seen_days = set()
    for _ in range(370):
        due = plan.next_after(moment)
        assert due is not None and due > moment  # strictly later, never the same one twice
        assert due.tzinfo is UTC
        assert due - moment <= timedelta(days=8)  # nothing skipped for more than a week
        local = plan.local(due)
        assert not plan.is_quiet(due)  # never in the quiet hours
        shifted = plan.quiet.contains(parse_clock(at))
        if not shifted:
            assert local.weekday() in plan.days
            # On the clock chosen, except where the clocks jumped over it.
            assert local.time() == parse_clock(at) or local.dst() != plan.local(moment).dst()
        assert local.date() not in seen_days  # at most one a day
        seen_days.add(local.date())
        moment = due
