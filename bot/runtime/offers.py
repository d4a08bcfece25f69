"""Read a short "yes" or "no" as the answer to the offer the assistant just made.

When the assistant offers something with buttons titled "Yes, ..." and "Not now" (or
"No, ..."), a patient who types "yes", "sure", "ok" or "no thanks" means that button.
The Rasa server's processor (:mod:`bot.runtime.processor`) asks :func:`offered_payload`
before the dialogue policies run and, when it returns a payload, reads the message as
that button's intent. Anything longer than a few words is left to the classifier, and
a bare "ok" never answers a question about getting help or being safe::

    offered_payload("yes please", "affirm", [{"title": "Yes, make a plan",
                                               "payload": "/ask_flare_up_plan"}])
    # -> "/ask_flare_up_plan"
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.policies.replies import is_acknowledgement

YES_WORDS = frozenset(
    {
        "yes", "yeah", "yea", "yep", "yup", "ya", "y", "sure", "ok", "okay", "k", "please",
        "yes please", "go on", "go ahead", "sounds good", "why not", "of course", "alright",
        "definitely", "let's do it", "lets do it", "do it", "\U0001f44d", "\U0001f44c",
    }
)  # fmt: skip
NO_WORDS = frozenset(
    {
        "no", "nope", "nah", "n", "no thanks", "no thank you", "not now", "not today",
        "maybe later", "later", "not yet", "no ta", "\U0001f44e",
    }
)  # fmt: skip
YES_INTENTS = frozenset({"affirm"})
NO_INTENTS = frozenset({"deny"})
# Offers whose "yes" says the patient is getting help or is safe: only a clear yes counts.
SAFETY_PAYLOADS = frozenset({"/confirm_getting_help", "/confirm_safe"})
MAX_WORDS = 4
_YES_TITLE = re.compile(r"^\s*yes\b", re.IGNORECASE)
_NO_TITLE = re.compile(r"^\s*(no\b|not now\b|maybe later\b)", re.IGNORECASE)


def _normal(text: str) -> str:
    words = re.sub(r"[^\w\s'\U0001f300-\U0001faff]", " ", text.lower())
    return " ".join(words.split())


def _button(buttons: Sequence[Mapping[str, object]], title: re.Pattern[str]) -> str | None:
    for button in buttons:
        payload = button.get("payload")
        if isinstance(payload, str) and title.match(str(button.get("title") or "")):
            return payload
    return None


def offered_payload(
    text: str, intent: str | None, buttons: Sequence[Mapping[str, object]]
) -> str | None:
    """Return the payload of the offered button that a short yes or no stands for.

    Args:
        text: the patient's message as typed.
        intent: the classifier's intent for it.
        buttons: the buttons of the assistant's last message (``title``, ``payload``).
    """
    normal = _normal(text)
    if not normal or len(normal.split()) > MAX_WORDS or not buttons:
        return None
    says_yes = normal in YES_WORDS or (intent in YES_INTENTS and normal not in NO_WORDS)
    says_no = normal in NO_WORDS or (intent in NO_INTENTS and normal not in YES_WORDS)
    if says_yes:
        payload = _button(buttons, _YES_TITLE)
        if payload in SAFETY_PAYLOADS and is_acknowledgement(text):
            return None
        return payload
    if says_no:
        return _button(buttons, _NO_TITLE)
    return None


# A message that is only one of these emoji is read as the word (the NLU has no emoji).
EMOJI_WORDS = {
    "\U0001f44d": "ok", "\U0001f44c": "ok", "\u2705": "yes", "\U0001f44e": "no",
    "\u274c": "no", "\U0001f64f": "thank you",
}  # fmt: skip


def emoji_word(text: str) -> str | None:
    """Return the word a message of only a thumbs-up, a tick or the like stands for."""
    stripped = "".join(
        ch
        for ch in text.strip()
        if ch not in "\ufe0f\u200d " and not "\U0001f3fb" <= ch <= "\U0001f3ff"  # skin tones
    )
    if not stripped:
        return None
    words = {EMOJI_WORDS.get(ch) for ch in stripped}
    return words.pop() if len(words) == 1 and None not in words else None
