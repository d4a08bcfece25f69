"""What every channel shares: its name, and the health check at the root of its routes.

A channel's name is what trackers record and what the actions check (``twilio`` gets
the SMS wording); the input channel, its output and any collector of one channel all
give the same one. ``GET /webhooks/<channel>/`` answers ``{"status": "ok"}`` for load
balancers and the launcher's checks::

    class SafeRestInput(NamedChannel, InputChannel):
        channel_name = "rest"

        def blueprint(self, on_new_message):
            webhook = Blueprint("safe_rest_webhook", __name__)
            add_health_check(webhook)
"""

from __future__ import annotations

from typing import ClassVar

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


def add_health_check(blueprint: Blueprint, uri: str = "/") -> None:
    """Add a ``GET`` route at ``uri`` of ``blueprint`` that answers ``{"status": "ok"}``."""

    @blueprint.route(uri, methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})


class NamedChannel:
    """Mixin (listed before Rasa's channel class) that names a channel by ``channel_name``."""

    channel_name: ClassVar[str]

    @classmethod
    def name(cls) -> str:
        """Return the channel's name, as trackers record it and the actions check it."""
        return cls.channel_name
