"""The reminders' actions: the events they return, the content they send, what they store."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.common.content import SMS_LIMIT
from actions.reminders.actions import (
    ActionAskReminderDays,
    ActionAskReminderKind,
    ActionAskReminderTime,
    ActionSaveReminder,
    ActionStartReminder,
    ActionStartReminderChange,
    ActionStopReminders,
    ValidateReminderForm,
)
from bot.reminders.schedule import QuietHours, Schedule, days_from_code
from bot.reminders.store import CHANNEL_CHAT, CHANNEL_SMS

from ..dispatch import content_ids, make_tracker, payloads, run

FORM_DOMAIN: dict[str, Any] = {
    "forms": {
        "reminder_form": {"required_slots": ["reminder_kind", "reminder_days", "reminder_time"]}
    }
}
QUIET = QuietHours.parse("21:00-08:00")
pytestmark = pytest.mark.usefixtures("reminder_store")


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def answer(slot: str, text: str, slots: dict[str, Any] | None = None):
    tracker = make_tracker(
        text,
        {**(slots or {}), slot: text},
        extra_events=[{"event": "slot", "name": slot, "value": text}],
        active_loop={"name": "reminder_form"},
    )
    return run(ValidateReminderForm(), tracker, FORM_DOMAIN)


def morning(days="mon,tue,wed,thu,fri,sat,sun", at=time(9, 0), zone="Europe/London"):
    return Schedule(days_from_code(days), at, zone, QUIET)


# --- starting ------------------------------------------------------------------------------


def test_setting_a_reminder_starts_with_what_the_message_says(reminder_store):
    text = "remind me to do my exercises every weekday at 9am"
    events, messages = run(ActionStartReminder(), make_tracker(text))
    assert messages == []
    assert slots_of(events) == {
        "reminder_mode": "set",
        "reminder_kind": "exercise",
        "reminder_days": "mon,tue,wed,thu,fri",
        "reminder_time": "09:00",
        "reminder_zone": None,
    }


def test_the_forgot_offer_button_says_which_reminder():
    latest = {
        "text": '/set_reminder{"reminder_kind": "exercise"}',
        "intent": {"name": "set_reminder"},
        "entities": [{"entity": "reminder_kind", "value": "exercise"}],
    }
    tracker = Tracker("patient-1", {}, latest, [], False, None, {}, None)
    events, _ = run(ActionStartReminder(), tracker)
    assert slots_of(events)["reminder_kind"] == "exercise"


def test_changing_with_one_reminder_says_it_and_asks_only_the_time(reminder_store):
    reminder_store.save("patient-1", "exercise", CHANNEL_SMS, morning("mon,wed,fri"))
    events, messages = run(ActionStartReminderChange(), make_tracker("change my reminder time"))
    assert content_ids(messages) == ["reminders.setup.change"]
    assert "on Mon, Wed and Fri at 9am" in messages[0]["text"]
    assert slots_of(events) == {
        "reminder_mode": "change",
        "reminder_kind": "exercise",
        "reminder_days": "mon,wed,fri",
        "reminder_time": None,
        "reminder_zone": "Europe/London",
    }


def test_changing_with_the_new_time_in_the_message_fills_everything(reminder_store):
    reminder_store.save("patient-1", "checkin", CHANNEL_SMS, morning("sun"))
    events, _ = run(ActionStartReminderChange(), make_tracker("move my reminder to 6pm"))
    assert slots_of(events)["reminder_time"] == "18:00"
    assert slots_of(events)["reminder_kind"] == "checkin"


def test_changing_with_two_reminders_asks_which(reminder_store):
    reminder_store.save("patient-1", "exercise", CHANNEL_SMS, morning())
    reminder_store.save("patient-1", "checkin", CHANNEL_SMS, morning("sun"))
    events, messages = run(ActionStartReminderChange(), make_tracker("change my reminder time"))
    assert content_ids(messages) == ["reminders.setup.change_which"]
    assert slots_of(events)["reminder_kind"] is None
    # Naming it picks it, and its days are kept.
    events, _ = answer("reminder_kind", "the check-in", {"reminder_mode": "change"})
    assert slots_of(events) == {
        "reminder_kind": "checkin",
        "reminder_days": "sun",
        "reminder_zone": "Europe/London",
    }


def test_changing_with_none_sets_one_up():
    events, messages = run(ActionStartReminderChange(), make_tracker("change my reminder"))
    assert content_ids(messages) == ["reminders.setup.change_none"]
    assert slots_of(events)["reminder_days"] is None


# --- the questions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "key", "buttons"),
    [
        (ActionAskReminderKind, "ask.kind", ["my exercises", "weekly check-in"]),
        (ActionAskReminderDays, "ask.days", ["every day", "weekdays", "mon wed fri", "sundays"]),
        (ActionAskReminderTime, "ask.time", ["9am", "1pm", "6pm"]),
    ],
)
@pytest.mark.parametrize("channel", ["socketio", "twilio"])
def test_each_question_offers_quick_answers(action, key, buttons, channel):
    _, messages = run(action(), make_tracker(channel=channel))
    assert content_ids(messages) == [f"reminders.{key}"]
    assert payloads(messages[0]) == buttons
    assert len(messages[0]["text"]) <= SMS_LIMIT


@pytest.mark.parametrize(
    ("slot", "text", "kept"),
    [
        ("reminder_kind", "my exercises", {"reminder_kind": "exercise"}),
        ("reminder_days", "Mon Wed and Fri", {"reminder_days": "mon,wed,fri"}),
        ("reminder_time", "6.30pm", {"reminder_time": "18:30"}),
        ("reminder_time", "9am New York time",
         {"reminder_time": "09:00", "reminder_zone": "America/New_York"}),
    ],
)
def test_good_answers_are_kept_in_a_standard_form(slot, text, kept):
    events, messages = answer(slot, text)
    assert messages == []
    assert slots_of(events) == kept


@pytest.mark.parametrize(
    ("slot", "text", "reask"),
    [
        ("reminder_kind", "both please", "reminders.reask.kind"),
        ("reminder_days", "once a week", "reminders.reask.days"),
        ("reminder_time", "whenever", "reminders.reask.time"),
        ("reminder_time", "11pm", "reminders.reask.quiet"),
        ("reminder_time", "6am", "reminders.reask.quiet"),
    ],
)
def test_unclear_answers_and_quiet_hours_are_asked_again(slot, text, reask):
    events, messages = answer(slot, text)
    assert content_ids(messages) == [reask]
    assert slots_of(events) == {slot: None}
    if reask == "reminders.reask.quiet":
        assert "between 9pm and 8am" in messages[0]["text"]


def test_quiet_hours_come_from_the_settings(monkeypatch, reminder_store):
    from bot.settings import get_settings

    monkeypatch.setenv("BACKCARE_REMINDER_QUIET_HOURS", "off")
    get_settings.cache_clear()
    events, messages = answer("reminder_time", "11pm")
    assert messages == [] and slots_of(events) == {"reminder_time": "23:00"}


# --- saving --------------------------------------------------------------------------------


FILLED = {
    "reminder_mode": "set",
    "reminder_kind": "exercise",
    "reminder_days": "mon,tue,wed,thu,fri",
    "reminder_time": "09:00",
}


@pytest.mark.parametrize(
    ("channel", "stored", "ids"),
    [
        ("socketio", CHANNEL_CHAT, ["reminders.saved", "reminders.saved_chat"]),
        ("webchat", CHANNEL_CHAT, ["reminders.saved", "reminders.saved_chat"]),
        ("twilio", CHANNEL_SMS, ["reminders.saved"]),
    ],
)
def test_saving_keeps_the_reminder_and_says_when_it_comes(reminder_store, channel, stored, ids):
    events, messages = run(ActionSaveReminder(), make_tracker("9am", FILLED, channel=channel))
    assert content_ids(messages) == ids
    assert "on weekdays at 9am, UK time" in messages[0]["text"]
    assert "stop reminders" in messages[0]["text"]
    assert all(e["value"] is None for e in events)
    [reminder] = reminder_store.active("patient-1")
    assert (reminder.kind, reminder.channel) == ("exercise", stored)
    assert reminder.schedule == morning("mon,tue,wed,thu,fri")
    assert reminder.next_due_at is not None


def test_saving_again_replaces_the_reminder_and_keeps_a_named_zone(reminder_store):
    run(ActionSaveReminder(), make_tracker("9am", FILLED))
    changed = {**FILLED, "reminder_time": "18:30", "reminder_zone": "America/New_York"}
    _, messages = run(ActionSaveReminder(), make_tracker("6:30pm", changed))
    assert "at 6:30pm, New York time" in messages[0]["text"]
    [reminder] = reminder_store.active("patient-1")
    assert reminder.schedule.at == time(18, 30)
    assert reminder.schedule.zone == "America/New_York"


def test_a_broken_form_is_not_saved_and_offers_to_start_again(reminder_store):
    broken = {**FILLED, "reminder_days": None}
    _, messages = run(ActionSaveReminder(), make_tracker("9am", broken))
    assert content_ids(messages) == ["reminders.error"]
    assert payloads(messages[0]) == ["/set_reminder", "/deny"]
    assert reminder_store.active("patient-1") == []


# --- stopping ------------------------------------------------------------------------------


def test_stop_reminders_turns_them_all_off(reminder_store):
    reminder_store.save("patient-1", "exercise", CHANNEL_SMS, morning())
    reminder_store.save("patient-1", "checkin", CHANNEL_SMS, morning("sun"))
    _, messages = run(ActionStopReminders(), make_tracker("stop reminders"))
    assert content_ids(messages) == ["reminders.stopped.all"]
    assert reminder_store.active("patient-1") == []


def test_stopping_one_kind_keeps_the_other(reminder_store):
    reminder_store.save("patient-1", "exercise", CHANNEL_SMS, morning())
    reminder_store.save("patient-1", "checkin", CHANNEL_SMS, morning("sun"))
    _, messages = run(ActionStopReminders(), make_tracker("stop the check-in reminders"))
    assert content_ids(messages) == ["reminders.stopped.checkin"]
    assert [r.kind for r in reminder_store.active("patient-1")] == ["exercise"]


def test_stopping_with_none_on_offers_to_set_one():
    _, messages = run(ActionStopReminders(), make_tracker("no more reminders"))
    assert content_ids(messages) == ["reminders.stopped.none"]
    assert payloads(messages[0]) == ["/set_reminder", "/deny"]
