"""SMS channel on Twilio, hardened for patients: signed webhooks, opt-out, one text a turn.

Enable it in the credentials file given to ``rasa run`` (the values come from the
settings, i.e. environment variables, not from the file)::

    bot.channels.sms.TwilioSmsInput: {}

and point the Twilio number's "A message comes in" webhook (HTTP POST) at
``$BACKCARE_PUBLIC_URL/webhooks/twilio/webhook``. Settings used: ``TWILIO_ACCOUNT_SID``,
``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM_NUMBER``, ``BACKCARE_PUBLIC_URL`` (the address
Twilio calls, used to check signatures), ``TWILIO_API_BASE`` (tests point it at a fake
API) and ``BACKCARE_DATABASE_URL`` (opt-outs and offered buttons are kept there). The
server refuses to start while any of the Twilio values is missing or a placeholder.

What differs from Rasa's ``TwilioInput`` (same channel name, ``twilio``, because the
actions choose the SMS wording by it):

- a request without a valid ``X-Twilio-Signature`` for the public URL gets a 403;
- STOP-type keywords opt the number out (one confirmation, then nothing is ever sent
  to it until START); HELP is always answered, opted out or not. CANCEL, END and QUIT
  while a questionnaire is open (a plan, the check-in, the symptom check) stop the
  questions instead, and the reply says how to stop all texts. The words are in
  ``content/channels.yml``;
- a turn is one text of at most two segments, the rest waiting for MORE
  (:mod:`bot.channels.sms_format`); urgent-care advice is never held back. Buttons
  become "Reply A for ..., B for ..." (or "Reply YES or NO") and a reply "A" is mapped
  back to the offered payload here, on the server; a letter that was not offered gets
  the options again, and the options are kept;
- a replayed webhook (the same ``MessageSid`` again) is answered once only;
- texts are sent through the Twilio REST API in a worker thread, so the server never
  waits on Twilio; a failed send is logged with the number masked, and Twilio always
  gets a 200 with empty TwiML, never a 500;
- typed text goes through :func:`bot.channels.guard.guard_text` like every channel.

A message from an opted-out number is still read by the assistant (a red flag still
alerts the care team) but nothing is sent back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import sqlalchemy as sa
from rasa.core.channels.channel import (
    InputChannel,
    OutputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.guard import guard_text
from bot.channels.sms_format import (
    ChannelWords,
    InvalidChoice,
    channel_words,
    compose_turn,
    fill,
    keyword_of,
    mask_number,
    normalise,
    options_line,
    resolve_reply,
    usable_buttons,
)
from bot.channels.turn import TurnCollector
from bot.channels.web import urgency_of
from bot.db import engine_for
from bot.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL_NAME = "twilio"
SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio never delivers a longer inbound body; a forged or odd request is cut the same.
MAX_INBOUND_CHARS = 1600
SEND_TIMEOUT_SECONDS = 10.0
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class FormFields(dict[str, list[str]]):
    """Form fields with every value kept, blank ones included.

    Twilio signs the form as it sent it, with an empty ``Body`` for a picture message;
    Sanic's own form parser drops blank values, which would fail the signature check.
    """

    def getlist(self, name: str) -> list[str]:
        """Return every value of ``name`` (what Twilio's validator asks for)."""
        return self.get(name, [])

    def first(self, name: str) -> str:
        """Return the first value of ``name``, or an empty string."""
        values = self.get(name) or [""]
        return values[0]


def form_fields(content_type: str, body: bytes) -> FormFields:
    """Parse a URL-encoded form body, keeping blank values; other bodies have none."""
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        return FormFields()
    text = body.decode("utf-8", errors="replace")
    return FormFields(parse_qs(text, keep_blank_values=True))


class SmsStore:
    """Opt-outs and the last offered buttons per phone number, in the product's database.

    Tables are created on first use (SQLAlchemy Core, so SQLite and PostgreSQL alike);
    creating the store does no I/O.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._engine: sa.engine.Engine | None = None
        self.metadata = sa.MetaData()
        self.opt_outs = sa.Table(
            "sms_opt_outs",
            self.metadata,
            sa.Column("phone", sa.String(64), primary_key=True),
            sa.Column("opted_out", sa.Boolean, nullable=False),
            sa.Column("changed_at", sa.DateTime, nullable=False),
        )
        self.offers = sa.Table(
            "sms_offered_buttons",
            self.metadata,
            sa.Column("phone", sa.String(64), primary_key=True),
            sa.Column("buttons", sa.Text, nullable=False),
            sa.Column("offered_at", sa.DateTime, nullable=False),
        )
        # What MORE sends next: the rest of a long answer, a text at a time.
        self.pages = sa.Table(
            "sms_pending_pages",
            self.metadata,
            sa.Column("phone", sa.String(64), primary_key=True),
            sa.Column("pages", sa.Text, nullable=False),
            sa.Column("stored_at", sa.DateTime, nullable=False),
        )
        # Twilio's id of every message handled, so that a replayed webhook is ignored.
        self.seen = sa.Table(
            "sms_seen_messages",
            self.metadata,
            sa.Column("message_sid", sa.String(64), primary_key=True),
            sa.Column("seen_at", sa.DateTime, nullable=False),
        )

    @property
    def engine(self) -> sa.engine.Engine:
        """Return the engine, creating it and the tables on first use."""
        if self._engine is None:
            engine = engine_for(self.database_url)
            self.metadata.create_all(engine, checkfirst=True)
            self._engine = engine
        return self._engine

    def is_opted_out(self, phone: str) -> bool:
        """Return whether ``phone`` has opted out of texts."""
        with self.engine.connect() as connection:
            value = connection.execute(
                sa.select(self.opt_outs.c.opted_out).where(self.opt_outs.c.phone == phone)
            ).scalar()
        return bool(value)

    def set_opted_out(self, phone: str, opted_out: bool) -> None:
        """Record that ``phone`` opted out (``True``) or back in (``False``)."""
        self._replace(
            self.opt_outs,
            phone,
            {"opted_out": opted_out, "changed_at": _now()},
        )

    def offered_buttons(self, phone: str) -> list[dict[str, str]]:
        """Return the buttons last offered to ``phone`` (empty if none)."""
        with self.engine.connect() as connection:
            raw = connection.execute(
                sa.select(self.offers.c.buttons).where(self.offers.c.phone == phone)
            ).scalar()
        if not raw:
            return []
        try:
            return usable_buttons(json.loads(raw))
        except ValueError:
            return []

    def set_offered_buttons(self, phone: str, buttons: list[dict[str, str]]) -> None:
        """Remember the buttons just offered to ``phone``; an empty list forgets them."""
        if not buttons:
            with self.engine.begin() as connection:
                connection.execute(sa.delete(self.offers).where(self.offers.c.phone == phone))
            return
        self._replace(
            self.offers,
            phone,
            {"buttons": json.dumps(buttons), "offered_at": _now()},
        )

    def pending_pages(self, phone: str) -> list[str]:
        """Return the pages MORE would send next (empty if none)."""
        with self.engine.connect() as connection:
            raw = connection.execute(
                sa.select(self.pages.c.pages).where(self.pages.c.phone == phone)
            ).scalar()
        try:
            pages = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [str(page) for page in pages if isinstance(page, str)]

    def set_pending_pages(self, phone: str, pages: list[str]) -> None:
        """Keep ``pages`` for MORE; an empty list forgets them."""
        if not pages:
            with self.engine.begin() as connection:
                connection.execute(sa.delete(self.pages).where(self.pages.c.phone == phone))
            return
        self._replace(self.pages, phone, {"pages": json.dumps(pages), "stored_at": _now()})

    def first_sight(self, message_sid: str) -> bool:
        """Record ``message_sid``; return ``False`` if it was seen before (a replay)."""
        if not message_sid:
            return True
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.insert(self.seen).values(message_sid=message_sid[:64], seen_at=_now())
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def _replace(self, table: sa.Table, phone: str, values: dict[str, Any]) -> None:
        # Delete and insert in one transaction: portable where dialect upserts differ.
        with self.engine.begin() as connection:
            connection.execute(sa.delete(table).where(table.c.phone == phone))
            connection.execute(sa.insert(table).values(phone=phone, **values))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class TwilioSender:
    """Send texts through the Twilio REST API without blocking the event loop."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        api_base: str,
        store: SmsStore,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.api_base = api_base.rstrip("/")
        self.store = store
        self._client: Client | None = None

    @property
    def client(self) -> Client:
        """Return the Twilio client, pointed at the configured API base URL."""
        if self._client is None:
            # pool_connections=False: one HTTP session per request, because requests run
            # in several worker threads at once.
            http = TwilioHttpClient(pool_connections=False, timeout=SEND_TIMEOUT_SECONDS)
            client = Client(self.account_sid, self.auth_token, http_client=http)
            client.api.base_url = self.api_base
            self._client = client
        return self._client

    async def send(self, to: str, body: str, *, even_if_opted_out: bool = False) -> bool:
        """Send one text; return whether Twilio accepted it. Never raises.

        Args:
            to: the patient's number.
            body: the text.
            even_if_opted_out: only for the one confirmation of an opt-out.
        """
        masked = mask_number(to)
        if not body.strip():
            return False
        try:
            if not even_if_opted_out and self.store.is_opted_out(to):
                logger.info("SMS to %s not sent: the number opted out", masked)
                return False
            create = functools.partial(
                self.client.messages.create, to=to, from_=self.from_number, body=body
            )
            sid = await asyncio.get_running_loop().run_in_executor(None, create)
        except TwilioRestException as error:
            # Twilio's message text can repeat the number: log the codes only.
            logger.error(
                "SMS to %s failed: Twilio answered HTTP %s, error code %s",
                masked,
                error.status,
                error.code,
            )
            return False
        except Exception as error:  # a network or database failure must not reach Twilio
            logger.error("SMS to %s failed: %s", masked, type(error).__name__)
            return False
        logger.debug("SMS to %s accepted as %s", masked, getattr(sid, "sid", "?"))
        return True


class TwilioSmsOutput(OutputChannel):
    """Output for messages sent outside a patient's turn (e.g. reminders via the API).

    Each call sends at once as its own text; within a webhook turn the input channel
    collects the messages instead and sends them together.
    """

    @classmethod
    def name(cls) -> str:
        """Return the channel name the actions check for SMS wording."""
        return CHANNEL_NAME

    def __init__(self, sender: TwilioSender, words: ChannelWords) -> None:
        self.sender = sender
        self.words = words

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message as one text (buttons as a "Reply A for ..." line)."""
        turn = compose_turn([message], self.words.sms, urgent=True)
        if turn.buttons:
            self.sender.store.set_offered_buttons(recipient_id, turn.buttons)
        for body in turn.bodies:
            await self.sender.send(recipient_id, body)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send a plain text."""
        await self.send_response(recipient_id, {"text": text})


class _TurnCollector(TurnCollector):
    """Collect one turn's messages whole, under the SMS channel's name."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME


class TwilioSmsInput(InputChannel):
    """Twilio SMS input channel; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        """Return the channel name (``twilio``: the actions check it)."""
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Create the channel from the settings; fail fast on a missing secret.

        Raises:
            SettingsError: a Twilio setting is missing or a placeholder.
        """
        settings = get_settings()
        return cls(
            account_sid=settings.require("twilio_account_sid"),
            auth_token=settings.require("twilio_auth_token"),
            from_number=settings.require("twilio_from_number"),
            public_url=settings.require("public_url"),
            api_base=settings.twilio_api_base,
            database_url=settings.database_url,
            emergency_number=settings.emergency_number,
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        public_url: str,
        api_base: str,
        database_url: str,
        emergency_number: str,
        words: ChannelWords | None = None,
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.store = SmsStore(database_url)
        self.sender = TwilioSender(account_sid, auth_token, from_number, api_base, self.store)
        self.words = words or channel_words()
        self.values = {"emergency_number": emergency_number}

    def get_output_channel(self) -> OutputChannel:
        """Return an output that sends each message as a text at once."""
        return TwilioSmsOutput(self.sender, self.words)

    def is_signed(self, url: str, params: Any, signature: str) -> bool:
        """Return whether ``signature`` is Twilio's signature of ``url`` and ``params``."""
        if not signature:
            return False
        try:
            return bool(self.validator.validate(url, params, signature))
        except Exception:  # a malformed request is simply not signed
            logger.warning("SMS webhook: the signature could not be checked")
            return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the routes: a health check and the signed message webhook."""
        webhook = Blueprint("backcare_twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            url = self.public_url + request.path
            if request.query_string:
                url += "?" + request.query_string
            form = form_fields(request.content_type, request.body)
            if not self.is_signed(url, form, request.headers.get(SIGNATURE_HEADER, "")):
                logger.warning("SMS webhook: rejected a request without a valid signature")
                return response.text("", status=403)
            if not self.store.first_sight(form.first("MessageSid")):
                logger.warning("SMS webhook: a replayed message was ignored")
                return response.text(EMPTY_TWIML, content_type="application/xml")
            try:
                await self.handle(
                    form.first("From"),
                    form.first("Body"),
                    request.app.ctx.agent,
                    on_new_message,
                )
            except Exception:  # Twilio must never see a 500; the patient is told nothing
                logger.exception("SMS webhook: the message could not be handled")
            return response.text(EMPTY_TWIML, content_type="application/xml")

        return webhook

    async def handle(
        self,
        sender: str,
        body: str,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Handle one signed inbound text: a keyword, or a message for the assistant.

        Args:
            sender: the patient's number (Twilio's ``From``).
            body: the text (Twilio's ``Body``); may be empty.
            agent: the Rasa agent, for :func:`guard_text`.
            on_new_message: Rasa's handler for user messages.
        """
        if not sender.strip():
            logger.warning("SMS webhook: a message without a sender was ignored")
            return
        masked = mask_number(sender)
        body = body[:MAX_INBOUND_CHARS].replace("\x00", "")
        keyword = keyword_of(body, self.words.sms["keywords"])
        if keyword == "more":
            pages = self.store.pending_pages(sender)
            if pages:
                self.store.set_pending_pages(sender, pages[1:])
                await self.sender.send(sender, pages[0])
                return
            keyword = None
        soft_stop = keyword == "stop" and keyword_of(body, {"soft": self.words.sms["soft_stop"]})
        if soft_stop and await questionnaire_open(agent, sender):
            # CANCEL in the middle of questions means "stop the questions".
            await self._converse(sender, body, agent, on_new_message, hint="cancel_hint")
            return
        if keyword is not None:
            await self._keyword(sender, keyword)
            return
        if not body.strip():
            # An empty body is a picture or an empty text: nothing for the assistant.
            logger.info("SMS from %s had no text and was ignored", masked)
            return
        offered = self.store.offered_buttons(sender)
        picked = resolve_reply(body, offered)
        if isinstance(picked, InvalidChoice):
            line = normalise(options_line(offered, self.words.sms))
            await self.sender.send(sender, f"{self.words.sms['invalid_choice']}\n{line}")
            return
        await self._converse(sender, picked if picked is not None else body, agent, on_new_message)

    async def _converse(
        self,
        sender: str,
        text: str,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        hint: str | None = None,
    ) -> None:
        """Send ``text`` to the assistant and text back its turn."""
        text = await guard_text(agent, sender, text)
        collector = _TurnCollector()
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel=CHANNEL_NAME))
        except Exception:
            logger.exception(
                "SMS from %s could not be handled by the assistant", mask_number(sender)
            )
        messages = list(collector.messages)
        if hint:
            messages.append({"text": str(self.words.sms[hint])})
        urgent = any(urgency_of(message, self.words.urgency) for message in messages)
        turn = compose_turn(messages, self.words.sms, urgent=urgent)
        self.store.set_offered_buttons(sender, turn.buttons)
        self.store.set_pending_pages(sender, turn.pages)
        for text_body in turn.bodies:
            await self.sender.send(sender, text_body)

    async def _keyword(self, sender: str, keyword: str) -> None:
        reply = fill(str(self.words.sms[keyword]), self.values)
        if keyword == "stop":
            already = self.store.is_opted_out(sender)
            self.store.set_opted_out(sender, True)
            self.store.set_offered_buttons(sender, [])
            logger.info("SMS: %s opted out", mask_number(sender))
            if not already:
                await self.sender.send(sender, reply, even_if_opted_out=True)
            return
        if keyword == "start":
            self.store.set_opted_out(sender, False)
            logger.info("SMS: %s opted back in", mask_number(sender))
        # HELP is answered even to an opted-out number, as carriers require.
        await self.sender.send(sender, reply, even_if_opted_out=keyword == "help")


async def questionnaire_open(agent: Any, sender: str) -> bool:
    """Return whether the conversation is in a form or a symptom-check question."""
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return False
    try:
        tracker = await store.retrieve(sender)
    except Exception:
        logger.exception("SMS: the conversation could not be read")
        return False
    if tracker is None:
        return False
    if tracker.active_loop_name:
        return True
    for event in reversed(tracker.events):
        name = getattr(event, "action_name", None)
        if name and name not in ("action_listen", "action_extract_slots"):
            return str(name).startswith("utter_ask_screen_")
    return False
