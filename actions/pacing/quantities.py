"""Read an amount, with its unit, from a patient's own words.

Patients answer in their own words: "about 20 mins", "half an hour", "an hour and a
half", "2k steps", "a mile", "10-15 minutes", "twenty minutes". :func:`read_quantity`
turns such an answer into a number and the kind of unit it was given in (time,
distance or steps), or into a :class:`Problem` whose ``reason`` names the re-ask to
send (a key under ``reask`` in ``content/pacing.yml``). It never guesses: two
unrelated numbers or a negative amount are a problem, not a silently wrong plan::

    read_quantity("an hour and a half")  # Quantity(90.0, "time")
    read_quantity("10-15 minutes")  # Quantity(12.5, "time"): a range gives its midpoint

The form's answers are read on top of this by :mod:`actions.pacing.answers`. No Rasa
imports here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Problem:
    """Why an answer cannot be used; ``reason`` names the re-ask in content."""

    reason: str


@dataclass(frozen=True)
class Quantity:
    """An amount read from an answer.

    Attributes:
        value: the amount in minutes (time), metres (distance), steps, or as given
            when the answer had no unit.
        kind: ``"time"``, ``"distance"``, ``"steps"`` or ``None`` for a bare number.
    """

    value: float
    kind: str | None


# --- vocabulary ---------------------------------------------------------------------

# Unit words: (kind, factor to minutes / metres / steps).
_UNIT_WORDS: Final[dict[str, tuple[str, float]]] = {
    **{w: ("time", 1.0) for w in ("min", "mins", "minute", "minutes", "mn")},
    **{w: ("time", 60.0) for w in ("h", "hr", "hrs", "hour", "hours")},
    **{w: ("time", 1 / 60) for w in ("sec", "secs", "second", "seconds")},
    **{w: ("distance", 1.0) for w in ("m", "metre", "metres", "meter", "meters", "mtr", "mtrs")},
    **{
        w: ("distance", 1000.0)
        for w in ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "klm")
    },
    **{w: ("distance", 1609.344) for w in ("mile", "miles", "mi")},
    **{w: ("distance", 0.9144) for w in ("yard", "yards", "yd", "yds")},
    **{w: ("steps", 1.0) for w in ("step", "steps")},
}

_ONES: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: Final = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: Final = {"hundred": 100, "thousand": 1000, "k": 1000}
_RANGE_WORDS: Final = frozenset({"-", "to", "or"})
# Answers that mean "none at all" (a bad day with no activity).
_NONE_PATTERN: Final = re.compile(r"\b(none|nothing|nil|zero|can'?t|cannot|not at all|not any)\b")

_TOKEN: Final = re.compile(r"\d+(?:\.\d+)?|\.\d+|[a-z]+(?:'[a-z]+)?|%|-|[^\s\w]")


# Curly apostrophes and typographic dashes, as phones type them.
_PUNCTUATION: Final = str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def tokenise(text: str) -> list[str]:
    """Return the words, numbers and signs of ``text``, lower case, typography undone."""
    cleaned = text.lower().translate(_PUNCTUATION)
    # "2,000" is two thousand, not a list.
    cleaned = re.sub(r"(?<=\d),(?=\d{3}\b)", "", cleaned)
    return _TOKEN.findall(cleaned)


def _is_number(token: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", token))


def _words_to_numbers(tokens: list[str]) -> list[str]:
    """Replace runs of number words ("two hundred and fifty") with digits."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _ONES or token in _TENS:
            total = 0
            current = 0
            j = i
            while j < len(tokens):
                word = tokens[j]
                if word in _ONES:
                    current += _ONES[word]
                elif word in _TENS:
                    current += _TENS[word]
                elif word in ("hundred", "thousand") and j > i:
                    current = max(current, 1) * _SCALES[word]
                    if word == "thousand":
                        total += current
                        current = 0
                elif (
                    word in ("and", "-")
                    and j + 1 < len(tokens)
                    and (tokens[j + 1] in _ONES or tokens[j + 1] in _TENS)
                ):
                    # "two hundred and fifty", "twenty-five"; not "ten and a half".
                    pass
                else:
                    break
                j += 1
            out.append(_format(total + current))
            i = j
            continue
        out.append(token)
        i += 1
    return out


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_UNIT_ALTERNATION: Final = "|".join(
    sorted((re.escape(word) for word in _UNIT_WORDS), key=len, reverse=True)
)


