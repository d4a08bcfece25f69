"""Keep typed text from being read as a Rasa command.

Rasa treats a message that starts with "/" as ``/intent{"slot": "value"}``: it sets the
intent and entities directly and the classifier's verdict is replaced. A patient could
type that by accident, or on purpose. Every channel passes the text through
:func:`guard_text` first: only a payload the bot offered as a button in its last
message is let through as a command; any other text starting with "/" is escaped so
that it is read as plain words (and still checked for red flags)::

    text = await guard_text(request.app.ctx.agent, sender_id, text)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Rasa strips whitespace before looking for "/", so a space would not escape it. The
# word joiner is invisible, is not whitespace, and keeps the patient's words intact.
ESCAPE = "\u2060"
COMMAND_PREFIX = "/"


def offered_payloads(events: Iterable[dict[str, Any]]) -> set[str]:
    """Return the button payloads of the bot's messages since the last user message."""
    payloads: set[str] = set()
    for event in reversed(list(events)):
        if event.get("event") == "user":
            break
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        for button in data.get("buttons") or []:
            payload = button.get("payload") if isinstance(button, dict) else None
            if isinstance(payload, str):
                payloads.add(payload.strip())
    return payloads


def escape_command(text: str, offered: set[str]) -> str:
    """Return the text, escaped unless it is exactly a payload the bot offered."""
    stripped = text.strip()
    if not stripped.startswith(COMMAND_PREFIX) or stripped in offered:
        return text
    return ESCAPE + stripped


def clean_text(text: str, max_chars: int) -> str:
    """Return ``text`` without NUL characters or lone surrogates, cut to ``max_chars``.

    Channels call this at their edge with the hard inbound limit
    (``BACKCARE_MAX_INBOUND_CHARS``); the Rasa server then reads a longer-than-usual
    message for red flags in full and the rest of the NLU reads its first
    ``BACKCARE_MAX_MESSAGE_CHARS`` (:mod:`bot.runtime.processor`). NUL cannot be stored
    by PostgreSQL and is never part of what a patient meant.
    """
    return without_surrogates(text.replace("\x00", ""))[:max_chars]


def without_surrogates(text: str) -> str:
    """Return ``text`` with lone UTF-16 surrogates replaced by U+FFFD.

    JSON can carry them (an escaped D800, say), but they cannot be encoded as UTF-8, so spaCy
    and the database would fail on the message.
    """
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


async def guard_text(agent: Any, sender_id: str, text: str | None) -> str:
    """Return ``text`` made safe for this conversation (see the module docstring)."""
    if not text:
        return ""
    if not text.strip().startswith(COMMAND_PREFIX):
        return text
    offered: set[str] = set()
    tracker_store = getattr(agent, "tracker_store", None)
    if tracker_store is not None:
        tracker = await tracker_store.retrieve(sender_id)
        if tracker is not None:
            offered = offered_payloads(event.as_dict() for event in tracker.events)
    return escape_command(text, offered)
