import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.care_team import actions as safety
from bot.alerts.outbox import PRIORITY_CALLBACK, Outbox


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


def test_red_flags_are_not_written_by_the_action_server():
    # The Rasa server's tracker store writes them with the message (bot/runtime/).
    assert not hasattr(safety, "ActionEscalateRedFlag")


def test_request_human_records_callback_and_confirms(outbox):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        safety.ActionRequestHuman().run(dispatcher, tracker({}, "can a physio call me"), {})
    )
    assert events == []
    assert [m["content_id"] for m in dispatcher.messages] == ["ui.request_human.recorded"]
    [alert] = outbox.all()
    assert (alert.kind, alert.priority) == ("callback", PRIORITY_CALLBACK)
