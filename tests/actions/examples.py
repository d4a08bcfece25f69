"""Example plans and form answers shared by the action tests."""

from typing import Any

from rasa_sdk.events import SlotSet

from actions.flare_ups.plan import FlarePlan
from actions.pacing.form import NO_GOAL, SLOTS

# A complete pacing form: walking, 20 minutes on a good day, 10 on a bad one.
PACING_ANSWERS = {
    "pacing_activity": "walking",
    "pacing_unit": "minutes",
    "pacing_good_day": 20.0,
    "pacing_bad_day": 10.0,
    "pacing_increase": 10.0,
    "pacing_goal": NO_GOAL,
}

FLARE_PLAN = FlarePlan(
    triggers="Doing too much, poor sleep",
    warning_signs="Stiff in the morning",
    helps="Heat pack, short walks",
    contacts="My sister Ann, my physio",
    step_back="Half my walking plan, then build up",
)


def cleared_pacing_form(**kept: Any) -> list[dict[str, Any]]:
    """Return the events that clear the pacing form, keeping the slots in ``kept``."""
    return [SlotSet(slot, kept.get(slot)) for slot in SLOTS]
