"""Actions of the home exercise programme: choose it, walk through it, log days, see the week.

Flow (rules in ``data/stories/exercise_programme.yml``):

- ``choose_exercises``: ``exercise_choice_form`` asks for 3 to 5 exercises from the
  numbered list, or the starter set (:class:`ActionAskExerciseChoice`);
  :class:`ValidateExerciseChoiceForm` reads the answer (:mod:`.parsing`) and
  :class:`ActionSaveExerciseProgramme` keeps it (:mod:`.store`), replacing any earlier one.
- ``show_my_exercises``: :class:`ActionStartExerciseWalk` starts at the first exercise,
  then ``exercise_walk_form`` shows one exercise at a time with "Done", "Too hard" (the
  easier version) and "Show me again" (:mod:`.walk`); after the last one
  :class:`ActionFinishExerciseWalk` logs the day as done. With no programme the form
  closes at once and the patient is offered to choose one.
- ``log_exercises``: :class:`ActionLogExercises` reads "did my exercises", "did 2 of 4",
  "skipped today, it hurt", "did them yesterday" and keeps one row per day; "I forgot"
  gets a reminder offered (``set_reminder``, :mod:`actions.reminders`), or a new time
  for the reminder the patient has.
- ``exercise_summary``: :class:`ActionShowExerciseSummary` gives the days done in the
  last 7 and a gentle run of days (:mod:`.adherence`).

Days are UTC days: the project has no per-patient time zone yet (see
:mod:`actions.exercises.adherence`). Every word comes from
``content/exercise_programme.yml`` and the library (:mod:`.messages`); SMS replies use
the compact variants. Store, library and content are opened on first use.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.action import ReplyAction
from actions.common.channel import is_sms
from actions.common.content import OutgoingMessage
from actions.common.forms import AnswerValidation, AskSlot
from actions.common.send import send
from actions.exercises.adherence import local_day
from actions.exercises.library import get_library
from actions.exercises.messages import (
    aliases,
    choice_question,
    finished_message,
    get_programme_content,
    log_messages,
    no_programme_message,
    saved_messages,
    starter_set,
    summary_messages,
    unclear_log_message,
    walk_messages,
)
from actions.exercises.parsing import (
    REASON_FORGOT,
    ChoiceProblem,
    LogEntry,
    log_entry,
    read_choice,
    read_log,
)
from actions.exercises.store import get_exercise_store
from actions.exercises.walk import (
    FINISHED,
    FULL,
    NO_PROGRAMME,
    next_state,
    read_walk_answer,
    step_of,
)
from bot.db import utcnow
from bot.reminders.store import KIND_EXERCISE, get_reminder_store

CHOICE_SLOT = "exercise_choice"
ANSWER_SLOT = "exercise_walk_answer"
STEP_SLOT = "exercise_walk_step"
VIEW_SLOT = "exercise_walk_view"
# How far back the summary reads the log: a run of days may be longer than a week.
SUMMARY_LOOKBACK = timedelta(days=90)


def programme_of(sender_id: str) -> tuple[str, ...]:
    """Return the patient's exercises that the library still has (none without a programme)."""
    programme = get_exercise_store().programme(sender_id)
    if programme is None:
        return ()
    known = get_library().exercises
    return tuple(exercise for exercise in programme.exercises if exercise in known)


def has_exercise_reminder(sender_id: str) -> bool:
    """Return whether the patient has an exercise reminder on."""
    return any(r.kind == KIND_EXERCISE for r in get_reminder_store().active(sender_id))


def as_text(value: Any) -> str:
    """Return a slot value as the patient's text."""
    return "" if value is None else str(value)


# --- choosing ------------------------------------------------------------------------------


class ActionAskExerciseChoice(AskSlot):
    """Ask for 3 to 5 exercises from the numbered list, or the starter set."""

    slot = CHOICE_SLOT

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the question with the library's exercises, numbered."""
        return choice_question(get_programme_content(), get_library(), sms=is_sms(tracker))


class ValidateExerciseChoiceForm(AnswerValidation):
    """Read the choice; re-ask kindly when it names too few, too many or unknown exercises."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_exercise_choice_form"

    def validate_exercise_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept 3 to 5 exercises or the starter set, as ``{"exercises": [...], ...}``."""
        content = get_programme_content()
        library = get_library()
        result = read_choice(
            as_text(value), library.ids(), aliases(content, library), starter_set(content)
        )
        if isinstance(result, ChoiceProblem):
            send(dispatcher, content.message(f"choose.reask.{result.reason}"))
            return {CHOICE_SLOT: None}
        return {CHOICE_SLOT: {"exercises": list(result.exercises), "starter": result.starter}}


