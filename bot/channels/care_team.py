"""Messages a clinician writes to a patient from the console, shown as from "your care team".

The console (:mod:`console.takeover`) pauses a conversation and appends each message
through Rasa's HTTP API as a bot event whose metadata names the clinician under
:data:`CARE_TEAM_KEY`, asking Rasa to send it on the patient's channel::

    POST /conversations/<id>/tracker/events?output_channel=twilio&execute_side_effects=true
    [{"event": "bot", "text": "...", "metadata": {"care_team": {"by": "nurse_kim"}}}]

Rasa hands the channel the message with the metadata merged in, so a channel tells a
care-team message from the assistant's with :func:`is_care_team` and labels it with the
words in ``content/channels.yml``. A channel that cannot put it in front of the patient
(a web chat that is not open, an SMS number that opted out or a failed text) raises
:class:`CareTeamDeliveryError`: Rasa then answers 500 and stores nothing, and the
console reads the reason back with :func:`delivery_failure` and tells the clinician.
The safety policy and the message processor also use :func:`is_care_team`: after a
clinician's message the patient answers the clinician, not the assistant's last
question. Plain logic, no Rasa imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

CARE_TEAM_KEY = "care_team"
DELIVERY_FAILED = "care-team message not delivered"
# Why a care-team message was not delivered.
CHAT_CLOSED = "chat_closed"
OPTED_OUT = "opted_out"
TEXT_FAILED = "text_failed"
REASONS = (CHAT_CLOSED, OPTED_OUT, TEXT_FAILED)
_FAILURE = re.compile(re.escape(DELIVERY_FAILED) + r": ([a-z_]+)")


class CareTeamDeliveryError(RuntimeError):
    """Raised by a channel that could not deliver a care-team message."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{DELIVERY_FAILED}: {reason}")
        self.reason = reason


def is_care_team(message: Mapping[str, Any] | None) -> bool:
    """Return whether a bot message (or a bot event's metadata) is from the care team."""
    return isinstance(message, Mapping) and isinstance(message.get(CARE_TEAM_KEY), Mapping)


def care_team_metadata(by: str) -> dict[str, Any]:
    """Return the metadata of a message, pause or hand-back made by clinician ``by``."""
    return {CARE_TEAM_KEY: {"by": by}}


def author_of(metadata: Mapping[str, Any] | None) -> str:
    """Return who wrote a care-team message (or paused, or handed back); empty if unknown."""
    if not is_care_team(metadata):
        return ""
    assert metadata is not None
    return str(metadata[CARE_TEAM_KEY].get("by") or "")


def delivery_failure(text: str) -> str | None:
    """Return the reason in an error text from a channel that could not deliver, if any."""
    found = _FAILURE.search(text or "")
    if found is None or found.group(1) not in REASONS:
        return None
    return found.group(1)
