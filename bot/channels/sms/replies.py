"""Read a patient's text reply: a lettered pick of the offered buttons, or a keyword.

The SMS channel offers buttons as "Reply A for ..., B for ..." (or "Reply YES or NO")
and keeps what it offered; :func:`resolve_reply` maps the patient's "A" back to the
payload, and :func:`keyword_of` spots a whole-message STOP, START, HELP or MORE::

    picked = resolve_reply("b", offered)     # the payload, InvalidChoice or None
    keyword_of("Stop!", words.sms["keywords"])   # "stop"

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

LETTERS = "ABCDEFGHIJ"
_REPLY_LETTER = re.compile(r"^\s*\(?([a-zA-Z])\s*[.)]?\s*$")
# Single letters that are words, not picks: "k" (ok), "y" (yes), "n" (no).
_LETTER_WORDS = frozenset("kyn")
_KEYWORD_NOISE = re.compile(r"[\s.!]+")
_YES = re.compile(r"^yes\b", re.IGNORECASE)
_NO = re.compile(r"^no\b", re.IGNORECASE)


class InvalidChoice:
    """A reply that picks an option that was not offered ("D" when there were three)."""

    def __init__(self, count: int) -> None:
        self.count = count


def is_yes_no(buttons: Sequence[Mapping[str, Any]]) -> bool:
    """Return whether the buttons are a yes ("Yes", "Yes, I'm safe") and a no ("No...")."""
    titles = [str(b.get("title", "")).strip() for b in buttons]
    return len(titles) == 2 and bool(_YES.match(titles[0])) and bool(_NO.match(titles[1]))


def resolve_reply(text: str, buttons: Sequence[Mapping[str, str]]) -> str | InvalidChoice | None:
    """Return the payload a reply picks from the last offered ``buttons``, if any.

    A reply picks a button by its letter ("A", "b", "c)") or by its exact title,
    ignoring case ("yes" for a "Yes" button). A letter beyond the options is an
    :class:`InvalidChoice`, so the channel can offer them again. Numbers are never
    options: they are answers.
    """
    if not buttons:
        return None
    match = _REPLY_LETTER.match(text)
    letter = match.group(1).lower() if match else ""
    if letter in ("y", "n") and is_yes_no(buttons):
        return buttons[0 if letter == "y" else 1]["payload"]
    if letter and letter not in _LETTER_WORDS:
        index = LETTERS.lower().find(letter)
        if 0 <= index < len(buttons):
            return buttons[index]["payload"]
        return InvalidChoice(len(buttons))
    wanted = text.strip().casefold().rstrip(".!")
    for button in buttons:
        if button["title"].strip().casefold() == wanted:
            return button["payload"]
    if is_yes_no(buttons) and wanted in ("yes", "no"):
        return buttons[0 if wanted == "yes" else 1]["payload"]
    return None


def keyword_of(text: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    """Return ``"stop"``, ``"start"`` or ``"help"`` when the whole text is such a keyword."""
    word = _KEYWORD_NOISE.sub("", text).upper()
    if not word:
        return None
    for kind, words in keywords.items():
        if word in {w.upper() for w in words}:
            return str(kind)
    return None
