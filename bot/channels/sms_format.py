"""Pure helpers that turn a bot turn into text messages, and read the channels' words.

The SMS channel (:mod:`bot.channels.sms`) collects every message of one bot turn, then
asks :func:`compose_turn` for the texts to send. An ordinary turn becomes **one text of
at most two segments** (306 GSM-7 characters): whatever does not fit waits as pages
that the patient reads by replying MORE, and the options stay in the first text.
Buttons become one line under the question, with **letters**, so that an option never
collides with a numeric answer ("how many minutes on a bad day?" answered "1"); a
Yes/No question says "Reply YES or NO". An urgent-care turn is never paged: it is sent
whole, in up to three texts of three segments::

    words = channel_words()
    turn = compose_turn(collector.messages, words.sms)
    turn.bodies   # e.g. one text: the answer, then "Reply A for Sleep, B for Menu."
    turn.pages    # what MORE sends next, if anything
    turn.buttons  # stored so that a reply "A" maps back to the first payload

Nothing here does I/O except :func:`load_channel_words`, which reads
``content/channels.yml`` (the only place these channels' words live).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CHANNELS_CONTENT = Path(__file__).resolve().parents[2] / "content" / "channels.yml"

# GSM 03.38 basic character set, and the extension table whose characters cost two.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
MAX_SEGMENTS = 3
MAX_BODIES_PER_TURN = 3
# An ordinary turn is one text of this many segments; the rest waits for MORE.
PAGE_SEGMENTS = 2
MAX_PAGES = 6
LETTERS = "ABCDEFGHIJ"

# Typography that content and NLG produce but GSM-7 lacks. One curly apostrophe would
# switch a whole text to UCS-2 and cut its room by more than half.
TYPOGRAPHY = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2022": "-",
    "\u2060": "",
    "\u200b": "",
}
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_SPACES = re.compile(r"[ \t]+")
_REPLY_LETTER = re.compile(r"^\s*\(?([a-zA-Z])\s*[.)]?\s*$")
# Single letters that are words, not picks: "k" (ok), "y" (yes), "n" (no).
_LETTER_WORDS = frozenset("kyn")
_KEYWORD_NOISE = re.compile(r"[\s.!]+")
_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class ChannelWords:
    """The patient-facing words of the channels, as read from ``content/channels.yml``."""

    emergency_line: str
    web: Mapping[str, str]
    sms: Mapping[str, Any]
    urgency: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class ComposedTurn:
    """The texts to send for one bot turn, the pages MORE sends, and the offered buttons."""

    bodies: list[str]
    buttons: list[dict[str, str]]
    pages: list[str] = field(default_factory=list)


class InvalidChoice:
    """A reply that picks an option that was not offered ("D" when there were three)."""

    def __init__(self, count: int) -> None:
        self.count = count


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
    for key in (
        "stop", "start", "help", "options", "option", "option_separator", "shortened",
        "yes_no", "more", "invalid_choice", "cancel_hint",
    ):  # fmt: skip
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


def normalise(text: str) -> str:
    """Return ``text`` with typography GSM-7 lacks replaced and simple markdown removed.

    Bold markers are dropped and ``[title](url)`` becomes ``title: url``; a phone shows
    the raw characters otherwise.
    """
    for char, plain in TYPOGRAPHY.items():
        text = text.replace(char, plain)
    text = _MARKDOWN_BOLD.sub(r"\1", text)
    text = _MARKDOWN_LINK.sub(r"\1: \2", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def is_gsm(text: str) -> bool:
    """Return whether ``text`` can be sent in the GSM-7 alphabet."""
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def units(text: str) -> int:
    """Return the length of ``text`` in its encoding's units (septets or UTF-16 units)."""
    if is_gsm(text):
        return sum(2 if char in GSM_EXTENDED else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def segment_count(text: str) -> int:
    """Return how many SMS segments ``text`` takes."""
    gsm = is_gsm(text)
    single, part = (GSM_SINGLE, GSM_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    length = units(text)
    if length <= single:
        return 1
    return math.ceil(length / part)


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    """Return whether ``text`` fits in ``max_segments`` segments."""
    return segment_count(text) <= max_segments


def truncate(text: str, note: str, max_segments: int = MAX_SEGMENTS) -> str:
    """Cut ``text`` to fit ``max_segments`` with ``note`` appended, at a clean boundary.

    Text that already fits is returned as it is.
    """
    if fits(text, max_segments):
        return text
    return with_note(text, note, max_segments)


def with_note(text: str, note: str, max_segments: int = MAX_SEGMENTS) -> str:
    """Return ``text`` followed by ``note``, cutting the text if both do not fit.

    The cut prefers the end of a sentence in the last third of the room, then a space,
    and never splits a character (emoji count as two UTF-16 units and stay whole).
    """
    suffix = " " + note if note else ""
    if fits(text + suffix, max_segments):
        return (text + suffix).strip()
    # Longest prefix that fits with the note; a binary search because the encoding of
    # the whole text (GSM-7 or UCS-2) depends on which characters remain.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + suffix, max_segments):
            low = middle
        else:
            high = middle - 1
    prefix = text[:low]
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(prefix + " ")]
    if sentence_ends and sentence_ends[-1] >= low * 2 // 3:
        prefix = prefix[: sentence_ends[-1]]
    elif " " in prefix.strip() and low < len(text) and not text[low].isspace():
        prefix = prefix[: prefix.rstrip().rfind(" ")]
    return (prefix.rstrip() + suffix).strip()


_YES = re.compile(r"^yes\b", re.IGNORECASE)
_NO = re.compile(r"^no\b", re.IGNORECASE)


def is_yes_no(buttons: Sequence[Mapping[str, Any]]) -> bool:
    """Return whether the buttons are a yes ("Yes", "Yes, I'm safe") and a no ("No...")."""
    titles = [str(b.get("title", "")).strip() for b in buttons]
    return len(titles) == 2 and bool(_YES.match(titles[0])) and bool(_NO.match(titles[1]))


def options_line(buttons: Sequence[Mapping[str, Any]], sms_words: Mapping[str, Any]) -> str:
    """Return the one-line rendering of ``buttons``: "Reply A for X, B for Y." or YES/NO."""
    if is_yes_no(buttons):
        return str(sms_words["yes_no"])
    options = [
        fill(str(sms_words["option"]), {"number": LETTERS[i], "title": str(b.get("title", ""))})
        for i, b in enumerate(buttons[: len(LETTERS)])
    ]
    joined = str(sms_words["option_separator"]).join(options)
    return fill(str(sms_words["options"]), {"options": joined})


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


def compose_turn(
    messages: Sequence[Mapping[str, Any]],
    sms_words: Mapping[str, Any],
    max_segments: int = MAX_SEGMENTS,
    max_bodies: int = MAX_BODIES_PER_TURN,
    urgent: bool = False,
) -> ComposedTurn:
    """Turn one bot turn's messages into texts (see the module docstring).

    Args:
        messages: the turn's bot messages in order (``text`` and optional ``buttons``
            or ``quick_replies``), as Rasa's collecting output channel records them.
        sms_words: the ``sms`` section of ``content/channels.yml``.
        max_segments: segments allowed per text of an urgent turn.
        max_bodies: texts allowed for an urgent turn.
        urgent: the turn holds urgent-care advice: send it whole, never paged.

    Returns:
        The texts to send now, the pages MORE sends later, and the buttons of the
        turn's last message that offered any (what a lettered reply refers to).
    """
    parts: list[str] = []
    buttons: list[dict[str, str]] = []
    for message in messages:
        text = normalise(str(message.get("text") or ""))
        offered = usable_buttons(message.get("buttons") or message.get("quick_replies") or [])
        if offered:
            buttons = offered
        if text:
            parts.append(text)
    options = normalise(options_line(buttons, sms_words)) if buttons else ""
    if urgent:
        if options and parts:
            parts[-1] = f"{parts[-1]}\n{options}"
        elif options:
            parts.append(options)
        return ComposedTurn(_pack(parts, sms_words, max_segments, max_bodies), buttons)
    body = "\n\n".join(parts)
    whole = f"{body}\n{options}" if body and options else (body or options)
    if not whole:
        return ComposedTurn([], buttons)
    if fits(whole, PAGE_SEGMENTS):
        return ComposedTurn([whole], buttons)
    return _paged(body, options, sms_words, buttons)


def _pack(
    parts: Sequence[str], sms_words: Mapping[str, Any], max_segments: int, max_bodies: int
) -> list[str]:
    """Pack whole parts into texts of ``max_segments``, at most ``max_bodies`` of them."""
    note = str(sms_words["shortened"])
    bodies: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}\n\n{part}" if current else part
        if fits(candidate, max_segments):
            current = candidate
            continue
        if current:
            bodies.append(current)
        current = part if fits(part, max_segments) else truncate(part, note, max_segments)
    if current:
        bodies.append(current)
    if len(bodies) > max_bodies:
        kept = bodies[: max(max_bodies - 1, 0)]
        if kept:
            kept[-1] = with_note(kept[-1], note, max_segments)
        bodies = [*kept, bodies[-1]]
    return bodies


