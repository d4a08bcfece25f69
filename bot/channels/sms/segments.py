"""SMS segments: the GSM-7 alphabet, lengths in segments, and cutting text to fit.

A text in GSM-7 takes 160 characters in one segment and 153 a segment when longer;
one character outside the alphabet switches the whole text to UCS-2 (70 and 67), so
:func:`normalise` first replaces the typography content and NLG produce::

    text = normalise(message_text)
    segment_count(text)                      # 1, 2, ...
    truncate(text, "(shortened)", 3)        # cut at a sentence end, note appended

Pure functions; :mod:`bot.channels.sms.format` builds a turn's texts with them.
"""

from __future__ import annotations

import math
import re

# GSM 03.38 basic character set, and the extension table whose characters cost two.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
MAX_SEGMENTS = 3

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
SENTENCE_END = re.compile(r"[.!?](?=\s)")
_SPACES = re.compile(r"[ \t]+")
_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


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
    low = fitting_length(text, suffix, max_segments)
    prefix = text[:low]
    sentence_ends = [m.end() for m in SENTENCE_END.finditer(prefix + " ")]
    if sentence_ends and sentence_ends[-1] >= low * 2 // 3:
        prefix = prefix[: sentence_ends[-1]]
    elif " " in prefix.strip() and low < len(text) and not text[low].isspace():
        prefix = prefix[: prefix.rstrip().rfind(" ")]
    return (prefix.rstrip() + suffix).strip()


def fitting_length(text: str, suffix: str, max_segments: int) -> int:
    """Return how many characters of ``text`` fit in ``max_segments`` with ``suffix``.

    A binary search, because the encoding of the whole text (GSM-7 or UCS-2) depends on
    which characters remain.
    """
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + suffix, max_segments):
            low = middle
        else:
            high = middle - 1
    return low
