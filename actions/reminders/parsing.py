"""Read what patients type when they set a reminder: which one, the days, the time, a place.

Plain functions, no Rasa imports, used by :mod:`actions.reminders.actions`::

    read_kind("my exercises")              # "exercise"
    read_days("Mon, Wed and Fri")          # frozenset({0, 2, 4})
    read_days("weekdays")                  # frozenset({0, 1, 2, 3, 4})
    read_time("6.30pm")                    # time(18, 30)
    read_time("7")                         # time(7, 0): 7 to 11 are mornings, 1 to 6 afternoons
    read_zone("9am New York time")         # "America/New_York"

Each returns ``None`` when the text does not say. Stored codes read back the same way
(``read_days("mon,wed,fri")``, ``read_time("18:30")``), so a form can be filled ahead
from a patient's current setting.
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from typing import Final
from zoneinfo import available_timezones

from bot.reminders.store import KIND_CHECKIN, KIND_EXERCISE

_EXERCISE = re.compile(r"\b(exercis\w*|stretch\w*|workouts?|programme|program|routine)\b")
_CHECKIN = re.compile(r"\b(check ?ins?|checkins?|questionnaire|peg|pain scores?)\b")

_DAY_NAMES: Final = {
    "mon": 0, "monday": 0, "mondays": 0, "mons": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "wednesdays": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3,
    "fri": 4, "friday": 4, "fridays": 4, "fris": 4,
    "sat": 5, "saturday": 5, "saturdays": 5, "sats": 5,
    "sun": 6, "sunday": 6, "sundays": 6, "suns": 6,
}  # fmt: skip
_EVERY_DAY = re.compile(
    r"\b(every ?day|daily|each day|all week|7 days|seven days|every single day|all days)\b"
)
_WEEKDAYS = re.compile(r"\b(week ?days?|working days?|work days?|workdays?)\b")
_WEEKENDS = re.compile(r"\b(week ?ends?)\b")
_RANGE_WORDS = frozenset({"to", "through", "thru", "till", "until", "-"})

_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a m|p m)\b")
_TWENTY_FOUR = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")
_HALF = re.compile(r"\bhalf (?:past )?(\d{1,2})\b")
_BARE_HOUR = re.compile(r"^(?:at |about |around )?(\d{1,2})(?: ?o'? ?clock)?$")
_O_CLOCK = re.compile(r"\b(\d{1,2}) ?o'? ?clock\b")
_AT_HOUR = re.compile(r"\b(?:at|about|around) (\d{1,2})\b(?![:.]\d)")
_HOUR_IN = re.compile(r"\b(\d{1,2}) in the (?:morning|afternoon|evening)\b")
_MORNING = re.compile(r"\b(morning|am)\b")
_LATER = re.compile(r"\b(afternoon|evening|night|tonight)\b")
_NAMED_TIMES: Final = (
    (re.compile(r"\b(noon|midday|lunch ?time|lunch)\b"), time(12, 0)),
    (re.compile(r"\bmidnight\b"), time(0, 0)),
    (re.compile(r"\bmorning\b"), time(9, 0)),
    (re.compile(r"\bafternoon\b"), time(15, 0)),
    (re.compile(r"\bevening\b"), time(18, 0)),
    (re.compile(r"\b(bed ?time|night|tonight)\b"), time(20, 0)),
)
# Bare hours: 7 to 11 are mornings, 12 is noon, 1 to 6 are afternoons and evenings.
_FIRST_MORNING_HOUR: Final = 7

# Names for the UK and Ireland that are not cities in the time zone database.
_PLACES: Final = {
    "uk": "Europe/London",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "british": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "northern ireland": "Europe/London",
    "ireland": "Europe/Dublin",
    "irish": "Europe/Dublin",
}
# Regions whose zones are named Region/City; a city may then be named on its own.
_REGIONS: Final = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Pacific")
# Zone "cities" that are everyday words ("when I wake up" is not Pacific/Wake).
_NOT_PLACES: Final = frozenset(
    {"wake", "easter", "midway", "north", "south", "west", "east", "stanley", "jersey", "central"}
)
_WORDS = re.compile(r"[^a-z0-9:./'\-]+")


def normalise(text: str | None) -> str:
    """Return ``text`` in lower case with punctuation (but not ``:`` or ``.``) as spaces."""
    lowered = (text or "").lower().replace("\u2019", "'").replace(",", " ")
    return " ".join(_WORDS.sub(" ", lowered).split())


def read_kind(text: str | None) -> str | None:
    """Return ``"exercise"`` or ``"checkin"`` when the text names one (not both)."""
    words = normalise(text).replace("-", " ")
    exercise, checkin = bool(_EXERCISE.search(words)), bool(_CHECKIN.search(words))
    if exercise == checkin:
        return None
    return KIND_EXERCISE if exercise else KIND_CHECKIN


def read_days(text: str | None) -> frozenset[int] | None:
    """Return the weekdays the text names (Monday is 0), or ``None``.

    Reads "every day", "weekdays", "weekends", day names ("Mon Wed Fri", "tuesdays and
    thursdays") and ranges ("Monday to Friday", "mon-fri").
    """
    words = normalise(text)
    if _EVERY_DAY.search(words):
        return frozenset(range(7))
    tokens = words.replace("-", " - ").replace(",", " ").split()
    days: set[int] = set()
    for index, token in enumerate(tokens):
        day = _DAY_NAMES.get(token.strip("."))
        if day is None:
            continue
        days.add(day)
        if index >= 2 and tokens[index - 1] in _RANGE_WORDS:
            start = _DAY_NAMES.get(tokens[index - 2].strip("."))
            if start is not None:
                span = (day - start) % 7
                days.update((start + step) % 7 for step in range(span + 1))
    if _WEEKDAYS.search(words):
        days.update(range(5))
    if _WEEKENDS.search(words):
        days.update((5, 6))
    return frozenset(days) if days else None


def _hour_of_bare(hour: int) -> int | None:
    """Return the hour a bare "7" means: 7 to 11 are mornings, 12 noon, 1 to 6 later."""
    if hour == 0 or hour > 23:
        return None
    if hour >= _FIRST_MORNING_HOUR or hour > 12:
        return hour
    return hour + 12


def _checked(hour: int | None, minute: int) -> time | None:
    if hour is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    return time(hour, minute)


def read_time(text: str | None, *, strict: bool = False) -> time | None:
    """Return the time of day the text names, or ``None``.

    Reads "9am", "6.30pm", "18:00", "07:30", "half 7", "7 o'clock", "noon", "evening",
    and a bare hour ("7", "at 6"): 7 to 11 are mornings, 12 is noon, 1 to 6 are
    afternoons; "in the morning" or "in the evening" decides. ``strict`` reads only
    what cannot be anything but a time ("9am", "18:00", "at 7", "noon"), for a
    message that says more than the time ("remind me 3 days a week at 9am").
    """
    words = normalise(text).replace("a.m.", "am").replace("p.m.", "pm")
    clock = _CLOCK.search(words)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
        if not 1 <= hour <= 12:
            return None
        later = clock.group(3).replace(" ", "") == "pm"
        return _checked(hour % 12 + (12 if later else 0), minute)
    exact = _TWENTY_FOUR.search(words)
    if exact:
        hour_text, minute = exact.group(1), int(exact.group(2))
        hour = int(hour_text)
        if hour_text.startswith("0") or hour > 12:
            return _checked(hour, minute)
        return _checked(_day_part(words, hour), minute)
    half = _HALF.search(words)
    found = _AT_HOUR.search(words) or _O_CLOCK.search(words) or half
    if not strict:
        found = found or _BARE_HOUR.match(words) or _HOUR_IN.search(words)
    if found:
        return _checked(_day_part(words, int(found.group(1))), 30 if found is half else 0)
    named = _NAMED_TIMES[:2] if strict else _NAMED_TIMES
    for pattern, moment in named:
        if pattern.search(words):
            return moment
    return None


def _day_part(words: str, hour: int) -> int | None:
    """Return the 24-hour hour for ``hour`` said without am or pm."""
    if hour > 12:
        return hour if hour <= 23 else None
    if _LATER.search(words):
        return hour % 12 + 12
    if _MORNING.search(words):
        return hour % 12
    return _hour_of_bare(hour)


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Return lower-case city name -> zone, for the zones named Region/City."""
    found: dict[str, str] = {}
    for name in available_timezones():
        region, _, city = name.partition("/")
        place = city.replace("_", " ").lower()
        if region in _REGIONS and city and "/" not in city and place not in _NOT_PLACES:
            found[place] = name
    return found


def read_zone(text: str | None) -> str | None:
    """Return the time zone the text names: a zone ("Europe/Paris"), a city or the UK."""
    raw = (text or "").strip()
    for token in raw.split():
        if "/" in token and token.strip(".,") in available_timezones():
            return token.strip(".,")
    words = f" {normalise(raw).replace('.', ' ')} "
    places = {**_cities(), **_PLACES}
    for place in sorted(places, key=len, reverse=True):
        if f" {place} " in words:
            return places[place]
    return None
