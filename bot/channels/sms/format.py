"""Turn one bot turn into the text messages to send.

The SMS channel (:mod:`bot.channels.sms.channel`) collects every message of one bot
turn, then asks :func:`compose_turn` for the texts to send. An ordinary turn becomes
**one text of at most two segments** (306 GSM-7 characters): whatever does not fit waits
as pages that the patient reads by replying MORE, and the options stay in the first
text. Buttons become one line under the question, with **letters**, so that an option
never collides with a numeric answer ("how many minutes on a bad day?" answered "1"); a
Yes/No question says "Reply YES or NO". An urgent-care turn is never paged: it is sent
whole, in up to three texts of three segments::

    words = channel_words()
    turn = compose_turn(collector.messages, words.sms)
    turn.bodies   # e.g. one text: the answer, then "Reply A for Sleep, B for Menu."
    turn.pages    # what MORE sends next, if anything
    turn.buttons  # stored so that a reply "A" maps back to the first payload

Pure functions, no I/O: the words come from :mod:`bot.channels.words`, the segment
arithmetic from :mod:`bot.channels.sms.segments`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.channels.sms.replies import LETTERS, is_yes_no
from bot.channels.sms.segments import (
    MAX_SEGMENTS,
    SENTENCE_END,
    fits,
    fitting_length,
    normalise,
    truncate,
    with_note,
)
from bot.channels.words import fill, usable_buttons

MAX_BODIES_PER_TURN = 3
# An ordinary turn is one text of this many segments; the rest waits for MORE.
PAGE_SEGMENTS = 2
MAX_PAGES = 6


@dataclass(frozen=True)
class ComposedTurn:
    """The texts to send for one bot turn, the pages MORE sends, and the offered buttons."""

    bodies: list[str]
    buttons: list[dict[str, str]]
    pages: list[str] = field(default_factory=list)


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


def _longest_prefix(text: str, suffix: str, segments: int = PAGE_SEGMENTS) -> str:
    """Return the longest clean prefix of ``text`` that fits ``segments`` with ``suffix``."""
    low = fitting_length(text, suffix, segments)
    prefix = text[:low]
    if low >= len(text):
        return prefix.rstrip()
    ends = [m.end() for m in SENTENCE_END.finditer(prefix + " ")]
    if ends and ends[-1] >= low // 2:
        return prefix[: ends[-1]].rstrip()
    if " " in prefix.strip() and not text[low].isspace():
        return prefix[: prefix.rstrip().rfind(" ")].rstrip()
    return prefix.rstrip()


def care_team_texts(
    text: str, sms_words: Mapping[str, Any], max_segments: int = MAX_SEGMENTS
) -> list[str]:
    """Return a clinician's message as texts, each starting "Your care team:".

    Nothing is cut or held back for MORE: a long message becomes as many texts of
    ``max_segments`` as it needs, split at a sentence end or a space. (The console
    keeps a message to a length that takes a few texts.)
    """
    label = str(sms_words["care_team"])
    rest = normalise(text)
    texts: list[str] = []
    while rest:
        # The label's characters count the same before the text as after it.
        chunk = _longest_prefix(rest, "\n" + label, max_segments) or rest[:1]
        texts.append(f"{label}\n{chunk}")
        rest = rest[len(chunk) :].lstrip()
    return texts
