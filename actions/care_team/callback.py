"""The call-back request a patient makes by asking for a person.

Red-flag alerts are not written by the action server: the Rasa server's tracker store
writes each one in the same transaction as the message that raised it
(:mod:`bot.runtime.tracker_store`), so they never depend on the action server. A
call-back request is not urgent, so it is written by :mod:`actions.care_team.actions`
into the same outbox (:mod:`bot.alerts.outbox`), and delivered the same way.
"""

from __future__ import annotations

from functools import lru_cache

from bot.alerts.outbox import PRIORITY_CALLBACK, AlertDraft, Outbox


@lru_cache(maxsize=1)
def get_outbox() -> Outbox:
    """Return the process-wide outbox, opened on first use."""
    return Outbox.from_settings()


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
