"""Actions of the pacing-plan conversation: build a plan in a form, show it, move it on.

Flow (rules in ``data/stories/pacing.yml``):

- ``request_pacing_plan``: :class:`ActionStartPacingPlan` explains boom and bust and
  clears old answers, then ``pacing_form`` asks six questions, each with an
  ``action_ask_<slot>`` action below; :class:`ValidatePacingForm` reads the answers
  with :mod:`actions.pacing.parse`; :class:`ActionSavePacingPlan` works the plan out
  (:mod:`actions.pacing.plan`), keeps it (:mod:`actions.pacing.store`) and shows it.
- ``show_pacing_plan``, ``pacing_managed``, ``pacing_too_much``: show, move on one
  week or step back one week. With several plans the patient may name the activity
  ("I managed my sitting"); otherwise the most recently used plan is meant.
- ``change_baseline``: :class:`ActionChangePacingBaseline` fills in the activity of
  the plan and starts ``pacing_form`` again for new good-day and bad-day amounts.

Every word comes from ``content/pacing.yml`` through :class:`ContentFile`; replies on
SMS (see :func:`actions.common.channel.is_sms`) use the compact variants. The plan store and
the content are opened on first use, never at import time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.channel import is_sms
from actions.common.forms import AnswerValidation
from actions.education.content import CONTENT_DIR, Button, ContentError, OutgoingMessage, placeholder_values
from actions.pacing.parse import (
    MINUTES,
    MINUTES_ONLY,
    UNITS,
    Problem,
    mentioned_activity,
    named_activity,
    read_activity,
    read_amount,
    read_goal,
    read_increase,
    read_unit,
)
from actions.pacing.plan import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    PacingPlan,
    PlanLabels,
    build_plan,
    fill,
    fit_sms,
    render_sms_line,
    render_web,
    week_is_up,
)
from actions.pacing.store import PlansStore, StoredPacingPlan, utcnow
from bot.settings import get_settings

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


# --- content -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentFile:
    """The words of one conversation, read from a ``content/*.yml`` file.

    Keys are dotted paths (``"ask.pacing_unit"``). A text is either a string or a
    mapping with ``text`` (or ``parts``) and an optional ``sms`` variant. Messages
    carry ``content_id`` ``"<name>.<key>"`` so that tests and the tracker record which
    reviewed words were sent.
    """

    name: str
    data: Mapping[str, Any]

    @classmethod
    def load(cls, path: Path, name: str) -> ContentFile:
        """Read a content file.

        Raises:
            ContentError: the file is missing or not a YAML mapping.
        """
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ContentError(f"{path}: cannot read: {error}") from error
        if not isinstance(data, Mapping):
            raise ContentError(f"{path}: expected a mapping at the top level")
        return cls(name=name, data=data)

    def node(self, key: str) -> Any:
        """Return the raw value at a dotted ``key``; a number picks from a list.

        Raises:
            ContentError: there is no such key.
        """
        value: Any = self.data
        for part in key.split("."):
            if isinstance(value, Mapping) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                raise ContentError(f"{self.name}.yml has no {key}")
        return value

    def text(
        self, key: str, values: Mapping[str, object] | None = None, *, sms: bool = False
    ) -> str:
        """Return the text at ``key`` (its SMS variant if asked and present), filled in."""
        value = self.node(key)
        if isinstance(value, Mapping):
            value = value.get("sms") if sms and "sms" in value else value.get("text")
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{self.name}.yml: {key} is not a text")
        return fill(" ".join(value.split()), {**placeholder_values(), **(values or {})})

    def texts(self, key: str) -> dict[str, str]:
        """Return the mapping of plain texts at ``key`` (layout templates, labels)."""
        value = self.node(key)
        if not isinstance(value, Mapping):
            raise ContentError(f"{self.name}.yml: {key} is not a mapping")
        return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int, float))}

    def buttons(self, key: str) -> tuple[Button, ...]:
        """Return the buttons at ``key``: a button, or a list of buttons."""
        value = self.node(key)
        items = value if isinstance(value, list) else [value]
        buttons = []
        for item in items:
            if not isinstance(item, Mapping) or "title" not in item or "payload" not in item:
                raise ContentError(f"{self.name}.yml: {key} needs a title and a payload")
            buttons.append(Button(title=str(item["title"]), payload=str(item["payload"])))
        return tuple(buttons)

    def message(
        self,
        key: str,
        values: Mapping[str, object] | None = None,
        *,
        sms: bool = False,
        buttons: Sequence[Button] = (),
    ) -> OutgoingMessage:
        """Return the text at ``key`` as a message with ``content_id`` ``<name>.<key>``."""
        return OutgoingMessage(
            self.text(key, values, sms=sms), f"{self.name}.{key}", tuple(buttons)
        )


def send(dispatcher: CollectingDispatcher, message: OutgoingMessage) -> None:
    """Send one content message."""
    dispatcher.utter_message(**message.as_kwargs())


def on_sms(tracker: Tracker) -> bool:
    """Return whether the patient is writing by SMS."""
    return is_sms(tracker.get_latest_input_channel())


@lru_cache(maxsize=1)
def get_pacing_content() -> ContentFile:
    """Return the words of the pacing conversation, read on first use."""
    return ContentFile.load(CONTENT_DIR / "pacing.yml", "pacing")


@lru_cache(maxsize=1)
def get_plans_store() -> PlansStore:
    """Return the process-wide plan store, opened on first use."""
    return PlansStore.from_url(get_settings().database_url)


# --- words for a plan ----------------------------------------------------------------


def activity_label(content: ContentFile, activity: str | None) -> str:
    """Return how ``activity`` is named in a sentence; own activities as typed."""
    names = content.texts("activities")
    return names.get(activity or "", activity or "")


def unit_label(content: ContentFile, unit: str | None, amount: float | None = None) -> str:
    """Return the unit word, singular for an amount of exactly 1."""
    words = content.texts(f"units.{unit or MINUTES}")
    return words["one"] if amount == 1 else words["many"]


def plan_labels(content: ContentFile, plan: PacingPlan) -> PlanLabels:
    """Return the words a plan's layout needs."""
    return PlanLabels(
        activity=activity_label(content, plan.activity),
        unit=unit_label(content, plan.unit),
        unit_short=content.texts(f"units.{plan.unit}")["short"],
    )


def plan_messages(
    content: ContentFile, plans: Sequence[StoredPacingPlan], *, sms: bool
) -> list[OutgoingMessage]:
    """Return the messages that show ``plans``, this week marked, with the next steps.

    On the web each plan is one short message and a tip with buttons follows; on SMS
    all plans share one compact message of at most 306 characters.
    """
    buttons = content.buttons("buttons.managed") + content.buttons("buttons.too_much")
    if sms:
        templates = content.texts("render.sms")
        lines = [
            render_sms_line(s.plan.weeks, s.current_week, plan_labels(content, s.plan), templates)
            for s in plans
        ]
        text = fit_sms(lines, templates["tail"], templates["more"])
        return [OutgoingMessage(text, "pacing.render.sms", buttons)]
    templates = content.texts("render.web")
    messages = [
        OutgoingMessage(
            render_web(s.plan.weeks, s.current_week, plan_labels(content, s.plan), templates),
            "pacing.render.web",
        )
        for s in plans
    ]
    buttons += content.buttons("buttons.change_baseline")
    messages.append(content.message("show.tip", buttons=buttons))
    return messages


def no_plan_message(content: ContentFile) -> OutgoingMessage:
    """Return the offer to make a plan, for a patient who has none."""
    buttons = content.buttons("buttons.yes_new_plan") + content.buttons("buttons.not_now")
    return content.message("show.none", buttons=buttons)


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


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def plan_from_slots(slots: Mapping[str, Any]) -> PacingPlan:
    """Work out the plan from the filled form slots.

    Raises:
        ValueError: a slot is missing or holds an impossible value.
    """
    activity = slots.get("pacing_activity")
    unit = slots.get("pacing_unit")
    good, bad = _number(slots.get("pacing_good_day")), _number(slots.get("pacing_bad_day"))
    increase = _number(slots.get("pacing_increase"))
    raw_goal = slots.get("pacing_goal")
    goal = None if raw_goal == NO_GOAL else _number(raw_goal)
    if not activity or not unit or good is None or bad is None or increase is None:
        raise ValueError("the pacing form is not complete")
    if raw_goal != NO_GOAL and goal is None:
        raise ValueError("the pacing goal is not a number")
    return build_plan(str(activity), str(unit), good, bad, increase, goal)


# --- starting, asking and validating ---------------------------------------------------


def reset_events(keep: Mapping[str, Any] | None = None) -> list[EventType]:
    """Return events that clear the form's slots, except those set in ``keep``."""
    kept = keep or {}
    return [SlotSet(slot, kept.get(slot)) for slot in SLOTS]


class ActionStartPacingPlan(Action):
    """Explain boom and bust and pacing, and clear answers of an earlier plan."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_start_pacing_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the introduction; keep an activity the request named; the form asks the rest."""
        send(dispatcher, get_pacing_content().message("start", sms=on_sms(tracker)))
        activity = named_activity(tracker.latest_message.get("text"))
        if activity is None:
            return reset_events()
        keep: dict[str, Any] = {"pacing_activity": activity}
        if activity in MINUTES_ONLY:
            keep["pacing_unit"] = MINUTES
        return reset_events(keep)


class AskPacingSlot(Action, ABC):
    """Ask for one slot of ``pacing_form`` with words from ``content/pacing.yml``.

    Rasa calls ``action_ask_<slot>`` when the form needs that slot. Subclasses name
    the slot; the wording may depend on the activity and unit given so far.
    """

    @property
    @abstractmethod
    def slot(self) -> str:
        """Return the slot this action asks for."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return f"action_ask_{self.slot}"

    def message(self, content: ContentFile, tracker: Tracker) -> OutgoingMessage:
        """Return the question; by default the text at ``ask.<slot>`` and its buttons."""
        key = f"ask.{self.slot}"
        buttons = content.buttons(f"{key}.buttons") if "buttons" in content.node(key) else ()
        return content.message(key, question_values(content, tracker), buttons=buttons)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the question."""
        send(dispatcher, self.message(get_pacing_content(), tracker))
        return []


def plan_unit(tracker: Tracker) -> str:
    """Return the unit chosen in the form; minutes until one is chosen and checked."""
    unit = tracker.get_slot("pacing_unit")
    # While the unit answer itself is validated, the slot holds the raw text.
    return unit if unit in UNITS else MINUTES


def question_values(content: ContentFile, tracker: Tracker) -> dict[str, object]:
    """Return the placeholder values for questions and re-asks, from the form's slots."""
    unit = plan_unit(tracker)
    words = content.texts(f"units.{unit}")
    return {
        "activity": activity_label(content, tracker.get_slot("pacing_activity")),
        "unit": words["many"],
        "example": words["example"],
        "goal_example": words["goal_example"],
        "weeks": DEFAULT_WEEKS,
    }


class ActionAskPacingActivity(AskPacingSlot):
    """Ask which activity to pace."""

    slot = "pacing_activity"


class ActionAskPacingUnit(AskPacingSlot):
    """Ask how to count the activity: minutes, distance or steps."""

    slot = "pacing_unit"


class _AskAmount(AskPacingSlot, ABC):
    """Ask for an amount, worded for the plan's unit."""

    def message(self, content: ContentFile, tracker: Tracker) -> OutgoingMessage:
        """Return the question for the unit chosen, at ``ask.<slot>.<unit>``."""
        unit = plan_unit(tracker)
        key = f"ask.{self.slot}"
        buttons = content.buttons(f"{key}.buttons") if "buttons" in content.node(key) else ()
        return content.message(f"{key}.{unit}", question_values(content, tracker), buttons=buttons)


class ActionAskPacingGoodDay(_AskAmount):
    """Ask how much the patient can do on a good day."""

    slot = "pacing_good_day"


class ActionAskPacingBadDay(_AskAmount):
    """Ask how much the patient can do on a bad day."""

    slot = "pacing_bad_day"


class ActionAskPacingIncrease(AskPacingSlot):
    """Ask how much to add each week."""

    slot = "pacing_increase"


class ActionAskPacingGoal(AskPacingSlot):
    """Ask for an optional goal."""

    slot = "pacing_goal"


class ValidatePacingForm(AnswerValidation):
    """Read the answers of ``pacing_form``; re-ask kindly when one cannot be used.

    Each ``validate_<slot>`` returns the checked value, or ``None`` after sending a
    re-ask from ``content/pacing.yml`` (``reask.<group>.<reason>``); the form then asks
    the question again.
    """

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_pacing_form"

    @staticmethod
    def _reask(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        key: str,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        content = get_pacing_content()
        values = {**question_values(content, tracker), **(extra or {})}
        send(dispatcher, content.message(f"reask.{key}", values))

    def validate_pacing_activity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a known or own activity; minutes-only activities skip the unit question."""
        result = read_activity(_as_text(value))
        if isinstance(result, Problem):
            self._reask(dispatcher, tracker, f"activity.{result.reason}")
            return {"pacing_activity": None}
        if result in MINUTES_ONLY:
            return {"pacing_activity": result, "pacing_unit": MINUTES}
        return {"pacing_activity": result}

    def validate_pacing_unit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept minutes, metres or steps; "not sure" gives minutes."""
        activity = tracker.get_slot("pacing_activity") or ""
        result = read_unit(_as_text(value), str(activity))
        if isinstance(result, Problem):
            self._reask(dispatcher, tracker, f"unit.{result.reason}")
            return {"pacing_unit": None}
        return {"pacing_unit": result}

    def validate_pacing_good_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a positive, plausible amount in the plan's unit."""
        unit = plan_unit(tracker)
        result = read_amount(_as_text(value), unit)
        if isinstance(result, Problem):
            self._reask(dispatcher, tracker, f"amount.{result.reason}")
            return {"pacing_good_day": None}
        return {"pacing_good_day": result}

    def validate_pacing_bad_day(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept an amount up to the good-day amount; "none" is 0."""
        unit = plan_unit(tracker)
        result = read_amount(_as_text(value), unit, allow_zero=True)
        if isinstance(result, Problem):
            self._reask(dispatcher, tracker, f"amount.{result.reason}")
            return {"pacing_bad_day": None}
        good = _number(tracker.get_slot("pacing_good_day"))
        if good is not None and result > good:
            # Swapping the two would be a guess; the patient may have misread a question.
            good_text = int(good) if good.is_integer() else good
            self._reask(dispatcher, tracker, "amount.bad_more_than_good", {"good": good_text})
            return {"pacing_bad_day": None}
        return {"pacing_bad_day": result}

    def validate_pacing_increase(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a weekly increase from 1% to 20%; "yes" or "usual" give 10%."""
        result = read_increase(_as_text(value))
        if isinstance(result, Problem):
            self._reask(dispatcher, tracker, f"increase.{result.reason}")
            return {"pacing_increase": None}
        return {"pacing_increase": result}

    def validate_pacing_goal(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept "no goal" or an amount above the plan's starting amount."""
        unit = plan_unit(tracker)
        result = read_goal(_as_text(value), unit)
        if result is None:
            return {"pacing_goal": NO_GOAL}
        if isinstance(result, Problem):
            self._reask(dispatcher, tracker, f"amount.{result.reason}")
            return {"pacing_goal": None}
        try:
            start = plan_from_slots({**tracker.slots, "pacing_goal": NO_GOAL}).start
        except ValueError:
            return {"pacing_goal": result}
        if result <= start:
            self._reask(dispatcher, tracker, "amount.goal_not_above_start", {"start": start})
            return {"pacing_goal": None}
        return {"pacing_goal": result}


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- the plan once made ----------------------------------------------------------------


class ActionSavePacingPlan(Action):
    """Work out the plan from the form, keep it, and show it."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_save_pacing_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Save the plan for the patient and send it, then clear the form's slots."""
        content = get_pacing_content()
        sms = on_sms(tracker)
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
        for message in messages:
            send(dispatcher, message)
        return reset_events()


class ActionShowPacingPlan(Action):
    """Show all the patient's pacing plans, this week marked."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_show_pacing_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the plans, or offer to make one."""
        content = get_pacing_content()
        plans = get_plans_store().pacing_plans(tracker.sender_id)
        if not plans:
            send(dispatcher, no_plan_message(content))
            return []
        for message in plan_messages(content, plans, sms=on_sms(tracker)):
            send(dispatcher, message)
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
            buttons = (
                content.buttons("buttons.yes_new_plan")
                + content.buttons("buttons.learn_pacing")
                + content.buttons("buttons.not_now")
            )
            send(dispatcher, content.message("too_much.no_plan", buttons=buttons))
        return []
    section = "managed" if step > 0 else "too_much"
    at_limit = chosen.is_last_week if step > 0 else chosen.current_week == 0
    if step > 0:
        limit_buttons = content.buttons("buttons.new_plan") + content.buttons("buttons.show")
        moved_buttons = content.buttons("buttons.show") + content.buttons("buttons.menu")
        limit_key, moved_key = "managed.finished", "managed.done"
    else:
        flare = content.buttons("buttons.flare_up")
        limit_buttons = content.buttons("buttons.change_baseline") + flare
        moved_buttons = flare + content.buttons("buttons.menu")
        limit_key, moved_key = "too_much.at_start", "too_much.stepped_back"
    if step > 0 and not at_limit and not week_is_up(chosen.updated_at, utcnow()):
        moved, key, buttons = chosen, "managed.too_soon", moved_buttons
    elif at_limit:
        moved, key, buttons = chosen, limit_key, limit_buttons
    else:
        moved = store.move_week(tracker.sender_id, chosen.activity, step) or chosen
        key, buttons = moved_key, moved_buttons
    values = {
        "activity": activity_label(content, moved.activity),
        "amount": moved.this_week,
        "unit": unit_label(content, moved.plan.unit, moved.this_week),
    }
    send(dispatcher, content.message(key, values, buttons=buttons))
    if len(plans) > 1 and not named:
        send(dispatcher, content.message(f"{section}.other_plan"))
    return []


class ActionAdvancePacingPlan(Action):
    """Move a plan on one week after "I managed this week"."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_advance_pacing_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Move the named (or most recent) plan on, or praise the end of the plan."""
        return move_chosen_plan(dispatcher, tracker, step=+1)


class ActionStepBackPacingPlan(Action):
    """Step a plan back one week after "that was too much"."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_step_back_pacing_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Step the named (or most recent) plan back; at week 1, offer a lower baseline."""
        return move_chosen_plan(dispatcher, tracker, step=-1)


class ActionChangePacingBaseline(Action):
    """Start ``pacing_form`` again for the named (or most recent) plan's activity."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_change_pacing_baseline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
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
