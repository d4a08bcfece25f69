"""Typed, checked exercise library read from ``content/exercises/``.

- ``content/exercises/<id>.yml``: one exercise each: name, purpose, position,
  equipment, numbered steps, a starting dose, easier and harder versions, when to stop
  and get advice, an SMS variant, an illustration, sources, a review record and the
  recorded reading grade;
- ``content/exercises/images/<id>.svg``: the exercise's line drawing;
- ``content/exercise_library.yml``: the words around an exercise in a chat (headings,
  how each part of a dose is said) and the pointer to the warning-signs advice.

The library is read and checked once, on first use (:func:`get_library`), so importing
this module does no work. A broken file raises :class:`ContentError` at load time,
never halfway through a conversation::

    library = get_library()
    bridge = library.exercise("bridge")
    chat = render_chat(bridge, library.layout)   # numbered steps, dose, easier, harder
    text = render_sms(bridge)                     # at most SMS_LIMIT characters

No Rasa imports here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, Final

from actions.common.content import (
    CONTENT_DIR,
    SMS_LIMIT,
    ContentError,
    OutgoingMessage,
    fill,
    read_yaml,
    require_text,
    require_texts,
)
from actions.common.review import STATUS_REVIEWED, Review, parse_review, review_hash

EXERCISES_DIR: Final = CONTENT_DIR / "exercises"
LAYOUT_FILE: Final = "exercise_library.yml"
CONTENT_ID_PREFIX: Final = "exercises"

# The amounts a dose may hold, in the order a dose is said. For every one of them more
# is harder, so an easier version may only lower them and a harder one only raise them.
DOSE_FIELDS: Final = ("reps", "hold_seconds", "minutes", "sets", "per_day", "days_per_week")
# Amounts that say how much of the exercise one go is (at least one is needed)...
EFFORT_FIELDS: Final = ("reps", "hold_seconds", "minutes")
# ...and amounts that say how often (at least one is needed).
FREQUENCY_FIELDS: Final = ("per_day", "days_per_week")
DAYS_IN_WEEK: Final = 7
EACH_SIDE: Final = "each_side"
OTHER: Final = "other"

EXERCISE_KEYS: Final = frozenset(
    {
        "id",
        "name",
        "purpose",
        "position",
        "equipment",
        "steps",
        "dose",
        "easier",
        "harder",
        "stop_if",
        "sms",
        "illustration",
        "sources",
        "review",
        "reading_grade",
    }
)
CHAT_TEMPLATES: Final = (
    "heading",
    "position",
    "equipment",
    "steps",
    "step",
    "dose",
    "easier",
    "harder",
    "stop_if",
    "stop_item",
)


@dataclass(frozen=True)
class Dose:
    """How much of an exercise to do: each amount is ``None`` when the dose has none.

    Attributes:
        reps: times the movement is done in one round.
        hold_seconds: seconds each position is held.
        minutes: minutes of the activity (walking).
        sets: rounds, with a rest between.
        per_day: goes a day.
        days_per_week: days a week (at most 7).
        each_side: the amount is for each side of the body.
    """

    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    sets: int | None = None
    per_day: int | None = None
    days_per_week: int | None = None
    each_side: bool = False

    def amounts(self) -> dict[str, int]:
        """Return the amounts the dose holds, by field name, in :data:`DOSE_FIELDS` order."""
        found = {name: getattr(self, name) for name in DOSE_FIELDS}
        return {name: value for name, value in found.items() if value is not None}

    def changes_from(self, other: Dose) -> dict[str, int]:
        """Return the amounts of this dose that differ from ``other``'s."""
        theirs = other.amounts()
        return {name: value for name, value in self.amounts().items() if theirs.get(name) != value}


def compare_doses(variant: Dose, start: Dose) -> int:
    """Return -1 if ``variant`` is less than ``start``, 1 if more, 0 if neither.

    Only amounts both doses hold are comparable. A dose is less when no comparable
    amount is higher and at least one is lower (more: the other way round); equal or
    mixed doses (one amount up, another down) are neither.
    """
    mine, theirs = variant.amounts(), start.amounts()
    shared = [name for name in mine if name in theirs]
    lower = any(mine[name] < theirs[name] for name in shared)
    higher = any(mine[name] > theirs[name] for name in shared)
    if lower and not higher:
        return -1
    if higher and not lower:
        return 1
    return 0


@dataclass(frozen=True)
class Variant:
    """An easier or harder version: what to change, and the dose it is done at."""

    text: str
    dose: Dose

    def changes(self, start: Dose) -> dict[str, int]:
        """Return the amounts that differ from the starting dose ``start``."""
        return self.dose.changes_from(start)


