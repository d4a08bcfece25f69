"""Mentions read from numbers: ages, durations, temperatures, past years, pain scores.

The detector (:mod:`bot.safety.detector`) adds these to the catalogue terms it finds:
"I'm 62" is ``age_risk``, "45 mins" ``long_duration_number``, "38.9" with a
temperature word nearby ``fever_number``, "in 2015" ``distant_past``, "started 3 weeks
ago" ``new_onset``, "gone from a 3 to a 7" or "was a 3 ... now a 6" ``score_rise``.
Ages may be written in words ("seventy-one"). The limits come from the catalogue's
``derived`` section::

    reader = NumberReader(catalogue.derived)
    reader.mentions(doc)   # [Mention("age_risk", 1, 3), ...]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from spacy.tokens import Doc

from bot.safety.context import Mention

# "38.9", "101F", "39c": a temperature typed as one token.
_TEMPERATURE = re.compile(r"^(\d{2,3}(?:\.\d{1,2})?)(c|f|°|°c|°f)?$")
_TEMPERATURE_CUES = frozenset(
    {
        "temp",
        "temperature",
        "thermometer",
        "fever",
        "feverish",
        "degrees",
        "degree",
        "°",
        "°c",
        "°f",
        "c",
        "f",
        "celsius",
        "fahrenheit",
        "deg",
        "temps",
    }
)
# "started 3 weeks ago", "only began a fortnight ago": a recent onset.
_ONSET_VERBS = frozenset({"started", "start", "starting", "began", "begun", "begin"})
_YEAR_LEADS = frozenset({"in", "back", "during", "of", "from", "around", "circa"})
# "55yo", "30mins", "2hrs": number and unit typed as one token.
_NUMBER_UNIT = re.compile(r"^(\d{1,3})([a-z/]+)$")
_AGE_UNITS = frozenset({"yo", "y/o", "yrs", "yr", "years", "year", "yearsold"})
_AGE_SHORT = frozenset({"yo", "y/o", "yearsold"})
_YEAR_UNITS = frozenset({"years", "yrs", "year"})
_MINUTE_UNITS = frozenset({"min", "mins", "minute", "minutes", "m"})
_HOUR_UNITS = frozenset({"hour", "hours", "hr", "hrs", "h"})
# Words after "I'm 17" that show the number is not an age ("I'm 18 weeks pregnant").
_NOT_AGE_NEXT = frozenset(
    {
        "week",
        "weeks",
        "month",
        "months",
        "day",
        "days",
        "kg",
        "kilo",
        "kilos",
        "stone",
        "lbs",
        "pound",
        "pounds",
        "minute",
        "minutes",
        "min",
        "mins",
        "hour",
        "hours",
        "%",
        "percent",
        "out",
        "on",
        "times",
        "x",
        "feet",
        "ft",
        "cm",
        "miles",
        "steps",
        "degrees",
        "degree",
        "reps",
        "seconds",
        "secs",
        "squats",
        "sets",
        "laps",
        "lengths",
        "pills",
        "tablets",
    }
)
# "seventy-one", "fifty eight", "seventeen": ages written in words (ten and over).
_UNITS = {
    w: n
    for n, w in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"], start=1
    )
}
_TEENS = {
    w: n
    for n, w in enumerate(
        [
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ],
        start=10,
    )
}
_TENS = {
    w: n * 10
    for n, w in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
# "At my age (70)": brackets or a dash between the lead and the age.
_AGE_GAP = frozenset({"(", "-", ":"})
# "I'm 62", "aged 62", "turned 58 this year".
_AGE_LEADS = frozenset({"'m", "m", "am", "aged", "age", "im", "turned"})
# Words that may stand between a lead and the age: "I'm only 16", "I'm just 17".
_AGE_FILLERS = frozenset({"only", "just", "nearly", "almost", "now"})


class NumberReader:
    """Read ages, durations, temperatures and years from a message's numbers."""

    def __init__(self, derived: Mapping[str, Any]) -> None:
        self._age_over = int(derived.get("age_over", 50))
        self._age_under = int(derived.get("age_under", 20))
        self._age_min = int(derived.get("age_min", 10))
        self._age_young = int(derived.get("age_young_under", 20))
        self._long_minutes = int(derived.get("long_duration_minutes", 30))

    def mentions(self, doc: Doc) -> list[Mention]:
        """Find ages (outside 20-50, and under 20) and 30+ minute durations in numbers."""
        out: list[Mention] = []
        norms = [tok.norm_ for tok in doc]
        n = len(norms)
        for i, norm in enumerate(norms):
            value: int | None = None
            unit: str | None = None
            end = i + 1
            if norm.isdigit() and len(norm) <= 3:
                value = int(norm)
                unit = norms[i + 1] if i + 1 < n else None
                end = i + 2 if unit is not None else i + 1
                if norms[i + 1 : i + 4] == ["y", "/", "o"]:
                    unit, end = "y/o", i + 4
            elif (spelled := word_number(norms, i)) is not None:
                value, end = spelled
                unit = norms[end] if end < n else None
                end = end + 1 if unit is not None else end
            else:
                joined = _NUMBER_UNIT.match(norm)
                if joined:
                    value, unit = int(joined.group(1)), joined.group(2)
            if norm in _ONSET_VERBS and "ago" in norms[i + 1 : i + 6]:
                out.append(Mention("new_onset", i, norms.index("ago", i + 1) + 1))
            temperature = _TEMPERATURE.match(norm)
            if temperature and self.is_fever(norms, i, temperature):
                out.append(Mention("fever_number", max(i - 1, 0), i + 1))
            if (
                len(norm) == 4
                and norm.isdigit()
                and 1940 <= int(norm) < datetime.date.today().year
                and i > 0
                and norms[i - 1] in _YEAR_LEADS
            ):
                # "fell off a ladder in 2015": an old event, like "years ago".
                out.append(Mention("distant_past", i - 1, i + 1))
            rise = score_rise(norms, i)
            if rise is not None:
                out.append(Mention("score_rise", i, rise))
            if value is None:
                continue
            if unit in _YEAR_UNITS and value >= 2 and "for" in norms[max(i - 3, 0) : i]:
                # "for about ten years": long-standing, like "for years".
                out.append(Mention("longstanding", max(i - 3, 0), end))
            long_minutes = unit in _MINUTE_UNITS and value >= self._long_minutes
            if long_minutes or (unit in _HOUR_UNITS and value >= 1):
                out.append(Mention("long_duration_number", i, end))
            if self.is_age(norms, i, value, unit):
                start = max(i - 1, 0)
                if not self._age_under <= value <= self._age_over:
                    out.append(Mention("age_risk", start, end))
                if value < self._age_young:
                    out.append(Mention("age_young", start, end))
        return out

    @staticmethod
    def is_fever(norms: list[str], i: int, match: re.Match[str]) -> bool:
        """Return True for a feverish temperature with a temperature word nearby."""
        value = float(match.group(1))
        unit = match.group(2) or ""
        near = set(norms[max(i - 4, 0) : i]) | set(norms[i + 1 : i + 3])
        if not (unit or near & _TEMPERATURE_CUES):
            return False
        if unit.endswith("f") or value >= 90:
            return 100.4 <= value <= 108
        return 37.8 <= value <= 43

    def is_age(self, norms: list[str], i: int, value: int, unit: str | None) -> bool:
        """Return True when the number at ``i`` is the patient's age."""
        if value < self._age_min or value > 110:
            return False
        prev = norms[i - 1] if i > 0 else ""
        if prev in _AGE_FILLERS | _AGE_GAP and i >= 2:
            prev = norms[i - 2]
        if i == 0 and (unit == "," or ((unit or "").isalpha() and unit not in _NOT_AGE_NEXT)):
            # "17, back pain started in september", "17 nvr had back pain b4": a number
            # opening the message, before a word that is not a unit.
            return True
        if prev in _BE and i >= 2 and norms[i - 2] in _THINGS:
            # "ours is twelve years old", "the mattress is 12 years old": a thing's age.
            return False
        if unit in _AGE_UNITS:
            # "62 years old" / "17yo" are ages; "for 10 years" is a duration; "I have 58
            # years" is how several languages give an age.
            after = " ".join(norms[i + 2 : i + 4])
            of_age = after.startswith("old") or after == "of age"
            # ... but "I have 10 years of pain" is a duration.
            said_have = prev == "have" and i >= 2 and norms[i - 2] == "i"
            said_have = said_have and not after.startswith("of")
            return unit in _AGE_SHORT or of_age or prev in _AGE_LEADS or said_have
        return prev in _AGE_LEADS and (unit is None or unit not in _NOT_AGE_NEXT)


