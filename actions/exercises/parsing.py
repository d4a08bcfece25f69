"""Read what patients type about their exercise programme: a choice, or a day's log.

Plain functions, no Rasa imports, used by :mod:`actions.exercises.actions`::

    read_choice("1, 4 and 6", ids, aliases, starter)   # Choice(("bird_dog", ...), False)
    read_choice("2 and 3", ids, aliases, starter)      # ChoiceProblem("too_few")
    report = read_log("did 2 of 4 yesterday")         # LogReport(days_ago=1, done=2, planned=4)
    log_entry(report, today, programme_size=4)         # LogEntry(day=today - 1 day, done=2, ...)

A log message says which day (today unless it says "yesterday", "the day before
yesterday" or "2 days ago"), how many exercises were done ("did my exercises" is all of
them, "did 2 of 4", "half", "skipped" or "forgot" is none), and why a day was missed:
because it hurt, or because the patient forgot (then a reminder is offered).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

MIN_CHOICE: Final = 3
MAX_CHOICE: Final = 5
# How far back a day may be logged: the weekly summary looks at the last 7 days.
MAX_DAYS_AGO: Final = 6
# More than this many exercises in one day is a typo, not a log.
MAX_DONE: Final = 20
REASON_HURT: Final = "hurt"
REASON_FORGOT: Final = "forgot"

NUMBER_WORDS: Final = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b")
_NUMBER = re.compile(r"\d+")
_STARTER = re.compile(r"\bstarter\b|\byou (choose|pick)\b|\bgentle ones\b|\bshort set\b")
_OF = re.compile(r"\b(\d+)\s*(?:of|out of|/)\s*(?:the\s+|my\s+)?(\d+)\b")
_COUNT = re.compile(r"\b(?:did|done|managed|completed|finished|do)\s+(?:only\s+|just\s+)?(\d+)\b")
_ONLY_COUNT = re.compile(r"^\s*(?:only\s+|just\s+)?(\d+)\s*(?:exercises?)?\s*$")
_HALF = re.compile(r"\bhalf\b")
_SKIPPED = re.compile(
    r"\b(skip|skipped|skipping|missed|miss|didn'?t|did not|couldn'?t|could not|"
    r"haven'?t|have not|no exercises?|none|not today|day off|rest day)\b"
)
_HURT = re.compile(
    r"\b(hurt|hurts|hurting|pain|painful|sore|ache|aches|aching|flare|flared|agony|too bad)\b"
)
_FORGOT = re.compile(
    r"\b(forgot|forget|forgotten|forgetting|slipped my mind|didn'?t remember|did not remember)\b"
)
# "Forgot to log it" is about the log, not the exercises.
_FORGOT_TO_SAY = re.compile(r"\bforg[eo]t\w* to (log|tell|say|record|mark|tick|note|write)\b")
_FUTURE = re.compile(r"\b(tomorrow|later|tonight|going to|will)\b")
_DAYS_AGO = re.compile(r"\b(\d+)\s+days?\s+ago\b")
_DAY_BEFORE_YESTERDAY = re.compile(r"\bday before yesterday\b")
_YESTERDAY = re.compile(r"\b(yesterday|yday|last night)\b")
_PAYLOAD = re.compile(r"^\s*/\w+")
_SPACES = re.compile(r"[^a-z0-9'/]+")


def normalise(text: str | None) -> str:
    """Return ``text`` in lower case, number words as digits, punctuation as spaces."""
    lowered = (text or "").lower().replace("\u2019", "'")
    lowered = _NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m.group(1)]), lowered)
    return " ".join(_SPACES.sub(" ", lowered).split())


# --- choosing a programme ----------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """The exercises a patient chose, in the order they named them."""

    exercises: tuple[str, ...]
    starter: bool = False


@dataclass(frozen=True)
class ChoiceProblem:
    """Why a choice cannot be used: ``too_few``, ``too_many`` or ``unknown``."""

    reason: str


def read_choice(
    text: str | None,
    ids: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    starter: Sequence[str],
) -> Choice | ChoiceProblem:
    """Return the exercises chosen in ``text``, or why the choice cannot be used.

    Args:
        text: the patient's answer: numbers from the list ("1, 4 and 6"), names
            ("bridge and cat cow"), or the starter set ("starter set").
        ids: the exercise ids in the order the list showed them (1 is ``ids[0]``).
        aliases: for each id, the names it may be called by (lower case).
        starter: the ids of the starter set.
    """
    words = normalise(text)
    if _STARTER.search(words):
        return Choice(tuple(starter), starter=True)
    found: list[tuple[int, str]] = []
    for match in _NUMBER.finditer(words):
        number = int(match.group())
        if not 1 <= number <= len(ids):
            return ChoiceProblem("unknown")
        found.append((match.start(), ids[number - 1]))
    # Longest names first, each match blanked out, so that "arm and leg reach lying on
    # your back" is not also read as the shorter "arm and leg reach".
    padded = f" {words} "
    named = sorted(
        (
            (normalise(name), exercise_id)
            for exercise_id, names in aliases.items()
            for name in names
        ),
        key=lambda pair: -len(pair[0]),
    )
    for name, exercise_id in named:
        at = padded.find(f" {name} ") if name else -1
        if at >= 0:
            found.append((at, exercise_id))
            padded = padded[:at] + " " * (len(name) + 1) + padded[at + len(name) + 1 :]
    chosen = tuple(dict.fromkeys(exercise_id for _, exercise_id in sorted(found)))
    if not chosen:
        return ChoiceProblem("unknown")
    if len(chosen) < MIN_CHOICE:
        return ChoiceProblem("too_few")
    if len(chosen) > MAX_CHOICE:
        return ChoiceProblem("too_many")
    return Choice(chosen)


# --- logging a day -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogReport:
    """What a log message says.

    Attributes:
        days_ago: 0 for today, 1 for yesterday...
        done: how many exercises were done; ``None`` means all of them.
        planned: how many there were, when the message says ("2 of 4").
        half: the message says half of them.
        reason: ``"hurt"`` when the message says it hurt (skipped or not), else
            ``"forgot"`` when it says the patient forgot.
    """

    days_ago: int = 0
    done: int | None = None
    planned: int | None = None
    half: bool = False
    reason: str | None = None

    @property
    def skipped(self) -> bool:
        """Return whether no exercise was done that day."""
        return self.done == 0


@dataclass(frozen=True)
class LogEntry:
    """One day of the exercise log, as stored.

    Attributes:
        day: the patient's day.
        done: exercises done (0 for a skipped day). A day said to be done when the
            programme's size is not known counts as 1.
        planned: exercises in the programme that day, when known.
        reason: ``"hurt"`` when the patient said it hurt, ``"forgot"`` when they forgot.
    """

    day: date
    done: int
    planned: int | None = None
    reason: str | None = None

    @property
    def did_some(self) -> bool:
        """Return whether at least one exercise was done that day."""
        return self.done > 0


def _days_ago(words: str) -> int | None:
    if _DAY_BEFORE_YESTERDAY.search(words):
        return 2
    if _YESTERDAY.search(words):
        return 1
    match = _DAYS_AGO.search(words)
    if match:
        days = int(match.group(1))
        return days if days <= MAX_DAYS_AGO else None
    return 0


def read_log(text: str | None) -> LogReport | None:
    """Return what a log message says, or ``None`` when it cannot be read as a log.

    A message about a day to come ("will do them tomorrow"), a day more than
    :data:`MAX_DAYS_AGO` days ago, or an impossible count ("did 5 of 4") is not a log.
    A button that sends the intent alone (``/log_exercises``) means all, today.
    """
    words = normalise(_PAYLOAD.sub(" ", text or ""))
    if _FUTURE.search(words):
        return None
    days_ago = _days_ago(words)
    if days_ago is None:
        return None
    words_without_day = _DAYS_AGO.sub(" ", words)
    reason = REASON_HURT if _HURT.search(words) else None
    forgot = _FORGOT.search(words) is not None and not _FORGOT_TO_SAY.search(words)
    if reason is None and forgot:
        reason = REASON_FORGOT
    of = _OF.search(words_without_day)
    count = _COUNT.search(words_without_day) or _ONLY_COUNT.search(words_without_day)
    if of:
        done, planned = int(of.group(1)), int(of.group(2))
        if planned < 1 or done > planned or planned > MAX_DONE:
            return None
        return LogReport(days_ago, done, planned, reason=reason)
    if count:
        done = int(count.group(1))
        if done > MAX_DONE:
            return None
        return LogReport(days_ago, done, reason=reason)
    if _HALF.search(words):
        return LogReport(days_ago, half=True, reason=reason)
    if _SKIPPED.search(words) or forgot:
        return LogReport(days_ago, 0, reason=reason)
    return LogReport(days_ago, reason=reason)


def log_entry(report: LogReport, today: date, programme_size: int | None) -> LogEntry:
    """Return the log row for ``report``, on the patient's ``today``.

    Args:
        report: what the message said.
        today: the patient's date today (see :func:`actions.exercises.adherence.local_day`).
        programme_size: how many exercises the patient's programme has, if any.
    """
    day = today - timedelta(days=report.days_ago)
    planned = report.planned if report.planned is not None else programme_size
    if report.half:
        done = max(1, (planned or 1) // 2)
    elif report.done is None:
        done = planned or 1
    else:
        done = report.done
    if planned is not None:
        # "Did 3" with a programme of 2: the log counts the programme's exercises.
        done = min(done, planned)
    return LogEntry(day=day, done=done, planned=planned, reason=report.reason)
