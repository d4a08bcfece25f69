"""Decide what the assistant does in a turn that involves a red flag.

This is the plain logic behind :class:`bot.policies.safety.SafetyPolicy`; it has no Rasa
imports so it can be tested with simple values. The policy turns the tracker into a
:class:`TurnView` and asks :func:`next_action` what to run next::

    view = TurnView(intent="red_flag_emergency", red_flags=(("major_trauma", "emergency"),))
    next_action(view, responses)  # -> "utter_urgent_care_emergency"

A turn with a red flag runs, in order: deactivate the active form (if any), the static
urgent-care response for the highest tier, the escalation action (alert for the care
team), a check that the patient is getting help (emergency only), then listen. After an
emergency message the conversation is held: whatever the patient says next gets the
advice again until they confirm they are getting help.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ACTION_LISTEN = "action_listen"
ACTION_DEACTIVATE_LOOP = "action_deactivate_loop"
ACTION_ESCALATE = "action_escalate_red_flag"
UTTER_CHECK = "utter_urgent_care_check"
UTTER_HOLD = "utter_urgent_care_hold"
UTTER_CONFIRMED = "utter_urgent_care_confirmed"
SCREEN_QUESTION_PREFIX = "utter_ask_screen_"

TIER_ORDER = {"none": 0, "soon": 1, "urgent": 2, "emergency": 3}
# Used when the classifier alone predicts a red-flag intent without a detector finding.
INTENT_TIERS = {
    "red_flag_emergency": "emergency",
    "red_flag_crisis": "emergency",
    "red_flag_urgent": "urgent",
    "red_flag_soon": "soon",
}
INTENT_RESPONSES = {
    "red_flag_emergency": "utter_urgent_care_emergency",
    "red_flag_crisis": "utter_urgent_care_crisis",
    "red_flag_urgent": "utter_urgent_care_same_day",
    "red_flag_soon": "utter_urgent_care_soon",
}
# Responses after which the conversation is held until the patient confirms help.
HOLDING_RESPONSES = frozenset({"utter_urgent_care_emergency", "utter_urgent_care_crisis"})
RELEASE_INTENTS = frozenset({"confirm_getting_help", "affirm"})
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class FlagInfo:
    """What the catalogue says about one red flag."""

    tier: str
    response: str


def load_flag_infos(path: Path) -> dict[str, FlagInfo]:
    """Read each flag's tier and response from the red-flag catalogue YAML."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(flag["id"]): FlagInfo(tier=str(flag["tier"]), response=str(flag["response"]))
        for flag in data.get("flags", [])
    }


@dataclass(frozen=True)
class TurnView:
    """The parts of a conversation the safety decision depends on.

    Attributes:
        intent: intent of the latest user message.
        red_flags: (flag id, tier) pairs the detector found in the latest message.
        loop_at_message: the form that was active when the message arrived.
        asked_before_message: the bot's last action before the message (a symptom-check
            question is named ``utter_ask_screen_<flag id>``).
        actions_since_message: actions already run after the latest message.
        hold: an emergency message was sent earlier and help is not yet confirmed.
        best_guess: when ``intent`` is ``nlu_fallback``, the classifier's best other
            intent ("yes I'm getting help" is torn between affirm and confirm).
    """

    intent: str | None
    red_flags: tuple[tuple[str, str], ...] = ()
    loop_at_message: str | None = None
    asked_before_message: str | None = None
    actions_since_message: tuple[str, ...] = ()
    hold: bool = False
    best_guess: str | None = None

    def releases_hold(self) -> bool:
        """Return whether this message confirms the patient is getting help."""
        if self.intent in RELEASE_INTENTS:
            return True
        return self.intent == FALLBACK_INTENT and self.best_guess in RELEASE_INTENTS


@dataclass(frozen=True)
class Trigger:
    """A red flag raised in the latest message."""

    tier: str
    response: str
    flag_ids: tuple[str, ...] = field(default_factory=tuple)


def highest(tiers: list[str]) -> str:
    """Return the highest of the given tiers ("none" for an empty list)."""
    return max(tiers, key=lambda tier: TIER_ORDER.get(tier, 0), default="none")


def find_trigger(view: TurnView, flags: Mapping[str, FlagInfo]) -> Trigger | None:
    """Return the red flag raised by the latest message, if any.

    A flag is raised by the detector's findings, by the classifier's red-flag intent, or
    by a "yes" to a symptom-check question (``utter_ask_screen_<flag id>``).
    """
    if view.red_flags:
        tier = highest([tier for _, tier in view.red_flags])
        ids = tuple(flag_id for flag_id, flag_tier in view.red_flags if flag_tier == tier)
        responses = [flags[i].response for i in ids if i in flags]
        # The crisis wording wins among emergency findings: it also names the emergency
        # number, and the crisis line is what a person with suicidal thoughts needs.
        crisis = INTENT_RESPONSES["red_flag_crisis"]
        response = crisis if crisis in responses else (responses[0] if responses else "")
        if not response:
            response = _tier_response(tier)
        return Trigger(tier, response, tuple(flag_id for flag_id, _ in view.red_flags))
    if view.intent in INTENT_TIERS:
        return Trigger(INTENT_TIERS[view.intent], INTENT_RESPONSES[view.intent])
    asked = view.asked_before_message or ""
    if view.intent == "affirm" and asked.startswith(SCREEN_QUESTION_PREFIX):
        flag_id = asked[len(SCREEN_QUESTION_PREFIX) :]
        info = flags.get(flag_id)
        if info is not None:
            return Trigger(info.tier, info.response, (flag_id,))
        # An unknown screening question answered "yes" is still escalated, cautiously.
        return Trigger("emergency", INTENT_RESPONSES["red_flag_emergency"], (flag_id,))
    return None


def _tier_response(tier: str) -> str:
    by_tier = {INTENT_TIERS[intent]: response for intent, response in INTENT_RESPONSES.items()}
    by_tier["emergency"] = INTENT_RESPONSES["red_flag_emergency"]
    return by_tier.get(tier, INTENT_RESPONSES["red_flag_emergency"])


def plan_turn(view: TurnView, flags: Mapping[str, FlagInfo]) -> tuple[str, ...]:
    """Return the full list of actions for this turn, or an empty tuple if none apply."""
    trigger = find_trigger(view, flags)
    if trigger is not None:
        steps: list[str] = []
        if view.loop_at_message:
            steps.append(ACTION_DEACTIVATE_LOOP)
        steps += [trigger.response, ACTION_ESCALATE]
        if trigger.response in HOLDING_RESPONSES:
            steps.append(UTTER_CHECK)
        steps.append(ACTION_LISTEN)
        return tuple(steps)
    if view.hold:
        if view.releases_hold():
            return (UTTER_CONFIRMED, ACTION_LISTEN)
        return (UTTER_HOLD, ACTION_LISTEN)
    return ()


def next_action(view: TurnView, flags: Mapping[str, FlagInfo]) -> str | None:
    """Return the next action to run in this turn, or ``None`` to let other policies act.

    The plan is followed only while the actions already run match it step by step, so
    another policy's action in between (which should not happen) ends the plan instead
    of repeating it.
    """
    plan = plan_turn(view, flags)
    done = view.actions_since_message
    if not plan or len(done) >= len(plan) or plan[: len(done)] != done:
        return None
    return plan[len(done)]
