"""Decide what the assistant does in a turn that involves a red flag.

This is the plain logic behind :class:`bot.policies.safety.SafetyPolicy` and the Rasa
server's last line of defence (:mod:`bot.runtime.processor`); it has no Rasa imports so
it can be tested with simple values. The callers turn the tracker into a
:class:`TurnView` and ask :func:`plan_turn` or :func:`next_action` what to run::

    view = TurnView(intent="red_flag_emergency", red_flags=(("major_trauma", "emergency"),))
    next_action(view, flags)  # -> "utter_urgent_care_emergency"

A turn with a red flag runs, in order: deactivate the active form (if any), the static
urgent-care response of each kind of finding at the highest tier (a crisis and a
physical emergency together get both), a check question for the emergency tier, an
offer to carry on with an interrupted form when nothing is held, then listen. The
care-team alert is not an action: the tracker store writes it with the message.

After an emergency or crisis message the conversation is *held*: until the patient
clearly says they are getting help (or, after a crisis message, that they are safe),
every message gets a reply that keeps them pointed at help. "ok" and unclear answers
never release a hold; after a crisis message "no" and "I don't want to talk to anyone"
get their own supportive replies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.policies.replies import (
    is_acknowledgement,
    is_unsure,
    names_getting_help,
    says_resume,
    starts_with_no,
)
from bot.policies.safety_names import (
    ACTION_DEACTIVATE_LOOP,
    ACTION_LISTEN,
    ASK_KEY_PREFIX,
    ASK_QUESTION_PREFIX,
    CANCEL_INTENT,
    CORRECTION_INTENT,
    DECLINE_INTENT,
    DENY_INTENT,
    FALLBACK_INTENT,
    HOLD_CRISIS,
    HOLD_EMERGENCY,
    HOLDING_RESPONSES,
    INTENT_RESPONSES,
    INTENT_TIERS,
    LEAVE_CHECK_INTENTS,
    RESUME_INTENT,
    SCREEN_QUESTION_PREFIX,
    TIER_ORDER,
    TIER_RESPONSES,
    UTTER_ASK_NO,
    UTTER_CANCELLED,
    UTTER_CHECK,
    UTTER_CONFIRMED,
    UTTER_CORRECTED,
    UTTER_CRISIS,
    UTTER_CRISIS_ASK_AGAIN,
    UTTER_CRISIS_CHECK,
    UTTER_CRISIS_DECLINED,
    UTTER_CRISIS_DECLINED_NOT_SAFE,
    UTTER_CRISIS_NOT_SAFE,
    UTTER_CRISIS_SAFE,
    UTTER_CRISIS_STAY,
    UTTER_EMERGENCY,
    UTTER_HOLD,
    UTTER_HOLD_AGAIN,
    UTTER_HOLD_DECLINED,
    UTTER_NOTHING_TO_CANCEL,
    UTTER_NOTHING_TO_RESUME,
    UTTER_RESUME_OFFER,
    UTTER_SCREEN_YES_NO,
    UTTER_SOMEONE_ELSE,
)

# Sent only by the safety policy, never by a rule or story (a rule for them would
# contradict the generic red-flag rules): see scripts/validate_data.py.
POLICY_ONLY_RESPONSES = (
    UTTER_RESUME_OFFER,
    UTTER_ASK_NO,
    UTTER_SCREEN_YES_NO,
    UTTER_HOLD_DECLINED,
    UTTER_HOLD_AGAIN,
    UTTER_CORRECTED,
    UTTER_CRISIS_STAY,
    UTTER_CRISIS_DECLINED_NOT_SAFE,
    UTTER_NOTHING_TO_CANCEL,
    UTTER_SOMEONE_ELSE,
)


def hold_of(response: str | None) -> str | None:
    """Return the hold a response starts: the crisis one, or any emergency response.

    Emergency responses may be split by what to do (``utter_urgent_care_emergency`` and
    ``utter_urgent_care_emergency_<kind>``, e.g. call 999 and do not drive after a
    fall); every one of them holds the conversation the same way.
    """
    if not response:
        return None
    if response in HOLDING_RESPONSES:
        return HOLDING_RESPONSES[response]
    return HOLD_EMERGENCY if response.startswith(UTTER_EMERGENCY + "_") else None


# The crisis reply comes first: the person in distress hears that first.
_RESPONSE_ORDER = {UTTER_CRISIS: 0}
RELEASE_INTENTS = {
    HOLD_EMERGENCY: frozenset({"confirm_getting_help", "confirm_safe", "affirm"}),
    HOLD_CRISIS: frozenset({"confirm_safe", "confirm_getting_help", "affirm"}),
}


@dataclass(frozen=True)
class FlagInfo:
    """What the catalogue says about one red flag (or what a YES to an ask establishes).

    Attributes:
        tier: the flag's tier.
        response: the static urgent-care response for it.
        flag: for an ask (key ``ask:<id>``), the flag a YES establishes.
    """

    tier: str
    response: str
    flag: str = ""


def ask_key(ask: str) -> str:
    """Return the key of an ask in the mapping :func:`load_flag_infos` returns."""
    return ASK_KEY_PREFIX + ask


def load_flag_infos(path: Path) -> dict[str, FlagInfo]:
    """Read each flag's tier and response, and each ask's flag, from the catalogue YAML."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    infos = {
        str(flag["id"]): FlagInfo(tier=str(flag["tier"]), response=str(flag["response"]))
        for flag in data.get("flags", [])
    }
    for ask in data.get("asks", []) or []:
        flag = infos.get(str(ask["flag"]))
        if flag is not None:
            infos[ask_key(str(ask["id"]))] = FlagInfo(flag.tier, flag.response, str(ask["flag"]))
    return infos