def _expand_phrases(tokens: list[str]) -> list[str]:
    """Rewrite "half an hour", "a mile", "one and a half hours" as numbers."""
    text = " ".join(tokens)
    unit = rf"({_UNIT_ALTERNATION})"
    replacements = (
        (r"(\d+(?:\.\d+)?) and a half\b", r"\1 + 0.5"),
        (rf"\ban? {unit} and a half\b", r"1 \1 + 0.5"),
        (rf"(\d+(?:\.\d+)?) {unit} and a half\b", r"\1 \2 + 0.5"),
        (r"\b(?:three|3) quarters? of an? (hour)\b", r"0.75 \1"),
        (r"\b(?:a )?quarter of an? (hour)\b", r"0.25 \1"),
        (r"\b(?:a )?quarter (hour)\b", r"0.25 \1"),
        (rf"\b(?:a )?half an? {unit}\b", r"0.5 \1"),
        (rf"\b(?:a )?half {unit}\b", r"0.5 \1"),
        (r"\ba couple of\b", "2"),
        (r"\ban? (hundred|thousand)\b", r"1 \1"),
        (rf"\ban? {unit}\b", r"1 \1"),
    )
    for pattern, replacement in replacements:
        text = re.sub(pattern, replacement, text)
    tokens = text.split()
    # Resolve "+ 0.5" where it follows a number, or a number and its unit.
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "+" and i + 1 < len(tokens) and out:
            half = float(tokens[i + 1])
            if _is_number(out[-1]):
                out[-1] = _format(float(out[-1]) + half)
            elif len(out) >= 2 and _is_number(out[-2]):
                out[-2] = _format(float(out[-2]) + half)
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


@dataclass(frozen=True)
class _Segment:
    low: float
    high: float
    unit: str | None
    negative: bool

    @property
    def value(self) -> float:
        return (self.low + self.high) / 2


def _read_number(tokens: list[str], i: int) -> tuple[float, int]:
    """Return the number at ``i`` (with a "k" or "thousand" after it) and the next index."""
    value = float(tokens[i])
    i += 1
    if i < len(tokens) and tokens[i] in _SCALES:
        return value * _SCALES[tokens[i]], i + 1
    return value, i


def _unit_at(tokens: list[str], i: int) -> str | None:
    return tokens[i] if i < len(tokens) and tokens[i] in _UNIT_WORDS else None


def _segments(tokens: list[str]) -> list[_Segment]:
    """Find each number or range in the tokens, with the unit word right after it."""
    segments: list[_Segment] = []
    i = 0
    while i < len(tokens):
        if not _is_number(tokens[i]):
            i += 1
            continue
        # "-5" is negative; the "-" of "10 mins - 15 mins" was read as a range below.
        negative = i > 0 and tokens[i - 1] in ("-", "minus")
        between = i > 0 and tokens[i - 1] == "between"
        low, i = _read_number(tokens, i)
        low_unit = _unit_at(tokens, i)
        if low_unit is not None:
            i += 1
        high, high_unit = low, None
        joiner = tokens[i] if i < len(tokens) else ""
        is_range = joiner in _RANGE_WORDS or (between and joiner == "and")
        if is_range and i + 1 < len(tokens) and _is_number(tokens[i + 1]):
            value, j = _read_number(tokens, i + 1)
            unit = _unit_at(tokens, j)
            if low_unit is None or unit is None or unit == low_unit:
                high, high_unit = value, unit
                i = j + (1 if unit is not None else 0)
        low, high = min(low, high), max(low, high)
        segments.append(_Segment(low, high, low_unit or high_unit, negative))
    return segments


def _quantity(segment: _Segment) -> Quantity:
    if segment.unit is None:
        return Quantity(segment.value, None)
    kind, factor = _UNIT_WORDS[segment.unit]
    return Quantity(segment.value * factor, kind)


def _combine(segments: list[_Segment]) -> Quantity | Problem:
    """Return one quantity, or a problem when the numbers do not make one amount."""
    if not segments:
        return Problem("unclear")
    if any(segment.negative for segment in segments):
        return Problem("negative")
    if len(segments) == 1:
        return _quantity(segments[0])
    if len(segments) == 2:
        first, second = segments
        first_unit = _UNIT_WORDS.get(first.unit or "", ("", 0.0))
        # "1 hour 20 minutes", "1h30", "1 km 500 m": a larger unit then a smaller one.
        if first_unit == ("time", 60.0) and (
            second.unit is None or _UNIT_WORDS[second.unit] == ("time", 1.0)
        ):
            return Quantity(first.value * 60 + second.value, "time")
        if first_unit == ("distance", 1000.0) and (
            second.unit is None or _UNIT_WORDS[second.unit] == ("distance", 1.0)
        ):
            return Quantity(first.value * 1000 + second.value, "distance")
        # "10 mins - 15 mins": the same unit on both ends of a range.
        if first.unit is not None and first.unit == second.unit:
            return Problem("several")
    return Problem("several")


def read_quantity(text: str | None) -> Quantity | Problem:
    """Read one amount from a free answer.

    Args:
        text: the patient's answer.

    Returns:
        The amount and what kind it is, or a problem: ``"empty"``, ``"unclear"``
        (no number), ``"several"`` (numbers that do not make one amount) or
        ``"negative"``.
    """
    if text is None or not text.strip():
        return Problem("empty")
    read = _expand_phrases(_words_to_numbers(tokenise(text)))
    if not read:
        return Problem("unclear")
    segments = _segments(read)
    if not segments:
        if _NONE_PATTERN.search(" ".join(read)):
            return Quantity(0.0, None)
        return Problem("unclear")
    return _combine(segments)
