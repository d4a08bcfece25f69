from __future__ import annotations

import pytest

from actions.common.content import SMS_LIMIT
from actions.pacing.plan import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    PlanLabels,
    baseline,
    build_plan,
    fit_sms,
    render_sms_line,
    render_web,
    round_to_grid,
    rounding_grid,
    starting_level,
    week_is_up,
    weekly_amounts,
)

LABELS = PlanLabels(activity="walking", unit="minutes", unit_short="min")
WEB = {
    "heading": "Your {activity} plan ({unit} a day):",
    "week": "Week {week}: {amount}",
    "this_week": "Week {week}: {amount} (this week)",
    "later": "Then up to {amount} by week {week}.",
}
SMS = {
    "line": "{activity}: {amount} {unit} a day this week (week {week} of {total}). "
    "Next week: {next}.",
    "last_line": "{activity}: {amount} {unit} a day (the last week of the plan).",
}


@pytest.mark.parametrize(
    ("good", "bad", "expected"), [(200, 200, 200), (20, 10, 15), (30, 0, 15), (0, 0, 0)]
)
def test_baseline_is_the_average_of_good_and_bad(good, bad, expected):
    assert baseline(good, bad) == expected


def test_start_is_80_percent_of_the_baseline():
    assert starting_level(200, 200) == pytest.approx(160)


def test_reference_example_200_m_starts_at_160_and_adds_20():
    plan = build_plan("walking", "metres", 200, 200)
    assert (plan.start, plan.step) == (160, 20)
    assert plan.weeks[:3] == (160, 180, 200)


@pytest.mark.parametrize(
    ("unit", "good", "bad", "pct", "start", "step"),
    [
        # equal good and bad days
        ("minutes", 20, 20, 10, 16, 2),
        # zero bad day: baseline 10, start 8, 0.8 a week rounds to one minute
        ("minutes", 20, 0, 10, 8, 1),
        ("minutes", 20, 10, 10, 10, 1),
        ("minutes", 60, 30, 20, 30, 6),
        # the order of good and bad does not change the baseline
        ("minutes", 10, 20, 10, 12, 1),
        ("metres", 2000, 1000, 10, 1000, 100),
        ("metres", 5000, 5000, 10, 4000, 400),
        ("metres", 100, 50, 10, 50, 10),
        ("steps", 3000, 2000, 10, 2000, 200),
        ("steps", 1000, 1000, 10, 800, 80),
        ("steps", 5000, 5000, 15, 4000, 600),
        # huge numbers are still worked out, with whole units
        ("steps", 1_000_000, 1_000_000, 10, 800_000, 80_000),
        # tiny numbers never round to zero
        ("minutes", 1, 0, 10, 1, 1),
        ("metres", 5, 0, 10, 10, 10),
        ("steps", 0, 0, 10, 10, 10),
    ],
)
def test_start_and_weekly_step_are_rounded_to_usable_units(unit, good, bad, pct, start, step):
    plan = build_plan("walking", unit, good, bad, pct)
    assert (plan.start, plan.step) == (start, step)
    assert plan.weeks[0] == start
    assert all(b - a == step for a, b in zip(plan.weeks, plan.weeks[1:], strict=False))


@pytest.mark.parametrize(
    ("unit", "increase", "grid"),
    [
        ("minutes", 0.4, 1),
        ("minutes", 40, 1),
        ("metres", 16, 10),
        ("metres", 50, 50),
        ("metres", 400, 50),
        ("steps", 80, 10),
        ("steps", 240, 100),
    ],
)
def test_rounding_grid_never_much_bigger_than_the_increase(unit, increase, grid):
    assert rounding_grid(unit, increase) == grid


def test_rounding_grid_rejects_unknown_units():
    with pytest.raises(ValueError, match="unknown unit"):
        rounding_grid("furlongs", 1)


@pytest.mark.parametrize(
    ("value", "grid", "expected"),
    [
        (1.6, 1, 2),
        (1.5, 1, 2),
        (1.49, 1, 1),
        (0.2, 1, 1),
        (0, 50, 50),
        (175, 50, 200),
        (160, 10, 160),
    ],
)
def test_round_to_grid(value, grid, expected):
    assert round_to_grid(value, grid) == expected


def test_no_goal_gives_eight_weeks():
    plan = build_plan("walking", "minutes", 20, 10)
    assert len(plan.weeks) == DEFAULT_WEEKS
    assert plan.weeks == (10, 11, 12, 13, 14, 15, 16, 17)
    assert plan.goal is None
    assert plan.reaches_goal


def test_goal_ends_the_plan_at_the_goal():
    plan = build_plan("walking", "minutes", 20, 20, goal=25)
    assert plan.weeks == (16, 18, 20, 22, 24, 25)
    assert plan.reaches_goal


