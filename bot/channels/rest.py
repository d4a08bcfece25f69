"""REST channel for trusted integrations and tests, never for patients.

Same URL and JSON as Rasa's ``rest`` channel (``POST /webhooks/rest/webhook`` with
``{"sender": ..., "message": ...}``), with these differences:

- every request needs ``Authorization: Bearer $BACKCARE_REST_TOKEN`` (401 otherwise);
  without the variable the launcher does not start the channel at all;
- a sender is the integration's own: its conversation id is ``rest:<sender>``, so a
  REST caller can never reach another channel's conversation (an SMS patient's phone
  number, a web chat id), whatever sender it names;
- text starting with "/" is escaped unless it is a button payload the bot just offered
  (see :mod:`bot.channels.guard`); NUL characters are removed; a missing or non-text
  message gets a 400 instead of an exception; a body over the request limit gets 413;
- the reply has one item per bot message, with ``response`` (the domain response's
  name) and ``content_id`` where there is one (:mod:`bot.channels.turn`).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import NamedChannel, add_health_check
from bot.channels.guard import clean_text, guard_text
from bot.channels.turn import TurnCollector
from bot.settings import get_settings

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 128
CONVERSATION_PREFIX = "rest:"


def authorised(header: str | None, token: str) -> bool:
    """Return whether an ``Authorization`` header carries the REST token."""
    if not token or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].strip(), token)


def conversation_id(sender: str) -> str:
    """Return the conversation id of a REST ``sender``: its own namespace."""
    return CONVERSATION_PREFIX + sender


class SafeRestInput(NamedChannel, InputChannel):
    """REST input channel whose typed text can never act as a command."""

    channel_name = "rest"  # as Rasa's REST channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the routes: a health check and the message webhook."""
        webhook = Blueprint("safe_rest_webhook", __name__)

        add_health_check(webhook)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            settings = get_settings()
            if not authorised(request.headers.get("Authorization"), settings.rest_token):
                return response.json({"error": "unauthorised"}, status=401)
            if len(request.body or b"") > settings.max_request_bytes:
                return response.json({"error": "the request is too large"}, status=413)
            try:
                body = request.json if isinstance(request.json, dict) else {}
            except Exception:  # malformed JSON is a bad request, not a server error
                body = {}
            sender = body.get("sender")
            text = body.get("message")
            if not isinstance(sender, str) or not sender or len(sender) > MAX_SENDER_CHARS:
                return response.json({"error": "a 'sender' string is required"}, status=400)
            if not isinstance(text, str):
                return response.json({"error": "a 'message' string is required"}, status=400)
            conversation = conversation_id(sender)
            text = clean_text(text, settings.max_inbound_chars)
            safe_text = await guard_text(request.app.ctx.agent, conversation, text)
            collector = TurnCollector()
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            try:
                await on_new_message(
                    UserMessage(
                        safe_text,
                        collector,
                        conversation,
                        input_channel=self.name(),
                        metadata=metadata,
                    )
                )
            except Exception:  # answer with what was sent so far, never a stack trace
                logger.exception("REST message could not be handled")
            return response.json(collector.messages)

        return webhook
