"""Example plans shared by the action tests."""

from actions.flare_ups.plan import FlarePlan

FLARE_PLAN = FlarePlan(
    triggers="Doing too much, poor sleep",
    warning_signs="Stiff in the morning",
    helps="Heat pack, short walks",
    contacts="My sister Ann, my physio",
    step_back="Half my walking plan, then build up",
)
