"""Actions of the opt-in reminders: set one, change its time, stop them.

Flow (rules in ``data/stories/reminders.yml``):

- ``set_reminder`` ("remind me to do my exercises", or the offer after "I forgot"):
  :class:`ActionStartReminder` fills what the message already says (:mod:`.form`), then
  ``reminder_form`` asks for the rest: which reminder, the days, the time
  (:class:`ActionAskReminderKind`, :class:`ActionAskReminderDays`,
  :class:`ActionAskReminderTime`), read by :class:`ValidateReminderForm`
  (:mod:`.parsing`); a time in the quiet hours is asked again. :class:`ActionSaveReminder`
  keeps it (:mod:`bot.reminders.store`) and says when it will come and how to change or
  stop it.
- ``change_reminder`` ("change my reminder time"): :class:`ActionStartReminderChange`
  says the current setting and keeps its days and zone, so the form asks only the time
  (and which reminder, when there are two); a message with the new time saves it at once.
- ``stop_reminders``: :class:`ActionStopReminders` turns off the reminders named (or
  all) at once; a due reminder not yet sent is not sent.

The patient's time zone is the settings' (``BACKCARE_TIME_ZONE``) unless they name a
place with the time ("9am New York time") or already have a reminder in another zone;
quiet hours come from ``BACKCARE_REMINDER_QUIET_HOURS``. A reminder set over SMS is
texted; one set on the web chat is shown when the patient next opens it. Every word
comes from ``content/reminders.yml``; red flags interrupt the form like any other
(its slots are never filled by a red-flag message).
"""

from __future__ import annotations

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
from actions.reminders.form import (
    ALL_SLOTS,
    DAYS_SLOT,
    KIND_SLOT,
    MODE_CHANGE,
    MODE_SET,
    MODE_SLOT,
    TIME_SLOT,
    ZONE_SLOT,
    kind_of,
    prefill,
    schedule_from_slots,
)
from actions.reminders.messages import (
    change_intro,
    get_reminder_content,
    question,
    quiet_reask,
    saved_messages,
    stopped_message,
)
from actions.reminders.parsing import read_days, read_kind, read_time, read_zone
from bot.reminders.schedule import QuietHours, clock_code, days_code
from bot.reminders.store import CHANNEL_CHAT, CHANNEL_SMS, KINDS, get_reminder_store
from bot.settings import get_settings


def quiet_hours() -> QuietHours:
    """Return the hours when no reminder is sent (``BACKCARE_REMINDER_QUIET_HOURS``)."""
    return QuietHours.parse(get_settings().reminder_quiet_hours)


def as_text(value: Any) -> str:
    """Return a slot value as the patient's text."""
    return "" if value is None else str(value)


def _latest(tracker: Tracker) -> tuple[str | None, list[dict[str, Any]]]:
    message = tracker.latest_message or {}
    return message.get("text"), list(message.get("entities") or [])


# --- starting ------------------------------------------------------------------------------


class ActionStartReminder(ReplyAction, action="action_start_reminder"):
    """Start setting a reminder with what the patient's message already says."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Fill the form's slots from the message; clear the others."""
        text, entities = _latest(tracker)
        found = prefill(text, entities, quiet_hours())
        return [
            SlotSet(MODE_SLOT, MODE_SET),
            *(SlotSet(slot, found.get(slot)) for slot in ALL_SLOTS if slot != MODE_SLOT),
        ]


class ActionStartReminderChange(ReplyAction, action="action_start_reminder_change"):
    """Say the current reminder and keep its days and zone, so only the time is asked."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Choose the reminder to change (the one named, or the only one) and fill the form."""
        text, entities = _latest(tracker)
        found = prefill(text, entities, quiet_hours())
        active = get_reminder_store().active(tracker.sender_id)
        kind = found.get(KIND_SLOT) or (active[0].kind if len(active) == 1 else None)
        current = next((r for r in active if r.kind == kind), None)
        send(dispatcher, change_intro(get_reminder_content(), current, len(active)))
        if current is not None:
            found.setdefault(KIND_SLOT, current.kind)
            found.setdefault(DAYS_SLOT, days_code(current.schedule.days))
            found.setdefault(ZONE_SLOT, current.schedule.zone)
        return [
            SlotSet(MODE_SLOT, MODE_CHANGE),
            *(SlotSet(slot, found.get(slot)) for slot in ALL_SLOTS if slot != MODE_SLOT),
        ]


