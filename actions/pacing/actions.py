"""Actions of the pacing-plan conversation: build a plan in a form, show it, move it on.

Flow (rules in ``data/stories/pacing.yml``):

- ``request_pacing_plan``: :class:`ActionStartPacingPlan` explains boom and bust and
  clears old answers, then ``pacing_form`` asks six questions, each with an
  ``action_ask_<slot>`` action below; :class:`ValidatePacingForm` reads the answers
  with :mod:`actions.pacing.answers`; :class:`ActionSavePacingPlan` works the plan out
  (:mod:`actions.pacing.plan`), keeps it (:mod:`actions.pacing.store`) and shows it.
- ``show_pacing_plan``, ``pacing_managed``, ``pacing_too_much``: show, move on one
  week or step back one week. With several plans the patient may name the activity
  ("I managed my sitting"); otherwise the most recently used plan is meant.
- ``change_baseline``: :class:`ActionChangePacingBaseline` fills in the activity of
  the plan and starts ``pacing_form`` again for new good-day and bad-day amounts.

Every word comes from ``content/pacing.yml`` (:mod:`actions.pacing.messages`); replies
on SMS (see :func:`actions.common.channel.is_sms`) use the compact variants. The plan
store and the content are opened on first use, never at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.action import ReplyAction
from actions.common.channel import is_sms
from actions.common.content import OutgoingMessage
from actions.common.forms import AnswerValidation, AskSlot
from actions.common.send import send
from actions.pacing.answers import (
    MINUTES,
    MINUTES_ONLY,
    named_activity,
    read_activity,
    read_amount,
    read_goal,
    read_increase,
    read_unit,
)
from actions.pacing.form import (
    NO_GOAL,
    SLOTS,
    as_text,
    choose_plan,
    number,
    plan_from_slots,
    plan_unit,
)
from actions.pacing.messages import (
    MOVES,
    activity_label,
    get_pacing_content,
    no_plan_message,
    plan_messages,
    question,
    question_values,
    unit_label,
)
from actions.pacing.plan import MAX_WEEKS, week_is_up
from actions.pacing.quantities import Problem
from actions.pacing.store import get_plans_store
from bot.db import utcnow


def reset_events(keep: Mapping[str, Any] | None = None) -> list[EventType]:
    """Return events that clear the form's slots, except those set in ``keep``."""
    kept = keep or {}
    return [SlotSet(slot, kept.get(slot)) for slot in SLOTS]


class ActionStartPacingPlan(ReplyAction, action="action_start_pacing_plan"):
    """Explain boom and bust and pacing, and clear answers of an earlier plan."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the introduction; keep an activity the request named; the form asks the rest."""
        send(dispatcher, get_pacing_content().message("start", sms=is_sms(tracker)))
        activity = named_activity(tracker.latest_message.get("text"))
        if activity is None:
            return reset_events()
        keep: dict[str, Any] = {"pacing_activity": activity}
        if activity in MINUTES_ONLY:
            keep["pacing_unit"] = MINUTES
        return reset_events(keep)


class AskPacingSlot(AskSlot):
    """Ask for one slot of ``pacing_form`` with words from ``content/pacing.yml``.

    The wording may depend on the activity and unit given so far; amounts are asked
    in words for the plan's unit (``by_unit``).
    """

    by_unit = False

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the text at ``ask.<slot>`` (per unit if ``by_unit``) and its buttons."""
        return question(get_pacing_content(), self.slot, tracker.slots, by_unit=self.by_unit)


class ActionAskPacingActivity(AskPacingSlot):
    """Ask which activity to pace."""

    slot = "pacing_activity"


class ActionAskPacingUnit(AskPacingSlot):
    """Ask how to count the activity: minutes, distance or steps."""

    slot = "pacing_unit"


class ActionAskPacingGoodDay(AskPacingSlot):
    """Ask how much the patient can do on a good day."""

    slot = "pacing_good_day"
    by_unit = True


class ActionAskPacingBadDay(AskPacingSlot):
    """Ask how much the patient can do on a bad day."""

    slot = "pacing_bad_day"
    by_unit = True


class ActionAskPacingIncrease(AskPacingSlot):
    """Ask how much to add each week."""

    slot = "pacing_increase"


class ActionAskPacingGoal(AskPacingSlot):
    """Ask for an optional goal."""

    slot = "pacing_goal"


def reask(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    key: str,
    extra: Mapping[str, object] | None = None,
) -> None:
    """Send the re-ask at ``reask.<key>``, worded for the form's answers so far."""
    content = get_pacing_content()
    values = {**question_values(content, tracker.slots), **(extra or {})}
    send(dispatcher, content.message(f"reask.{key}", values))