def test_far_goal_is_capped_at_26_weeks():
    plan = build_plan("walking", "minutes", 20, 20, goal=600)
    assert len(plan.weeks) == MAX_WEEKS
    assert plan.weeks[-1] == 16 + 25 * 2
    assert not plan.reaches_goal


def test_goal_at_or_below_the_start_is_a_one_week_plan():
    plan = build_plan("walking", "minutes", 20, 20, goal=10)
    assert plan.weeks == (16,)


def test_goal_is_rounded_to_the_grid():
    plan = build_plan("walking", "metres", 2000, 2000, goal=2620)
    assert plan.goal == 2600
    assert plan.weeks[-1] == 2600


@pytest.mark.parametrize(
    ("start", "step", "goal", "expected"),
    [
        (10, 2, None, (10, 12, 14, 16, 18, 20, 22, 24)),
        (10, 2, 15, (10, 12, 14, 15)),
        (10, 2, 10, (10,)),
        (10, 5, 20, (10, 15, 20)),
    ],
)
def test_weekly_amounts(start, step, goal, expected):
    assert weekly_amounts(start, step, goal) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"good_day": -1, "bad_day": 0}, "not negative"),
        ({"good_day": float("inf"), "bad_day": 0}, "finite"),
        ({"good_day": float("nan"), "bad_day": 0}, "finite"),
        ({"good_day": 10, "bad_day": 5, "goal": -3}, "not negative"),
        ({"good_day": 10, "bad_day": 5, "increase_pct": 25}, "at most 20"),
        ({"good_day": 10, "bad_day": 5, "increase_pct": 0}, "above 0"),
    ],
)
def test_build_plan_refuses_impossible_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_plan("walking", "minutes", **kwargs)


def test_build_plan_refuses_unknown_unit():
    with pytest.raises(ValueError, match="unknown unit"):
        build_plan("walking", "furlongs", 10, 5)


def test_render_web_marks_this_week():
    text = render_web((12, 13, 14), 1, LABELS, WEB)
    assert text.splitlines() == [
        "Your walking plan (minutes a day):",
        "Week 1: 12",
        "Week 2: 13 (this week)",
        "Week 3: 14",
    ]


def test_render_web_sums_up_later_weeks():
    weeks = tuple(range(10, 36))
    lines = render_web(weeks, 0, LABELS, WEB).splitlines()
    assert lines[1] == "Week 1: 10 (this week)"
    assert len(lines) == 1 + 6 + 1
    assert lines[-1] == "Then up to 35 by week 26."


def test_render_web_clamps_a_week_out_of_range():
    lines = render_web((12, 13), 9, LABELS, WEB).splitlines()
    assert lines[-1] == "Week 2: 13 (this week)"


def test_render_sms_line():
    assert render_sms_line((12, 13, 14), 0, LABELS, SMS) == (
        "walking: 12 min a day this week (week 1 of 3). Next week: 13."
    )
    assert render_sms_line((12, 13, 14), 2, LABELS, SMS) == (
        "walking: 14 min a day (the last week of the plan)."
    )


def test_fit_sms_keeps_what_fits_and_counts_the_rest():
    lines = [f"line {i} " + "x" * 80 for i in range(6)]
    text = fit_sms(lines, "Same amount on good days and bad.", "And {count} more.")
    assert len(text) <= SMS_LIMIT
    assert text.startswith("line 0")
    assert "more." in text


def test_fit_sms_adds_the_tail_when_there_is_room():
    assert fit_sms(["a", "b"], "tail", "more") == "a\nb\ntail"


def test_fit_sms_cuts_a_single_overlong_line():
    assert fit_sms(["x" * 400], "tail", "And {count} more.") == "x" * SMS_LIMIT


@pytest.mark.parametrize(
    ("good", "bad", "start", "fits"),
    [
        (15, 5, 5, True),  # 80% of the middle (8) would be more than a bad day allows
        (20, 20, 16, True),
        (15, 0, 6, False),  # nothing on a bad day: 80% of the middle, and rest on such days
        (30, 25, 22, True),
    ],
)
def test_the_start_is_never_more_than_a_bad_day_allows(good, bad, start, fits):
    plan = build_plan("walking", "minutes", good, bad)
    assert plan.start == start
    assert plan.fits_bad_day is fits


def test_a_plan_moves_on_only_once_most_of_a_week_has_passed():
    from datetime import datetime, timedelta, timezone

    made = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    assert not week_is_up(made, made + timedelta(seconds=5))
    assert not week_is_up(made, made + timedelta(days=4, hours=23))
    assert week_is_up(made, made + timedelta(days=5))
