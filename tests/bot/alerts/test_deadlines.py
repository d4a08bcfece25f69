"""Acknowledgement deadlines: rules, periods, working days, and the environment's overrides."""

from datetime import datetime, timedelta, timezone

import pytest

from bot.alerts.deadlines import (
    DEFAULT_RULES,
    Rule,
    deadline_for,
    due_at,
    parse_rule,
    periods_passed,
    rules_from_environment,
    shortest_deadline,
)
from bot.settings import SettingsError, load_settings

WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
FRIDAY_5PM = datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("15 minutes", Rule(15, "minutes")),
        ("1 minute", Rule(1, "minutes")),
        ("2 Hours", Rule(2, "hours")),
        ("2 working days", Rule(2, "working days")),
        ("1  working   day", Rule(1, "working days")),
    ],
)
def test_rules_parse(text, rule):
    assert parse_rule(text) == rule


@pytest.mark.parametrize("text", ["", "soon", "0 minutes", "-5 minutes", "3 weeks", "2 days"])
def test_bad_rules_are_refused(text):
    with pytest.raises(ValueError):
        parse_rule(text)


@pytest.mark.parametrize(
    ("tier", "created", "deadline"),
    [
        ("emergency", WEDNESDAY, WEDNESDAY + timedelta(minutes=15)),
        ("crisis", WEDNESDAY, WEDNESDAY + timedelta(minutes=15)),
        ("urgent", WEDNESDAY, WEDNESDAY + timedelta(hours=2)),
        ("soon", WEDNESDAY, WEDNESDAY + timedelta(days=2)),
        ("soon", FRIDAY_5PM, FRIDAY_5PM + timedelta(days=4)),  # -> Tuesday 17:00
        ("none", WEDNESDAY, WEDNESDAY + timedelta(days=2)),
        ("a-new-tier", WEDNESDAY, WEDNESDAY + timedelta(days=2)),
    ],
)
def test_default_deadline_per_tier(tier, created, deadline):
    assert deadline_for(DEFAULT_RULES, tier, created) == deadline


@pytest.mark.parametrize(
    ("minutes_after", "periods"),
    [(0, 0), (14, 0), (15, 1), (29, 1), (30, 2), (61, 4)],
)
def test_periods_passed_counts_whole_deadline_periods(minutes_after, periods):
    now = WEDNESDAY + timedelta(minutes=minutes_after)
    assert periods_passed(DEFAULT_RULES, "emergency", WEDNESDAY, now) == periods


def test_working_day_periods_skip_weekends():
    # Friday 17:00 + 2 working days = Tuesday 17:00; + 2 more = Thursday 17:00.
    assert due_at(DEFAULT_RULES, "soon", FRIDAY_5PM, 2) == FRIDAY_5PM + timedelta(days=6)
    sunday = FRIDAY_5PM + timedelta(days=2)
    assert periods_passed(DEFAULT_RULES, "soon", FRIDAY_5PM, sunday) == 0
    wednesday = FRIDAY_5PM + timedelta(days=5)
    assert periods_passed(DEFAULT_RULES, "soon", FRIDAY_5PM, wednesday) == 1
    thursday = FRIDAY_5PM + timedelta(days=6)
    assert periods_passed(DEFAULT_RULES, "soon", FRIDAY_5PM, thursday) == 2


def test_shortest_deadline_is_the_quickest_tier():
    assert shortest_deadline(DEFAULT_RULES) == timedelta(minutes=15)
    assert shortest_deadline({"soon": "1 working day"}) == timedelta(days=1)


def test_environment_overrides_a_tier():
    rules = rules_from_environment(
        {"BACKCARE_ACK_DEADLINE_EMERGENCY": "5 minutes", "BACKCARE_ACK_DEADLINE_CALLBACK": "1 hour"}
    )
    assert rules["emergency"] == "5 minutes"
    assert rules["none"] == "1 hour"
    assert rules["urgent"] == DEFAULT_RULES["urgent"]


def test_settings_carry_the_rules_and_refuse_a_bad_one(monkeypatch):
    monkeypatch.setenv("BACKCARE_ACK_DEADLINE_URGENT", "90 minutes")
    assert load_settings().ack_deadlines["urgent"] == "90 minutes"
    monkeypatch.setenv("BACKCARE_ACK_DEADLINE_URGENT", "soonish")
    with pytest.raises(SettingsError, match="BACKCARE_ACK_DEADLINE_URGENT"):
        load_settings()
