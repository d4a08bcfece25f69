"""The care team's actions: a patient asks for a person, and the care team is told.

``action_request_human`` writes a call-back request (:mod:`actions.care_team.callback`)
and tells the patient what happens next, in words from ``content/ui.yml``.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.care_team.callback import callback_draft, get_outbox
from actions.common.action import ReplyAction
from actions.common.content import get_content
from actions.common.send import send


class ActionRequestHuman(ReplyAction, action="action_request_human"):
    """Record a call-back request for the care team and say what happens next."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Write the call-back request and confirm it to the patient."""
        draft = callback_draft(
            tracker.sender_id,
            tracker.get_latest_input_channel(),
            tracker.latest_message.get("text"),
        )
        get_outbox().add(draft)
        send(dispatcher, get_content("ui").message("request_human.recorded"))
        return []
