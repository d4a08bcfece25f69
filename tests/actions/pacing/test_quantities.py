from __future__ import annotations

import pytest

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
        ("", Problem("empty")),
        ("   ", Problem("empty")),
        (None, Problem("empty")),
        ("loads", Problem("unclear")),
        ("not much", Problem("unclear")),
        ("\U0001f600", Problem("unclear")),
        ("-5", Problem("negative")),
        ("minus 5 minutes", Problem("negative")),
        ("I walk 20 mins then rest 5 mins", Problem("several")),
        ("20 30", Problem("several")),
    ],
)
def test_read_quantity(text, expected):
    result = read_quantity(text)
    if isinstance(expected, Problem):
        assert result == expected
    else:
        assert isinstance(result, Quantity)
        assert result.kind == expected.kind
        assert result.value == pytest.approx(expected.value)