@dataclass(frozen=True)
class TurnView:
    """The parts of a conversation the safety decision depends on.

    Attributes:
        intent: intent of the latest user message.
        text: the latest user message as typed.
        red_flags: (flag id, tier) pairs the detector found in the latest message.
        loop_at_message: the form that was active when the message arrived.
        asked_before_message: the bot's last action before the message (a symptom-check
            question is named ``utter_ask_screen_<flag id>``).
        actions_since_message: actions already run after the latest message.
        hold: ``"emergency"`` or ``"crisis"`` while an urgent-care message waits for the
            patient to say they are getting help or are safe; ``None`` otherwise.
        best_guess: when ``intent`` is ``nlu_fallback``, the classifier's best other
            intent ("yes I'm getting help" is torn between affirm and confirm).
        interrupted_loop: a form a red flag interrupted and that has not been resumed.
        ask: the clarifying question the detector wants asked about this message.
        hold_replies: the replies the current hold has already sent, oldest first.
        about_someone_else: the detector read the red flags as a relative's, told as
            happening now.
    """

    intent: str | None
    text: str = ""
    red_flags: tuple[tuple[str, str], ...] = ()
    loop_at_message: str | None = None
    asked_before_message: str | None = None
    actions_since_message: tuple[str, ...] = ()
    hold: str | None = None
    best_guess: str | None = None
    interrupted_loop: str | None = None
    ask: str | None = None
    hold_replies: tuple[str, ...] = ()
    about_someone_else: bool = False

    def releases_hold(self) -> bool:
        """Return whether this message clearly says the patient is getting help or is safe."""
        if self.hold is None or is_acknowledgement(self.text):
            return False
        if not re.search(r"[^\W\d_]", self.text):  # no letters: "8", "?", "..."
            return False
        accepted = RELEASE_INTENTS[self.hold]
        if self.intent in accepted:
            # A typed message read only as a general "yes" ("asdf" and "xyz" can be) must
            # say yes or help in words; the buttons and clear intents need nothing more.
            typed_yes = self.intent == "affirm" and not self.text.startswith("/")
            return not typed_yes or names_getting_help(self.text)
        return (
            self.intent == FALLBACK_INTENT
            and self.best_guess in accepted
            and names_getting_help(self.text)
        )


@dataclass(frozen=True)
class Trigger:
    """A red flag raised in the latest message."""

    tier: str
    responses: tuple[str, ...]
    flag_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def response(self) -> str:
        """Return the first urgent-care response of this trigger."""
        return self.responses[0]

    @property
    def hold(self) -> str | None:
        """Return the hold the trigger starts: crisis wins over a physical emergency."""
        kinds = {hold_of(r) for r in self.responses} - {None}
        if HOLD_CRISIS in kinds:
            return HOLD_CRISIS
        return HOLD_EMERGENCY if kinds else None


def highest(tiers: list[str]) -> str:
    """Return the highest of the given tiers ("none" for an empty list)."""
    return max(tiers, key=lambda tier: TIER_ORDER.get(tier, 0), default="none")


