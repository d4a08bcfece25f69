"""Acknowledgement deadlines per tier, and whether a case is overdue.

Deadlines come from ``settings.CONSOLE_ACK_DEADLINES`` as ``"N minutes"``, ``"N hours"``
or ``"N working days"`` (Monday to Friday; the time of day is kept). Tests freeze the
clock by replacing :func:`now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

UNITS = {"minute": "minutes", "minutes": "minutes", "hour": "hours", "hours": "hours"}
WORKING_DAYS = "working days"


def now() -> datetime:
    """Return the current time (aware, UTC)."""
    moment: datetime = timezone.now()
    return moment


def add_working_days(start: datetime, days: int) -> datetime:
    """Return ``start`` moved on by ``days`` weekdays, skipping Saturdays and Sundays."""
    moment = start
    left = days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def deadline_for(tier: str, created_at: datetime) -> datetime:
    """Return when a case of ``tier`` raised at ``created_at`` must be acknowledged."""
    rule = settings.CONSOLE_ACK_DEADLINES.get(tier, settings.CONSOLE_DEFAULT_DEADLINE)
    count_text, _, unit = str(rule).strip().partition(" ")
    count = int(count_text)
    unit = unit.strip().lower()
    if unit in (WORKING_DAYS, "working day"):
        return add_working_days(created_at, count)
    if unit not in UNITS:
        raise ValueError(f"unknown deadline unit in {rule!r}")
    return created_at + timedelta(**{UNITS[unit]: count})
