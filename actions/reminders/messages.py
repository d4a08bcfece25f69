"""The chat's messages for setting, changing and stopping reminders, from ``content/reminders.yml``.

Plain functions from content and a reminder setting to
:class:`~actions.common.content.OutgoingMessage` objects; the actions
(:mod:`actions.reminders.actions`) send them. The reminder itself (the ``due``
section) is built by :mod:`bot.reminders.messages` for the scheduler and the web chat::

    content = get_reminder_content()
    send(dispatcher, *saved_messages(content, reminder, sms=False))
    days_text(content, frozenset({0, 2, 4}))     # "on Mon, Wed and Fri"
    time_text(content, time(18, 30))             # "6:30pm"
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from actions.common.content import ContentFile, OutgoingMessage, fill, get_content
from bot.reminders.schedule import WEEKDAYS, QuietHours
from bot.reminders.store import Reminder

CONTENT_FILE = "reminders"
WEEKDAY_SET = frozenset(range(5))
WEEKEND_SET = frozenset({5, 6})
NOON = 12


def get_reminder_content() -> ContentFile:
    """Return the words of the reminders, read on first use."""
    return get_content(CONTENT_FILE)


def days_text(content: ContentFile, days: frozenset[int]) -> str:
    """Return how days are said: "every day", "on weekdays", "every Sunday", "on Mon and Fri"."""
    words = content.texts("days")
    if days == frozenset(range(7)):
        return words["every_day"]
    if days == WEEKDAY_SET:
        return words["weekdays"]
    if days == WEEKEND_SET:
        return words["weekends"]
    ordered = [WEEKDAYS[day] for day in sorted(days)]
    if len(ordered) == 1:
        return fill(words["one"], {"day": content.texts("days.names")[ordered[0]]})
    short = content.texts("days.short")
    first = words["separator"].join(short[day] for day in ordered[:-1])
    return fill(words["some"], {"first": first, "last": short[ordered[-1]]})


def time_text(content: ContentFile, at: time) -> str:
    """Return how a time is said: "9am", "6:30pm", "12 noon", "midnight"."""
    words = content.texts("time")
    if at == time(NOON, 0):
        return words["noon"]
    if at == time(0, 0):
        return words["midnight"]
    hour = at.hour % 12 or 12
    half = "pm" if at.hour >= NOON else "am"
    key = f"{half}_minutes" if at.minute else half
    return fill(words[key], {"hour": hour, "minutes": f"{at.minute:02d}"})


def zone_text(content: ContentFile, zone: str) -> str:
    """Return how a time zone is said: "UK", or its city ("New York")."""
    named = content.texts("zones")
    if zone in named:
        return named[zone]
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def what_text(content: ContentFile, kind: str) -> str:
    """Return what a reminder of ``kind`` is for: "to do your exercises"."""
    return content.texts("what")[kind]


def question(content: ContentFile, slot: str, *, sms: bool) -> OutgoingMessage:
    """Return the question for a slot of the reminder form, with its quick answers."""
    name = slot.removeprefix("reminder_")
    return content.message(f"ask.{name}", sms=sms, buttons=content.buttons(f"buttons.{name}"))


def quiet_reask(content: ContentFile, quiet: QuietHours) -> OutgoingMessage:
    """Return the re-ask for a time in the quiet hours, naming them."""
    values = {
        "quiet_start": time_text(content, quiet.start),
        "quiet_end": time_text(content, quiet.end),
    }
    return content.message("reask.quiet", values)


def change_intro(content: ContentFile, reminder: Reminder | None, count: int) -> OutgoingMessage:
    """Return what is said before changing a reminder.

    The current setting when it is known which one changes; otherwise, with several
    reminders on, that the time will change (the form asks which), and with none,
    that one will be set up.
    """
    if reminder is not None:
        values = {
            "what": what_text(content, reminder.kind),
            "days": days_text(content, reminder.schedule.days),
            "time": time_text(content, reminder.schedule.at),
        }
        return content.message("setup.change", values)
    return content.message("setup.change_which" if count else "setup.change_none")


def saved_messages(content: ContentFile, reminder: Reminder, *, sms: bool) -> list[OutgoingMessage]:
    """Return the confirmation of a saved reminder; on the web, where it will be seen."""
    schedule = reminder.schedule
    values = {
        "what": what_text(content, reminder.kind),
        "days": days_text(content, schedule.days),
        "time": time_text(content, schedule.at),
        "zone": zone_text(content, schedule.zone),
    }
    messages = [content.message("saved", values, sms=sms)]
    if not sms:
        messages.append(content.message("saved_chat"))
    return messages


def stopped_message(
    content: ContentFile, stopped: Sequence[str], asked: Sequence[str]
) -> OutgoingMessage:
    """Return the reply to "stop reminders".

    Args:
        content: the reminders' words.
        stopped: the kinds that were on and are now off.
        asked: the kinds the patient asked to stop (every kind when they did not say).
    """
    if not stopped:
        buttons = content.buttons("buttons.yes_set", "buttons.not_now")
        return content.message("stopped.none", buttons=buttons)
    if len(asked) == 1:
        return content.message(f"stopped.{asked[0]}")
    return content.message("stopped.all")