def find_trigger(view: TurnView, flags: Mapping[str, FlagInfo]) -> Trigger | None:
    """Return the red flag raised by the latest message, if any.

    A flag is raised by the detector's findings, by the classifier's red-flag intent, or
    by a "yes" to a symptom-check question (``utter_ask_screen_<flag id>``); "maybe" and
    "not sure" count as yes there, as the safe reading. After a clarifying question
    (``utter_ask_safety_<ask id>``) every answer but a clear no counts as yes.
    """
    if view.red_flags:
        tier = highest([tier for _, tier in view.red_flags])
        ids = [flag_id for flag_id, flag_tier in view.red_flags if flag_tier == tier]
        responses: list[str] = []
        for flag_id in ids:
            info = flags.get(flag_id)
            response = info.response if info is not None else TIER_RESPONSES.get(tier, "")
            if response and response not in responses:
                responses.append(response)
        if not responses:
            responses = [TIER_RESPONSES.get(tier, UTTER_EMERGENCY)]
        responses.sort(key=lambda r: _RESPONSE_ORDER.get(r, 1))
        return Trigger(tier, tuple(responses), tuple(flag_id for flag_id, _ in view.red_flags))
    if view.intent in INTENT_TIERS:
        return Trigger(INTENT_TIERS[view.intent], (INTENT_RESPONSES[view.intent],))
    asked = view.asked_before_message or ""
    if asked.startswith(ASK_QUESTION_PREFIX) and asked != UTTER_ASK_NO:
        # Any answer to a clarifying question but a clear no counts as yes.
        info = flags.get(ask_key(asked[len(ASK_QUESTION_PREFIX) :]))
        if not is_clear_no(view) and info is not None:
            return Trigger(info.tier, (info.response,), (info.flag,))
        return None
    answered_yes = view.intent == "affirm" or is_unsure(view.text)
    if answered_yes and asked.startswith(SCREEN_QUESTION_PREFIX):
        flag_id = asked[len(SCREEN_QUESTION_PREFIX) :]
        info = flags.get(flag_id)
        if info is not None:
            return Trigger(info.tier, (info.response,), (flag_id,))
        # An unknown screening question answered "yes" is still escalated, cautiously.
        return Trigger("emergency", (UTTER_EMERGENCY,), (flag_id,))
    return None


def is_clear_no(view: TurnView) -> bool:
    """Return whether the message answers no: a no intent, or a message that starts with no.

    "Not sure", "maybe" and anything else unclear are not a no.
    """
    if is_unsure(view.text):
        return False
    return view.intent == DENY_INTENT or starts_with_no(view.text)


def _asked_safety_question(view: TurnView) -> bool:
    asked = view.asked_before_message or ""
    return asked.startswith(ASK_QUESTION_PREFIX) and asked != UTTER_ASK_NO


def _hold_reply(view: TurnView) -> str:
    """Return the reply to a message while held: kind, and not the same words again."""
    said = set(view.hold_replies)
    if view.hold == HOLD_CRISIS:
        not_safe = UTTER_CRISIS_NOT_SAFE in said
        if view.releases_hold():
            return UTTER_CRISIS_SAFE
        if view.intent == DENY_INTENT:
            return UTTER_CRISIS_STAY if not_safe else UTTER_CRISIS_NOT_SAFE
        if view.intent == DECLINE_INTENT:
            return UTTER_CRISIS_DECLINED_NOT_SAFE if not_safe else UTTER_CRISIS_DECLINED
        if UTTER_CRISIS_ASK_AGAIN in said or not_safe:
            return UTTER_CRISIS_STAY
        return UTTER_CRISIS_ASK_AGAIN
    if view.releases_hold():
        return UTTER_CONFIRMED
    if view.intent == CORRECTION_INTENT:
        return UTTER_CORRECTED
    if view.intent in (DENY_INTENT, DECLINE_INTENT) and UTTER_HOLD_DECLINED not in said:
        return UTTER_HOLD_DECLINED
    return UTTER_HOLD_AGAIN if said else UTTER_HOLD