def _paged(
    body: str, options: str, sms_words: Mapping[str, Any], buttons: list[dict[str, str]]
) -> ComposedTurn:
    """Split a long turn into a first text and pages, each of two segments.

    Every text but the last ends with the MORE hint; the options go with the first text
    (so a reply can pick one at once) and again with the last. Text beyond
    :data:`MAX_PAGES` texts is cut, and the last text says so.
    """
    more = str(sms_words["more"])
    note = str(sms_words["shortened"])
    tail = f"\n{options}" if options else ""
    texts: list[str] = []
    rest = body
    while rest:
        if texts and fits(rest + tail, PAGE_SEGMENTS):
            texts.append(rest + tail)
            return ComposedTurn(texts[:1], buttons, texts[1:])
        if len(texts) == MAX_PAGES - 1:
            texts.append(with_note(rest, note + tail, PAGE_SEGMENTS))
            return ComposedTurn(texts[:1], buttons, texts[1:])
        suffix = f" {more}" + (tail if not texts else "")
        chunk = _longest_prefix(rest, suffix)
        if not chunk:
            # The options alone fill the text: no room to page; cut instead.
            texts.append(with_note(rest, note + tail, PAGE_SEGMENTS))
            break
        texts.append(chunk + suffix)
        rest = rest[len(chunk) :].lstrip()
    return ComposedTurn(texts[:1], buttons, texts[1:])


def _longest_prefix(text: str, suffix: str) -> str:
    """Return the longest clean prefix of ``text`` that fits two segments with ``suffix``."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + suffix, PAGE_SEGMENTS):
            low = middle
        else:
            high = middle - 1
    prefix = text[:low]
    if low >= len(text):
        return prefix.rstrip()
    ends = [m.end() for m in _SENTENCE_END.finditer(prefix + " ")]
    if ends and ends[-1] >= low // 2:
        return prefix[: ends[-1]].rstrip()
    if " " in prefix.strip() and not text[low].isspace():
        return prefix[: prefix.rstrip().rfind(" ")].rstrip()
    return prefix.rstrip()


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


def mask_number(number: str) -> str:
    """Return a phone number fit for logs: ``+447700900123`` -> ``+44*******123``."""
    number = number.strip()
    if len(number) <= 6:
        return "*" * max(len(number) - 2, 0) + number[-2:]
    return number[:3] + "*" * (len(number) - 6) + number[-3:]
