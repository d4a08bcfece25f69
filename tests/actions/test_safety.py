import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import safety
from actions.outbox import PRIORITY_CALLBACK, PRIORITY_URGENT, Outbox


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    box = Outbox.from_url(f"sqlite:///{tmp_path / 'o.db'}")
    monkeypatch.setattr(safety, "get_outbox", lambda: box)
    return box


def tracker(slots, text, channel="rest"):
    return Tracker(
        sender_id="patient-1",
        slots=slots,
        latest_message={"text": text, "intent": {"name": "red_flag_urgent"}},
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="utter_urgent_care_same_day",
    )


def test_escalation_records_the_alert_and_sends_nothing(outbox):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        safety.ActionEscalateRedFlag().run(
            dispatcher,
            tracker({"safety_tier": "urgent", "safety_flags": ["fever_infection"]}, "I have a fever", "twilio"),
            {},
        )
    )
    assert events == []
    assert dispatcher.messages == []
    [alert] = outbox.all()
    assert (alert.conversation_id, alert.channel, alert.tier) == ("patient-1", "twilio", "urgent")
    assert alert.flag_ids == ["fever_infection"]
    assert alert.message == "I have a fever"
    assert alert.priority == PRIORITY_URGENT


def test_escalation_without_slots_is_recorded_as_emergency(outbox):
    asyncio.run(safety.ActionEscalateRedFlag().run(CollectingDispatcher(), tracker({}, "help"), {}))
    [alert] = outbox.all()
    assert alert.tier == "emergency"


def test_request_human_records_callback_and_confirms(outbox):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        safety.ActionRequestHuman().run(dispatcher, tracker({}, "can a physio call me"), {})
    )
    assert events == []
    assert [m["content_id"] for m in dispatcher.messages] == ["ui.request_human.recorded"]
    [alert] = outbox.all()
    assert (alert.kind, alert.priority) == ("callback", PRIORITY_CALLBACK)
