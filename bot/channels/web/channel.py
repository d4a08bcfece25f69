"""Web chat channel: Rasa's socket.io channel plus the patients' chat widget it serves.

Enable it in the credentials file given to ``rasa run``, instead of the plain
``socketio`` entry (both would claim the same socket.io path)::

    bot.channels.web.channel.WebChatInput:
      session_persistence: true      # default here; the widget relies on it
      # socketio_path: /socket.io    # default; rasa-webchat's default too
      # cors_allowed_origins: ["https://www.example-clinic.org"]   # default: any

Routes, under ``/webhooks/webchat/``:

- ``/`` the full-page chat (a link a clinic can send to patients);
- ``/static/widget.js`` the widget; a clinic site embeds it with one tag::

      <script src="https://CHAT-HOST/webhooks/webchat/static/widget.js" defer></script>

- ``/strings.json`` the widget's words from ``content/channels.yml``, with the
  configured emergency number filled in;
- ``/health`` a health check.

Messages arrive on the socket.io path as for Rasa's channel (``session_request``,
then ``user_uttered`` with ``{"message", "session_id"}``), so ``rasa-webchat`` works
too. The channel is named ``webchat`` in trackers. Differences from ``socketio``:

- **the server mints the session id** (:mod:`bot.channels.sessions`): 128 random bits
  and a signature, so a client can only come back to a conversation the server gave
  it, never pick another's; an unknown or forged id gets a new conversation;
- **one live socket per conversation**: a second window that joins takes it over, and
  the first is told (``session_taken_over``) and hears nothing more;
- **a new conversation starts with the greeting and its disclaimer**, sent as soon as
  the chat opens, before the patient types anything;
- **a returning patient sees the reminders that came due while the chat was closed**
  (:mod:`bot.reminders`: the latest of each kind, each shown once, whichever window
  opens first), as soon as the chat opens again;
- typed text passes through :func:`bot.channels.guard.guard_text`, is cut to
  ``BACKCARE_MAX_INBOUND_CHARS`` and has NUL characters removed;
- events without data or with the wrong shape are ignored, never an exception;
- each bot message says whether it is an urgent-care message (``"urgency":
  "emergency"`` or ``"urgent"``), from the response's ``custom: {urgency: ...}`` or the
  response names listed in ``content/channels.yml``, so the widget can style and
  announce it;
- a clinician's message from the console (:mod:`bot.channels.care_team`) carries
  ``"from": "care_team"``, and the widget labels it as from the patient's care team.
  It is sent only to a chat that is open on this server: otherwise the output raises
  :class:`~bot.channels.care_team.CareTeamDeliveryError`, so that the console says so
  instead of storing a message the patient would never see (the widget keeps its own
  copy of the transcript and does not fetch missed messages).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import (
    InputChannel,
    OutputChannel,
    UserMessage,
    decode_bearer_token,
)
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint
from socketio import AsyncServer

from bot.channels.care_team import CHAT_CLOSED, CareTeamDeliveryError, is_care_team
from bot.channels.common import NamedChannel
from bot.channels.guard import clean_text, guard_text
from bot.channels.sessions import SessionSigner
from bot.channels.web.widget import add_widget_routes
from bot.channels.words import ChannelWords, channel_words, urgency_of, usable_buttons
from bot.reminders.messages import ReminderWords, reminder_words
from bot.reminders.store import ReminderStore
from bot.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL_NAME = "webchat"
# Sent to the conversation when the chat is first opened: the greeting and disclaimer.
OPENING_MESSAGE = "/greet"
# What the channel reads from its credentials entry, and the default of each.
CREDENTIALS: dict[str, Any] = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "namespace": None,
    "session_persistence": True,
    "socketio_path": "/socket.io",
    "jwt_key": None,
    "jwt_method": "HS256",
    "metadata_key": "metadata",
    "cors_allowed_origins": None,  # any origin; see __init__
}


# Marks a care-team message in the event the widget receives.
FROM_CARE_TEAM = {"from": "care_team"}


class WebChatOutput(NamedChannel, SocketIOOutput):
    """Socket.io output that marks urgent-care and care-team messages for the widget."""

    channel_name = CHANNEL_NAME

    def __init__(
        self,
        sio: AsyncServer,
        bot_message_evt: str,
        words: ChannelWords,
        is_open: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(sio, bot_message_evt)
        self.words = words
        self.is_open = is_open

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message: text parts, quick replies, then anything else.

        Raises:
            CareTeamDeliveryError: a care-team message for a chat that is not open.
        """
        if is_care_team(message):
            await self._send_care_team(recipient_id, message)
            return
        urgency = urgency_of(message, self.words.urgency)
        text = str(message.pop("text", None) or "")
        buttons = usable_buttons(
            message.pop("buttons", None) or message.pop("quick_replies", None) or []
        )
        if text.strip() or buttons:
            # One event per bot message, buttons with it: a message that is one bubble
            # keeps a lesson's heading with its text on a small screen.
            event: dict[str, Any] = {"text": text.strip()}
            if buttons:
                event["quick_replies"] = [
                    {"content_type": "text", "title": b["title"], "payload": b["payload"]}
                    for b in buttons
                ]
            if urgency:
                event["urgency"] = urgency
            await self._send_message(recipient_id, event)
        custom = message.pop("custom", None)
        if isinstance(custom, dict):
            # The urgency marker is consumed above; anything else is the response's own.
            rest = {key: value for key, value in custom.items() if key != "urgency"}
            if rest:
                await self.send_custom_json(recipient_id, rest)
        if message.get("image"):
            await self.send_image_url(recipient_id, message.pop("image"))
        elif message.get("attachment"):
            await self.send_attachment(recipient_id, message.pop("attachment"))
        if message.get("elements"):
            await self.send_elements(recipient_id, message.pop("elements"))

    async def _send_care_team(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send a clinician's message as one bubble, labelled, if the chat is open."""
        if self.is_open is not None and not self.is_open(recipient_id):
            raise CareTeamDeliveryError(CHAT_CLOSED)
        text = str(message.get("text") or "").strip()
        if text:
            await self._send_message(recipient_id, {"text": text, **FROM_CARE_TEAM})


class WebChatInput(NamedChannel, SocketIOInput):
    """Socket.io input for the patients' web widget; see the module docstring."""

    channel_name = CHANNEL_NAME  # webchat: it also prefixes the routes

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Create the channel from its ``credentials.yml`` entry."""
        credentials = credentials or {}
        return cls(**{key: credentials.get(key, default) for key, default in CREDENTIALS.items()})

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        session_persistence: bool = True,
        socketio_path: str | None = "/socket.io",
        jwt_key: str | None = None,
        jwt_method: str | None = "HS256",
        metadata_key: str | None = "metadata",
        cors_allowed_origins: list[str] | str | None = None,
        words: ChannelWords | None = None,
        emergency_number: str | None = None,
    ) -> None:
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence,
            socketio_path,
            jwt_key,
            jwt_method,
            metadata_key,
        )
        # [] switches python-engineio's origin check off, as Rasa's channel does, so
        # that a clinic's own site can embed the widget; a list narrows it down.
        self.cors_allowed_origins = [] if cors_allowed_origins is None else cors_allowed_origins
        self.words = words or channel_words()
        settings = get_settings()
        self.emergency_number = emergency_number or settings.emergency_number
        self.max_chars = settings.max_inbound_chars
        self.signer = SessionSigner(settings.session_secret)
        self.database_url = settings.database_url
        self._reminders: ReminderStore | None = None
        # The socket that owns each conversation, and the conversation of each socket.
        self.owner_of: dict[str, str] = {}
        self.session_of: dict[str, str] = {}

    @property
    def reminders(self) -> ReminderStore:
        """Return the reminder store, opened on first use."""
        if self._reminders is None:
            self._reminders = ReminderStore.from_url(self.database_url)
        return self._reminders

    async def show_reminders(
        self, output: OutputChannel, session_id: str, words: ReminderWords | None = None
    ) -> int:
        """Show the reminders waiting for this conversation; return how many were shown.

        Each is taken from the store before it is sent, so a second window opened at the
        same moment does not show it again; a database failure shows nothing and never
        stops the chat from opening.
        """
        try:
            waiting = self.reminders.take_waiting(session_id)
        except Exception:
            logger.exception("web chat: the waiting reminders could not be read")
            return 0
        chosen = words or reminder_words()
        for delivery in waiting:
            await output.send_response(session_id, chosen.message(delivery.kind, sms=False))
        return len(waiting)

    def get_output_channel(self) -> OutputChannel | None:
        """Return the output for messages sent outside a patient's turn.

        With session persistence it knows which conversations have a chat open here,
        so a care-team message for a closed chat is refused rather than lost.
        """
        if self.sio is None:
            return None
        is_open = self.is_open if self.session_persistence else None
        return WebChatOutput(self.sio, self.bot_message_evt, self.words, is_open)

    def is_open(self, session_id: str) -> bool:
        """Return whether a socket on this server owns the conversation ``session_id``."""
        return session_id in self.owner_of

    async def message_text(self, agent: Any, sender_id: str, data: Any) -> str | None:
        """Return the patient's text made safe, or ``None`` if the event has none."""
        text = data.get("message") if isinstance(data, Mapping) else None
        if not isinstance(text, str):
            return None
        return await guard_text(agent, sender_id, clean_text(text, self.max_chars))

    def claim(self, sid: str, session_id: str) -> str | None:
        """Make ``sid`` the one socket of ``session_id``; return the socket it replaces."""
        previous = self.owner_of.get(session_id)
        old_session = self.session_of.get(sid)
        if old_session and old_session != session_id:
            self.owner_of.pop(old_session, None)
        self.owner_of[session_id] = sid
        self.session_of[sid] = session_id
        if previous and previous != sid:
            self.session_of.pop(previous, None)
            return previous
        return None

    def release(self, sid: str) -> None:
        """Forget a socket that disconnected."""
        session_id = self.session_of.pop(sid, None)
        if session_id and self.owner_of.get(session_id) == sid:
            self.owner_of.pop(session_id, None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the socket.io server's blueprint with the widget's routes."""
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.cors_allowed_origins)
        webchat: Blueprint = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)
        self.sio = sio

        add_widget_routes(webchat, self.words, self.emergency_number, self.socketio_path)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: dict[str, Any] | None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            self.release(sid)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = self.signer.verified(asked)
            new = session_id is None
            if session_id is None:
                session_id = self.signer.mint()
            replaced = self.claim(sid, session_id)
            if self.session_persistence:
                if replaced:
                    sio.leave_room(replaced, session_id, namespace=self.namespace)
                    await sio.emit(
                        "session_taken_over", {}, room=replaced, namespace=self.namespace
                    )
                sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            if new:
                await self._open(sio, session_id, on_new_message)
            elif self.session_persistence:
                output = WebChatOutput(sio, self.bot_message_evt, self.words)
                await self.show_reminders(output, session_id)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict):
                logger.warning("web chat: an event without a message was ignored")
                return
            if self.session_persistence:
                session_id = self.session_of.get(sid)
                if session_id is None or data.get("session_id") != session_id:
                    # Only the socket that owns a conversation may write into it.
                    logger.warning(
                        "web chat: a message for a conversation this socket does not own"
                    )
                    return
                sender_id = session_id
            else:
                sender_id = sid
            agent = self._agent(sio, sid)
            text = await self.message_text(agent, sender_id, data)
            if text is None or not text.strip():
                logger.warning("web chat: a message without text was ignored")
                return
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = None
            output = WebChatOutput(sio, self.bot_message_evt, self.words)
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else None,
                )
            )

        return webchat

    async def _open(
        self,
        sio: AsyncServer,
        session_id: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Start a new conversation with the greeting, before the patient types."""
        output = WebChatOutput(sio, self.bot_message_evt, self.words)
        try:
            await on_new_message(
                UserMessage(OPENING_MESSAGE, output, session_id, input_channel=self.name())
            )
        except Exception:
            logger.exception("web chat: the greeting could not be sent")

    def _agent(self, sio: AsyncServer, sid: str) -> Any:
        # The Sanic request that opened the socket leads to the app and its agent.
        try:
            environ = sio.get_environ(sid, namespace=self.namespace) or {}
            return environ["sanic.request"].app.ctx.agent
        except (KeyError, AttributeError):
            return None
