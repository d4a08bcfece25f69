"""Actions that record red-flag escalations and call-back requests for the care team.

The patient has already had the urgent-care message (a static domain response chosen
by the safety policy) when :class:`ActionEscalateRedFlag` runs; this action only adds
what needs code: a durable alert in the outbox. If the action server is down, the
patient still got the message; the tracker keeps the conversation for review.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import fill, get_store, placeholder_values
from actions.outbox import PRIORITY_CALLBACK, TIER_PRIORITY, AlertDraft, Outbox
from bot.settings import get_settings


@lru_cache(maxsize=1)
def get_outbox() -> Outbox:
    """Return the process-wide outbox, opened on first use."""
    return Outbox.from_url(get_settings().database_url)


def red_flag_draft(
    conversation_id: str,
    channel: str | None,
    tier: str | None,
    flag_ids: list[str] | None,
    message: str | None,
) -> AlertDraft:
    """Build the alert for a red-flag turn; an unknown tier is treated as emergency."""
    safe_tier = tier if tier in TIER_PRIORITY else "emergency"
    return AlertDraft(
        kind="red_flag",
        conversation_id=conversation_id,
        channel=channel or "unknown",
        tier=safe_tier,
        flag_ids=list(flag_ids or []),
        message=message or "",
        priority=TIER_PRIORITY[safe_tier],
    )


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


class ActionEscalateRedFlag(Action):
    """Record the red flag of this turn in the care-team outbox."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_escalate_red_flag"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Write the alert; the patient already has the urgent-care message."""
        draft = red_flag_draft(
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel(),
            tier=tracker.get_slot("safety_tier"),
            flag_ids=tracker.get_slot("safety_flags"),
            message=tracker.latest_message.get("text"),
        )
        # No "we told your team" message: it could make a patient wait for a call
        # instead of getting help now.
        get_outbox().add(draft)
        return []


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