# --- the form ------------------------------------------------------------------------------


class AskReminderSlot(AskSlot):
    """Ask one question of the reminder form, with its quick answers."""

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the question for this slot (its SMS variant on SMS)."""
        return question(get_reminder_content(), self.slot, sms=is_sms(tracker))


class ActionAskReminderKind(AskReminderSlot):
    """Ask what the reminder is for: the exercises or the weekly check-in."""

    slot = KIND_SLOT


class ActionAskReminderDays(AskReminderSlot):
    """Ask which days."""

    slot = DAYS_SLOT


class ActionAskReminderTime(AskReminderSlot):
    """Ask what time."""

    slot = TIME_SLOT


class ValidateReminderForm(AnswerValidation):
    """Read which reminder, the days and the time; re-ask kindly when an answer is unclear."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_reminder_form"

    def validate_reminder_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept exercises or check-in; when changing, keep that reminder's days and zone."""
        kind = read_kind(as_text(value))
        if kind is None:
            send(dispatcher, get_reminder_content().message("reask.kind"))
            return {KIND_SLOT: None}
        result: dict[str, Any] = {KIND_SLOT: kind}
        if tracker.get_slot(MODE_SLOT) == MODE_CHANGE and not tracker.get_slot(DAYS_SLOT):
            current = get_reminder_store().reminder(tracker.sender_id, kind)
            if current is not None and current.active:
                result[DAYS_SLOT] = days_code(current.schedule.days)
                result[ZONE_SLOT] = tracker.get_slot(ZONE_SLOT) or current.schedule.zone
        return result

    def validate_reminder_days(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept days such as "weekdays" or "Mon Wed Fri", kept as ``"mon,wed,fri"``."""
        days = read_days(as_text(value))
        if days is None:
            send(dispatcher, get_reminder_content().message("reask.days"))
            return {DAYS_SLOT: None}
        return {DAYS_SLOT: days_code(days)}

    def validate_reminder_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept a time outside the quiet hours, kept as ``"HH:MM"``, and a place if named."""
        text = as_text(value)
        at = read_time(text)
        content = get_reminder_content()
        if at is None:
            send(dispatcher, content.message("reask.time"))
            return {TIME_SLOT: None}
        quiet = quiet_hours()
        if quiet.contains(at):
            send(dispatcher, quiet_reask(content, quiet))
            return {TIME_SLOT: None}
        result: dict[str, Any] = {TIME_SLOT: clock_code(at)}
        zone = read_zone(text)
        if zone:
            result[ZONE_SLOT] = zone
        return result


class ActionSaveReminder(ReplyAction, action="action_save_reminder"):
    """Keep the reminder (replacing one of the same kind) and say when it will come."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Save the reminder from the form's slots, confirm it, then clear the slots."""
        content = get_reminder_content()
        settings = get_settings()
        kind = tracker.get_slot(KIND_SLOT)
        zone = as_text(tracker.get_slot(ZONE_SLOT)) or settings.time_zone
        schedule = schedule_from_slots(
            tracker.get_slot(DAYS_SLOT), tracker.get_slot(TIME_SLOT), zone, quiet_hours()
        )
        cleared = [SlotSet(slot, None) for slot in ALL_SLOTS]
        if kind not in KINDS or schedule is None:
            buttons = content.buttons("buttons.yes_set", "buttons.not_now")
            send(dispatcher, content.message("error", buttons=buttons))
            return cleared
        sms = is_sms(tracker)
        channel = CHANNEL_SMS if sms else CHANNEL_CHAT
        reminder = get_reminder_store().save(tracker.sender_id, str(kind), channel, schedule)
        send(dispatcher, *saved_messages(content, reminder, sms=sms))
        return cleared


class ActionStopReminders(ReplyAction, action="action_stop_reminders"):
    """Turn off the reminders named ("stop my check-in reminders"), or all of them, at once."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Stop the reminders and say so; with none on, offer to set one."""
        text, entities = _latest(tracker)
        kind = kind_of(text, entities)
        asked = (kind,) if kind else KINDS
        stopped = get_reminder_store().stop(tracker.sender_id, asked)
        send(dispatcher, stopped_message(get_reminder_content(), stopped, asked))
        return []
