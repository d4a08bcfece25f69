"""Read the free answers of the pacing form into checked values.

Each reader takes the patient's answer to one question of ``pacing_form`` and returns
the value for its slot, or a :class:`~actions.pacing.quantities.Problem` whose
``reason`` names the re-ask to send (a key under ``reask`` in ``content/pacing.yml``).
They never guess: a distance where minutes were asked, a negative or an implausibly
large amount is a problem, not a silently wrong plan::

    from actions.pacing.answers import read_amount

    read_amount("an hour and a half", "minutes")  # 90.0
    read_amount("a mile", "minutes")  # Problem("wrong_kind_minutes")

Amounts are read by :mod:`actions.pacing.quantities`; the plan arithmetic
(:mod:`actions.pacing.plan`) rounds them to usable units. No Rasa imports here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

from actions.pacing.plan import DEFAULT_INCREASE_PCT, MAX_INCREASE_PCT, MIN_INCREASE_PCT
from actions.pacing.quantities import Problem, read_quantity, tokenise

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
    for word, percent in _FRACTION_WORDS.items():
        if word in tokenise(lowered):
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
