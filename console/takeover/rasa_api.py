"""Change a conversation through the Rasa server's HTTP API: pause, a clinician's message, resume.

The console reads conversations straight from the database (Rasa's ``events`` table)
but never writes them. A takeover must go through the Rasa server: it holds each
conversation's lock (a patient's message and the clinician's never interleave half
applied), keeps the live tracker that the pause must reach, and owns the channels that
put a message in front of the patient (the web chat's socket, the SMS sender). So the
console appends events with ``POST /conversations/<id>/tracker/events``, with the token
the server was started with (``RASA_API_TOKEN``)::

    api = RasaApi("http://127.0.0.1:5005", token)
    api.append(sender_id, [pause_event("nurse_kim")])
    api.append(sender_id, [message_event("nurse_kim", "Hello")], channel="twilio")
    api.append(sender_id, [resume_event("nurse_kim")])

Every failure is a :class:`RasaApiError` whose ``reason`` says what went wrong in words
a clinician can act on (the server is off or not answering, the token is wrong, the
patient's chat is closed or their number opted out...). When Rasa answers an error it
has stored nothing: a message it could not deliver is not kept. Plain Python, no Django.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from bot.channels.care_team import (
    CHAT_CLOSED,
    OPTED_OUT,
    TEXT_FAILED,
    care_team_metadata,
    delivery_failure,
)

TIMEOUT_SECONDS = 30.0
# Characters a sender id keeps as they are in the URL: Rasa's router does not decode
# the path, so "+447700900123" must reach it with its "+".
_PATH_SAFE = "+:@.-_~"

OFF = "off"
UNREACHABLE = "unreachable"
NO_ANSWER = "no_answer"
REFUSED = "refused"
FAILED = "failed"
REASONS = {
    OFF: "The console is not set up to reach the assistant server: RASA_API_TOKEN (and "
    "BACKCARE_RASA_URL, if the server is elsewhere) must be set for the console.",
    UNREACHABLE: "The assistant server could not be reached: it may be stopped or restarting.",
    NO_ANSWER: "The assistant server did not answer in time. It may still have done it: "
    "look at the conversation before trying again.",
    REFUSED: "The assistant server refused the console's token (RASA_API_TOKEN differs "
    "between the two).",
    FAILED: "The assistant server could not do it.",
    CHAT_CLOSED: "The patient's web chat is not open now, so they cannot receive it.",
    OPTED_OUT: "The patient has opted out of texts (STOP), so no text can be sent.",
    TEXT_FAILED: "The text service did not accept the text.",
}


class RasaApiError(RuntimeError):
    """The Rasa server did not do what was asked; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def explanation(self) -> str:
        """Return what went wrong, in words for the clinician."""
        return REASONS.get(self.reason, REASONS[FAILED])


def pause_event(by: str) -> dict[str, Any]:
    """Return Rasa's ``pause`` event for a takeover by clinician ``by``."""
    return {"event": "pause", "timestamp": time.time(), "metadata": care_team_metadata(by)}


def resume_event(by: str) -> dict[str, Any]:
    """Return Rasa's ``resume`` event for a hand-back by clinician ``by``."""
    return {"event": "resume", "timestamp": time.time(), "metadata": care_team_metadata(by)}


def message_event(by: str, text: str) -> dict[str, Any]:
    """Return a bot event for a message clinician ``by`` writes to the patient."""
    return {
        "event": "bot",
        "text": text,
        "timestamp": time.time(),
        "metadata": care_team_metadata(by),
    }


class RasaApi:
    """The Rasa server's conversation events endpoint, with its token."""

    def __init__(self, base_url: str, token: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def url(self, sender_id: str, channel: str | None = None) -> str:
        """Return the address that appends events to ``sender_id``'s conversation."""
        query = {"token": self.token, "include_events": "NONE"}
        if channel:
            # Send the bot events on the patient's channel, as Rasa's "side effects".
            query.update(output_channel=channel, execute_side_effects="true")
        path = urllib.parse.quote(sender_id, safe=_PATH_SAFE)
        return f"{self.base_url}/conversations/{path}/tracker/events?" + urllib.parse.urlencode(
            query
        )

    def append(
        self, sender_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        """Append ``events`` to the conversation; with ``channel``, send its messages there.

        Raises:
            RasaApiError: nothing was done, or (``no_answer``) it is not known whether.
        """
        if not self.token.strip():
            raise RasaApiError(OFF, "no token")
        if urllib.parse.urlsplit(self.base_url).scheme not in ("http", "https"):
            raise RasaApiError(OFF, "not an http(s) address")
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            self.url(sender_id, channel),
            data=json.dumps(events).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (as above)
                response.read()
        except urllib.error.HTTPError as error:
            raise _http_error(error) from None
        except TimeoutError as error:
            raise RasaApiError(NO_ANSWER, type(error).__name__) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise RasaApiError(NO_ANSWER, "timeout") from None
            raise RasaApiError(UNREACHABLE, str(error.reason)) from None
        except (OSError, ValueError) as error:
            raise RasaApiError(UNREACHABLE, type(error).__name__) from None


def _http_error(error: urllib.error.HTTPError) -> RasaApiError:
    """Return the error for an HTTP error answer, reading Rasa's message if it has one."""
    try:
        body = error.read(65536).decode("utf-8", errors="replace")
    except OSError:
        body = ""
    if error.code in (401, 403):
        return RasaApiError(REFUSED, f"HTTP {error.code}")
    try:
        message = str(json.loads(body).get("message") or "")
    except (ValueError, AttributeError):
        message = ""
    reason = delivery_failure(message)
    if reason is not None:
        return RasaApiError(reason, f"HTTP {error.code}")
    return RasaApiError(FAILED, f"HTTP {error.code}")
