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
from actions.pacing.quantities import Problem, Quantity, read_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 20 mins", Quantity(20, "time")),
        ("20", Quantity(20, None)),
        ("5 min", Quantity(5, "time")),
        ("twenty minutes", Quantity(20, "time")),
        ("twenty-five", Quantity(25, None)),
        ("half an hour", Quantity(30, "time")),
        ("a quarter of an hour", Quantity(15, "time")),
        ("three quarters of an hour", Quantity(45, "time")),
        ("an hour", Quantity(60, "time")),
        ("an hour and a half", Quantity(90, "time")),
        ("one and a half hours", Quantity(90, "time")),
        ("1.5 hours", Quantity(90, "time")),
        ("2 hours and a half", Quantity(150, "time")),
        ("1 hour 20 minutes", Quantity(80, "time")),
        ("1h30", Quantity(90, "time")),
        ("10-15 minutes", Quantity(12.5, "time")),
        ("10 to 15 mins", Quantity(12.5, "time")),
        ("between 10 and 15 minutes", Quantity(12.5, "time")),
        ("20 mins - 30 mins", Quantity(25, "time")),
        ("10\u201315 minutes", Quantity(12.5, "time")),
        ("2k steps", Quantity(2000, "steps")),
        ("2,000 steps", Quantity(2000, "steps")),
        ("two thousand steps", Quantity(2000, "steps")),
        ("3000", Quantity(3000, None)),
        ("a mile", Quantity(1609.344, "distance")),
        ("half a mile", Quantity(804.672, "distance")),
        ("1.5 km", Quantity(1500, "distance")),
        ("500m", Quantity(500, "distance")),
        ("a hundred metres", Quantity(100, "distance")),
        ("two hundred and fifty metres", Quantity(250, "distance")),
        ("1 km 500 m", Quantity(1500, "distance")),
        ("about 20 mins on a good day", Quantity(20, "time")),
        ("none", Quantity(0, None)),
        ("I can\u2019t do any", Quantity(0, None)),
        ("0", Quantity(0, None)),
    ],
)
def test_read_quantity(text, expected):
    result = read_quantity(text)
    assert isinstance(result, Quantity)
    assert result.kind == expected.kind
    assert result.value == pytest.approx(expected.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("loads", "unclear"),
        ("not much", "unclear"),
        ("\U0001f600", "unclear"),
        ("-5", "negative"),
        ("minus 5 minutes", "negative"),
        ("I walk 20 mins then rest 5 mins", "several"),
        ("20 30", "several"),
    ],
)
def test_read_quantity_problems(text, reason):
    assert read_quantity(text) == Problem(reason)


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
    ],
)
def test_read_amount_converts_to_the_plan_unit(text, unit, expected):
    assert read_amount(text, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("a mile", "minutes", "wrong_kind_minutes"),
        ("2k steps", "minutes", "wrong_kind_minutes"),
        ("20 minutes", "metres", "wrong_kind_metres"),
        ("20 minutes", "steps", "wrong_kind_steps"),
        ("1 km", "steps", "wrong_kind_steps"),
        ("0", "minutes", "zero"),
        ("none", "minutes", "zero"),
        ("-5", "minutes", "negative"),
        ("10,000 minutes", "minutes", "too_big"),
        ("3000", "minutes", "too_big"),
        ("100 km", "metres", "too_big"),
        ("2", "metres", "too_small"),
        ("30 seconds", "minutes", "too_small"),
        ("loads", "minutes", "unclear"),
        ("", "minutes", "empty"),
        ("\U0001f600\U0001f600", "steps", "unclear"),
    ],
)
def test_read_amount_problems(text, unit, reason):
    assert read_amount(text, unit) == Problem(reason)


@pytest.mark.parametrize("text", ["0", "none", "nothing", "I can't do any"])
def test_read_amount_allows_zero_for_a_bad_day(text):
    assert read_amount(text, "minutes", allow_zero=True) == 0


def test_read_amount_rejects_an_unknown_unit():
    with pytest.raises(ValueError, match="unknown unit"):
        read_amount("20", "furlongs")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no goal", None),
        ("No", None),
        ("none", None),
        ("not sure", None),
        ("skip", None),
        ("30 minutes", 30),
        ("half an hour", 30),
        ("not sure, maybe 30", 30),
    ],
)
def test_read_goal(text, expected):
    assert read_goal(text, "minutes") == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("loads", "unclear"), ("a mile", "wrong_kind_minutes"), ("", "empty"), ("0", "zero")],
)
def test_read_goal_problems(text, reason):
    assert read_goal(text, "minutes") == Problem(reason)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10%", 10),
        ("10", 10),
        ("15 percent", 15),
        ("ten per cent", 10),
        ("20%", 20),
        ("5%", 5),
        ("yes", 10),
        ("ok, the usual", 10),
        ("10% (most people)", 10),
        ("a tenth", 10),
        ("a fifth", 20),
    ],
)
def test_read_increase(text, expected):
    assert read_increase(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25%", "too_fast"),
        ("100", "too_fast"),
        ("0", "too_slow"),
        ("0.5%", "too_slow"),
        ("-5%", "negative"),
        ("loads", "unclear"),
        ("15 minutes", "unclear"),
        ("", "empty"),
    ],
)
def test_read_increase_problems(text, reason):
    assert read_increase(text) == Problem(reason)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Walking", "walking"),
        ("walking the dog", "walking"),
        ("sitting at my desk", "sitting"),
        ("standing", "standing"),
        ("Gardening", "gardening"),
        ("hoovering", "housework"),
        ("Cycling", "cycling"),
        ("swimming!!", "swimming"),
        ("playing with the grandkids", "playing with the grandkids"),
    ],
)
def test_read_activity(text, expected):
    assert read_activity(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("walking and sitting", "several"),
        ("not sure", "unclear"),
        ("\U0001f600", "unclear"),
        ("123", "unclear"),
        ("I would like to be able to play a full round of golf with friends", "too_long"),
    ],
)
def test_read_activity_problems(text, reason):
    assert read_activity(text) == Problem(reason)


@pytest.mark.parametrize(
    ("text", "activity", "expected"),
    [
        ("minutes", "walking", "minutes"),
        ("Distance", "walking", "metres"),
        ("metres", "cycling", "metres"),
        ("steps", "walking", "steps"),
        ("not sure", "walking", "minutes"),
        ("how far I go", "walking", "metres"),
    ],
)
def test_read_unit(text, activity, expected):
    assert read_unit(text, activity) == expected


@pytest.mark.parametrize(
    ("text", "activity", "reason"),
    [
        ("", "walking", "empty"),
        ("banana", "walking", "unclear"),
        ("minutes or steps", "walking", "several"),
        ("steps", "sitting", "unclear"),
    ],
)
def test_read_unit_problems(text, activity, reason):
    assert read_unit(text, activity) == Problem(reason)


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