@dataclass(frozen=True)
class Illustration:
    """An exercise's line drawing: the SVG file and the words that describe it."""

    path: Path
    alt: str


@dataclass(frozen=True)
class Exercise:
    """One exercise, as read from ``content/exercises/<id>.yml``."""

    id: str
    name: str
    purpose: str
    position: str
    equipment: tuple[str, ...]
    steps: tuple[str, ...]
    dose: Dose
    easier: Variant
    harder: Variant
    stop_if: tuple[str, ...]
    sms: str
    illustration: Illustration
    sources: tuple[str, ...]
    review: Review
    reading_grade: float
    text_hash: str = ""

    @property
    def needs_review(self) -> bool:
        """Return whether this exercise awaits (re-)review by a clinician."""
        return self.review.state(self.text_hash) != STATUS_REVIEWED


@dataclass(frozen=True)
class Layout:
    """The words around an exercise, from ``content/exercise_library.yml``.

    Attributes:
        chat: templates by name (:data:`CHAT_TEMPLATES`), with ``{placeholders}``.
        dose: per amount in :data:`DOSE_FIELDS`, the phrase for a number (a key that
            is a number) or for any other number (``other``, with ``{n}``).
        dose_separator: what goes between the phrases of one dose.
        each_side: the phrase added after the first effort amount of a one-sided dose.
        list_separator: what goes between items of equipment.
        warning_signs: the line that points to the warning-signs advice.
        warning_signs_topic: the topic that advice is (``content/topics/<id>.yml``).
    """

    chat: Mapping[str, str]
    dose: Mapping[str, Mapping[str, str]]
    dose_separator: str
    each_side: str
    list_separator: str
    warning_signs: str
    warning_signs_topic: str

    def amount(self, name: str, value: int) -> str:
        """Return the phrase for ``value`` of the amount ``name`` (``"2 rounds"``)."""
        phrases = self.dose[name]
        return fill(phrases.get(str(value), phrases[OTHER]), {"n": value})


@dataclass(frozen=True)
class Library:
    """Every exercise and the layout they are shown with."""

    exercises: Mapping[str, Exercise]
    layout: Layout

    def exercise(self, exercise_id: str) -> Exercise:
        """Return the exercise with ``exercise_id``.

        Raises:
            ContentError: no such exercise.
        """
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise ContentError(f"unknown exercise {exercise_id!r}") from None

    def ids(self) -> tuple[str, ...]:
        """Return the exercise ids, sorted."""
        return tuple(sorted(self.exercises))


# --- reading and checking ----------------------------------------------------------------


