"""A Sanic server with the real web chat channel and a scripted bot instead of Rasa.

The widget's browser tests (``tests/bot/channels/web/test_widget_browser.py``) use it: they need the channel, the socket.io
server and the static files, but not a trained model. Run as a script:

    PYTHONPATH=. python tests/fakes/web_server.py PORT
"""

from __future__ import annotations

import sys
from typing import Any

from rasa.core.channels.channel import UserMessage
from sanic import Sanic, response

from bot.channels.web.channel import WebChatInput
from bot.channels.words import channel_words

HOSTILE = '<img src=x onerror="window.__pwned=1"> [click](javascript:alert(1))'


class _Event:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def as_dict(self) -> dict[str, Any]:
        return self.data


class _Tracker:
    def __init__(self) -> None:
        self.events: list[_Event] = []


class _Store:
    """Just enough of a tracker store for guard_text: the bot's offered buttons."""

    def __init__(self) -> None:
        self.trackers: dict[str, _Tracker] = {}

    async def retrieve(self, sender_id: str) -> _Tracker:
        return self.trackers.setdefault(sender_id, _Tracker())


class _Agent:
    def __init__(self) -> None:
        self.tracker_store = _Store()


def build_app() -> Sanic:
    app = Sanic("fake_webchat")
    app.ctx.agent = _Agent()
    channel = WebChatInput(words=channel_words(), emergency_number="999")
    # Reminders waiting for a returning patient: none here, in a database of its own.
    channel.database_url = "sqlite://"

    async def handler(message: UserMessage) -> None:
        text = message.text or ""
        sender = message.sender_id
        tracker = await app.ctx.agent.tracker_store.retrieve(sender)
        tracker.events.append(_Event({"event": "user", "text": text}))
        channel_out: Any = message.output_channel

        class _Recording:
            async def send_response(self, recipient: str, reply: dict[str, Any]) -> None:
                data = {"buttons": reply.get("buttons")}
                tracker.events.append(_Event({"event": "bot", "data": data}))
                await channel_out.send_response(recipient, dict(reply))

        out = _Recording()
        if text == "/greet":
            # Sent by the channel itself when a new conversation opens.
            await out.send_response(
                sender, {"text": "Hi, I'm the test bot. In an emergency, call 999."}
            )
        elif "feel" in text:
            await out.send_response(
                sender,
                {"text": "Call 999 now.", "utter_action": "utter_urgent_care_emergency"},
            )
            await out.send_response(
                sender,
                {
                    "text": "Are you getting help now?",
                    "buttons": [{"title": "Yes", "payload": "/confirm_getting_help"}],
                    "utter_action": "utter_urgent_care_check",
                },
            )
        elif text == "/affirm":
            await out.send_response(sender, {"text": "You picked **yes**."})
        elif text.startswith("/"):
            await out.send_response(sender, {"text": "escaped? " + str(text[0] != "/")})
        elif text == "hostile":
            await out.send_response(sender, {"text": HOSTILE})
        else:
            await out.send_response(
                sender,
                {
                    "text": "Hello **there**.\n- one\n- two\nSee https://example.org/a.",
                    "buttons": [
                        {"title": "Yes", "payload": "/affirm"},
                        {"title": "No", "payload": "/deny"},
                    ],
                    "utter_action": "utter_greet",
                },
            )

    app.blueprint(channel.blueprint(handler), url_prefix="/webhooks/webchat")

    @app.route("/")
    async def root(_: Any) -> Any:
        return response.json({"ok": True})

    return app


if __name__ == "__main__":
    build_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
