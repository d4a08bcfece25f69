"""Work out a week-by-week activity pacing plan, and lay it out as text.

The method (sources in content/pacing.yml: Nielson et al. 2013; NICE NG59):

- baseline = the average of a good-day and a bad-day amount;
- start at 80% of the baseline, every day, good day or bad, but never above the
  bad-day amount when there is one: the start must be something the patient can do on
  a bad day too. When they can do nothing on a bad day, 80% of the baseline is used
  and the plan says to rest on such days (:attr:`PacingPlan.fits_bad_day`);
- add the same amount each week: the weekly increase (10% by default, at most 20%) of
  the *starting* level. The increase is linear, not compounding, as in the reference
  example: a 200 m baseline starts at 160 m and adds 16 m, shown as 20 m, a week.
  Linear steps stay small and predictable; compounding would speed up every week;
- plan week by week until the goal (at most :data:`MAX_WEEKS` weeks), or for
  :data:`DEFAULT_WEEKS` weeks when there is no goal.

Amounts are rounded to units a person can use: whole minutes, 50 m and 100 steps.
When the weekly increase is smaller than that (a short walk), metres and steps use 10
instead, so that rounding never more than doubles the increase. Nothing rounds to zero:
the start and the weekly increase are at least one rounding unit::

    plan = build_plan("walking", "metres", good_day=200, bad_day=200)
    plan.start, plan.step, plan.weeks[:3]  # 160, 20, (160, 180, 200)

The layout functions fill templates from ``content/pacing.yml`` (``render``); they take
plain mappings so that this module has no Rasa or content-loading imports.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from actions.common.content import SMS_LIMIT, fill

BASELINE_FRACTION: Final = 0.8
# Weekly increase, in percent of the starting level (sources in content/pacing.yml);
# the form accepts MIN to MAX (actions.pacing.answers), the arithmetic at most MAX.
DEFAULT_INCREASE_PCT: Final = 10.0
MAX_INCREASE_PCT: Final = 20.0
MIN_INCREASE_PCT: Final = 1.0
DEFAULT_WEEKS: Final = 8
MAX_WEEKS: Final = 26
# Rounding grids per unit, coarsest first; the finer ones serve small increases.
GRIDS: Final[Mapping[str, tuple[int, ...]]] = {
    "minutes": (1,),
    "metres": (50, 10),
    "steps": (100, 10),
}
# "I managed this week" moves a plan on only when most of a week has passed since it
# was made or last moved; earlier, the patient is asked to keep going.
MIN_DAYS_BEFORE_MOVING_ON: Final = 5


@dataclass(frozen=True)
class PacingPlan:
    """A pacing plan for one activity.

    Attributes:
        activity: activity key (``"walking"``) or the patient's own activity name.
        unit: ``"minutes"``, ``"metres"`` or ``"steps"``.
        good_day: amount on a good day, as the patient gave it (in ``unit``).
        bad_day: amount on a bad day (in ``unit``).
        increase_pct: weekly increase in percent of the starting level.
        goal: target amount in ``unit``, rounded; ``None`` for no goal.
        start: the first week's daily amount, rounded.
        step: the amount added each week, rounded.
        weeks: daily amount for each week of the plan, week 1 first.
    """

    activity: str
    unit: str
    good_day: float
    bad_day: float
    increase_pct: float
    goal: int | None
    start: int
    step: int
    weeks: tuple[int, ...]

    @property
    def fits_bad_day(self) -> bool:
        """Return whether the start can be done on a bad day too."""
        return self.start <= self.bad_day

    @property
    def reaches_goal(self) -> bool:
        """Return whether the last week meets the goal (always true without one)."""
        return self.goal is None or self.weeks[-1] >= self.goal


def week_is_up(since: datetime, now: datetime) -> bool:
    """Return whether a plan set at ``since`` may move on a week at ``now``."""
    return now - since >= timedelta(days=MIN_DAYS_BEFORE_MOVING_ON)


def baseline(good_day: float, bad_day: float) -> float:
    """Return the baseline: the average of the good-day and bad-day amounts."""
    return (good_day + bad_day) / 2


def starting_level(good_day: float, bad_day: float) -> float:
    """Return the unrounded first-week amount: 80% of the baseline, at most the bad day."""
    level = BASELINE_FRACTION * baseline(good_day, bad_day)
    return min(level, bad_day) if bad_day > 0 else level


def rounding_grid(unit: str, weekly_increase: float) -> int:
    """Return the rounding unit: the coarsest grid not larger than the weekly increase.

    Args:
        unit: the plan's unit.
        weekly_increase: the unrounded amount added each week.

    Raises:
        ValueError: ``unit`` is not a plan unit.
    """
    try:
        grids = GRIDS[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}") from None
    for grid in grids:
        if grid <= weekly_increase:
            return grid
    return grids[-1]


def round_to_grid(value: float, grid: int) -> int:
    """Round ``value`` half up to a multiple of ``grid``, and never below one ``grid``."""
    return max(grid, math.floor(value / grid + 0.5) * grid)


def weekly_amounts(start: int, step: int, goal: int | None) -> tuple[int, ...]:
    """Return the daily amount for each week.

    With a goal, weeks run until the goal is met (the last week is the goal itself)
    or for :data:`MAX_WEEKS` weeks, whichever comes first; a goal at or below the
    start gives a one-week plan. Without a goal the plan runs :data:`DEFAULT_WEEKS`
    weeks.
    """
    if goal is None:
        return tuple(start + week * step for week in range(DEFAULT_WEEKS))
    if goal <= start:
        return (start,)
    weeks = min(MAX_WEEKS, math.ceil((goal - start) / step) + 1)
    return tuple(min(goal, start + week * step) for week in range(weeks))


def build_plan(
    activity: str,
    unit: str,
    good_day: float,
    bad_day: float,
    increase_pct: float = DEFAULT_INCREASE_PCT,
    goal: float | None = None,
) -> PacingPlan:
    """Work out the plan for one activity.

    Args:
        activity: activity key or the patient's own activity name.
        unit: ``"minutes"``, ``"metres"`` or ``"steps"``.
        good_day: amount on a good day (in ``unit``).
        bad_day: amount on a bad day (in ``unit``); it may be 0, and the order of
            the two does not change the baseline.
        increase_pct: weekly increase in percent of the starting level, above 0 and
            at most :data:`MAX_INCREASE_PCT`.
        goal: optional target amount in ``unit``.

    Raises:
        ValueError: an unknown unit, a negative or non-finite amount, or an
            increase outside (0, 20] percent. Callers validate answers first
            (:mod:`actions.pacing.answers`); this is the last guard against a wrong plan.
    """
    amounts = [good_day, bad_day] + ([goal] if goal is not None else [])
    if any(not math.isfinite(value) or value < 0 for value in amounts):
        raise ValueError("amounts must be finite and not negative")
    if not 0 < increase_pct <= MAX_INCREASE_PCT:
        raise ValueError(f"weekly increase must be above 0 and at most {MAX_INCREASE_PCT}%")
    raw_start = starting_level(good_day, bad_day)
    raw_step = raw_start * increase_pct / 100
    grid = rounding_grid(unit, raw_step)
    start = round_to_grid(raw_start, grid)
    if 0 < bad_day < start:
        # Round down, so that the start stays within what a bad day allows.
        start = max(grid, math.floor(bad_day / grid) * grid)
    step = round_to_grid(raw_step, grid)
    rounded_goal = round_to_grid(goal, grid) if goal is not None else None
    return PacingPlan(
        activity=activity,
        unit=unit,
        good_day=float(good_day),
        bad_day=float(bad_day),
        increase_pct=float(increase_pct),
        goal=rounded_goal,
        start=start,
        step=step,
        weeks=weekly_amounts(start, step, rounded_goal),
    )


# --- layout ------------------------------------------------------------------------

# Weeks shown in the chat layout before the rest is summed up in one line.
WEB_WINDOW: Final = 6


@dataclass(frozen=True)
class PlanLabels:
    """The words a plan's layout needs, looked up in content by the caller.

    Attributes:
        activity: how the activity is named in a sentence ("walking").
        unit: the unit for amounts ("minutes").
        unit_short: the short unit for SMS ("min").
    """

    activity: str
    unit: str
    unit_short: str


def render_web(
    weeks: Sequence[int], current: int, labels: PlanLabels, templates: Mapping[str, str]
) -> str:
    """Return the chat layout: a heading and a short week-by-week list.

    Shows the week before the current one and the next few; later weeks are summed
    up in one line (``templates["later"]``) so the message stays short.

    Args:
        weeks: daily amount per week.
        current: index of the current week (0-based).
        labels: activity and unit words.
        templates: ``heading``, ``week``, ``this_week`` and ``later`` from content.
    """
    current = max(0, min(current, len(weeks) - 1))
    first = max(0, current - 1)
    last = min(len(weeks), first + WEB_WINDOW)
    values = {"activity": labels.activity, "unit": labels.unit}
    lines = [fill(templates["heading"], values)]
    for index in range(first, last):
        key = "this_week" if index == current else "week"
        lines.append(fill(templates[key], {**values, "week": index + 1, "amount": weeks[index]}))
    if last < len(weeks):
        lines.append(fill(templates["later"], {**values, "week": len(weeks), "amount": weeks[-1]}))
    return "\n".join(lines)


def render_sms_line(
    weeks: Sequence[int], current: int, labels: PlanLabels, templates: Mapping[str, str]
) -> str:
    """Return one compact line for a plan: this week's amount and next week's.

    Args:
        weeks: daily amount per week.
        current: index of the current week (0-based).
        labels: activity and unit words.
        templates: ``line`` and ``last_line`` (the final week) from content.
    """
    current = max(0, min(current, len(weeks) - 1))
    values: dict[str, object] = {
        "activity": labels.activity,
        "unit": labels.unit_short,
        "amount": weeks[current],
        "week": current + 1,
        "total": len(weeks),
    }
    if current + 1 < len(weeks):
        return fill(templates["line"], {**values, "next": weeks[current + 1]})
    return fill(templates["last_line"], values)


def fit_sms(lines: Sequence[str], tail: str, more: str, limit: int = SMS_LIMIT) -> str:
    """Join plan lines into one SMS of at most ``limit`` characters.

    Lines that do not fit are left out and counted in ``more`` (``{count}``); the
    ``tail`` (a reminder) is added when there is room. A single line longer than the
    limit is cut, so the result always fits.
    """
    text = lines[0][:limit] if lines else ""
    for keep in range(len(lines), 0, -1):
        parts = list(lines[:keep])
        if keep < len(lines):
            parts.append(fill(more, {"count": len(lines) - keep}))
        if len("\n".join(parts)) <= limit:
            text = "\n".join(parts)
            break
    if tail and len(text) + 1 + len(tail) <= limit:
        text = f"{text}\n{tail}" if text else tail
    return text[:limit]
