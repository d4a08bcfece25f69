"""Which care-team alerts a conversation's new events raise (plain logic over Rasa events).

The tracker store (:mod:`bot.runtime.tracker_store`) calls :func:`alert_drafts` with the
events it is about to store. Every patient message whose turn is a red flag, by the same
rule the safety policy follows (:func:`bot.policies.safety_plan.find_trigger`), gives one
alert draft whose key names the conversation and the message, so the alert is written
exactly once, with the message, whatever the dialogue or the action server did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rasa.shared.core.events import BotUttered, Event, UserUttered

from bot.alerts.outbox import TIER_PRIORITY, AlertDraft, alert_key
from bot.policies.safety import turn_view_at
from bot.policies.safety_names import ASK_QUESTION_PREFIX, SCREEN_QUESTION_PREFIX
from bot.policies.safety_plan import FlagInfo, find_trigger


def _question_before(
    events: Sequence[Event], index: int
) -> tuple[str | None, list[dict[str, str]]]:
    """Return the bot's last message before ``index`` and its buttons."""
    for event in reversed(events[:index]):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons") or []
            return event.text, [b for b in buttons if isinstance(b, dict)]
    return None, []


def shown_text(text: str, buttons: Sequence[Mapping[str, str]]) -> str:
    """Return what the patient chose: a button's title for its payload, else the text."""
    for button in buttons:
        if str(button.get("payload", "")).strip() == text.strip():
            return str(button.get("title") or text)
    return text


def alert_drafts(
    sender_id: str,
    events: Sequence[Event],
    first_new: int,
    flags: Mapping[str, FlagInfo],
) -> list[AlertDraft]:
    """Return an alert draft for each new patient message that raised a red flag.

    Args:
        sender_id: the conversation id.
        events: all events of the conversation's current session, stored and new.
        first_new: index in ``events`` of the first event not yet stored.
        flags: the catalogue's flags (tier and response).
    """
    drafts: list[AlertDraft] = []
    for index in range(max(0, first_new), len(events)):
        event = events[index]
        if not isinstance(event, UserUttered):
            continue
        view = turn_view_at(events, index)
        trigger = find_trigger(view, flags)
        if trigger is None:
            continue
        text = event.text or ""
        question = None
        if (view.asked_before_message or "").startswith(
            (SCREEN_QUESTION_PREFIX, ASK_QUESTION_PREFIX)
        ):
            question, buttons = _question_before(events, index)
            text = shown_text(text, buttons)
        tier = trigger.tier if trigger.tier in TIER_PRIORITY else "emergency"
        drafts.append(
            AlertDraft(
                kind="red_flag",
                conversation_id=sender_id,
                channel=event.input_channel or "unknown",
                tier=tier,
                flag_ids=list(trigger.flag_ids),
                message=text,
                priority=TIER_PRIORITY[tier],
                key=alert_key(sender_id, event.message_id or "", event.timestamp),
                question=question,
            )
        )
    return drafts
