"""The patients' chat widget: its files in ``static/`` beside this module, and its words.

The web chat channel (:mod:`bot.channels.web.channel`) adds these routes to its
blueprint, under ``/webhooks/webchat/``::

    add_widget_routes(blueprint, channel_words(), "999", "/socket.io")

- ``/`` the full-page chat, with a strict content security policy;
- ``/static/<name>`` the widget's files (never a folder, never outside ``static/``);
- ``/strings.json`` the widget's words from ``content/channels.yml``, with the
  configured emergency number filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.common import add_health_check
from bot.channels.words import ChannelWords, fill

STATIC_DIR = Path(__file__).resolve().parent / "static"
# The page loads only its own files; the socket is same-origin.
PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "connect-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
    )
)
NOT_FOUND = {"error": "not found"}


def static_path(name: str) -> Path | None:
    """Return the widget file ``name`` names, or ``None`` (folders, ``..``, missing files)."""
    root = STATIC_DIR.resolve()
    try:
        path = (root / name).resolve()
    except (OSError, ValueError):
        return None
    if root not in path.parents or not path.is_file():
        return None
    return path


def widget_strings(words: ChannelWords, emergency_number: str) -> dict[str, Any]:
    """Return what ``/strings.json`` serves: the widget's words, placeholders filled."""
    values = {"emergency_number": emergency_number}
    return {
        "emergency_number": emergency_number,
        "emergency_line": fill(words.emergency_line, values),
        "strings": {key: fill(text, values) for key, text in words.web.items()},
    }


def add_widget_routes(
    webchat: Blueprint, words: ChannelWords, emergency_number: str, socket_path: str | None
) -> None:
    """Add the page, the widget's files, its words and a health check to ``webchat``."""
    strings = widget_strings(words, emergency_number)

    @webchat.route("/", methods=["GET"])
    async def page(_: Request) -> HTTPResponse:
        return await response.file(
            STATIC_DIR / "index.html",
            headers={
                "Content-Security-Policy": PAGE_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-cache",
            },
            mime_type="text/html; charset=utf-8",
        )

    add_health_check(webchat, "/health")

    @webchat.route("/strings.json", methods=["GET"])
    async def widget_words(_: Request) -> HTTPResponse:
        # Public words only; any site that embeds the widget may read them.
        return response.json(
            {**strings, "socket_path": socket_path},
            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"},
        )

    @webchat.route("/static/<name:path>", methods=["GET"])
    async def static_file(_: Request, name: str) -> HTTPResponse:
        path = static_path(name)
        if path is None:
            return response.json(NOT_FOUND, status=404)
        return await response.file(path, headers={"X-Content-Type-Options": "nosniff"})

    @webchat.route("/static/", methods=["GET"])
    async def static_folder(_: Request) -> HTTPResponse:
        return response.json(NOT_FOUND, status=404)
