"""The reminder as the patient gets it, from the ``due`` section of ``content/reminders.yml``.

The scheduler (:mod:`bot.reminders.scheduler`) texts it, and the web chat channel shows
it when the patient next opens the chat; both build it here, as a bot message (text,
buttons and the content id) that the channels already know how to render::

    words = reminder_words()
    words.message("exercise", sms=True)
    # {"text": "BackCare: time for ...", "buttons": [...], "content_id": "reminders.due.exercise"}

The chat's own words for setting, changing and stopping reminders are read from the
same file by the action server (:mod:`actions.reminders.messages`). Nothing here does
I/O except :func:`load_reminder_words`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REMINDERS_CONTENT = Path(__file__).resolve().parents[2] / "content" / "reminders.yml"
CONTENT_ID = "reminders.due"


@dataclass(frozen=True)
class ReminderWords:
    """The reminder's words per kind: chat text, SMS text and buttons."""

    texts: Mapping[str, Mapping[str, str]]
    buttons: Mapping[str, list[dict[str, str]]]

    def message(self, kind: str, *, sms: bool) -> dict[str, Any]:
        """Return the reminder of ``kind`` as a bot message for the channels.

        Raises:
            KeyError: no words for that kind.
        """
        texts = self.texts[kind]
        return {
            "text": texts["sms"] if sms else texts["text"],
            "buttons": [dict(button) for button in self.buttons.get(kind, [])],
            "content_id": f"{CONTENT_ID}.{kind}",
        }


def _one_line(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be non-empty text")
    return " ".join(value.split())


def load_reminder_words(path: Path = REMINDERS_CONTENT) -> ReminderWords:
    """Read and check the ``due`` section of ``content/reminders.yml``.

    Raises:
        ValueError: the section, a kind's text or its SMS text is missing, or a button
            has no title or payload.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    due = raw.get("due") if isinstance(raw, dict) else None
    if not isinstance(due, dict):
        raise ValueError(f"{path} needs a 'due' section")
    texts: dict[str, dict[str, str]] = {}
    buttons: dict[str, list[dict[str, str]]] = {}
    for kind, value in due.items():
        if kind == "buttons":
            continue
        if not isinstance(value, dict):
            raise ValueError(f"{path}: due.{kind} needs text and sms")
        texts[str(kind)] = {
            "text": _one_line(value.get("text"), f"{path}: due.{kind}.text"),
            "sms": _one_line(value.get("sms"), f"{path}: due.{kind}.sms"),
        }
    for kind, items in (due.get("buttons") or {}).items():
        if not isinstance(items, list):
            raise ValueError(f"{path}: due.buttons.{kind} must be a list")
        for item in items:
            if not isinstance(item, dict) or not item.get("title") or not item.get("payload"):
                raise ValueError(f"{path}: due.buttons.{kind} needs a title and a payload")
        buttons[str(kind)] = [
            {"title": str(item["title"]), "payload": str(item["payload"])} for item in items
        ]
    return ReminderWords(texts=texts, buttons=buttons)


@lru_cache(maxsize=1)
def reminder_words() -> ReminderWords:
    """Return the reminder's words, read once per process on first use."""
    return load_reminder_words()
