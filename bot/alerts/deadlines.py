"""Acknowledgement deadlines per tier: the one place both the worker and the console read.

A case (an outbox alert) must be acknowledged in the clinicians' console within its
tier's deadline. The console marks a case still new after it as overdue; the delivery
worker re-alerts the care team once per deadline period while it stays new
(:mod:`bot.alerts.overdue`). Both take the rules from here, through the settings
(``BACKCARE_ACK_DEADLINE_<TIER>``, read in :mod:`bot.settings`)::

    rules = get_settings().ack_deadlines          # {"emergency": "15 minutes", ...}
    deadline_for(rules, "emergency", created_at)  # created_at + 15 minutes
    due_at(rules, "emergency", created_at, 2)     # created_at + 30 minutes: second period

A rule reads ``"N minutes"``, ``"N hours"`` or ``"N working days"`` (Monday to Friday;
the time of day is kept). Plain Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# Tier -> rule. "none" is a call-back request (no red flag).
DEFAULT_RULES: dict[str, str] = {
    "emergency": "15 minutes",
    "crisis": "15 minutes",
    "urgent": "2 hours",
    "soon": "2 working days",
    "none": "2 working days",
}
# A tier the table does not name (a new one) gets this.
FALLBACK_RULE = "2 working days"
# Tier -> the environment variable that overrides its rule.
ENVIRONMENT: dict[str, str] = {
    "emergency": "BACKCARE_ACK_DEADLINE_EMERGENCY",
    "crisis": "BACKCARE_ACK_DEADLINE_CRISIS",
    "urgent": "BACKCARE_ACK_DEADLINE_URGENT",
    "soon": "BACKCARE_ACK_DEADLINE_SOON",
    "none": "BACKCARE_ACK_DEADLINE_CALLBACK",
}

_UNITS = {"minute": "minutes", "minutes": "minutes", "hour": "hours", "hours": "hours"}
_WORKING_DAYS = ("working day", "working days")


@dataclass(frozen=True)
class Rule:
    """A parsed rule: ``count`` of ``unit`` (``minutes``, ``hours`` or ``working days``)."""

    count: int
    unit: str

    def after(self, start: datetime, periods: int = 1) -> datetime:
        """Return the end of ``periods`` consecutive periods starting at ``start``."""
        total = self.count * periods
        if self.unit == "working days":
            return add_working_days(start, total)
        return start + timedelta(**{self.unit: total})

    def shortest(self) -> timedelta:
        """Return the shortest time one period can take (a working day is at least a day)."""
        if self.unit == "working days":
            return timedelta(days=self.count)
        return timedelta(**{self.unit: self.count})


def parse_rule(text: str) -> Rule:
    """Return the rule written as ``text``.

    Raises:
        ValueError: not ``"N minutes|hours|working days"`` with N a whole number above 0.
    """
    count_text, _, unit = str(text).strip().partition(" ")
    unit = " ".join(unit.lower().split())
    try:
        count = int(count_text)
    except ValueError:
        raise ValueError(f"a deadline starts with a whole number: {text!r}") from None
    if count < 1:
        raise ValueError(f"a deadline must be at least 1: {text!r}")
    if unit in _WORKING_DAYS:
        return Rule(count, "working days")
    if unit not in _UNITS:
        raise ValueError(f"unknown deadline unit in {text!r} (minutes, hours, working days)")
    return Rule(count, _UNITS[unit])


def add_working_days(start: datetime, days: int) -> datetime:
    """Return ``start`` moved on by ``days`` weekdays, skipping Saturdays and Sundays."""
    moment = start
    left = days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def rule_for(rules: Mapping[str, str], tier: str) -> Rule:
    """Return the rule of ``tier`` (the fallback rule for a tier not named)."""
    return parse_rule(rules.get(tier) or FALLBACK_RULE)


def deadline_for(rules: Mapping[str, str], tier: str, created_at: datetime) -> datetime:
    """Return when a case of ``tier`` raised at ``created_at`` must be acknowledged."""
    return rule_for(rules, tier).after(created_at)


def due_at(rules: Mapping[str, str], tier: str, created_at: datetime, period: int) -> datetime:
    """Return when the ``period``-th deadline period of a case ends (1: its deadline)."""
    return rule_for(rules, tier).after(created_at, period)


def periods_passed(rules: Mapping[str, str], tier: str, created_at: datetime, now: datetime) -> int:
    """Return how many whole deadline periods of a case have ended by ``now`` (0: not overdue)."""
    rule = rule_for(rules, tier)
    if now < rule.after(created_at):
        return 0
    if rule.unit != "working days":
        return int((now - created_at) // rule.shortest())
    # Working days: step period by period (a few hundred steps for a year-old case).
    passed = 1
    while rule.after(created_at, passed + 1) <= now:
        passed += 1
    return passed


def shortest_deadline(rules: Mapping[str, str]) -> timedelta:
    """Return the shortest time any tier's first deadline can take."""
    texts = [*rules.values(), FALLBACK_RULE]
    return min(parse_rule(text).shortest() for text in texts)


def rules_from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """Return the rules: the defaults, each replaced by its variable when that is set.

    Raises:
        ValueError: a variable holds a rule that does not parse (named in the message).
    """
    rules = dict(DEFAULT_RULES)
    for tier, name in ENVIRONMENT.items():
        value = environ.get(name, "").strip()
        if value:
            try:
                parse_rule(value)
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
            rules[tier] = value
    return rules
