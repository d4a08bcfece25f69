"""The call-back request: a patient asks for a person, and the care team is told.

Red-flag alerts are not written here: the Rasa server's tracker store writes each one
in the same transaction as the message that raised it (:mod:`bot.runtime.tracker_store`),
so they never depend on the action server. A call-back request is not urgent, so it is
written here, into the same outbox (:mod:`bot.alerts.outbox`), and delivered the same way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.education.content import fill, get_store, placeholder_values
from bot.alerts.outbox import PRIORITY_CALLBACK, AlertDraft, Outbox
from bot.settings import get_settings


@lru_cache(maxsize=1)
def get_outbox() -> Outbox:
    """Return the process-wide outbox, opened on first use."""
    return Outbox.from_url(get_settings().database_url)


def callback_draft(conversation_id: str, channel: str | None, message: str | None) -> AlertDraft:
    """Build the low-priority call-back request for the care team."""
    return AlertDraft(
        kind="callback",
        conversation_id=conversation_id,
        channel=channel or "unknown",
        tier="none",
        flag_ids=[],
        message=message or "",
        priority=PRIORITY_CALLBACK,
    )


class ActionRequestHuman(Action):
    """Record a call-back request for the care team and say what happens next."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Write the call-back request and confirm it to the patient."""
        draft = callback_draft(
            tracker.sender_id,
            tracker.get_latest_input_channel(),
            tracker.latest_message.get("text"),
        )
        get_outbox().add(draft)
        text = fill(get_store().text("request_human.recorded"), placeholder_values())
        dispatcher.utter_message(text=text, content_id="ui.request_human.recorded")
        return []
