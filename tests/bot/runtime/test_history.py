from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.care_team import care_team_metadata
from bot.runtime.history import (
    CUT_MARK,
    last_action_run,
    last_buttons,
    last_message_was_cut,
    recent_patient_texts,
)

YES = {"title": "Yes", "payload": "/affirm"}


def tracker(*events):
    return DialogueStateTracker.from_events("h1", list(events))


def test_recent_texts_are_the_typed_ones_of_this_session_oldest_first():
    t = tracker(
        UserUttered("before the session"),
        SessionStarted(),
        UserUttered("been having accidents"),
        UserUttered("/affirm"),
        UserUttered("with my bladder I mean"),
    )
    assert recent_patient_texts(t) == ["been having accidents", "with my bladder I mean"]
    assert recent_patient_texts(t, limit=1) == ["with my bladder I mean"]


def test_buttons_count_only_since_the_latest_patient_message():
    assert last_buttons(tracker(UserUttered("hi"), BotUttered("Ok?", {"buttons": [YES]}))) == [YES]
    assert last_buttons(tracker(BotUttered("Ok?", {"buttons": [YES]}), UserUttered("hi"))) == []


def test_a_care_team_message_withdraws_the_offer():
    offered = BotUttered("Ok?", {"buttons": [YES]})
    clinician = BotUttered("Hello, it's Kim.", metadata=care_team_metadata("kim"))
    assert last_buttons(tracker(UserUttered("hi"), offered, clinician)) == []
    assert last_buttons(tracker(UserUttered("hi"), clinician, offered)) == [YES]


def test_a_cut_message_and_the_last_action_are_read_back():
    cut = UserUttered("long", parse_data={CUT_MARK: True})
    assert last_message_was_cut(tracker(cut, ActionExecuted("utter_message_cut")))
    assert not last_message_was_cut(tracker(UserUttered("short")))
    assert last_action_run(tracker(cut, ActionExecuted("utter_message_cut"))) == "utter_message_cut"
    assert last_action_run(tracker(cut)) is None
