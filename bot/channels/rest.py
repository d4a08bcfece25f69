"""REST channel for integrations and tests, with typed commands escaped.

Same URL and JSON as Rasa's ``rest`` channel (``POST /webhooks/rest/webhook`` with
``{"sender": ..., "message": ...}``), but text starting with "/" is escaped unless it
is a button payload the bot just offered (see :mod:`bot.channels.guard`), and a
missing or non-text message gets a 400 instead of an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import guard_text

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 255


class SafeRestInput(InputChannel):
    """REST input channel whose typed text can never act as a command."""

    @classmethod
    def name(cls) -> str:
        """Return the channel name (same as Rasa's REST channel)."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the routes: a health check and the message webhook."""
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            sender = body.get("sender")
            text = body.get("message")
            if not isinstance(sender, str) or not sender or len(sender) > MAX_SENDER_CHARS:
                return response.json({"error": "a 'sender' string is required"}, status=400)
            if not isinstance(text, str):
                return response.json({"error": "a 'message' string is required"}, status=400)
            safe_text = await guard_text(request.app.ctx.agent, sender, text)
            collector = CollectingOutputChannel()
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            try:
                await on_new_message(
                    UserMessage(
                        safe_text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata,
                    )
                )
            except Exception:  # answer with what was sent so far, never a stack trace
                logger.exception("REST message could not be handled")
            return response.json(collector.messages)

        return webhook
