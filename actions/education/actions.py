"""Actions of education: topic answers, the menu, and the pain course with its checks.

Topics (rules in ``data/stories/education.yml``):

- ``action_explain_topic`` runs for every topic intent (and for ``bot_challenge``,
  answered by the "about" topic). It sends the topic for the patient's channel, then
  offers related topics and the menu.
- ``action_show_menu``: the main things to do; ``action_show_topics``: the topics, a
  page at a time.
- ``action_suggest_topics`` runs on ``nlu_fallback``. When the last message asked a
  question with buttons it offers them again; otherwise the likeliest topics from the
  NLU intent ranking, or a request to rephrase with the menu. It always takes the
  patient's message back (``UserUtteranceReverted``), like Rasa's own fallback, so the
  dialogue neither loops nor loses its place: the next message answers the same question.

The course:

1. ``start_learning`` -> ``action_learning_start``: sends the intro (or "welcome back,
   last time you finished lesson N" for a returning patient) and the next lesson, and
   sets ``teach_back_topic`` to that lesson's topic. ``learn_next`` ->
   ``action_learning_next`` does the same for the following lesson, or says the course
   is finished.
2. The rule then runs ``teach_back_form``. ``action_ask_teach_back_answer`` asks the
   topic's question; the patient's next message fills ``teach_back_answer``.
3. ``validate_teach_back_form`` judges the answer (:mod:`actions.education.teach_back`),
   sends praise, a gentle correction or a nudge, counts the lesson as finished in
   ``learning_lesson`` and offers "Next lesson" and "Menu". With no lesson waiting
   (after the last one) the form has nothing to ask and closes at once.

``learning_lesson`` holds the number of lessons finished. The session config carries
slots over to new sessions, so a patient who comes back days later resumes where they
left off. The words and the message layout come from :mod:`actions.education.messages`,
course logic from :class:`actions.education.course.Course`; every message carries a
``content_id`` naming the content it came from.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.action import ReplyAction
from actions.common.channel import is_sms
from actions.common.content import Button, placeholder_values
from actions.common.forms import AnswerValidation
from actions.common.send import send
from actions.education.course import LessonStep
from actions.education.messages import (
    explain_messages,
    feedback_messages,
    lesson_messages,
    menu_message,
    question_message,
    reoffer_message,
    rephrase_message,
    suggested_topics,
    suggestion_message,
    topics_message,
)
from actions.education.teach_back import assess
from actions.education.topics import Topic, get_store

SLOT_LESSON = "learning_lesson"
SLOT_TOPIC = "teach_back_topic"
SLOT_ANSWER = "teach_back_answer"


def latest_intent(tracker: Tracker) -> str | None:
    """Return the intent of the patient's latest message, ``nlu_fallback`` included."""
    intent: Any = tracker.latest_message.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


class ActionExplainTopic(ReplyAction, action="action_explain_topic"):
    """Explain the topic that answers the patient's latest intent."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the topic, then offer related topics and the menu."""
        store = get_store()
        sms = is_sms(tracker)
        topic = store.topic_for_intent(latest_intent(tracker))
        if topic is None:
            # Only reachable if a rule maps an intent that has no topic yet: the menu
            # keeps the patient moving instead of leaving them without a reply.
            send(dispatcher, menu_message(store))
            return []
        send(dispatcher, *explain_messages(store, topic, sms=sms, values=placeholder_values()))
        return []


class ActionShowMenu(ReplyAction, action="action_show_menu"):
    """Show the main options: the course, the symptom check, pacing and topics."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the menu for the patient's channel."""
        send(dispatcher, menu_message(get_store()))
        return []


def requested_page(tracker: Tracker) -> int:
    """Return the topics page the latest message asked for (1 when it named none)."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "topics_page":
            try:
                return int(str(entity.get("value")))
            except ValueError:
                return 1
    return 1


def last_question_buttons(tracker: Tracker) -> tuple[Button, ...]:
    """Return the buttons of the bot's last message before the patient's latest one."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return ()
            seen_user = True
            continue
        if seen_user and event.get("event") == "bot":
            raw = (event.get("data") or {}).get("buttons") or []
            return tuple(
                Button(str(b["title"]), str(b["payload"]))
                for b in raw
                if isinstance(b, dict) and b.get("title") and b.get("payload")
            )
    return ()


class ActionShowTopics(ReplyAction, action="action_show_topics"):
    """Show one page of topics, then the way to the next page or the menu."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the page the patient asked for."""
        send(dispatcher, topics_message(get_store(), requested_page(tracker)))
        return []


class ActionSuggestTopics(ReplyAction, action="action_suggest_topics"):
    """Offer the likeliest topics when the NLU was not confident enough to answer."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Offer the question's buttons again, likely topics, or ask to rephrase."""
        store = get_store()
        offered = last_question_buttons(tracker)
        if len(offered) > 1:
            send(dispatcher, reoffer_message(store, offered))
            return [UserUtteranceReverted()]
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = suggested_topics(store, ranking)
        if topics:
            send(dispatcher, suggestion_message(store, topics))
        else:
            send(dispatcher, rephrase_message(store), menu_message(store))
        return [UserUtteranceReverted()]


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
    sms = is_sms(tracker)
    send(dispatcher, *lesson_messages(store, step, sms=sms, values=placeholder_values()))
    topic_id = store.course.lessons[step.index] if step.index is not None else None
    return [
        SlotSet(SLOT_LESSON, float(step.completed)),
        SlotSet(SLOT_TOPIC, topic_id),
        # A stale answer would be taken as the answer to this lesson's question.
        SlotSet(SLOT_ANSWER, None),
    ]


class ActionLearningStart(ReplyAction, action="action_learning_start"):
    """Start the course, or resume it where the patient left off."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the intro or welcome-back text and the lesson to do now."""
        step = get_store().course.start(_progress(tracker))
        return _teach(dispatcher, tracker, step)


class ActionLearningNext(ReplyAction, action="action_learning_next"):
    """Move on to the next lesson, or close the course after the last one."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the next lesson, or the end-of-course message."""
        step = get_store().course.next(_progress(tracker), _pending_topic(tracker))
        return _teach(dispatcher, tracker, step)


class ActionAskTeachBackAnswer(ReplyAction, action="action_ask_teach_back_answer"):
    """Ask the teach-back question of the lesson just taught (the form's ask action)."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the question for ``teach_back_topic``."""
        topic = _open_topic(tracker)
        if topic is not None:
            send(dispatcher, question_message(topic, placeholder_values()))
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
        values = placeholder_values()
        key = verdict.message_key
        send(dispatcher, *feedback_messages(store, topic, key, completed=completed, values=values))
        return {SLOT_ANSWER: slot_value, SLOT_LESSON: float(completed), SLOT_TOPIC: None}
