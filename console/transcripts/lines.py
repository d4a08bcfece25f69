"""Turn a conversation's stored events into the lines of a transcript, with provenance.

Patient messages carry the intent the NLU gave them and their red-flag entities (flag
id and tier); the assistant's carry the domain response they came from. The patient
message that raised a case's alert is found exactly, by recomputing the alert's key
from the message's id and time as the tracker store did (:mod:`bot.runtime.alerts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.alerts.outbox import alert_key
from console.transcripts.models import RasaEvent

PATIENT = "patient"
ASSISTANT = "assistant"
RED_FLAG_ENTITIES = ("red_flag", "red_flag_ask")
# The assistant's messages carry Markdown links for the chat ("[999](tel:999)"); the
# console shows the words the patient saw.
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")


@dataclass(frozen=True)
class Line:
    """One message of a transcript."""

    event_id: int
    speaker: str
    text: str
    at: datetime | None
    intent: str = ""
    response: str = ""
    flags: list[tuple[str, str]] = field(default_factory=list)
    raised_alert: bool = False


def _at(timestamp: object) -> datetime | None:
    if isinstance(timestamp, (int, float)):
        return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
    return None


def transcript(conversation_id: str, key: str | None) -> list[Line]:
    """Return the patient's and the assistant's messages of a conversation, in order.

    Args:
        conversation_id: the tracker's sender id.
        key: the case's alert key, to mark the message that raised it (None: no mark).
    """
    lines: list[Line] = []
    events = RasaEvent.objects.filter(
        sender_id=conversation_id, type_name__in=("user", "bot")
    ).order_by("id")
    for event in events:
        data = event.payload
        common: dict[str, Any] = {
            "event_id": event.id,
            "text": str(data.get("text") or ""),
            "at": _at(data.get("timestamp")),
        }
        if event.type_name == "user":
            parse = data.get("parse_data") or {}
            entities = parse.get("entities") or []
            flags = [
                (str(entity.get("value", "")), str(entity.get("role") or entity["entity"]))
                for entity in entities
                if isinstance(entity, dict) and entity.get("entity") in RED_FLAG_ENTITIES
            ]
            intent = (parse.get("intent") or {}).get("name") or event.intent_name or ""
            own_key = alert_key(
                conversation_id, data.get("message_id") or "", data.get("timestamp")
            )
            raised = bool(key) and own_key == key
            line = Line(
                speaker=PATIENT, intent=str(intent), flags=flags, raised_alert=raised, **common
            )
        else:
            metadata = data.get("metadata") or {}
            response = metadata.get("utter_action") or metadata.get("content_id") or ""
            common["text"] = _MARKDOWN_LINK.sub(r"\1", common["text"])
            line = Line(speaker=ASSISTANT, response=str(response), **common)
        lines.append(line)
    return lines
