import asyncio

import pytest

from bot.channels.guard import ESCAPE, escape_command, guard_text, offered_payloads

EVENTS = [
    {"event": "bot", "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}]}},
    {"event": "user", "text": "hi"},
    {"event": "bot", "text": "Pick one", "data": {"buttons": [{"title": "Sleep", "payload": "/ask_sleep"}]}},
    {"event": "action", "name": "action_listen"},
]


def test_offered_payloads_are_those_since_the_last_user_message():
    assert offered_payloads(EVENTS) == {"/ask_sleep"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/ask_sleep", "/ask_sleep"),
        ("hello", "hello"),
        ("/affirm", ESCAPE + "/affirm"),
        ('/affirm{"slot": "x"}', ESCAPE + '/affirm{"slot": "x"}'),
        ("  /red_flag_soon", ESCAPE + "/red_flag_soon"),
        ("/ask_sleep{\"a\": 1}", ESCAPE + "/ask_sleep{\"a\": 1}"),
    ],
)
def test_only_offered_payloads_pass_as_commands(text, expected):
    assert escape_command(text, {"/ask_sleep"}) == expected


class _Tracker:
    def __init__(self, events):
        self.events = [type("E", (), {"as_dict": lambda self, e=e: e})() for e in events]


class _Store:
    def __init__(self, events):
        self._events = events

    async def retrieve(self, sender_id):
        return _Tracker(self._events) if sender_id == "known" else None


class _Agent:
    def __init__(self, events):
        self.tracker_store = _Store(events)


def test_guard_text_reads_the_conversation():
    agent = _Agent(EVENTS)
    assert asyncio.run(guard_text(agent, "known", "/ask_sleep")) == "/ask_sleep"
    assert asyncio.run(guard_text(agent, "unknown", "/ask_sleep")) == ESCAPE + "/ask_sleep"
    assert asyncio.run(guard_text(agent, "known", None)) == ""
