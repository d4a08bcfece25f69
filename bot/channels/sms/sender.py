"""Send texts through the Twilio REST API, off the event loop, and never raise.

The SMS channel (:mod:`bot.channels.sms.channel`) sends every text through one
:class:`TwilioSender`; it checks the opt-out first and logs a failure with the number
masked (:func:`mask_number`), because Twilio must never see a 500 and a log must never
hold a patient's number::

    sender = TwilioSender(sid, token, from_number, api_base, store)
    await sender.send("+447700900123", "Reply A for Sleep, B for Menu.")
"""

from __future__ import annotations

import asyncio
import functools
import logging

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.channels.sms.store import SmsStore

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 10.0


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


def mask_number(number: str) -> str:
    """Return a phone number fit for logs: ``+447700900123`` -> ``+44*******123``."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * max(len(number) - 2, 0) + number[-2:]
    return number[:3] + "*" * (len(number) - 6) + number[-3:]