def plan_turn(view: TurnView, flags: Mapping[str, FlagInfo]) -> tuple[str, ...]:
    """Return the full list of actions for this turn, or an empty tuple if none apply."""
    trigger = find_trigger(view, flags)
    if trigger is not None:
        steps: list[str] = []
        if view.loop_at_message:
            steps.append(ACTION_DEACTIVATE_LOOP)
        steps += trigger.responses
        if view.about_someone_else and view.red_flags:
            steps.append(UTTER_SOMEONE_ELSE)
        hold = trigger.hold
        if hold == HOLD_CRISIS:
            steps.append(UTTER_CRISIS_CHECK)
        elif hold == HOLD_EMERGENCY:
            steps.append(UTTER_CHECK)
        elif view.loop_at_message or view.interrupted_loop:
            steps.append(UTTER_RESUME_OFFER)
        steps.append(ACTION_LISTEN)
        return tuple(steps)
    if view.hold is not None:
        # No offer to carry on with a plan here: after an emergency, help comes first.
        # "Carry on" said later still resumes it.
        return (_hold_reply(view), ACTION_LISTEN)
    if view.ask and ask_key(view.ask) in flags:
        # A sign that suggests a red flag: one direct, kind question before anything else.
        first: tuple[str, ...] = (ACTION_DEACTIVATE_LOOP,) if view.loop_at_message else ()
        return (*first, ASK_QUESTION_PREFIX + view.ask, ACTION_LISTEN)
    if _asked_safety_question(view):
        # A clear no: thank them, and carry on (or offer to, after an interrupted form).
        resume = (UTTER_RESUME_OFFER,) if view.interrupted_loop else ()
        return (UTTER_ASK_NO, *resume, ACTION_LISTEN)
    asked = view.asked_before_message or ""
    if asked.startswith(SCREEN_QUESTION_PREFIX) and view.intent not in LEAVE_CHECK_INTENTS:
        # The symptom check must not lose its place to a topic: ask for yes or no.
        return (UTTER_SCREEN_YES_NO, asked, ACTION_LISTEN)
    if view.intent == CANCEL_INTENT:
        # "Stop the questions": end the form (its answers are dropped) and say so.
        if view.loop_at_message:
            return (ACTION_DEACTIVATE_LOOP, UTTER_CANCELLED, ACTION_LISTEN)
        if asked.startswith(SCREEN_QUESTION_PREFIX):
            return (UTTER_CANCELLED, ACTION_LISTEN)
        return (UTTER_NOTHING_TO_CANCEL, ACTION_LISTEN)
    if view.interrupted_loop and (view.intent == RESUME_INTENT or says_resume(view.text)):
        return (view.interrupted_loop, ACTION_LISTEN)
    if view.intent == RESUME_INTENT:
        return (UTTER_NOTHING_TO_RESUME, ACTION_LISTEN)
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


def missing_steps(view: TurnView, flags: Mapping[str, FlagInfo]) -> tuple[str, ...]:
    """Return the urgent-care steps of this turn's plan that have not run.

    The Rasa server's last line of defence runs these after the dialogue policies have
    finished the turn, whatever they did (a loop guard, an exception, a form that
    swallowed the message). It covers red-flag turns and holds; listening and
    deactivating a form are left to the caller.
    """
    if find_trigger(view, flags) is None and view.hold is None and not view.ask:
        return ()
    done = set(view.actions_since_message)
    return tuple(
        step
        for step in plan_turn(view, flags)
        if step not in done and step not in (ACTION_LISTEN, ACTION_DEACTIVATE_LOOP)
    )


def paused_steps(view: TurnView, flags: Mapping[str, FlagInfo]) -> tuple[str, ...]:
    """Return the urgent-care steps owed in a turn while a clinician holds the conversation.

    While the console has paused the assistant (a clinician's takeover), the last line
    of defence answers only what the red-flag detector raises about the new message: a
    red flag's urgent-care reply with its check question, or the clarifying question
    of a possible one. A hold's reminders, the offer to carry on with a form and
    everything else are left to the clinician, who reads the messages as they arrive.
    """
    trigger = find_trigger(view, flags)
    if trigger is not None:
        steps = plan_turn(view, flags)
    elif view.ask and ask_key(view.ask) in flags:
        steps = (ASK_QUESTION_PREFIX + view.ask,)
    else:
        return ()
    done = set(view.actions_since_message)
    skipped = (ACTION_LISTEN, ACTION_DEACTIVATE_LOOP, UTTER_RESUME_OFFER)
    return tuple(step for step in steps if step not in done and step not in skipped)