def _count(value: Any, where: str, *, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ContentError(f"{where} must be a whole number of at least 1")
    if most is not None and value > most:
        raise ContentError(f"{where} must be at most {most}")
    return value


def _amounts(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, Mapping) or not data:
        raise ContentError(f"{where} must be a non-empty mapping")
    unknown = set(data) - {*DOSE_FIELDS, EACH_SIDE}
    if unknown:
        raise ContentError(f"{where} has unknown amounts {sorted(unknown)}")
    amounts: dict[str, Any] = {}
    for name, value in data.items():
        if name == EACH_SIDE:
            if not isinstance(value, bool):
                raise ContentError(f"{where}.{EACH_SIDE} must be true or false")
            amounts[name] = value
        else:
            most = DAYS_IN_WEEK if name == "days_per_week" else None
            amounts[name] = _count(value, f"{where}.{name}", most=most)
    return amounts


def parse_dose(data: Any, where: str) -> Dose:
    """Read a starting dose: at least one effort amount and one frequency.

    Raises:
        ContentError: not a mapping, an unknown amount, a number that is not a whole
            number of at least 1, or no effort or frequency amount.
    """
    dose = Dose(**_amounts(data, where))
    amounts = dose.amounts()
    if not any(name in amounts for name in EFFORT_FIELDS):
        raise ContentError(f"{where} needs one of {', '.join(EFFORT_FIELDS)}")
    if not any(name in amounts for name in FREQUENCY_FIELDS):
        raise ContentError(f"{where} needs one of {', '.join(FREQUENCY_FIELDS)}")
    return dose


def parse_variant(data: Any, start: Dose, where: str, *, easier: bool) -> Variant:
    """Read an easier or harder version: its text and the dose change from ``start``.

    ``dose`` lists only the amounts that change; the rest are the starting dose's.

    Raises:
        ContentError: no text, no dose change, or a dose that is not less than the
            starting dose (easier) or not more (harder) in the amounts both hold.
    """
    if not isinstance(data, Mapping):
        raise ContentError(f"{where} must be a mapping with text and dose")
    text = require_text(data, "text", where)
    dose = dataclasses.replace(start, **_amounts(data.get("dose"), f"{where}.dose"))
    if not dose.changes_from(start):
        raise ContentError(f"{where}.dose must change the starting dose")
    wanted = -1 if easier else 1
    if compare_doses(dose, start) != wanted:
        word = "less" if easier else "more"
        raise ContentError(f"{where}.dose must be {word} than the starting dose")
    return Variant(text=text, dose=dose)


def parse_illustration(data: Any, folder: Path, where: str) -> Illustration:
    """Read an illustration: an SVG file under ``folder`` that exists, and its alt text.

    Raises:
        ContentError: no path or alt text, a path that is absolute, leaves ``folder``
            or is not an SVG, or a file that does not exist.
    """
    if not isinstance(data, Mapping):
        raise ContentError(f"{where}: illustration must be a mapping with path and alt")
    raw = require_text(data, "path", f"{where} illustration")
    relative = PurePosixPath(raw)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".svg":
        raise ContentError(f"{where}: illustration.path must be an .svg under {folder.name}/")
    path = folder.joinpath(*relative.parts)
    if not path.is_file():
        raise ContentError(f"{where}: illustration {raw} does not exist")
    return Illustration(path=path, alt=require_text(data, "alt", f"{where} illustration"))


def load_exercise(path: Path) -> Exercise:
    """Read and check one exercise file.

    Raises:
        ContentError: a field is missing, unknown or has the wrong type or value, the
            id does not match the file name, or the illustration file is missing.
    """
    data = read_yaml(path)
    where = path.name
    missing = sorted(EXERCISE_KEYS - set(data))
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(data) - EXERCISE_KEYS)
    if unknown:
        raise ContentError(f"{where}: unknown keys {', '.join(unknown)}")
    exercise_id = require_text(data, "id", where)
    if exercise_id != path.stem:
        raise ContentError(f"{where}: id {exercise_id!r} must match the file name")
    grade = data["reading_grade"]
    if not isinstance(grade, (int, float)) or isinstance(grade, bool):
        raise ContentError(f"{where}: reading_grade must be a number")
    dose = parse_dose(data["dose"], f"{where}: dose")
    sms = " ".join(require_text(data, "sms", where).split())
    if len(sms) > SMS_LIMIT:
        raise ContentError(f"{where}: sms is {len(sms)} characters, over {SMS_LIMIT}")
    return Exercise(
        id=exercise_id,
        name=require_text(data, "name", where),
        purpose=require_text(data, "purpose", where),
        position=require_text(data, "position", where),
        equipment=require_texts(data, "equipment", where, allow_empty=True),
        steps=require_texts(data, "steps", where, allow_empty=False),
        dose=dose,
        easier=parse_variant(data["easier"], dose, f"{where}: easier", easier=True),
        harder=parse_variant(data["harder"], dose, f"{where}: harder", easier=False),
        stop_if=require_texts(data, "stop_if", where, allow_empty=False),
        sms=sms,
        illustration=parse_illustration(data["illustration"], path.parent, where),
        sources=require_texts(data, "sources", where, allow_empty=False),
        review=parse_review(data["review"], where),
        reading_grade=float(grade),
        text_hash=review_hash(data, base=path.parent),
    )


def load_layout(path: Path, topics: Path) -> Layout:
    """Read and check the exercise layout file.

    Args:
        path: ``content/exercise_library.yml``.
        topics: the topics folder the warning-signs pointer must name a topic in.

    Raises:
        ContentError: a template or dose phrase is missing, or the warning-signs
            pointer names a topic that does not exist.
    """
    data = read_yaml(path)
    where = path.name
    chat = data.get("chat")
    if not isinstance(chat, Mapping):
        raise ContentError(f"{where}: chat must be a mapping of templates")
    templates = {name: require_text(chat, name, f"{where} chat") for name in CHAT_TEMPLATES}
    dose = data.get("dose")
    if not isinstance(dose, Mapping):
        raise ContentError(f"{where}: dose must be a mapping of phrases")
    phrases: dict[str, dict[str, str]] = {}
    for name in DOSE_FIELDS:
        table = dose.get(name)
        if not isinstance(table, Mapping) or OTHER not in table:
            raise ContentError(f"{where}: dose.{name} needs an '{OTHER}' phrase")
        phrases[name] = {
            str(key): require_text(table, key, f"{where} dose.{name}") for key in table
        }
    warning = data.get("warning_signs")
    if not isinstance(warning, Mapping):
        raise ContentError(f"{where}: warning_signs must be a mapping with text and topic")
    topic = require_text(warning, "topic", f"{where} warning_signs")
    if not (topics / f"{topic}.yml").is_file():
        raise ContentError(f"{where}: warning_signs.topic {topic!r} is not a topic")
    return Layout(
        chat=templates,
        dose=phrases,
        dose_separator=str(dose.get("separator", ", ")),
        each_side=require_text(dose, EACH_SIDE, f"{where} dose"),
        list_separator=str(data.get("list_separator", ", ")),
        warning_signs=require_text(warning, "text", f"{where} warning_signs"),
        warning_signs_topic=topic,
    )


