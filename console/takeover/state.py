"""Read a conversation's takeover from Rasa's stored events: held or not, by whom, where.

The Rasa server is the one place the pause lives (its tracker); the console reads the
same facts back from the ``events`` table it already reads for transcripts, so it
keeps no copy that could disagree. A conversation is held when the latest of its
``pause``, ``resume``, ``restart`` and ``session_started`` events is a pause (the
message processor pauses a new session again while a takeover lasts)::

    held = takeover_of(sender_id)
    held.paused, held.by, held.since, held.channel, held.can_write
    recent_entries(sender_id, after=0)   # the latest messages, oldest first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.channels.care_team import author_of
from console.transcripts import events
from console.transcripts.lines import CARE_TEAM, HANDED_BACK, TAKEN_OVER, Entry, entry_for
from console.transcripts.models import RasaEvent

# The channels the console can write to, and their names for the clinician. REST is
# for integrations: nothing there can show a message to a patient.
WRITABLE_CHANNELS = {"webchat": "web chat", "twilio": "SMS"}
# Events that start, end or reset a pause.
_PAUSE_TYPES = (events.PAUSE, events.RESUME, "restart", "session_started")
# What the live page shows: messages, and the takeover and hand-back.
_LIVE_TYPES = (events.USER, events.BOT, events.PAUSE, events.RESUME)
LIVE_KINDS = frozenset({"patient", "assistant", CARE_TEAM, TAKEN_OVER, HANDED_BACK})
RECENT = 50


@dataclass(frozen=True)
class Takeover:
    """Whether a clinician holds the conversation, and the patient's channel."""

    paused: bool
    by: str = ""
    since: datetime | None = None
    channel: str = ""

    @property
    def can_write(self) -> bool:
        """Say whether the console can write to the patient on their channel."""
        return self.channel in WRITABLE_CHANNELS

    @property
    def channel_name(self) -> str:
        """Return the channel as the clinician knows it ("web chat", "SMS"...)."""
        return WRITABLE_CHANNELS.get(self.channel, self.channel or "an unknown channel")


def takeover_of(sender_id: str) -> Takeover:
    """Return the conversation's takeover state and its patient's latest channel."""
    latest = (
        RasaEvent.objects.filter(sender_id=sender_id, type_name__in=_PAUSE_TYPES)
        .order_by("-id")
        .values_list("type_name", "data")
        .first()
    )
    channel = ""
    message = (
        RasaEvent.objects.filter(sender_id=sender_id, type_name=events.USER)
        .order_by("-id")
        .values_list("data", flat=True)
        .first()
    )
    if message is not None:
        channel = str(events.parse_payload(message).get("input_channel") or "")
    if latest is None or latest[0] != events.PAUSE:
        return Takeover(paused=False, channel=channel)
    payload = events.parse_payload(latest[1])
    return Takeover(
        paused=True,
        by=author_of(payload.get("metadata")),
        since=events.moment(payload.get("timestamp")),
        channel=channel,
    )


def recent_entries(sender_id: str, after: int = 0, limit: int = RECENT) -> list[Entry]:
    """Return the conversation's messages (and takeovers) after event ``after``, oldest first.

    At most the latest ``limit`` of them: the live page shows the end of the
    conversation, and the transcript has the rest.
    """
    rows = (
        RasaEvent.objects.filter(sender_id=sender_id, id__gt=after, type_name__in=_LIVE_TYPES)
        .order_by("-id")
        .values_list("id", "type_name", "data")[:limit]
    )
    found = []
    for event_id, type_name, data in reversed(list(rows)):
        entry = entry_for(event_id, type_name, events.parse_payload(data), sender_id, None)
        if entry is not None and entry.kind in LIVE_KINDS:
            found.append(entry)
    return found


def last_event_id(sender_id: str) -> int:
    """Return the id of the conversation's latest stored event (0 when it has none)."""
    newest = (
        RasaEvent.objects.filter(sender_id=sender_id).order_by("-id").values_list("id", flat=True)
    ).first()
    return int(newest or 0)
