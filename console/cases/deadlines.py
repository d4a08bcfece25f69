"""Acknowledgement deadlines in the console, and its clock.

The rules are the product's (:mod:`bot.alerts.deadlines`, the same the delivery worker
re-alerts by), held in ``settings.CONSOLE_ACK_DEADLINES``. Tests freeze the clock by
replacing :func:`now`.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from bot.alerts import deadlines as rules
from bot.alerts.deadlines import Rule
from bot.alerts.deadlines import add_working_days as add_working_days


def now() -> datetime:
    """Return the current time (aware, UTC)."""
    moment: datetime = timezone.now()
    return moment


def deadline_for(tier: str, created_at: datetime) -> datetime:
    """Return when a case of ``tier`` raised at ``created_at`` must be acknowledged."""
    return rules.deadline_for(settings.CONSOLE_ACK_DEADLINES, tier, created_at)


def rule_for(tier: str) -> Rule:
    """Return the deadline rule of ``tier`` (parse it once to date many cases)."""
    return rules.rule_for(settings.CONSOLE_ACK_DEADLINES, tier)