def checked(
    slot: str, result: Any, group: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """Return ``{slot: result}``; for a :class:`Problem`, re-ask and clear the slot."""
    if isinstance(result, Problem):
        reask(dispatcher, tracker, f"{group}.{result.reason}")
        return {slot: None}
    return {slot: result}


class ValidatePacingForm(AnswerValidation):
    """Read the answers of ``pacing_form``; re-ask kindly when one cannot be used.

    Each ``validate_<slot>`` returns the checked value, or ``None`` after sending a
    re-ask from ``content/pacing.yml`` (``reask.<group>.<reason>``); the form then asks
    the question again.
    """

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_pacing_form"

    def validate_pacing_activity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a known or own activity; minutes-only activities skip the unit question."""
        result = read_activity(as_text(value))
        answer = checked("pacing_activity", result, "activity", dispatcher, tracker)
        return {**answer, "pacing_unit": MINUTES} if result in MINUTES_ONLY else answer

    def validate_pacing_unit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept minutes, metres or steps; "not sure" gives minutes."""
        activity = str(tracker.get_slot("pacing_activity") or "")
        return checked(
            "pacing_unit", read_unit(as_text(value), activity), "unit", dispatcher, tracker
        )

    def validate_pacing_good_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a positive, plausible amount in the plan's unit."""
        result = read_amount(as_text(value), plan_unit(tracker.slots))
        return checked("pacing_good_day", result, "amount", dispatcher, tracker)

    def validate_pacing_bad_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept an amount up to the good-day amount; "none" is 0."""
        result = read_amount(as_text(value), plan_unit(tracker.slots), allow_zero=True)
        good = number(tracker.get_slot("pacing_good_day"))
        if not isinstance(result, Problem) and good is not None and result > good:
            # Swapping the two would be a guess; the patient may have misread a question.
            good_text = int(good) if good.is_integer() else good
            reask(dispatcher, tracker, "amount.bad_more_than_good", {"good": good_text})
            return {"pacing_bad_day": None}
        return checked("pacing_bad_day", result, "amount", dispatcher, tracker)

    def validate_pacing_increase(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a weekly increase from 1% to 20%; "yes" or "usual" give 10%."""
        result = read_increase(as_text(value))
        return checked("pacing_increase", result, "increase", dispatcher, tracker)

    def validate_pacing_goal(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept "no goal" or an amount above the plan's starting amount."""
        result = read_goal(as_text(value), plan_unit(tracker.slots))
        if result is None:
            return {"pacing_goal": NO_GOAL}
        if isinstance(result, Problem):
            return checked("pacing_goal", result, "amount", dispatcher, tracker)
        try:
            start = plan_from_slots({**tracker.slots, "pacing_goal": NO_GOAL}).start
        except ValueError:
            return {"pacing_goal": result}
        if result <= start:
            reask(dispatcher, tracker, "amount.goal_not_above_start", {"start": start})
            return {"pacing_goal": None}
        return {"pacing_goal": result}


class ActionSavePacingPlan(ReplyAction, action="action_save_pacing_plan"):
    """Work out the plan from the form, keep it, and show it."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Save the plan for the patient and send it, then clear the form's slots."""
        content = get_pacing_content()
        sms = is_sms(tracker)
        try:
            plan = plan_from_slots(tracker.slots)
        except ValueError:
            send(dispatcher, content.message("error", buttons=content.buttons("buttons.new_plan")))
            return reset_events()
        stored = get_plans_store().save_pacing_plan(tracker.sender_id, plan)
        bad_day_key = "saved.bad_day_ok" if plan.fits_bad_day else "saved.bad_day_rest"
        values = {
            "bad_day": content.text(bad_day_key),
            "activity": activity_label(content, plan.activity),
            "start": plan.start,
            "step": plan.step,
            "unit": unit_label(content, plan.unit, plan.start),
            "step_unit": unit_label(content, plan.unit, plan.step),
            "weeks": MAX_WEEKS,
        }
        send(dispatcher, content.message("saved", values, sms=sms))
        if plan.goal is not None and plan.goal <= plan.start:
            send(dispatcher, content.message("saved.goal_met", values))
        elif not plan.reaches_goal:
            send(dispatcher, content.message("saved.goal_later", values))
        messages = plan_messages(content, [stored], sms=sms)
        if not sms:
            # After a new plan, the chunking tip replaces the "how did it go" prompt.
            tip = content.message("saved.tip", buttons=messages[-1].buttons)
            messages = [*messages[:-1], tip]
        send(dispatcher, *messages)
        return reset_events()


class ActionShowPacingPlan(ReplyAction, action="action_show_pacing_plan"):
    """Show all the patient's pacing plans, this week marked."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the plans, or offer to make one."""
        content = get_pacing_content()
        plans = get_plans_store().pacing_plans(tracker.sender_id)
        shown = plan_messages(content, plans, sms=is_sms(tracker)) if plans else []
        send(dispatcher, *(shown or [no_plan_message(content)]))
        return []


def move_chosen_plan(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, step: int
) -> list[EventType]:
    """Move the named (or most recent) plan one week on (+1) or back (-1) and say so.

    At the end of the plan (moving on) or at its start (stepping back) nothing moves;
    the patient is offered a new plan or a lower baseline instead.
    """
    content = get_pacing_content()
    store = get_plans_store()
    plans = store.pacing_plans(tracker.sender_id)
    chosen, named = choose_plan(plans, tracker.latest_message.get("text"))
    if chosen is None:
        if step > 0:
            send(dispatcher, no_plan_message(content))
        else:
            keys = ("buttons.yes_new_plan", "buttons.learn_pacing", "buttons.not_now")
            send(dispatcher, content.message("too_much.no_plan", buttons=content.buttons(*keys)))
        return []
    move = MOVES[step]
    at_limit = chosen.is_last_week if step > 0 else chosen.current_week == 0
    if step > 0 and not at_limit and not week_is_up(chosen.updated_at, utcnow()):
        moved, key, button_keys = chosen, "managed.too_soon", move.moved_buttons
    elif at_limit:
        moved, key, button_keys = chosen, move.limit_key, move.limit_buttons
    else:
        moved = store.move_week(tracker.sender_id, chosen.activity, step) or chosen
        key, button_keys = move.moved_key, move.moved_buttons
    values = {
        "activity": activity_label(content, moved.activity),
        "amount": moved.this_week,
        "unit": unit_label(content, moved.plan.unit, moved.this_week),
    }
    send(dispatcher, content.message(key, values, buttons=content.buttons(*button_keys)))
    if len(plans) > 1 and not named:
        send(dispatcher, content.message(f"{move.section}.other_plan"))
    return []


class ActionAdvancePacingPlan(ReplyAction, action="action_advance_pacing_plan"):
    """Move a plan on one week after "I managed this week"."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Move the named (or most recent) plan on, or praise the end of the plan."""
        return move_chosen_plan(dispatcher, tracker, step=+1)


class ActionStepBackPacingPlan(ReplyAction, action="action_step_back_pacing_plan"):
    """Step a plan back one week after "that was too much"."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Step the named (or most recent) plan back; at week 1, offer a lower baseline."""
        return move_chosen_plan(dispatcher, tracker, step=-1)


class ActionChangePacingBaseline(ReplyAction, action="action_change_pacing_baseline"):
    """Start ``pacing_form`` again for the named (or most recent) plan's activity."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Fill in the activity, unit and weekly increase; the form asks the rest."""
        content = get_pacing_content()
        plans = get_plans_store().pacing_plans(tracker.sender_id)
        chosen, _ = choose_plan(plans, tracker.latest_message.get("text"))
        if chosen is None:
            send(dispatcher, content.message("change_baseline.none"))
            return reset_events()
        values = {"activity": activity_label(content, chosen.activity)}
        send(dispatcher, content.message("change_baseline.intro", values))
        return reset_events(
            {
                "pacing_activity": chosen.activity,
                "pacing_unit": chosen.plan.unit,
                "pacing_increase": chosen.plan.increase_pct,
            }
        )
