"""Read the free answers of the pacing and flare-up forms into checked values.

Patients answer in their own words: "about 20 mins", "half an hour", "an hour and a
half", "2k steps", "a mile", "10-15 minutes", "twenty minutes". The readers below turn
an answer into a number in the plan's unit, or into a :class:`Problem` whose ``reason``
names the re-ask to send (a key under ``reask`` in ``content/pacing.yml``). They never
guess: an answer with two unrelated numbers, a distance where minutes were asked, a
negative or an implausibly large amount is a problem, not a silently wrong plan::

    from actions.pacing.parse import Problem, read_amount

    value = read_amount("an hour and a half", "minutes")  # 90.0
    problem = read_amount("a mile", "minutes")  # Problem("wrong_kind_minutes")

Ranges give their midpoint ("10-15 minutes" is 12.5 minutes); the plan arithmetic
(:mod:`actions.pacing.plan`) rounds to usable units. No Rasa imports here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# Units a plan can count in.
MINUTES: Final = "minutes"
METRES: Final = "metres"
STEPS: Final = "steps"
UNITS: Final = (MINUTES, METRES, STEPS)

# Activities with buttons; anything else is the patient's own activity.
WALKING: Final = "walking"
KNOWN_ACTIVITIES: Final = ("walking", "sitting", "standing", "gardening", "housework")
# Activities that can only sensibly be counted in minutes: the unit is not asked.
MINUTES_ONLY: Final = frozenset({"sitting", "standing", "gardening", "housework"})
DEFAULT_UNIT: Final = MINUTES

# Largest amount a plan accepts, per unit: more is a typo or a misunderstanding.
MAX_AMOUNT: Final = {MINUTES: 720.0, METRES: 50_000.0, STEPS: 50_000.0}
# Smallest non-zero amount that makes sense; "2" metres probably meant 2 km or miles.
MIN_AMOUNT: Final = {MINUTES: 1.0, METRES: 10.0, STEPS: 10.0}
# Longest own activity name kept; longer answers are sentences, not names.
MAX_ACTIVITY_CHARS: Final = 40

# Weekly increase, in percent of the starting level (sources in content/pacing.yml).
DEFAULT_INCREASE_PCT: Final = 10.0
MAX_INCREASE_PCT: Final = 20.0
MIN_INCREASE_PCT: Final = 1.0


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

_ACTIVITY_WORDS: Final = {
    "walking": ("walk", "walking", "walks", "walked", "stroll", "strolling", "hike", "hiking"),
    "sitting": ("sit", "sitting", "sat", "seated"),
    "standing": ("stand", "standing", "stood"),
    "gardening": ("garden", "gardening", "weeding", "mowing", "digging", "raking"),
    "housework": (
        "housework",
        "cleaning",
        "hoovering",
        "hoover",
        "vacuuming",
        "vacuum",
        "ironing",
        "chores",
        "dusting",
        "tidying",
    ),
}

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

_UNIT_CHOICE_WORDS: Final = {
    MINUTES: ("minute", "minutes", "mins", "min", "time", "long", "timed"),
    METRES: (
        "metre",
        "metres",
        "meter",
        "meters",
        "m",
        "km",
        "distance",
        "far",
        "miles",
        "mile",
        "yards",
    ),
    STEPS: ("step", "steps", "pedometer"),
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
_NO_GOAL_PATTERN: Final = re.compile(
    r"\b(no goal|no|nope|none|not sure|unsure|don'?t know|dont know|skip|no thanks|"
    r"not really|maybe later|later|no target|n/a)\b"
)
_YES_PATTERN: Final = re.compile(
    r"\b(yes|yeah|yep|ok|okay|sure|fine|usual|default|normal|recommended|standard|"
    r"sounds good|that's fine|go with that)\b"
)
_FRACTION_WORDS: Final = {"tenth": 10.0, "fifth": 20.0}
_NOT_SURE_PATTERN: Final = re.compile(
    r"\b(not sure|unsure|don'?t know|dont know|any|either|you choose|you pick|default|"
    r"whatever|no idea)\b"
)

_TOKEN: Final = re.compile(r"\d+(?:\.\d+)?|\.\d+|[a-z]+(?:'[a-z]+)?|%|-|[^\s\w]")


# Curly apostrophes and typographic dashes, as phones type them.
_PUNCTUATION: Final = str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def _tokens(text: str) -> list[str]:
    cleaned = (
        text.lower()
        .replace("\u2019", "'")
        .replace("\u2013", "-")
        .replace("\u2014", "-")
        .replace("\u2212", "-")
    )
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
    tokens = _expand_phrases(_words_to_numbers(_tokens(text)))
    if not tokens:
        return Problem("unclear")
    segments = _segments(tokens)
    if not segments:
        if _NONE_PATTERN.search(" ".join(tokens)):
            return Quantity(0.0, None)
        return Problem("unclear")
    return _combine(segments)


_KIND_OF_UNIT: Final = {MINUTES: "time", METRES: "distance", STEPS: "steps"}


def read_amount(text: str | None, unit: str, *, allow_zero: bool = False) -> float | Problem:
    """Read an amount of activity in ``unit`` from a free answer.

    Hours become minutes, and miles, km and yards become metres. An amount of another
    kind (a distance when the plan counts minutes) is a problem, because converting it
    would need a walking speed the patient never gave.

    Args:
        text: the patient's answer, e.g. ``"about 20 mins"``.
        unit: the plan's unit: ``"minutes"``, ``"metres"`` or ``"steps"``.
        allow_zero: whether 0 is a valid answer (a bad day with no activity).

    Returns:
        The amount in ``unit``, or a problem whose reason is one of ``"empty"``,
        ``"unclear"``, ``"several"``, ``"negative"``, ``"zero"``, ``"too_small"``,
        ``"too_big"`` or ``"wrong_kind_<unit>"``.

    Raises:
        ValueError: ``unit`` is not a plan unit.
    """
    if unit not in _KIND_OF_UNIT:
        raise ValueError(f"unknown unit {unit!r}")
    quantity = read_quantity(text)
    if isinstance(quantity, Problem):
        return quantity
    if quantity.kind is not None and quantity.kind != _KIND_OF_UNIT[unit]:
        return Problem(f"wrong_kind_{unit}")
    value = quantity.value
    if not math.isfinite(value):
        return Problem("too_big")
    if value == 0:
        return 0.0 if allow_zero else Problem("zero")
    if value < MIN_AMOUNT[unit]:
        return Problem("too_small")
    if value > MAX_AMOUNT[unit]:
        return Problem("too_big")
    return value


def read_goal(text: str | None, unit: str) -> float | Problem | None:
    """Read the optional goal: an amount in ``unit``, or ``None`` for "no goal".

    Args:
        text: the patient's answer, e.g. ``"30 minutes"`` or ``"no goal"``.
        unit: the plan's unit.

    Returns:
        The goal in ``unit``, ``None`` when the patient wants no goal, or a problem
        (see :func:`read_amount`).
    """
    if text is not None and text.strip():
        quantity = read_quantity(text)
        no_number = isinstance(quantity, Problem) or quantity.value == 0
        if no_number and _NO_GOAL_PATTERN.search(text.lower()):
            return None
    return read_amount(text, unit, allow_zero=False)


def read_increase(text: str | None) -> float | Problem:
    """Read the weekly increase in percent; "yes" or "usual" mean the default 10%.

    Returns:
        A percentage from 1 to 20, or a problem: ``"empty"``, ``"unclear"``,
        ``"negative"``, ``"too_slow"`` (under 1%) or ``"too_fast"`` (over 20%).
    """
    if text is None or not text.strip():
        return Problem("empty")
    lowered = text.lower()
    tokens = _tokens(lowered)
    for word, percent in _FRACTION_WORDS.items():
        if word in tokens:
            return percent
    quantity = read_quantity(lowered)
    if isinstance(quantity, Problem):
        if quantity.reason in ("unclear", "empty") and _YES_PATTERN.search(lowered):
            return DEFAULT_INCREASE_PCT
        return quantity
    if quantity.kind is not None:
        return Problem("unclear")
    value = quantity.value
    if value < MIN_INCREASE_PCT:
        return Problem("too_slow")
    if value > MAX_INCREASE_PCT:
        return Problem("too_fast")
    return value


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def read_activity(text: str | None) -> str | Problem:
    """Read which activity the plan is for.

    Returns:
        A known activity key (``"walking"``, ``"sitting"``, ``"standing"``,
        ``"gardening"``, ``"housework"``) when the answer names one, else the
        patient's own activity name, cleaned; or a problem: ``"empty"``,
        ``"several"`` (two known activities), ``"too_long"``, ``"amount"`` (an
        amount such as "about 15 mins" instead of an activity) or ``"unclear"``.
    """
    if text is None or not text.strip():
        return Problem("empty")
    words = _words(text)
    found = [
        key for key, synonyms in _ACTIVITY_WORDS.items() if any(word in synonyms for word in words)
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return Problem("several")
    if not words or _NOT_SURE_PATTERN.search(text.lower()):
        return Problem("unclear")
    if any(ch.isdigit() for ch in text) and not isinstance(read_amount(text, MINUTES), Problem):
        # "about 15 mins" answers a later question, not "which activity?".
        return Problem("amount")
    label = " ".join(re.sub(r"[^\w' -]", " ", text).split()).strip(" -'")
    if not label or not any(ch.isalpha() for ch in label):
        return Problem("unclear")
    if len(label) > MAX_ACTIVITY_CHARS:
        return Problem("too_long")
    return label.lower()


def named_activity(text: str | None) -> str | None:
    """Return the one known activity a request names ("a pacing plan for walking")."""
    if not text:
        return None
    words = _words(text)
    found = [
        key for key, synonyms in _ACTIVITY_WORDS.items() if any(word in synonyms for word in words)
    ]
    return found[0] if len(found) == 1 else None


def units_for(activity: str) -> tuple[str, ...]:
    """Return the units a plan for ``activity`` may count in, the default first."""
    if activity in MINUTES_ONLY:
        return (MINUTES,)
    return UNITS


def read_unit(text: str | None, activity: str) -> str | Problem:
    """Read the unit the patient wants to count ``activity`` in.

    "Not sure" and the like give the activity's default unit (minutes).

    Returns:
        ``"minutes"``, ``"metres"`` or ``"steps"``, or a problem: ``"empty"``,
        ``"unclear"`` or ``"several"``.
    """
    if text is None or not text.strip():
        return Problem("empty")
    words = set(_words(text))
    found = [unit for unit, synonyms in _UNIT_CHOICE_WORDS.items() if words & set(synonyms)]
    allowed = units_for(activity)
    found = [unit for unit in found if unit in allowed]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return Problem("several")
    if _NOT_SURE_PATTERN.search(text.lower()):
        return allowed[0]
    return Problem("unclear")


def mentioned_activity(text: str | None, activities: Sequence[str]) -> str | None:
    """Return which of the patient's plan ``activities`` a message names, if exactly one.

    "I managed my sitting this week" names ``"sitting"``; an own activity counts when
    its name appears in the message.
    """
    if not text:
        return None
    lowered = " ".join(_words(text))
    words = set(lowered.split())
    named = []
    for activity in activities:
        synonyms = _ACTIVITY_WORDS.get(activity)
        if synonyms is not None:
            hit = bool(words & set(synonyms))
        else:
            own = " ".join(_words(activity))
            hit = bool(own) and re.search(rf"\b{re.escape(own)}\b", lowered) is not None
        if hit:
            named.append(activity)
    return named[0] if len(named) == 1 else None
