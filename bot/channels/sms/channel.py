"""SMS channel on Twilio, hardened for patients: signed webhooks, opt-out, one text a turn.

Enable it in the credentials file given to ``rasa run`` (the values come from the
settings, i.e. environment variables, not from the file)::

    bot.channels.sms.channel.TwilioSmsInput: {}

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
  to it until START) and turn off the patient's reminders (:mod:`bot.reminders`), which
  START does not turn back on; HELP is always answered, opted out or not. CANCEL, END and QUIT
  while a questionnaire is open (a plan, the check-in, the symptom check) stop the
  questions instead, and the reply says how to stop all texts. The words are in
  ``content/channels.yml``;
- a turn is one text of at most two segments, the rest waiting for MORE
  (:mod:`bot.channels.sms.format`); urgent-care advice is never held back. Buttons
  become "Reply A for ..., B for ..." (or "Reply YES or NO") and a reply "A" is mapped
  back to the offered payload here, on the server; a letter that was not offered gets
  the options again, and the options are kept;
- a replayed webhook (the same ``MessageSid`` again) is answered once only;
- texts are sent through the Twilio REST API in a worker thread, so the server never
  waits on Twilio; a failed send is logged with the number masked, and Twilio always
  gets a 200 with empty TwiML, never a 500;
- typed text goes through :func:`bot.channels.guard.guard_text` like every channel;
- a clinician's message from the console (:mod:`bot.channels.care_team`) is sent
  whole, as many texts as it takes, each starting "Your care team:", and withdraws the
  options and pages the assistant left waiting; one that cannot be sent (the number
  opted out, Twilio refused) raises, so the console says so and nothing is stored.
  While a clinician holds the conversation, MORE and letters reach it as typed: the
  patient's words are for the clinician, not a page or option of an earlier answer.

A message from an opted-out number is still read by the assistant (a red flag still
alerts the care team) but nothing is sent back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.care_team import (
    OPTED_OUT,
    TEXT_FAILED,
    CareTeamDeliveryError,
    is_care_team,
)
from bot.channels.common import NamedChannel, add_health_check
from bot.channels.guard import guard_text
from bot.channels.sms.format import care_team_texts, compose_turn, options_line
from bot.channels.sms.replies import InvalidChoice, keyword_of, resolve_reply
from bot.channels.sms.segments import normalise
from bot.channels.sms.sender import TwilioSender, mask_number
from bot.channels.sms.store import SmsStore
from bot.channels.turn import TurnCollector
from bot.channels.words import ChannelWords, channel_words, fill, urgency_of
from bot.reminders.store import ReminderStore
from bot.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL_NAME = "twilio"
SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio never delivers a longer inbound body; a forged or odd request is cut the same.
MAX_INBOUND_CHARS = 1600
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


class TwilioSmsOutput(NamedChannel, OutputChannel):
    """Output for messages sent outside a patient's turn (e.g. reminders via the API).

    Each call sends at once as its own text; within a webhook turn the input channel
    collects the messages instead and sends them together.
    """

    channel_name = CHANNEL_NAME

    def __init__(self, sender: TwilioSender, words: ChannelWords) -> None:
        self.sender = sender
        self.words = words

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Send one bot message as one text (buttons as a "Reply A for ..." line).

        Raises:
            CareTeamDeliveryError: a care-team message that could not be sent.
        """
        if is_care_team(message):
            await self._send_care_team(recipient_id, str(message.get("text") or ""))
            return
        turn = compose_turn([message], self.words.sms, urgent=True)
        if turn.buttons:
            self.sender.store.set_offered_buttons(recipient_id, turn.buttons)
        for body in turn.bodies:
            await self.sender.send(recipient_id, body)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send a plain text."""
        await self.send_response(recipient_id, {"text": text})

    async def _send_care_team(self, recipient_id: str, text: str) -> None:
        """Send a clinician's message whole, or raise saying why it was not sent."""
        store = self.sender.store
        if store.is_opted_out(recipient_id):
            raise CareTeamDeliveryError(OPTED_OUT)
        # The patient now answers the clinician: no letter or MORE refers to before.
        store.set_offered_buttons(recipient_id, [])
        store.set_pending_pages(recipient_id, [])
        for body in care_team_texts(text, self.words.sms):
            if not await self.sender.send(recipient_id, body):
                raise CareTeamDeliveryError(TEXT_FAILED)


class _TurnCollector(NamedChannel, TurnCollector):
    """Collect one turn's messages whole, under the SMS channel's name."""

    channel_name = CHANNEL_NAME


class TwilioSmsInput(NamedChannel, InputChannel):
    """Twilio SMS input channel; see the module docstring."""

    channel_name = CHANNEL_NAME  # twilio: the actions check it

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
        self.database_url = database_url
        self.store = SmsStore(database_url)
        self.sender = TwilioSender(account_sid, auth_token, from_number, api_base, self.store)
        self._reminders: ReminderStore | None = None
        self.words = words or channel_words()
        self.values = {"emergency_number": emergency_number}

    @property
    def reminders(self) -> ReminderStore:
        """Return the reminder store, opened on first use."""
        if self._reminders is None:
            self._reminders = ReminderStore.from_url(self.database_url)
        return self._reminders

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

        add_health_check(webhook)

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
        if keyword in (None, "more") and body.strip() and await self._held(sender, agent, keyword):
            await self._converse(sender, body, agent, on_new_message)
            return
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

    async def _held(self, sender: str, agent: Any, keyword: str | None) -> bool:
        """Return whether a clinician holds the conversation, when that changes the reading.

        Only MORE and a reply while options are offered read differently; the tracker
        is not read for anything else.
        """
        if keyword != "more" and not self.store.offered_buttons(sender):
            return False
        return await conversation_paused(agent, sender)

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
            # Consent to reminders ends with the opt-out; START does not bring them back.
            if self.reminders.stop(sender):
                logger.info("SMS: %s's reminders were turned off", mask_number(sender))
            if not already:
                await self.sender.send(sender, reply, even_if_opted_out=True)
            return
        if keyword == "start":
            self.store.set_opted_out(sender, False)
            logger.info("SMS: %s opted back in", mask_number(sender))
        # HELP is answered even to an opted-out number, as carriers require.
        await self.sender.send(sender, reply, even_if_opted_out=keyword == "help")


async def conversation_paused(agent: Any, sender: str) -> bool:
    """Return whether the conversation is paused (a clinician has taken it over)."""
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return False
    try:
        tracker = await store.retrieve(sender)
        return bool(tracker is not None and tracker.is_paused())
    except Exception:
        logger.exception("SMS: the conversation could not be read")
        return False


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
