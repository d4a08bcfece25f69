"""PEG check-in logic: read a 0-10 answer, score the scale, compare with last time.

Plain functions with no Rasa imports, used by :mod:`actions.checkin.actions`::

    parse_score("about a 7")  # -> 7
    peg_score(7, 5, 6)        # -> 6.0
    compare(6.0, 4.0)         # -> "better" (a fall of 30% or more)
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "zero": 0, "none": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
MEANINGFUL_CHANGE = 0.30
_NUMBER = re.compile(r"(?<![\d.])(-?\d+(?:\.\d+)?)(?![\d.])")
_WORD = re.compile(r"[a-z]+")


def parse_score(text: str | None) -> int | None:
    """Return the single 0-10 score in ``text``, or ``None`` if there is none or several.

    "7/10" and "7 out of 10" count as 7; a decimal is rounded to the nearest whole number.
    """
    if not text:
        return None
    lowered = text.lower()
    lowered = re.sub(r"(?:/|\bout of\b)\s*10\b", " ", lowered)
    numbers = [float(n) for n in _NUMBER.findall(lowered)]
    numbers += [float(NUMBER_WORDS[w]) for w in _WORD.findall(lowered) if w in NUMBER_WORDS]
    if len(numbers) != 1:
        return None
    value = numbers[0]
    if not 0 <= value <= 10:
        return None
    return int(value + 0.5)


def peg_score(pain: int, enjoyment: int, activity: int) -> float:
    """Return the PEG score: the mean of the three items, to one decimal place."""
    return round((pain + enjoyment + activity) / 3, 1)


def format_score(score: float) -> str:
    """Return a score as people write it: "7", not "7.0"; "6.3" stays "6.3"."""
    rounded = round(score, 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def compare(previous: float | None, current: float) -> str:
    """Return "first", "better", "worse" or "same" against the previous score.

    A change of 30% or more of the previous score counts; from a previous score of 0 any
    rise of a whole point counts as worse.
    """
    if previous is None:
        return "first"
    if previous == 0:
        return "worse" if current >= 1 else "same"
    change = (current - previous) / previous
    if change <= -MEANINGFUL_CHANGE:
        return "better"
    if change >= MEANINGFUL_CHANGE:
        return "worse"
    return "same"
