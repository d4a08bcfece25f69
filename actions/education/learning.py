"""The pain-education course: lessons in order, each followed by a teach-back check.

The flow, wired up by the rules in ``data/stories/education.yml``:

1. ``start_learning`` -> ``action_learning_start``: sends the intro (or "welcome back,
   last time you finished lesson N" for a returning patient) and the next lesson, and
   sets ``teach_back_topic`` to that lesson's topic. ``learn_next`` ->
   ``action_learning_next`` does the same for the following lesson, or says the course
   is finished.
2. The rule then runs ``teach_back_form``. ``action_ask_teach_back_answer`` asks the
   topic's question; the patient's next message fills ``teach_back_answer``.
3. ``validate_teach_back_form`` judges the answer (:mod:`actions.education.teach_back`), sends
   praise, a gentle correction or a nudge, counts the lesson as finished in
   ``learning_lesson`` and offers "Next lesson" and "Menu". With no lesson waiting
   (after the last one) the form has nothing to ask and closes at once.

``learning_lesson`` holds the number of lessons finished. The session config carries
slots over to new sessions, so a patient who comes back days later resumes where they
left off. Course logic lives in :class:`actions.education.content.Course`; words in
``content/lessons.yml`` and the topics.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.forms import AnswerValidation
from actions.education.content import (
    LessonStep,
    Topic,
    feedback_messages,
    get_store,
    lesson_messages,
    placeholder_values,
    question_message,
)
from actions.education.actions import send, sms_channel
from actions.education.teach_back import assess

SLOT_LESSON = "learning_lesson"
SLOT_TOPIC = "teach_back_topic"
SLOT_ANSWER = "teach_back_answer"


def _progress(tracker: Tracker) -> float | None:
    value = tracker.get_slot(SLOT_LESSON)
    # A float slot may come back as an int or, from older trackers, as text.
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _pending_topic(tracker: Tracker) -> str | None:
    value = tracker.get_slot(SLOT_TOPIC)
    return value if isinstance(value, str) and value else None


def _open_topic(tracker: Tracker) -> Topic | None:
    """Return the topic whose check is open; ``None`` also for an id content no longer has."""
    return get_store().find_topic(_pending_topic(tracker))


def _teach(dispatcher: CollectingDispatcher, tracker: Tracker, step: LessonStep) -> list[EventType]:
    """Send a course step and return the slot events that set up its check."""
    store = get_store()
    send(
        dispatcher,
        lesson_messages(store, step, sms=sms_channel(tracker), values=placeholder_values()),
    )
    topic_id = store.course.lessons[step.index] if step.index is not None else None
    return [
        SlotSet(SLOT_LESSON, float(step.completed)),
        SlotSet(SLOT_TOPIC, topic_id),
        # A stale answer would be taken as the answer to this lesson's question.
        SlotSet(SLOT_ANSWER, None),
    ]


class ActionLearningStart(Action):
    """Start the course, or resume it where the patient left off."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_learning_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the intro or welcome-back text and the lesson to do now."""
        step = get_store().course.start(_progress(tracker))
        return _teach(dispatcher, tracker, step)


class ActionLearningNext(Action):
    """Move on to the next lesson, or close the course after the last one."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_learning_next"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the next lesson, or the end-of-course message."""
        step = get_store().course.next(_progress(tracker), _pending_topic(tracker))
        return _teach(dispatcher, tracker, step)


class ActionAskTeachBackAnswer(Action):
    """Ask the teach-back question of the lesson just taught (the form's ask action)."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_ask_teach_back_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the question for ``teach_back_topic``."""
        topic = _open_topic(tracker)
        if topic is not None:
            send(dispatcher, [question_message(topic, placeholder_values())])
        return []


class ValidateTeachBackForm(AnswerValidation):
    """Judge the teach-back answer, reply from content and record the progress."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_teach_back_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Ask nothing when no lesson is waiting for a check, so the form closes."""
        if _open_topic(tracker) is None:
            return []
        return domain_slots

    def validate_teach_back_answer(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Reply to the answer and count the lesson as finished.

        Every answer is accepted: the check is there to help the idea stick, and a
        patient who cannot answer gets the key idea restated instead of a loop.
        """
        store = get_store()
        topic = _open_topic(tracker)
        if topic is None:
            return {SLOT_ANSWER: slot_value}
        verdict = assess(str(slot_value or ""), topic.teach_back, store.course.unsure)
        completed = store.course.finish(_progress(tracker), topic.id)
        send(
            dispatcher,
            feedback_messages(
                store,
                topic,
                verdict.message_key,
                completed=completed,
                values=placeholder_values(),
            ),
        )
        return {SLOT_ANSWER: slot_value, SLOT_LESSON: float(completed), SLOT_TOPIC: None}
