from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.education.actions import (
    ActionAskTeachBackAnswer,
    ActionLearningNext,
    ActionLearningStart,
    ValidateTeachBackForm,
)
from actions.education.topics import get_store
from bot.settings import get_settings

from ..dispatch import content_ids, payloads
from ..dispatch import run as run_action

STORE = get_store()
TOTAL = STORE.course.total

# The part of the merged domain that the form validation action reads.
DOMAIN: dict[str, Any] = {
    "slots": {
        "learning_lesson": {"type": "float", "mappings": [{"type": "custom"}]},
        "teach_back_topic": {"type": "text", "mappings": [{"type": "custom"}]},
        "teach_back_answer": {
            "type": "text",
            "mappings": [
                {
                    "type": "from_text",
                    "conditions": [
                        {"active_loop": "teach_back_form", "requested_slot": "teach_back_answer"}
                    ],
                }
            ],
        },
    },
    "forms": {"teach_back_form": {"required_slots": ["teach_back_answer"]}},
}


@pytest.fixture(autouse=True)
def emergency_number(monkeypatch):
    monkeypatch.setenv("BACKCARE_EMERGENCY_NUMBER", "112")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def make_tracker(
    *,
    slots: dict[str, Any] | None = None,
    channel: str = "socketio",
    text: str = "/start_learning",
    extra_events: list[dict[str, Any]] | None = None,
    active_loop: dict[str, Any] | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": "start_learning"}, "entities": []}
    events = [
        {"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
        *(extra_events or []),
    ]
    return Tracker(
        "patient-1",
        dict(slots or {}),
        latest,
        events,
        False,
        None,
        active_loop or {},
        "action_listen",
    )


def answer_tracker(answer: str, *, topic: str | None, lesson: float, channel: str = "socketio"):
    """Tracker as Rasa's form passes it to the validation action after an answer."""
    slots = {
        "learning_lesson": lesson,
        "teach_back_topic": topic,
        "teach_back_answer": answer,
        "requested_slot": "teach_back_answer",
    }
    return make_tracker(
        slots=slots,
        channel=channel,
        text=answer,
        extra_events=[
            {"event": "slot", "name": "requested_slot", "value": "teach_back_answer"},
            {"event": "action", "name": "teach_back_form"},
            {"event": "slot", "name": "teach_back_answer", "value": answer},
        ],
        active_loop={"name": "teach_back_form"},
    )


def run(action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return run_action(action, tracker, DOMAIN)


def lesson_events(completed: float, topic: str | None) -> list[dict[str, Any]]:
    return [
        SlotSet("learning_lesson", completed),
        SlotSet("teach_back_topic", topic),
        SlotSet("teach_back_answer", None),
    ]


# --- start and resume ------------------------------------------------------------------


@pytest.mark.parametrize("lesson", [None, 0.0])
def test_start_begins_at_lesson_one(lesson) -> None:
    events, messages = run(ActionLearningStart(), make_tracker(slots={"learning_lesson": lesson}))
    assert events == lesson_events(0.0, "pain_science")
    # The heading and the lesson are one message, so a phone shows the heading first.
    assert content_ids(messages) == ["lessons.intro", "pain_science"]
    heading = f"Lesson 1 of {TOTAL}: {STORE.topic('pain_science').title}"
    assert messages[1]["text"].startswith(f"**{heading}**")


def test_start_on_sms_sends_the_sms_variant() -> None:
    _, messages = run(ActionLearningStart(), make_tracker(channel="twilio"))
    assert content_ids(messages) == ["lessons.intro", "pain_science"]
    assert messages[1]["text"].endswith(STORE.topic("pain_science").sms)


def test_returning_patient_resumes_with_welcome_back() -> None:
    events, messages = run(ActionLearningStart(), make_tracker(slots={"learning_lesson": 3.0}))
    assert events == lesson_events(3.0, "mind_body")
    assert content_ids(messages) == ["lessons.resume", "mind_body"]
    assert "lesson 3" in messages[0]["text"]
    assert STORE.topic("sensitisation").title in messages[0]["text"]


def test_start_after_finishing_restarts_the_course() -> None:
    events, messages = run(
        ActionLearningStart(), make_tracker(slots={"learning_lesson": float(TOTAL)})
    )
    assert events == lesson_events(0.0, "pain_science")
    assert content_ids(messages) == ["lessons.restart", "pain_science"]


# --- next lesson -----------------------------------------------------------------------


def test_next_sends_the_following_lesson() -> None:
    slots = {"learning_lesson": 1.0, "teach_back_topic": None}
    events, messages = run(ActionLearningNext(), make_tracker(slots=slots))
    assert events == lesson_events(1.0, "hurt_vs_harm")
    assert content_ids(messages) == ["hurt_vs_harm"]
    assert messages[0]["text"].startswith("**Lesson 2 of")


def test_next_while_a_check_is_open_counts_that_lesson_as_finished() -> None:
    slots = {"learning_lesson": 1.0, "teach_back_topic": "hurt_vs_harm"}
    events, messages = run(ActionLearningNext(), make_tracker(slots=slots))
    assert events == lesson_events(2.0, "sensitisation")
    assert content_ids(messages) == ["sensitisation"]


def test_next_after_the_last_lesson_ends_the_course() -> None:
    slots = {"learning_lesson": float(TOTAL), "teach_back_topic": None}
    events, messages = run(ActionLearningNext(), make_tracker(slots=slots))
    assert events == lesson_events(float(TOTAL), None)
    (message,) = messages
    assert message["content_id"] == "lessons.complete"
    assert payloads(message) == ["/show_menu"]


def test_lesson_slot_as_text_is_read_as_a_number() -> None:
    events, _ = run(ActionLearningStart(), make_tracker(slots={"learning_lesson": "2"}))
    assert events[0] == SlotSet("learning_lesson", 2.0)


# --- asking the teach-back question ----------------------------------------------------


def test_ask_sends_the_open_topics_question_with_placeholders_filled() -> None:
    tracker = make_tracker(slots={"teach_back_topic": "about"})
    events, messages = run(ActionAskTeachBackAnswer(), tracker)
    assert events == []
    assert content_ids(messages) == ["about.teach_back.question"]
    assert messages[0]["text"] == STORE.topic("about").teach_back.question


def test_ask_without_an_open_topic_sends_nothing() -> None:
    events, messages = run(ActionAskTeachBackAnswer(), make_tracker())
    assert (events, messages) == ([], [])


# --- validating the answer -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message_key"),
    [
        ("it's an alarm that protects me", "praise"),
        ("pain means damage", "misconceptions.0"),
        ("I don't know", "nudge"),
    ],
)
def test_validate_replies_records_progress_and_closes_the_form(answer, message_key) -> None:
    tracker = answer_tracker(answer, topic="pain_science", lesson=0.0)
    events, messages = run(ValidateTeachBackForm(), tracker)
    assert events == [
        SlotSet("teach_back_answer", answer),
        SlotSet("learning_lesson", 1.0),
        SlotSet("teach_back_topic", None),
        SlotSet("requested_slot", None),
    ]
    (message,) = messages
    assert message["content_id"] == f"pain_science.teach_back.{message_key}"
    assert message["text"] == STORE.topic("pain_science").teach_back.message(message_key)
    assert payloads(message) == ["/learn_next", "/show_menu"]


def test_validate_on_sms_uses_the_same_buttons() -> None:
    tracker = answer_tracker("keep the room dark", topic="sleep", lesson=4.0, channel="twilio")
    _, messages = run(ValidateTeachBackForm(), tracker)
    assert content_ids(messages) == ["sleep.teach_back.praise"]
    assert payloads(messages[0]) == ["/learn_next", "/show_menu"]


def test_validate_after_the_last_lesson_ends_the_course() -> None:
    tracker = answer_tracker("call an ambulance", topic="warning_signs", lesson=float(TOTAL - 1))
    events, messages = run(ValidateTeachBackForm(), tracker)
    assert SlotSet("learning_lesson", float(TOTAL)) in events
    assert content_ids(messages) == ["warning_signs.teach_back.praise", "lessons.complete"]
    assert "112" in messages[0]["text"]
    assert payloads(messages[1]) == ["/show_menu"]


def test_validate_calls_the_validation_method_directly_for_a_stale_topic() -> None:
    tracker = make_tracker(slots={"teach_back_topic": "gone"})
    dispatcher = CollectingDispatcher()
    result = ValidateTeachBackForm().validate_teach_back_answer("hi", dispatcher, tracker, DOMAIN)
    assert result == {"teach_back_answer": "hi"}
    assert dispatcher.messages == []


def test_validate_never_moves_progress_back() -> None:
    tracker = answer_tracker("it protects me", topic="pain_science", lesson=6.0)
    events, _ = run(ValidateTeachBackForm(), tracker)
    assert SlotSet("learning_lesson", 6.0) in events


def test_form_activation_with_a_lesson_waiting_lets_rasa_ask() -> None:
    tracker = make_tracker(slots={"teach_back_topic": "sleep", "learning_lesson": 4.0})
    events, messages = run(ValidateTeachBackForm(), tracker)
    assert (events, messages) == ([], [])


@pytest.mark.parametrize("topic", [None, "a_topic_content_no_longer_has"])
def test_form_activation_with_no_lesson_waiting_closes_the_form(topic) -> None:
    tracker = make_tracker(slots={"teach_back_topic": topic, "learning_lesson": float(TOTAL)})
    events, messages = run(ValidateTeachBackForm(), tracker)
    assert events == [SlotSet("requested_slot", None)]
    assert messages == []
