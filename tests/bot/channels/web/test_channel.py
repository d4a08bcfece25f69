import asyncio

import pytest

from bot.channels.care_team import CHAT_CLOSED, CareTeamDeliveryError, care_team_metadata
from bot.channels.guard import ESCAPE
from bot.channels.web.channel import WebChatInput, WebChatOutput
from bot.channels.words import channel_words

WORDS = channel_words()


class _Sio:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data=None, room=None, **kwargs):
        self.emitted.append((event, data if data is not None else kwargs, room))


def send(message):
    sio = _Sio()
    asyncio.run(WebChatOutput(sio, "bot_uttered", WORDS).send_response("s1", dict(message)))
    return [data for _, data, _ in sio.emitted]


def test_urgent_messages_are_marked_for_the_widget():
    events = send({"text": "Call 999 now.", "utter_action": "utter_urgent_care_emergency"})
    assert events == [{"text": "Call 999 now.", "urgency": "emergency"}]


def test_the_urgency_marker_is_consumed_and_other_custom_data_passes():
    events = send({"text": "Go.", "custom": {"urgency": "emergency"}})
    assert events == [{"text": "Go.", "urgency": "emergency"}]
    events = send({"text": "Go.", "custom": {"data": {"x": 1}}})
    assert events[0] == {"text": "Go."}
    assert len(events) == 2


def test_a_message_is_one_bubble_with_its_quick_replies():
    events = send(
        {
            "text": "**Lesson 1**\n\nOne.\n\nTwo?",
            "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": 3, "payload": "/x"}],
        }
    )
    assert events == [
        {
            "text": "**Lesson 1**\n\nOne.\n\nTwo?",
            "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "/affirm"}],
        },
    ]


class _Store:
    async def retrieve(self, sender_id):
        return None


class _Agent:
    tracker_store = _Store()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"message": "hello"}, "hello"),
        ({"message": "/red_flag_soon"}, ESCAPE + "/red_flag_soon"),
        ({"message": 5}, None),
        ({"message": None}, None),
        ({}, None),
        ("hello", None),
        ({"message": "x" * 20_000}, "x" * 10_000),
        ({"message": "my\x00back\x00hurts"}, "mybackhurts"),
    ],
    ids=["plain", "command", "number", "none", "missing", "not-a-dict", "huge", "nul"],
)
def test_typed_text_is_checked_and_guarded(data, expected):
    channel = WebChatInput(words=WORDS, emergency_number="999")
    assert asyncio.run(channel.message_text(_Agent(), "s1", data)) == expected


def test_credentials_default_to_persistent_sessions_on_the_standard_path():
    channel = WebChatInput.from_credentials(None)
    assert channel.name() == "webchat"
    assert channel.session_persistence is True
    assert channel.socketio_path == "/socket.io"
    assert channel.cors_allowed_origins == []


CARE_TEAM = care_team_metadata("nurse_kim")


def test_a_care_team_message_is_one_labelled_bubble_and_names_nobody():
    events = send({"text": " Hello, it's Kim from the clinic. ", **CARE_TEAM})
    assert events == [{"text": "Hello, it's Kim from the clinic.", "from": "care_team"}]


def test_a_care_team_message_goes_only_to_a_chat_open_here():
    channel = WebChatInput(words=WORDS, emergency_number="999")
    channel.sio = _Sio()
    output = channel.get_output_channel()
    with pytest.raises(CareTeamDeliveryError) as raised:
        asyncio.run(output.send_response("s1", {"text": "Hello.", **CARE_TEAM}))
    assert raised.value.reason == CHAT_CLOSED
    assert channel.sio.emitted == []
    channel.claim("socket-1", "s1")
    asyncio.run(output.send_response("s1", {"text": "Hello.", **CARE_TEAM}))
    assert channel.sio.emitted == [("bot_uttered", {"text": "Hello.", "from": "care_team"}, "s1")]
    channel.release("socket-1")
    with pytest.raises(CareTeamDeliveryError):
        asyncio.run(output.send_response("s1", {"text": "Hello again.", **CARE_TEAM}))
    # The assistant's own messages outside a turn are sent as before.
    asyncio.run(output.send_response("s1", {"text": "Time to check in?"}))
    assert channel.sio.emitted[-1] == ("bot_uttered", {"text": "Time to check in?"}, "s1")


def _waiting_reminder(channel, session_id, kind="exercise"):
    from datetime import datetime, time, timedelta, timezone

    from bot.reminders.schedule import Schedule
    from bot.reminders.store import CHANNEL_CHAT, STATUS_WAITING

    store = channel.reminders
    now = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    store.save(session_id, kind, CHANNEL_CHAT, Schedule(frozenset(range(7)), time(9, 0), "UTC"), now)
    nine = now + timedelta(hours=1)
    store.plan_due(nine, timedelta(hours=1))
    for claimed in store.claim_due("test", nine, timedelta(minutes=5), timedelta(hours=1)):
        store.settle(claimed.delivery.id, STATUS_WAITING, nine)


def test_a_waiting_reminder_is_shown_when_the_chat_opens_again_and_only_once(tmp_path):
    from bot.reminders.store import ReminderStore

    channel = WebChatInput(words=WORDS, emergency_number="999")
    channel._reminders = ReminderStore.from_url(f"sqlite:///{tmp_path / 'web.db'}")
    _waiting_reminder(channel, "session-1")
    sio = _Sio()
    output = WebChatOutput(sio, "bot_uttered", WORDS)
    assert asyncio.run(channel.show_reminders(output, "session-1")) == 1
    [(event, data, room)] = sio.emitted
    assert (event, room) == ("bot_uttered", "session-1")
    assert data["text"].startswith("Time for your back exercises.")
    assert [r["payload"] for r in data["quick_replies"]] == ["show my exercises", "stop reminders"]
    # Opened again (or in a second window): nothing more.
    assert asyncio.run(channel.show_reminders(output, "session-1")) == 0
    assert asyncio.run(channel.show_reminders(output, "session-2")) == 0
    assert len(sio.emitted) == 1


def test_a_broken_reminder_store_never_stops_the_chat_from_opening(caplog):
    channel = WebChatInput(words=WORDS, emergency_number="999")

    class Broken:
        def take_waiting(self, session_id):
            raise RuntimeError("database down")

    channel._reminders = Broken()
    sio = _Sio()
    assert asyncio.run(channel.show_reminders(WebChatOutput(sio, "bot_uttered", WORDS), "s")) == 0
    assert sio.emitted == []
    assert "waiting reminders could not be read" in caplog.text
