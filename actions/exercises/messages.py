"""The messages of the exercise programme, built from ``content/exercise_programme.yml``.

Plain functions from content, the library and the log to
:class:`~actions.common.content.OutgoingMessage` objects; the actions
(:mod:`actions.exercises.actions`) send them. The exercises' own words (steps, doses,
the easier version) come from the library (:mod:`actions.exercises.library`)::

    content = get_programme_content()
    send(dispatcher, choice_question(content, get_library(), sms=False))
    send(dispatcher, *summary_messages(content, entries, today))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from actions.common.content import ContentFile, OutgoingMessage, fill, get_content
from actions.exercises.adherence import days_done, streak, verdict
from actions.exercises.library import (
    Exercise,
    Library,
    dose_text,
    exercise_message,
)
from actions.exercises.parsing import REASON_FORGOT, REASON_HURT, LogEntry, LogReport
from actions.exercises.walk import EASIER, FULL

CONTENT_FILE = "exercise_programme"
# A run of days is worth a word from this many days on.
MIN_STREAK = 2


def get_programme_content() -> ContentFile:
    """Return the words of the exercise programme, read on first use."""
    return get_content(CONTENT_FILE)


def starter_set(content: ContentFile) -> tuple[str, ...]:
    """Return the exercise ids of the starter set."""
    value = content.node("starter_set")
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def aliases(content: ContentFile, library: Library) -> dict[str, list[str]]:
    """Return the names each exercise may be called by when a patient chooses.

    Its name, the part in brackets ("bridge" of "Bottom lift (bridge)"), the part
    before, its id in words ("cat cow") and its short SMS name, all in lower case.
    """
    short = content.texts("sms_names")
    found: dict[str, list[str]] = {}
    for exercise_id, exercise in library.exercises.items():
        name = exercise.name.lower()
        names = [name, exercise_id.replace("_", " "), short.get(exercise_id, "").lower()]
        if "(" in name and name.endswith(")"):
            before, inside = name[:-1].split("(", 1)
            names += [before.strip(), inside.strip()]
        found[exercise_id] = [n for n in dict.fromkeys(names) if n]
    return found


def choice_question(content: ContentFile, library: Library, *, sms: bool) -> OutgoingMessage:
    """Return the question with the numbered list of exercises and the starter set button."""
    intro = content.text("choose.ask", sms=sms)
    if sms:
        short = content.texts("sms_names")
        item = content.text("choose.sms_item")
        separator = content.texts("choose")["sms_separator"]
        items = [
            fill(item, {"number": number, "name": short.get(exercise_id, exercise_id)})
            for number, exercise_id in enumerate(library.ids(), start=1)
        ]
        text = f"{intro} {separator.join(items)}"
    else:
        item = content.text("choose.item")
        lines = [
            fill(item, {"number": number, "name": library.exercise(exercise_id).name})
            for number, exercise_id in enumerate(library.ids(), start=1)
        ]
        text = "\n".join([intro, *lines])
    return OutgoingMessage(text, f"{CONTENT_FILE}.choose.ask", content.buttons("buttons.starter"))


def names_text(content: ContentFile, names: Sequence[str]) -> str:
    """Return names as a list in words: "A, B and C"."""
    words = content.texts("choose")
    if len(names) <= 1:
        return "".join(names)
    return words["name_separator"].join(names[:-1]) + words["last_separator"] + names[-1]


def saved_messages(
    content: ContentFile, library: Library, exercises: Sequence[str], *, starter: bool, sms: bool
) -> list[OutgoingMessage]:
    """Return the confirmation of a saved programme, offering to go through it now.

    On the web the exercises follow as a list of their names; a text message says
    their short names in one sentence.
    """
    key = "choose.saved_starter" if starter else "choose.saved"
    buttons = content.buttons("buttons.yes_show", "buttons.not_now")
    if sms:
        short = content.texts("sms_names")
        names = names_text(content, [short.get(e, e) for e in exercises])
        return [content.message(key, {"names": names}, sms=True, buttons=buttons)]
    item = content.text("choose.list_item")
    lines = [fill(item, {"name": library.exercise(e).name}) for e in exercises]
    return [
        content.message(key),
        OutgoingMessage("\n".join(lines), f"{CONTENT_FILE}.choose.list_item"),
        content.message("choose.go_now", buttons=buttons),
    ]


def walk_buttons(content: ContentFile) -> tuple[OutgoingMessage, ...]:
    """Return the prompt under an exercise, with "Done", "Too hard" and "Show me again"."""
    buttons = content.buttons("buttons.done", "buttons.too_hard", "buttons.again")
    return (content.message("walk.prompt", buttons=buttons),)


def easier_text(exercise: Exercise, library: Library) -> str:
    """Return the library's easier version of ``exercise``, with its dose."""
    layout = library.layout
    variant = exercise.easier
    change = dose_text(variant.dose, layout, variant.changes(exercise.dose))
    return fill(layout.chat["easier"], {"text": variant.text, "dose": change})


