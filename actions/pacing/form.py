"""Turn the pacing form's slots, and the patient's messages, into plan values.

Plain functions over the slot values (a tracker's ``slots`` mapping), no Rasa imports::

    plan = plan_from_slots(tracker.slots)
    chosen, named = choose_plan(store.pacing_plans(sender_id), "I managed my sitting")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from actions.pacing.answers import MINUTES, UNITS, mentioned_activity
from actions.pacing.plan import PacingPlan, build_plan
from actions.pacing.store import StoredPacingPlan

FORM_NAME: Final = "pacing_form"
SLOTS: Final = (
    "pacing_activity",
    "pacing_unit",
    "pacing_good_day",
    "pacing_bad_day",
    "pacing_increase",
    "pacing_goal",
)
# Value of the ``pacing_goal`` slot when the patient wants no goal (a slot set to None
# would be asked again).
NO_GOAL: Final = "none"


def number(value: Any) -> float | None:
    """Return a slot's number as a float; ``None`` for anything else (booleans too)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def as_text(value: Any) -> str | None:
    """Return a slot value as the patient's text ("20", not "20.0")."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plan_unit(slots: Mapping[str, Any]) -> str:
    """Return the unit chosen in the form; minutes until one is chosen and checked."""
    unit = slots.get("pacing_unit")
    # While the unit answer itself is validated, the slot holds the raw text.
    return unit if unit in UNITS else MINUTES


def plan_from_slots(slots: Mapping[str, Any]) -> PacingPlan:
    """Work out the plan from the filled form slots.

    Raises:
        ValueError: a slot is missing or holds an impossible value.
    """
    activity = slots.get("pacing_activity")
    unit = slots.get("pacing_unit")
    good, bad = number(slots.get("pacing_good_day")), number(slots.get("pacing_bad_day"))
    increase = number(slots.get("pacing_increase"))
    raw_goal = slots.get("pacing_goal")
    goal = None if raw_goal == NO_GOAL else number(raw_goal)
    if not activity or not unit or good is None or bad is None or increase is None:
        raise ValueError("the pacing form is not complete")
    if raw_goal != NO_GOAL and goal is None:
        raise ValueError("the pacing goal is not a number")
    return build_plan(str(activity), str(unit), good, bad, increase, goal)


def choose_plan(
    plans: Sequence[StoredPacingPlan], text: str | None
) -> tuple[StoredPacingPlan | None, bool]:
    """Return the plan a message is about, and whether the message named it.

    The patient may name the activity; otherwise the most recently used plan (the
    first of ``plans``) is meant.
    """
    if not plans:
        return None, False
    named = mentioned_activity(text, [stored.activity for stored in plans])
    for stored in plans:
        if stored.activity == named:
            return stored, True
    return plans[0], False
