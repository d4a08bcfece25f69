"""Each reader of a pacing-form answer: the value it reads, or the Problem it re-asks about."""

from __future__ import annotations

import pytest

from actions.pacing.answers import (
    mentioned_activity,
    read_activity,
    read_amount,
    read_goal,
    read_increase,
    read_unit,
    units_for,
)
from actions.pacing.quantities import Problem


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("about 20 mins", "minutes", 20),
        ("an hour and a half", "minutes", 90),
        ("10-15 minutes", "minutes", 12.5),
        ("20", "minutes", 20),
        ("a mile", "metres", 1609.344),
        ("1.5 km", "metres", 1500),
        ("500m", "metres", 500),
        ("500", "metres", 500),
        ("2k steps", "steps", 2000),
        ("3000", "steps", 3000),
        ("2k", "steps", 2000),
        ("a mile", "minutes", Problem("wrong_kind_minutes")),
        ("2k steps", "minutes", Problem("wrong_kind_minutes")),
        ("20 minutes", "metres", Problem("wrong_kind_metres")),
        ("20 minutes", "steps", Problem("wrong_kind_steps")),
        ("1 km", "steps", Problem("wrong_kind_steps")),
        ("0", "minutes", Problem("zero")),
        ("none", "minutes", Problem("zero")),
        ("-5", "minutes", Problem("negative")),
        ("10,000 minutes", "minutes", Problem("too_big")),
        ("3000", "minutes", Problem("too_big")),
        ("100 km", "metres", Problem("too_big")),
        ("2", "metres", Problem("too_small")),
        ("30 seconds", "minutes", Problem("too_small")),
        ("loads", "minutes", Problem("unclear")),
        ("", "minutes", Problem("empty")),
        ("\U0001f600\U0001f600", "steps", Problem("unclear")),
    ],
)
def test_read_amount(text, unit, expected):
    assert read_amount(text, unit) == (
        expected if isinstance(expected, Problem) else pytest.approx(expected)
    )


@pytest.mark.parametrize("text", ["0", "none", "nothing", "I can't do any"])
def test_read_amount_allows_zero_for_a_bad_day(text):
    assert read_amount(text, "minutes", allow_zero=True) == 0


def test_read_amount_rejects_an_unknown_unit():
    with pytest.raises(ValueError, match="unknown unit"):
        read_amount("20", "furlongs")


@pytest.mark.parametrize(
    ("read", "text", "expected"),
    [
        (read_goal, "no goal", None),
        (read_goal, "No", None),
        (read_goal, "none", None),
        (read_goal, "not sure", None),
        (read_goal, "skip", None),
        (read_goal, "30 minutes", 30),
        (read_goal, "half an hour", 30),
        (read_goal, "not sure, maybe 30", 30),
        (read_goal, "loads", Problem("unclear")),
        (read_goal, "a mile", Problem("wrong_kind_minutes")),
        (read_goal, "", Problem("empty")),
        (read_goal, "0", Problem("zero")),
        (read_increase, "10%", 10),
        (read_increase, "10", 10),
        (read_increase, "15 percent", 15),
        (read_increase, "ten per cent", 10),
        (read_increase, "20%", 20),
        (read_increase, "5%", 5),
        (read_increase, "yes", 10),
        (read_increase, "ok, the usual", 10),
        (read_increase, "10% (most people)", 10),
        (read_increase, "a tenth", 10),
        (read_increase, "a fifth", 20),
        (read_increase, "25%", Problem("too_fast")),
        (read_increase, "100", Problem("too_fast")),
        (read_increase, "0", Problem("too_slow")),
        (read_increase, "0.5%", Problem("too_slow")),
        (read_increase, "-5%", Problem("negative")),
        (read_increase, "loads", Problem("unclear")),
        (read_increase, "15 minutes", Problem("unclear")),
        (read_increase, "", Problem("empty")),
        (read_activity, "Walking", "walking"),
        (read_activity, "walking the dog", "walking"),
        (read_activity, "sitting at my desk", "sitting"),
        (read_activity, "standing", "standing"),
        (read_activity, "Gardening", "gardening"),
        (read_activity, "hoovering", "housework"),
        (read_activity, "Cycling", "cycling"),
        (read_activity, "swimming!!", "swimming"),
        (read_activity, "playing with the grandkids", "playing with the grandkids"),
        (read_activity, "", Problem("empty")),
        (read_activity, "walking and sitting", Problem("several")),
        (read_activity, "not sure", Problem("unclear")),
        (read_activity, "\U0001f600", Problem("unclear")),
        (read_activity, "123", Problem("unclear")),
        (
            read_activity,
            "I would like to be able to play a full round of golf with friends",
            Problem("too_long"),
        ),
    ],
)
def test_read_answer(read, text, expected):
    # The goal is asked in the plan's unit; these examples use minutes.
    args = (text, "minutes") if read is read_goal else (text,)
    assert read(*args) == expected


@pytest.mark.parametrize(
    ("text", "activity", "expected"),
    [
        ("minutes", "walking", "minutes"),
        ("Distance", "walking", "metres"),
        ("metres", "cycling", "metres"),
        ("steps", "walking", "steps"),
        ("not sure", "walking", "minutes"),
        ("how far I go", "walking", "metres"),
        ("", "walking", Problem("empty")),
        ("banana", "walking", Problem("unclear")),
        ("minutes or steps", "walking", Problem("several")),
        ("steps", "sitting", Problem("unclear")),
    ],
)
def test_read_unit(text, activity, expected):
    assert read_unit(text, activity) == expected


def test_minutes_only_activities_have_one_unit():
    assert units_for("sitting") == ("minutes",)
    assert units_for("walking") == ("minutes", "metres", "steps")
    assert units_for("cycling") == ("minutes", "metres", "steps")


@pytest.mark.parametrize(
    ("text", "activities", "expected"),
    [
        ("I managed my sitting this week", ["walking", "sitting"], "sitting"),
        ("walks went fine", ["walking", "sitting"], "walking"),
        ("cycling was too much", ["walking", "cycling"], "cycling"),
        ("I managed this week", ["walking", "sitting"], None),
        ("walking and sitting went fine", ["walking", "sitting"], None),
        (None, ["walking"], None),
    ],
)
def test_mentioned_activity(text, activities, expected):
    assert mentioned_activity(text, activities) == expected
