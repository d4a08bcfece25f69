"""Fixtures for the takeover's tests: Rasa's events table and a fake Rasa server on loopback.

``rasa`` points the console at :class:`tests.fakes.rasa_api.FakeRasa` with a token,
and stands in for the Rasa server's own write: once the real HTTP request has
succeeded, the events it carried are written to the test database's ``events`` table
(in the test's thread and transaction), as the Rasa server's tracker store would. A
failed request writes nothing, as with Rasa.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa.shared.core.events import Event

from console.takeover.rasa_api import RasaApi
from console.transcripts.index import conversation_key
from tests.console.transcripts.conftest import TS, action, bot, user
from tests.fakes.rasa_api import FakeRasa

TOKEN = "console-test-token"
WEB = "0123456789abcdef0123456789abcdef.0123456789abcdef01234567"
PHONE = "+447700900123"


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    with FakeRasa(TOKEN) as fake:
        yield fake


@pytest.fixture
def rasa(
    fake_rasa: FakeRasa, events_table: Callable[..., None], settings: Any, monkeypatch: Any
) -> FakeRasa:
    settings.CONSOLE_RASA_URL = fake_rasa.base_url
    settings.CONSOLE_RASA_API_TOKEN = TOKEN
    fake_rasa.received.clear()
    fake_rasa.fail_with = None
    fake_rasa.delay = 0.0
    real = RasaApi.append

    def append_then_store(
        self: RasaApi, sender_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        real(self, sender_id, events, channel)
        for event in events:
            stored = Event.from_parameters(event)
            assert stored is not None
            events_table(sender_id, stored, model_id=None)

    monkeypatch.setattr(RasaApi, "append", append_then_store)
    return fake_rasa


@pytest.fixture
def events_table(outbox: Any) -> Callable[..., None]:
    from rasa.core.tracker_store import SQLTrackerStore

    from tests.console.transcripts.conftest import create_table, write_event

    create_table(SQLTrackerStore.SQLEvent.__table__)
    return write_event


def chat(events_table: Callable[..., None], sender: str, channel: str) -> str:
    """Write a short conversation on ``channel``; return its key."""
    events_table(sender, user("hello", "greet", at=TS, channel=channel, message_id="m1"))
    events_table(sender, action("utter_greet", at=TS + 1))
    events_table(sender, bot("Hello, I am BackCare.", at=TS + 2, response="utter_greet"))
    events_table(sender, action("action_listen", at=TS + 3))
    return conversation_key(sender)


@pytest.fixture
def web_chat(events_table: Callable[..., None]) -> str:
    return chat(events_table, WEB, "webchat")


@pytest.fixture
def sms_chat(events_table: Callable[..., None]) -> str:
    return chat(events_table, PHONE, "twilio")