class ActionSaveExerciseProgramme(ReplyAction, action="action_save_exercise_programme"):
    """Keep the chosen programme, replacing any earlier one, and offer to go through it."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Save the programme and confirm it, then clear the choice."""
        content = get_programme_content()
        library = get_library()
        choice = tracker.get_slot(CHOICE_SLOT)
        exercises = choice.get("exercises") if isinstance(choice, dict) else None
        if not isinstance(exercises, list) or not all(e in library.exercises for e in exercises):
            again = content.buttons("buttons.choose")
            send(dispatcher, content.message("choose.error", buttons=again))
            return [SlotSet(CHOICE_SLOT, None)]
        starter = bool(choice.get("starter"))
        get_exercise_store().save_programme(tracker.sender_id, tuple(exercises), starter=starter)
        sms = is_sms(tracker)
        send(dispatcher, *saved_messages(content, library, exercises, starter=starter, sms=sms))
        return [SlotSet(CHOICE_SLOT, None)]


# --- the walk-through ------------------------------------------------------------------------


class ActionStartExerciseWalk(ReplyAction, action="action_start_exercise_walk"):
    """Start the walk-through at the first exercise, or offer to choose a programme."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Introduce the walk-through; without a programme, close the form before it asks."""
        content = get_programme_content()
        exercises = programme_of(tracker.sender_id)
        if not exercises:
            send(dispatcher, no_programme_message(content))
            view = NO_PROGRAMME
        else:
            values = {"count": len(exercises)}
            send(dispatcher, content.message("walk.intro", values, sms=is_sms(tracker)))
            view = FULL
        return [SlotSet(ANSWER_SLOT, None), SlotSet(STEP_SLOT, 0), SlotSet(VIEW_SLOT, view)]


class ActionAskExerciseWalkAnswer(AskSlot):
    """Show the current exercise (or its easier version) with the three choices."""

    slot = ANSWER_SLOT

    def question(self, tracker: Tracker) -> OutgoingMessage:
        """Return the last message of :meth:`reply` (the one with the buttons)."""
        return self.messages(tracker)[-1]

    def messages(self, tracker: Tracker) -> list[OutgoingMessage]:
        """Return what to show for the current step."""
        content = get_programme_content()
        exercises = programme_of(tracker.sender_id)
        if not exercises:
            return [no_programme_message(content)]
        step = step_of(tracker.get_slot(STEP_SLOT))
        view = str(tracker.get_slot(VIEW_SLOT) or FULL)
        return walk_messages(content, get_library(), exercises, step, view, sms=is_sms(tracker))

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the exercise and the choices."""
        send(dispatcher, *self.messages(tracker))
        return []


class ValidateExerciseWalkForm(AnswerValidation):
    """Move through the programme on "done"; show the easier version or the exercise again."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "validate_exercise_walk_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Ask nothing when there is no programme, so the form closes at once."""
        if tracker.get_slot(VIEW_SLOT) == NO_PROGRAMME:
            return []
        return domain_slots

    def validate_exercise_walk_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Work out the next step; the answer stays empty (asked again) until the last is done."""
        answer = read_walk_answer(as_text(value))
        count = len(programme_of(tracker.sender_id))
        state = next_state(answer, step_of(tracker.get_slot(STEP_SLOT)), count)
        if count == 0 or state.finished:
            return {ANSWER_SLOT: FINISHED}
        if answer is None:
            send(dispatcher, get_programme_content().message("walk.unclear"))
        return {ANSWER_SLOT: None, STEP_SLOT: state.step, VIEW_SLOT: state.view}


class ActionFinishExerciseWalk(ReplyAction, action="action_finish_exercise_walk"):
    """Praise the finished walk-through and log today as done."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Log today with every exercise done, and offer the weekly summary."""
        exercises = programme_of(tracker.sender_id)
        if tracker.get_slot(ANSWER_SLOT) == FINISHED and exercises:
            count = len(exercises)
            entry = LogEntry(day=local_day(utcnow()), done=count, planned=count)
            get_exercise_store().save_log(tracker.sender_id, entry)
            send(dispatcher, finished_message(get_programme_content(), count))
        return [SlotSet(ANSWER_SLOT, None), SlotSet(STEP_SLOT, None), SlotSet(VIEW_SLOT, None)]


# --- logging and the summary ---------------------------------------------------------------


class ActionLogExercises(ReplyAction, action="action_log_exercises"):
    """Log a day of exercises from the patient's words; a later log for a day replaces it."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Read the day and the count, keep them, and reply kindly."""
        content = get_programme_content()
        report = read_log(tracker.latest_message.get("text"))
        if report is None:
            send(dispatcher, unclear_log_message(content))
            return []
        size = len(programme_of(tracker.sender_id)) or None
        entry = log_entry(report, local_day(utcnow()), size)
        get_exercise_store().save_log(tracker.sender_id, entry)
        reminded = (
            has_exercise_reminder(tracker.sender_id) if report.reason == REASON_FORGOT else False
        )
        send(dispatcher, *log_messages(content, report, entry, has_reminder=reminded))
        return []


class ActionShowExerciseSummary(ReplyAction, action="action_show_exercise_summary"):
    """Give the days done in the last 7 and a gentle run of days."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the weekly summary, or offer to do the exercises when nothing is logged."""
        today = local_day(utcnow())
        entries = get_exercise_store().logs(tracker.sender_id, since=today - SUMMARY_LOOKBACK)
        send(dispatcher, *summary_messages(get_programme_content(), entries, today))
        return []
