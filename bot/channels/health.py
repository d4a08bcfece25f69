"""The health check every channel serves at the root of its routes.

``GET /webhooks/<channel>/`` answers ``{"status": "ok"}``; load balancers and the
launcher's checks use it::

    webhook = Blueprint("safe_rest_webhook", __name__)
    add_health_check(webhook)
"""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


def add_health_check(blueprint: Blueprint, uri: str = "/") -> None:
    """Add a ``GET`` route at ``uri`` of ``blueprint`` that answers ``{"status": "ok"}``."""

    @blueprint.route(uri, methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})
