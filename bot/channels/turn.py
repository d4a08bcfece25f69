"""Collect one turn's bot messages whole, for channels that answer a request at once.

Rasa's :class:`~rasa.core.channels.channel.CollectingOutputChannel` splits a message
into one item per paragraph and drops the name of the response that made it. The REST
and SMS channels use :class:`TurnCollector` instead: one item per bot message, with
its text, buttons and any custom data, plus ``response`` (the domain response's name,
e.g. ``utter_urgent_care_emergency``) and ``content_id`` (the content it came from), so
that a channel can tell an urgent-care message from others and integrations and tests
can check which response was sent without reading the prose::

    collector = TurnCollector()
    await on_new_message(UserMessage(text, collector, sender, input_channel="rest"))
    collector.messages  # [{"recipient_id": ..., "text": ..., "response": ...}, ...]
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

_KEPT = ("text", "buttons", "quick_replies", "image", "attachment", "custom", "content_id")


class TurnCollector(CollectingOutputChannel):
    """Keep each bot message of the turn as one item, with its response name."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Keep the message's parts and the name of the response that made it."""
        kept: dict[str, Any] = {"recipient_id": recipient_id}
        kept.update({key: message[key] for key in _KEPT if message.get(key)})
        if message.get("utter_action"):
            kept["response"] = message["utter_action"]
        self.messages.append(kept)