def walk_messages(
    content: ContentFile,
    library: Library,
    exercises: Sequence[str],
    step: int,
    view: str,
    *,
    sms: bool,
) -> list[OutgoingMessage]:
    """Return what to show for exercise ``step`` of the programme, and the choices.

    ``view`` is :data:`~actions.exercises.walk.FULL` (the whole exercise, with its
    place on the web; on SMS its own SMS text with the choices attached),
    :data:`~actions.exercises.walk.EASIER` (the easier version) or anything else (only
    the choices). The web chat shows no illustration: the widget shows images only from
    an http(s) address, and no route serves ``content/exercises/images`` yet.
    """
    exercise = library.exercise(exercises[min(step, len(exercises) - 1)])
    shown: list[OutgoingMessage] = []
    if view == FULL and sms:
        # A text message holds the exercise's own SMS text and the choices, nothing more,
        # so that it fits two parts with the channel's "Reply A for..." line.
        choices = walk_buttons(content)[-1].buttons
        return [
            dataclasses.replace(
                exercise_message(exercise, library.layout, sms=True), buttons=choices
            )
        ]
    if view == FULL:
        values = {"number": step + 1, "count": len(exercises)}
        shown.append(content.message("walk.heading", values))
        shown.append(exercise_message(exercise, library.layout, sms=sms))
    elif view == EASIER:
        shown.append(content.message("walk.easier_intro"))
        easier = OutgoingMessage(easier_text(exercise, library), f"exercises.{exercise.id}.easier")
        shown.append(easier)
    return [*shown, *walk_buttons(content)]


def finished_message(content: ContentFile, count: int) -> OutgoingMessage:
    """Return the praise after the last exercise, offering the summary."""
    buttons = content.buttons("buttons.summary", "buttons.menu")
    return content.message("walk.finished", {"count": count}, buttons=buttons)


def no_programme_message(content: ContentFile) -> OutgoingMessage:
    """Return the offer to choose a programme, for a patient who has none."""
    buttons = content.buttons("buttons.yes_choose", "buttons.not_now")
    return content.message("walk.none", buttons=buttons)


def when_text(content: ContentFile, days_ago: int) -> str:
    """Return how the logged day is said: "for today", "for yesterday", "for 2 days ago"."""
    words = content.texts("log.when")
    return fill(words.get(str(days_ago), words["other"]), {"n": days_ago})


def log_messages(
    content: ContentFile, report: LogReport, entry: LogEntry, *, has_reminder: bool = False
) -> list[OutgoingMessage]:
    """Return the reply to a logged day.

    A day skipped because it hurt gets a kind line; whenever it hurt, the patient is
    offered the flare-up check (its red-flag questions) in case the pain is new or
    spreading. A patient who forgot is offered a reminder, or a new time for the
    reminder they have (``has_reminder``).
    """
    when = when_text(content, report.days_ago)
    values = {"when": when, "done": entry.done, "planned": entry.planned or ""}
    hurt = report.reason == REASON_HURT
    forgot = report.reason == REASON_FORGOT
    if report.skipped:
        key = "log.hurt" if hurt else "log.forgot" if forgot else "log.none"
    elif (report.done is None and not report.half) or entry.done >= (entry.planned or 0) > 0:
        key = "log.all"
    else:
        key = "log.some" if entry.planned is not None else "log.some_unplanned"
    messages = [content.message(key, values)]
    if hurt:
        keys = ("buttons.yes_check", "buttons.hurt_vs_harm", "buttons.not_now")
        messages.append(content.message("log.hurt_check", buttons=content.buttons(*keys)))
    elif forgot:
        offer = "change_reminder" if has_reminder else "reminder"
        buttons = content.buttons(f"buttons.{offer}", "buttons.not_now")
        messages.append(content.message(f"log.{offer}_offer", buttons=buttons))
    else:
        last = messages[-1]
        messages[-1] = dataclasses.replace(
            last, buttons=content.buttons("buttons.summary", "buttons.menu")
        )
    return messages


def unclear_log_message(content: ContentFile) -> OutgoingMessage:
    """Return the re-ask for a log message that could not be read."""
    return content.message("log.unclear")


def summary_messages(
    content: ContentFile, entries: Sequence[LogEntry], today: date
) -> list[OutgoingMessage]:
    """Return the weekly summary: days done in the last 7, a word on it, and any run.

    ``entries`` may reach further back than a week: a run of days may be longer.
    """
    done = days_done(entries, today)
    if done == 0:
        buttons = content.buttons("buttons.show", "buttons.not_now")
        return [content.message("summary.none", buttons=buttons)]
    messages = [
        content.message("summary.days", {"days": done}),
        content.message(f"summary.{verdict(done)}"),
    ]
    run = streak(entries, today)
    if run >= MIN_STREAK:
        messages.append(content.message("summary.streak", {"streak": run}))
    last = messages[-1]
    messages[-1] = dataclasses.replace(
        last, buttons=content.buttons("buttons.show", "buttons.menu")
    )
    return messages
