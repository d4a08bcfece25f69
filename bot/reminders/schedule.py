"""Reminder schedule arithmetic: days, a time of day, a time zone and quiet hours.

Plain functions over :class:`Schedule`, no I/O and no Rasa imports. The chat computes
a new reminder's first due time with it, and the scheduler the next one after each::

    schedule = Schedule(days=days_from_code("mon,wed,fri"), at=time(9, 0),
                        zone="Europe/London", quiet=QuietHours.parse("21:00-08:00"))
    schedule.next_after(now)    # the next due moment after ``now``, in UTC
    schedule.is_quiet(now)      # whether ``now`` falls in the patient's quiet hours

Times are the patient's wall-clock times in their zone (IANA names such as
``Europe/London``), so a 9am reminder stays at 9am across a daylight-saving change.
On the night the clocks go forward a time that does not exist that day (01:30 in
London) is moved forward by the gap (to 02:30); on the night they go back a time that
happens twice is due at its first occurrence only. A due time inside the quiet hours
(the chat refuses to set one, but the settings may change later) moves to the end of
the quiet hours. All returned moments are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY: Final = frozenset(range(7))
# A week and a day covers every weekday, whatever the moment's own day.
_LOOKAHEAD_DAYS: Final = 8
_NO_QUIET: Final = ("off", "none", "")


@lru_cache(maxsize=64)
def zone_of(name: str) -> ZoneInfo:
    """Return the time zone called ``name`` (an IANA name such as ``Europe/London``).

    Raises:
        ValueError: no such zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def parse_clock(value: str) -> time:
    """Return the time of ``"HH:MM"`` (24-hour clock).

    Raises:
        ValueError: not a time of day.
    """
    hours, _, minutes = value.strip().partition(":")
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError as error:
        raise ValueError(f"not a time of day: {value!r}") from error


def clock_code(at: time) -> str:
    """Return ``at`` as stored: ``"HH:MM"``."""
    return f"{at.hour:02d}:{at.minute:02d}"


def days_from_code(code: str) -> frozenset[int]:
    """Return the weekdays (Monday is 0) of a stored code such as ``"mon,wed,fri"``.

    Raises:
        ValueError: a part is not a weekday.
    """
    days = set()
    for part in code.split(","):
        name = part.strip().lower()[:3]
        if name not in WEEKDAYS:
            raise ValueError(f"not a weekday: {part!r}")
        days.add(WEEKDAYS.index(name))
    return frozenset(days)


def days_code(days: Iterable[int]) -> str:
    """Return weekdays as stored: ``"mon,wed,fri"``, Monday first."""
    return ",".join(WEEKDAYS[day] for day in sorted(set(days)))


def wall_time(day: date, at: time, zone: tzinfo) -> datetime:
    """Return the moment the clocks in ``zone`` show ``at`` on ``day``.

    A time skipped by a change to summer time is moved forward by the gap; a time
    that happens twice (the change back) is its first occurrence.
    """
    wanted = datetime.combine(day, at)
    moment = wanted.replace(tzinfo=zone, fold=0)
    # A wall time in a gap does not survive the round trip: the trip moves it on.
    round_trip = moment.astimezone(timezone.utc).astimezone(zone)
    if round_trip.replace(tzinfo=None) != wanted:
        return round_trip
    return moment


@dataclass(frozen=True)
class QuietHours:
    """Hours of the patient's day when no reminder is sent, e.g. 21:00 to 08:00.

    ``start == end`` means none. A span may cross midnight.
    """

    start: time
    end: time

    @classmethod
    def parse(cls, value: str) -> QuietHours:
        """Return the quiet hours of ``"21:00-08:00"``; ``"off"`` or empty for none.

        Raises:
            ValueError: not two times joined by a dash.
        """
        if value.strip().lower() in _NO_QUIET:
            return NO_QUIET_HOURS
        start, dash, end = value.partition("-")
        if not dash:
            raise ValueError(f"quiet hours must read like 21:00-08:00, got {value!r}")
        return cls(parse_clock(start), parse_clock(end))

    @property
    def code(self) -> str:
        """Return the quiet hours as stored: ``"21:00-08:00"``, or ``"off"``."""
        if self.start == self.end:
            return "off"
        return f"{clock_code(self.start)}-{clock_code(self.end)}"

    def contains(self, at: time) -> bool:
        """Return whether the wall time ``at`` is inside the quiet hours."""
        at = at.replace(second=0, microsecond=0, tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end


NO_QUIET_HOURS: Final = QuietHours(time(0, 0), time(0, 0))


@dataclass(frozen=True)
class Schedule:
    """When a patient wants a reminder.

    Attributes:
        days: weekdays, Monday 0 to Sunday 6, in the patient's zone.
        at: the wall-clock time of day.
        zone: the IANA time zone name.
        quiet: hours when nothing is sent.
    """

    days: frozenset[int]
    at: time
    zone: str
    quiet: QuietHours = NO_QUIET_HOURS

    @property
    def tz(self) -> ZoneInfo:
        """Return the patient's time zone."""
        return zone_of(self.zone)

    def local(self, moment: datetime) -> datetime:
        """Return ``moment`` on the patient's clock (a naive moment is taken as UTC)."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        return aware.astimezone(self.tz)

    def is_quiet(self, moment: datetime) -> bool:
        """Return whether ``moment`` falls in the patient's quiet hours."""
        return self.quiet.contains(self.local(moment).time())

    def leave_quiet(self, moment: datetime) -> datetime:
        """Return ``moment``, or the end of the quiet hours it falls in (in UTC)."""
        local = self.local(moment)
        if not self.quiet.contains(local.time()):
            return local.astimezone(timezone.utc)
        day = local.date()
        if local.time().replace(tzinfo=None) >= self.quiet.end:
            day += timedelta(days=1)  # after the start, before midnight: ends tomorrow
        return wall_time(day, self.quiet.end, self.tz).astimezone(timezone.utc)

    def next_after(self, moment: datetime) -> datetime | None:
        """Return the first due moment strictly after ``moment``, in UTC (None without days)."""
        if not self.days:
            return None
        after = self.local(moment)
        for offset in range(_LOOKAHEAD_DAYS):
            day = after.date() + timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            due = self.leave_quiet(wall_time(day, self.at, self.tz))
            if due > after:
                return due
        return None  # pragma: no cover - a week and a day always holds one of the days
