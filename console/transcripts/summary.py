"""Fold a conversation's events, one at a time and in order, into its summary (no Django).

The conversation list shows and filters on what :class:`Summary` holds. The index
(:mod:`console.transcripts.index`) loads a summary from its row, folds each new event in
with :meth:`Summary.fold` and writes it back::

    summary = Summary()
    for event_id, type_name, timestamp, data, action_name in rows:
        summary.fold(event_id, type_name, timestamp, data, action_name)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from console.transcripts import events
from console.transcripts.events import parse_payload

# Bar-separated, so that one intent is matched whole: "|greet|" is not in "|greeting|".
BAR = "|"


def search_form(text: str) -> str:
    """Return ``text`` as it is stored and searched: case-folded, spaces collapsed."""
    return " ".join(text.casefold().split())


def intents_field(intents: set[str]) -> str:
    """Return intents as the index stores them: ``|a|b|`` (sorted), ``|`` for none."""
    return BAR + "".join(f"{name}{BAR}" for name in sorted(intents))


def intents_from(value: str) -> set[str]:
    """Return the intents stored as ``|a|b|``."""
    return {name for name in value.split(BAR) if name}


@dataclass
class Summary:
    """What the list knows of one conversation."""

    channel: str = ""
    model_id: str = ""
    first_at: datetime | None = None
    last_at: datetime | None = None
    patient_messages: int = 0
    event_count: int = 0
    tier_rank: int = 0
    fallback: bool = False
    intents: set[str] = field(default_factory=set)
    # Words of the messages folded since the summary was loaded, in search form.
    new_text: list[str] = field(default_factory=list)
    last_event_id: int = 0

    def fold(
        self,
        event_id: int,
        type_name: str,
        timestamp: float | None,
        data: str | None,
        action_name: str | None = None,
    ) -> None:
        """Add one stored event to the summary.

        Args:
            event_id: its id in ``events``.
            type_name: its type (``user``, ``bot``, ``action``, ``slot``...).
            timestamp: its time, in seconds since the epoch.
            data: its JSON.
            action_name: the ``action_name`` column (an action's name), which spares
                reading the JSON of every action.
        """
        self.event_count += 1
        self.last_event_id = max(self.last_event_id, event_id)
        at = events.moment(timestamp)
        if at is not None:
            self.first_at = at if self.first_at is None else min(self.first_at, at)
            self.last_at = at if self.last_at is None else max(self.last_at, at)
        if type_name == events.ACTION:
            name = action_name if action_name is not None else parse_payload(data).get("name")
            self.fallback = self.fallback or name in events.FALLBACK_ACTIONS
            return
        if type_name not in (events.USER, events.BOT):
            return
        payload = parse_payload(data)
        self.fallback = self.fallback or events.is_fallback(type_name, payload)
        model_id = events.model_id_of(payload)
        if model_id:
            self.model_id = model_id
        if type_name == events.BOT:
            text = search_form(events.shown_text(payload.get("text")))
        else:
            self.patient_messages += 1
            intent, _ = events.intent_of(payload)
            if intent:
                self.intents.add(intent)
            self.tier_rank = max(self.tier_rank, events.tier_rank(events.tier_of(payload)))
            channel = payload.get("input_channel")
            if channel:
                self.channel = str(channel)[:64]
            text = search_form(str(payload.get("text") or ""))
        if text:
            self.new_text.append(text)
