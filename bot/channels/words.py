"""The channels' words and what every channel reads from a bot message.

``content/channels.yml`` is the only place the channels' own words live (the widget's
labels, the SMS keyword replies, the response names that are urgent care). The web chat
channel (:mod:`bot.channels.web`) and the SMS channel (:mod:`bot.channels.sms`) both
read it through :func:`channel_words`, once per process on first use::

    words = channel_words()
    urgency_of(message, words.urgency)   # "emergency", "urgent" or None
    fill(words.emergency_line, {"emergency_number": "999"})

Nothing here does I/O except :func:`load_channel_words`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CHANNELS_CONTENT = Path(__file__).resolve().parents[2] / "content" / "channels.yml"
URGENCY_LEVELS = ("emergency", "urgent")
EMERGENCY_PREFIX = "utter_urgent_care_emergency"
# The SMS replies every deployment needs; the loader refuses a file without them.
SMS_REPLIES = (
    "stop", "start", "help", "options", "option", "option_separator", "shortened",
    "yes_no", "more", "invalid_choice", "cancel_hint", "care_team",
)  # fmt: skip


@dataclass(frozen=True)
class ChannelWords:
    """The patient-facing words of the channels, as read from ``content/channels.yml``."""

    emergency_line: str
    web: Mapping[str, str]
    sms: Mapping[str, Any]
    urgency: Mapping[str, Sequence[str]]


def load_channel_words(path: Path = CHANNELS_CONTENT) -> ChannelWords:
    """Read and check ``content/channels.yml``.

    Raises:
        ValueError: a section or one of the SMS replies is missing.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path} must hold a mapping")
    web, sms, urgency = raw.get("web"), raw.get("sms"), raw.get("urgency") or {}
    line = raw.get("emergency_line")
    if not isinstance(web, dict) or not isinstance(sms, dict) or not isinstance(line, str):
        raise ValueError(f"{path} needs 'emergency_line', 'web' and 'sms'")
    for key in SMS_REPLIES:
        if not isinstance(sms.get(key), str):
            raise ValueError(f"{path}: sms.{key} must be text")
    keywords = sms.get("keywords")
    if not isinstance(keywords, dict) or not all(k in keywords for k in ("stop", "start", "help")):
        raise ValueError(f"{path}: sms.keywords needs stop, start and help lists")
    return ChannelWords(
        emergency_line=line,
        web={str(k): str(v) for k, v in web.items()},
        sms=sms,
        urgency={str(k): [str(n) for n in v or []] for k, v in urgency.items()},
    )


@lru_cache(maxsize=1)
def channel_words() -> ChannelWords:
    """Return the channels' words, read once per process on first use."""
    return load_channel_words()


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders; unknown braces are left as they are."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def urgency_of(message: Mapping[str, Any], rules: Mapping[str, Any]) -> str | None:
    """Return ``"emergency"``, ``"urgent"`` or ``None`` for a bot message.

    Args:
        message: the message as Rasa hands it to an output channel (``text``,
            ``custom``, ``utter_action``...).
        rules: level -> response names, from ``content/channels.yml``.
    """
    custom = message.get("custom")
    if isinstance(custom, Mapping) and custom.get("urgency") in URGENCY_LEVELS:
        return str(custom["urgency"])
    name = message.get("utter_action") or message.get("response")
    for level in URGENCY_LEVELS:
        if isinstance(name, str) and name in (rules.get(level) or ()):
            return level
    if isinstance(name, str) and name.startswith(EMERGENCY_PREFIX):
        return "emergency"  # every emergency response, whatever its kind
    return None


def usable_buttons(buttons: Iterable[Any]) -> list[dict[str, str]]:
    """Return the buttons that have a text title and payload, as plain dicts."""
    found: list[dict[str, str]] = []
    for button in buttons:
        if not isinstance(button, Mapping):
            continue
        title, payload = button.get("title"), button.get("payload")
        if isinstance(title, str) and isinstance(payload, str) and title and payload:
            found.append({"title": title, "payload": payload})
    return found
