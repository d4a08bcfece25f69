import asyncio
from functools import lru_cache

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checkin.actions import (
    ActionAskPegActivity,
    ActionAskPegPain,
    ActionCheckinIntro,
    ActionPegResult,
    ValidatePegForm,
)
from actions.common.content import CONTENT_DIR


@lru_cache(maxsize=1)
def checkin_text():
    """The check-in words as written in the file: what the patient must see, unchanged."""
    return yaml.safe_load((CONTENT_DIR / "checkin.yml").read_text(encoding="utf-8"))


def tracker(slots=None, text="7"):
    return Tracker(
        sender_id="p1",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": "start_checkin"}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "peg_form"},
        latest_action_name="action_listen",
    )


def run(action, slots=None, text="7"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text), {}))
    return events, [m["text"] for m in dispatcher.messages]


def test_intro_clears_earlier_answers():
    events, texts = run(ActionCheckinIntro())
    assert texts == [checkin_text()["intro"]]
    assert events == [
        SlotSet("peg_pain", None),
        SlotSet("peg_enjoyment", None),
        SlotSet("peg_activity", None),
    ]


@pytest.mark.parametrize(
    ("action", "slot"), [(ActionAskPegPain(), "peg_pain"), (ActionAskPegActivity(), "peg_activity")]
)
def test_each_question_comes_from_content(action, slot):
    assert action.name() == f"action_ask_{slot}"
    assert run(action)[1] == [checkin_text()["questions"][slot]]


def test_validation_accepts_a_number_and_reasks_otherwise():
    form = ValidatePegForm()
    dispatcher = CollectingDispatcher()
    assert form.slot_validator("peg_pain")("about 7", dispatcher, tracker(), {}) == {"peg_pain": 7}
    assert dispatcher.messages == []
    assert form.slot_validator("peg_enjoyment")("loads", dispatcher, tracker(), {}) == {
        "peg_enjoyment": None
    }
    assert [m["text"] for m in dispatcher.messages] == [checkin_text()["reask"]]
    # The plain check-in texts carry no content id, as before.
    assert "content_id" not in dispatcher.messages[0]
    assert form.slot_validator("requested_slot") is None


def test_first_result_reports_score_and_remembers_it():
    events, texts = run(ActionPegResult(), {"peg_pain": 7, "peg_enjoyment": 5, "peg_activity": 6})
    # "6 out of 10", never "6.0 out of 10".
    assert texts == [checkin_text()["result"].format(score="6"), checkin_text()["change"]["first"]]
    assert events[0] == SlotSet("peg_last_score", 6.0)


def test_result_compares_with_last_time():
    _, texts = run(
        ActionPegResult(),
        {"peg_pain": 3, "peg_enjoyment": 2, "peg_activity": 4, "peg_last_score": 6.0},
    )
    assert texts[1] == checkin_text()["change"]["better"].format(previous="6")
