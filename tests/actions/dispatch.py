"""Run an action with rasa-sdk's CollectingDispatcher and read what it sent.

Shared by the action tests, with the tracker of a patient who just wrote a message.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def run(
    action: Action, tracker: Tracker, domain: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run ``action`` on ``tracker``; return its events and the messages it sent."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return events, dispatcher.messages


def content_ids(messages: list[dict[str, Any]]) -> list[str | None]:
    """Return the content id of each message (``None`` for a domain response)."""
    return [m.get("content_id") for m in messages]


def payloads(message: dict[str, Any]) -> list[str]:
    """Return the payloads of a message's buttons, in order."""
    return [b["payload"] for b in message["buttons"]]


def make_tracker(
    text: str = "some words",
    slots: dict[str, Any] | None = None,
    *,
    channel: str | None = "socketio",
    extra_events: list[dict[str, Any]] | None = None,
    active_loop: dict[str, Any] | None = None,
) -> Tracker:
    """Return the tracker of patient-1 right after they wrote ``text`` on ``channel``."""
    latest = {"text": text, "intent": {}, "intent_ranking": [], "entities": []}
    events = [
        {"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
        *(extra_events or []),
    ]
    return Tracker(
        "patient-1", dict(slots or {}), latest, events, False, None, active_loop or {}, None
    )
