import asyncio

import pytest

from bot.channels.guard import ESCAPE
from bot.channels.sms_format import channel_words
from bot.channels.web import (
    STATIC_DIR,
    WebChatInput,
    WebChatOutput,
    static_path,
    urgency_of,
    widget_strings,
)

WORDS = channel_words()
RULES = WORDS.urgency


class _Sio:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data=None, room=None, **kwargs):
        self.emitted.append((event, data if data is not None else kwargs, room))


def send(message):
    sio = _Sio()
    asyncio.run(WebChatOutput(sio, "bot_uttered", WORDS).send_response("s1", dict(message)))
    return [data for _, data, _ in sio.emitted]


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ({"text": "x", "utter_action": "utter_urgent_care_emergency"}, "emergency"),
        ({"text": "x", "utter_action": "utter_urgent_care_crisis"}, "emergency"),
        ({"text": "x", "utter_action": "utter_urgent_care_same_day"}, "urgent"),
        ({"text": "x", "custom": {"urgency": "emergency"}}, "emergency"),
        ({"text": "x", "custom": {"urgency": "urgent"}, "utter_action": "utter_greet"}, "urgent"),
        ({"text": "x", "custom": {"urgency": "whatever"}}, None),
        # The greeting mentions the emergency number but is not an urgent-care message.
        ({"text": "In an emergency, call 999.", "utter_action": "utter_greet"}, None),
        ({"text": "x"}, None),
    ],
)
def test_urgency_comes_from_the_response_not_from_the_words(message, level):
    assert urgency_of(message, RULES) == level


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


def test_widget_strings_fill_the_emergency_number():
    data = widget_strings(WORDS, "112")
    assert "112" in data["emergency_line"]
    assert "{emergency_number}" not in str(data)
    assert data["strings"]["send"] == WORDS.web["send"]


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


def test_the_static_files_and_vendored_licences_are_there():
    for name in ("index.html", "widget.js", "widget.css"):
        assert (STATIC_DIR / name).is_file()
    for vendor in ("socket.io-client", "rasa-webchat"):
        assert (STATIC_DIR / "vendor" / vendor / "LICENSE").is_file()


def test_the_widget_never_writes_html_from_messages():
    source = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("widget.js", True),
        ("vendor/socket.io-client/socket.io.min.js", True),
        ("", False),
        ("vendor", False),
        ("../channels/web.py", False),
        ("../../content/ui.yml", False),
        ("nope.js", False),
    ],
)
def test_only_widget_files_are_served(name, found):
    assert (static_path(name) is not None) is found
