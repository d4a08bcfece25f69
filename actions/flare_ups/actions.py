"""Actions of the flare-up conversation: advice after the check, and the flare-up plan.

Flow (rules in ``data/stories/symptom_check.yml`` and ``data/stories/flare_ups.yml``):

- ``report_flare_up`` starts a short red-flag check; when every answer is "no",
  :class:`ActionFlareUpAdvice` sends what helps and how to get back to the pacing
  baseline, and offers to make (or show) the patient's flare-up plan.
- ``ask_flare_up_plan``: :class:`ActionStartFlarePlan` clears old answers, then
  ``flare_plan_form`` asks five questions (``action_ask_flare_<field>``);
  :class:`ValidateFlarePlanForm` tidies the answers (:mod:`actions.flare_ups.plan`) and
  :class:`ActionSaveFlarePlan` keeps the plan (:mod:`actions.pacing.store`) and shows it.
- ``show_flare_up_plan``: :class:`ActionShowFlarePlan` shows it, or offers to make one.

Every word comes from ``content/flare_ups.yml``; replies on SMS use the compact
variants. Content and the store are opened on first use.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Final

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.action import ReplyAction
from actions.common.channel import is_sms
from actions.common.content import ContentError, ContentFile, OutgoingMessage, get_content
from actions.common.forms import AnswerValidation, AskSlot, SlotValidator
from actions.common.send import send
from actions.flare_ups.plan import SLOTS, FlarePlan, clean_answer, render_sms, render_web
from actions.pacing.store import get_plans_store

FORM_NAME: Final = "flare_plan_form"


def get_flare_content() -> ContentFile:
    """Return the words of the flare-up conversation, read on first use."""
    return get_content("flare_ups")


def advice_messages(content: ContentFile, *, sms: bool) -> list[OutgoingMessage]:
    """Return the flare-up advice as one message: the chat parts as paragraphs, or the SMS."""
    if sms:
        return [content.message("advice", sms=True)]
    parts = content.node("advice.parts")
    if not isinstance(parts, list):
        raise ContentError("flare_ups.yml: advice.parts must be a list")
    text = "\n\n".join(content.text(f"advice.parts.{index}") for index in range(len(parts)))
    return [OutgoingMessage(text, "flare_ups.advice")]


def plan_message(content: ContentFile, plan: FlarePlan, *, sms: bool) -> OutgoingMessage:
    """Return the flare-up plan laid out for the channel (at most 306 characters on SMS)."""
    key = "render.sms" if sms else "render.web"
    templates = content.texts(key)
    labels = content.texts(f"{key}.labels")
    text = render_sms(plan, templates, labels) if sms else render_web(plan, templates, labels)
    return OutgoingMessage(text, f"flare_ups.{key}")


def make_offer(content: ContentFile, key: str = "show.none") -> OutgoingMessage:
    """Return "you have no flare-up plan yet, make one?" with a way out."""
    return content.message(
        key, buttons=content.buttons("offer.buttons.make", "offer.buttons.not_now")
    )


def reset_events() -> list[EventType]:
    """Return events that clear the flare-up plan form's slots."""
    return [SlotSet(slot, None) for slot in SLOTS]


class ActionFlareUpAdvice(ReplyAction, action="action_flare_up_advice"):
    """Give flare-up advice after the short check, and offer the flare-up plan."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the advice, then buttons to make (or update) and show the plan."""
        content = get_flare_content()
        send(dispatcher, *advice_messages(content, sms=is_sms(tracker)))
        if get_plans_store().flare_plan(tracker.sender_id) is None:
            offer = make_offer(content, "offer.new")
        else:
            buttons = content.buttons(
                "offer.buttons.show", "offer.buttons.update", "offer.buttons.not_now"
            )
            offer = content.message("offer.has_plan", buttons=buttons)
        send(dispatcher, offer)
        return []


class ActionStartFlarePlan(ReplyAction, action="action_start_flare_plan"):
    """Introduce the flare-up plan questions and clear earlier answers."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Say what comes; mention that a new plan replaces the old one."""
        content = get_flare_content()
        existing = get_plans_store().flare_plan(tracker.sender_id)
        send(dispatcher, content.message("start.new" if existing is None else "start.replace"))
        return reset_events()


class AskFlareSlot(AskSlot):
    """Ask for one slot of ``flare_plan_form`` with the words at ``ask.<slot>``."""

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the question for this slot."""
        return get_flare_content().message(f"ask.{self.slot}")


class ActionAskFlareTriggers(AskFlareSlot):
    """Ask what often sets off a flare-up."""

    slot = "flare_triggers"


class ActionAskFlareWarningSigns(AskFlareSlot):
    """Ask for the early warning signs."""

    slot = "flare_warning_signs"


class ActionAskFlareHelps(AskFlareSlot):
    """Ask what helps."""

    slot = "flare_helps"


class ActionAskFlareContacts(AskFlareSlot):
    """Ask who can help."""

    slot = "flare_contacts"


class ActionAskFlareStepBack(AskFlareSlot):
    """Ask how the patient gets back to their usual level."""

    slot = "flare_step_back"


def validate_answer(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> dict[str, Any]:
    """Accept any answer to ``slot`` with words in it, tidied; re-ask otherwise."""
    answer = clean_answer(value if isinstance(value, str) else None)
    if answer is None:
        send(dispatcher, get_flare_content().message("reask.empty"))
    return {slot: answer}


class ValidateFlarePlanForm(AnswerValidation):
    """Tidy each free answer of ``flare_plan_form``; re-ask when it has no words."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_flare_plan_form"

    def slot_validator(self, slot: str) -> SlotValidator | None:
        """Return the same check for every answer of the plan."""
        return partial(validate_answer, slot) if slot in SLOTS else None


class ActionSaveFlarePlan(ReplyAction, action="action_save_flare_plan"):
    """Keep the flare-up plan from the form and show it back."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Save the plan, confirm it and show it; then clear the form's slots."""
        content = get_flare_content()
        plan = FlarePlan.from_slots(tracker.slots)
        if not all(plan.answers().values()):
            # Only reachable if the form was cut short; never keep a half-empty plan.
            send(dispatcher, make_offer(content))
            return reset_events()
        sms = is_sms(tracker)
        get_plans_store().save_flare_plan(tracker.sender_id, plan)
        send(dispatcher, content.message("saved"), plan_message(content, plan, sms=sms))
        if not sms:
            tip_buttons = content.buttons("offer.buttons.menu")
            send(dispatcher, content.message("saved.tip", buttons=tip_buttons))
        return reset_events()


class ActionShowFlarePlan(ReplyAction, action="action_show_flare_plan"):
    """Show the patient's flare-up plan, or offer to make one."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the plan laid out for the channel."""
        content = get_flare_content()
        plan = get_plans_store().flare_plan(tracker.sender_id)
        if plan is None:
            send(dispatcher, make_offer(content))
            return []
        shown = plan_message(content, plan, sms=is_sms(tracker))
        buttons = content.buttons("offer.buttons.update", "offer.buttons.menu")
        send(dispatcher, OutgoingMessage(shown.text, shown.content_id, buttons))
        return []
