"""Read a conversation's recent history from its tracker, for the message processor.

:class:`~bot.runtime.processor.SafeMessageProcessor` asks what the bot just offered,
what the patient typed in the last few messages, whether the latest message was cut,
and what ran last::

    recent_patient_texts(tracker)   # ["been having accidents", "with my bladder I mean"]
    last_buttons(tracker)           # the buttons offered since the latest message
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.care_team import is_care_team

# Marks, in a message's parse data, that the NLU read only its first part.
CUT_MARK = "message_cut"
# Button payloads ("/affirm"): not the patient's words. (Typed text that starts with
# "/" reaches here escaped by the channel guard, and is read like any other message.)
COMMAND_PREFIXES = ("/",)


def last_buttons(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """Return the buttons the bot offered since the latest patient message.

    A clinician's message since then (:mod:`bot.channels.care_team`) withdraws the
    offer: the patient now answers the clinician.
    """
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            if is_care_team(event.metadata):
                return []
            buttons = (event.data or {}).get("buttons") or []
            if buttons:
                return [b for b in buttons if isinstance(b, dict)]
    return []


def recent_patient_texts(tracker: DialogueStateTracker, limit: int = 3) -> list[str]:
    """Return the session's last ``limit`` typed patient messages, oldest first."""
    texts: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered) and event.text:
            if not event.text.startswith(COMMAND_PREFIXES):
                texts.append(event.text)
            if len(texts) == limit:
                break
    return texts[::-1]


def last_message_was_cut(tracker: DialogueStateTracker) -> bool:
    """Return whether the NLU read only part of the latest message (reverted or not)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return bool(event.parse_data.get(CUT_MARK))
    return False


def last_action_run(tracker: DialogueStateTracker) -> str | None:
    """Return the last action run, as logged (a reverted turn still shows it)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            name: str | None = event.action_name
            return name
    return None
