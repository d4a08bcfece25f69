"""Send content messages through rasa-sdk's dispatcher, the one way actions reply.

Every reply is an :class:`~actions.common.content.OutgoingMessage` built from content,
so its ``content_id`` reaches the tracker with it (rasa-sdk passes extra keyword
arguments through to the bot event's metadata)::

    send(dispatcher, content.message("saved"), plan_message(content, plan, sms=sms))
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.common.content import OutgoingMessage


def send(dispatcher: CollectingDispatcher, *messages: OutgoingMessage) -> None:
    """Send ``messages`` through the dispatcher, in order."""
    for message in messages:
        dispatcher.utter_message(**message.as_kwargs())