def load_library(root: Path = CONTENT_DIR) -> Library:
    """Read every exercise under ``root/exercises`` and the layout beside them.

    Raises:
        ContentError: a file is malformed (see :func:`load_exercise` and
            :func:`load_layout`), or there are no exercises.
    """
    exercises: dict[str, Exercise] = {}
    for path in sorted((root / "exercises").glob("*.yml")):
        exercise = load_exercise(path)
        exercises[exercise.id] = exercise
    if not exercises:
        raise ContentError(f"{root / 'exercises'}: no exercises found")
    return Library(exercises=exercises, layout=load_layout(root / LAYOUT_FILE, root / "topics"))


@cache
def get_library() -> Library:
    """Return the process-wide exercise library, loading it on first use."""
    return load_library()


# --- rendering ---------------------------------------------------------------------------


def dose_text(dose: Dose, layout: Layout, amounts: Mapping[str, int] | None = None) -> str:
    """Return a dose in words, e.g. ``"8 times on each side, once a day"``.

    Args:
        dose: the dose (it says whether the amounts are for each side).
        layout: the phrases.
        amounts: the amounts to say (default: all of the dose's), e.g. only the changes.
    """
    shown = dose.amounts() if amounts is None else dict(amounts)
    phrases = []
    sided = dose.each_side
    for name in DOSE_FIELDS:
        if name not in shown:
            continue
        phrase = layout.amount(name, shown[name])
        if sided and name in EFFORT_FIELDS:
            phrase = f"{phrase} {layout.each_side}"
            sided = False
        phrases.append(phrase)
    return layout.dose_separator.join(phrases)


def render_chat(exercise: Exercise, layout: Layout) -> str:
    """Return the exercise as one chat message: numbered steps, dose, variants, stops."""
    chat = layout.chat
    lines = [
        fill(chat["heading"], {"name": exercise.name}),
        exercise.purpose,
        fill(chat["position"], {"position": exercise.position}),
    ]
    if exercise.equipment:
        items = layout.list_separator.join(exercise.equipment)
        lines.append(fill(chat["equipment"], {"equipment": items}))
    lines.append(chat["steps"])
    lines.extend(
        fill(chat["step"], {"number": number, "step": step})
        for number, step in enumerate(exercise.steps, start=1)
    )
    lines.append(fill(chat["dose"], {"dose": dose_text(exercise.dose, layout)}))
    for key, variant in (("easier", exercise.easier), ("harder", exercise.harder)):
        change = dose_text(variant.dose, layout, variant.changes(exercise.dose))
        lines.append(fill(chat[key], {"text": variant.text, "dose": change}))
    lines.append(chat["stop_if"])
    lines.extend(fill(chat["stop_item"], {"item": item}) for item in exercise.stop_if)
    lines.append(layout.warning_signs)
    return "\n".join(" ".join(line.split()) for line in lines)


def render_sms(exercise: Exercise, limit: int = SMS_LIMIT) -> str:
    """Return the exercise as one text message of at most ``limit`` characters.

    Raises:
        ContentError: the exercise's SMS variant is longer than ``limit``.
    """
    if len(exercise.sms) > limit:
        raise ContentError(f"exercise {exercise.id}: sms is over {limit} characters")
    return exercise.sms


def exercise_message(exercise: Exercise, layout: Layout, *, sms: bool) -> OutgoingMessage:
    """Return the exercise as a message with content id ``exercises.<id>``."""
    text = render_sms(exercise) if sms else render_chat(exercise, layout)
    return OutgoingMessage(text=text, content_id=f"{CONTENT_ID_PREFIX}.{exercise.id}")
