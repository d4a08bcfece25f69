"""Read what the console needs from one stored Rasa event (plain logic, no Django).

Rasa keeps each event as JSON (``events.data``). Both the conversation index
(:mod:`console.transcripts.index`) and the transcript (:mod:`console.transcripts.lines`)
read the same facts from it through these functions, so a list filter and the transcript
it leads to never disagree::

    payload = parse_payload(row.data)
    tier_of(payload)            # "emergency", "urgent", "soon" or "none"
    findings_of(payload)        # red-flag findings with their evidence span
    is_fallback("bot", payload) # the assistant could not understand the message
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.policies.safety_names import INTENT_TIERS, TIER_ORDER

USER = "user"
BOT = "bot"
ACTION = "action"
SLOT = "slot"
# A clinician's takeover and hand-back (console.takeover): Rasa's pause and resume.
PAUSE = "pause"
RESUME = "resume"
RED_FLAG_ENTITY = "red_flag"
ASK_ENTITY = "red_flag_ask"
NO_TIER = "none"
# Tiers from the most to the least urgent, as the list filter offers them.
TIERS = tuple(sorted(TIER_ORDER, key=lambda tier: -TIER_ORDER[tier]))
# Signs that the assistant did not understand: the NLU's fallback intent (also logged
# for a message not read under the rate limit), the fallback actions and the last line
# of defence's reply (bot.runtime.processor).
FALLBACK_INTENTS = frozenset({"nlu_fallback"})
FALLBACK_ACTIONS = frozenset(
    {"action_suggest_topics", "action_default_fallback", "action_two_stage_fallback"}
)
FALLBACK_RESPONSES = frozenset({"utter_turn_fallback", "utter_default"})
# The assistant's messages carry Markdown links for the chat ("[999](tel:999)"); the
# console shows the words the patient saw.
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")


@dataclass(frozen=True)
class Finding:
    """One red flag found in a patient's message.

    Attributes:
        flag: the flag id from the catalogue.
        tier: its tier (``emergency``, ``urgent``, ``soon``).
        start: where its evidence starts in the message text (None: not located).
        end: where its evidence ends.
    """

    flag: str
    tier: str
    start: int | None = None
    end: int | None = None


def parse_payload(data: str | None) -> dict[str, Any]:
    """Return an event's JSON as a dictionary (empty when missing or unreadable)."""
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def moment(timestamp: object) -> datetime | None:
    """Return a Rasa timestamp (seconds since the epoch) as an aware UTC datetime."""
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
        return datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
    return None


def shown_text(text: object) -> str:
    """Return an assistant message's text as the patient saw it (links as their words)."""
    return _MARKDOWN_LINK.sub(r"\1", str(text or ""))


def intent_of(payload: dict[str, Any]) -> tuple[str, float | None]:
    """Return a patient message's intent name and confidence (``""``, None if unknown)."""
    parse = payload.get("parse_data")
    intent = parse.get("intent") if isinstance(parse, dict) else None
    if not isinstance(intent, dict):
        return "", None
    confidence = intent.get("confidence")
    number = float(confidence) if isinstance(confidence, (int, float)) else None
    return str(intent.get("name") or ""), number


def _entities(payload: dict[str, Any]) -> list[dict[str, Any]]:
    parse = payload.get("parse_data")
    entities = parse.get("entities") if isinstance(parse, dict) else None
    return [entity for entity in entities or [] if isinstance(entity, dict)]


def _offset(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def findings_of(payload: dict[str, Any]) -> list[Finding]:
    """Return the red-flag findings the NLU attached to a patient message."""
    findings = []
    for entity in _entities(payload):
        if entity.get("entity") != RED_FLAG_ENTITY:
            continue
        start, end = _offset(entity.get("start")), _offset(entity.get("end"))
        findings.append(
            Finding(
                flag=str(entity.get("value") or ""),
                tier=str(entity.get("role") or NO_TIER),
                start=start,
                end=end,
            )
        )
    return findings


def asks_of(payload: dict[str, Any]) -> list[str]:
    """Return the clarifying questions (``red_flag_ask`` values) a message led to."""
    return [
        str(entity.get("value") or "")
        for entity in _entities(payload)
        if entity.get("entity") == ASK_ENTITY
    ]


def tier_of(payload: dict[str, Any]) -> str:
    """Return the highest red-flag tier of a patient message (``none`` without one)."""
    tiers = [finding.tier for finding in findings_of(payload)]
    intent, _ = intent_of(payload)
    if intent in INTENT_TIERS:
        tiers.append(INTENT_TIERS[intent])
    return highest(tiers)


def highest(tiers: list[str] | tuple[str, ...]) -> str:
    """Return the most urgent of ``tiers`` (``none`` when empty or all unknown)."""
    known = [tier for tier in tiers if tier in TIER_ORDER]
    return max(known, key=lambda tier: TIER_ORDER[tier], default=NO_TIER)


def tier_rank(tier: str) -> int:
    """Return a tier's rank: 0 for none, higher for more urgent."""
    return TIER_ORDER.get(tier, 0)


def model_id_of(payload: dict[str, Any]) -> str:
    """Return the id of the model that handled the event (empty when not recorded)."""
    metadata = payload.get("metadata")
    return str(metadata.get("model_id") or "") if isinstance(metadata, dict) else ""


def bot_sources(payload: dict[str, Any]) -> tuple[str, str]:
    """Return an assistant message's domain response name and content id (either empty)."""
    metadata = payload.get("metadata")
    if not isinstance(metadata, dict):
        return "", ""
    return str(metadata.get("utter_action") or ""), str(metadata.get("content_id") or "")


def is_fallback(type_name: str, payload: dict[str, Any]) -> bool:
    """Say whether the event shows that the assistant did not understand the patient."""
    if type_name == USER:
        return intent_of(payload)[0] in FALLBACK_INTENTS
    if type_name == ACTION:
        return str(payload.get("name") or "") in FALLBACK_ACTIONS
    if type_name == BOT:
        return bot_sources(payload)[0] in FALLBACK_RESPONSES
    return False