# "ours is 12 years old": the age of a thing, not of the patient.
_BE = frozenset({"is", "'s", "was", "are", "were"})
_THINGS = frozenset(
    {
        "it",
        "ours",
        "mine",
        "theirs",
        "yours",
        "this",
        "that",
        "which",
        "mattress",
        "bed",
        "car",
        "chair",
        "sofa",
        "pillow",
        "house",
        "boiler",
        "shoes",
        "trainers",
    }
)


def word_number(norms: list[str], i: int) -> tuple[int, int] | None:
    """Return the value and end of a number of ten or more written in words at ``i``.

    "seventy-one", "fifty eight", "seventeen", "sixty"; None elsewhere, and inside a
    number ("one" of "seventy-one" is not read again).
    """
    word = norms[i]
    if i > 0 and (
        norms[i - 1] in _TENS or (norms[i - 1] == "-" and i > 1 and norms[i - 2] in _TENS)
    ):
        return None
    if word in _TEENS:
        return _TEENS[word], i + 1
    if word not in _TENS:
        return None
    value, end = _TENS[word], i + 1
    if end + 1 < len(norms) and norms[end] == "-" and norms[end + 1] in _UNITS:
        return value + _UNITS[norms[end + 1]], end + 2
    if end < len(norms) and norms[end] in _UNITS:
        return value + _UNITS[norms[end]], end + 1
    return value, end


# "from a 3 to a 7", "was a 3 ... now it's a 6": a pain score that went up.
_RISE_FROM = frozenset({"from", "was", "were"})
_RISE_TO = frozenset({"to", "now"})
_RISE_SKIP = frozenset({"a", "an", "it", "'s", "its", "is", "about", "around", "like"})
_RISE_REACH = 14


def score_rise(norms: list[str], i: int) -> int | None:
    """Return the end of a rising pain score (0-10) told from token ``i``, or None."""
    if norms[i] not in _RISE_FROM:
        return None
    before = _score_after(norms, i + 1)
    if before is None:
        return None
    value, j = before
    for k in range(j, min(j + _RISE_REACH, len(norms))):
        if norms[k] in {".", "?", "!"}:
            return None
        if norms[k] in _RISE_TO:
            after = _score_after(norms, k + 1)
            if after is not None and after[0] > value:
                return after[1]
    return None


def _score_after(norms: list[str], i: int) -> tuple[int, int] | None:
    """Return a 0-10 score at or just after ``i`` (past "a", "it's"...) and its end."""
    while i < len(norms) and norms[i] in _RISE_SKIP:
        i += 1
    if i < len(norms) and norms[i].isdigit() and int(norms[i]) <= 10:
        return int(norms[i]), i + 1
    return None
