"""Fixtures for the annotations' tests: Rasa's ``events`` table, a conversation, a reader.

``chat`` writes one short conversation (a patient message, the assistant's reply, a
clinician's message, a second patient message) and gives its key and event ids;
``reader`` is a user who may read conversations but holds no right to change them, as
a read-only role would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered

from console.transcripts.index import conversation_key
from tests.console.conftest import signed_in
from tests.console.transcripts.conftest import TS, bot, create_table, user, write_event

SENDER = "+447700900123"
FIRST = "my back hurts since I fell off the ladder"
SECOND = "ok thanks"


@pytest.fixture(autouse=True)
def quick_passwords(settings: Any) -> None:
    """Hash the test users' passwords quickly: Argon2 is tested with sign-in, not here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def events_table(outbox: Any) -> Callable[..., None]:
    """Rasa's own ``events`` table, in the test database, and a writer for it."""
    create_table(SQLTrackerStore.SQLEvent.__table__)
    return write_event


def event_id_of(sender: str, text: str) -> int:
    """Return the id of the event of ``sender`` whose JSON holds ``text``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM events WHERE sender_id = %s AND data LIKE %s ORDER BY id",
            [sender, f"%{text}%"],
        )
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Chat:
    """A conversation written for a test: its key and its messages' event ids."""

    sender_id: str
    key: str
    patient: int
    assistant: int
    care_team: int
    later: int


@pytest.fixture
def chat(events_table: Callable[..., None]) -> Chat:
    events_table(SENDER, user(FIRST, "ask_pain", at=TS, channel="twilio"))
    events_table(SENDER, bot("Falls can shake you up.", at=TS + 1, response="utter_fall"))
    events_table(
        SENDER,
        BotUttered(
            "This is Sam from the clinic: how are you now?",
            metadata={"care_team": {"by": "dr_jones"}},
            timestamp=TS + 60,
        ),
    )
    events_table(SENDER, user(SECOND, "thank", at=TS + 120, channel="twilio"))
    return Chat(
        sender_id=SENDER,
        key=conversation_key(SENDER),
        patient=event_id_of(SENDER, "ladder"),
        assistant=event_id_of(SENDER, "shake you up"),
        care_team=event_id_of(SENDER, "Sam from the clinic"),
        later=event_id_of(SENDER, SECOND),
    )


@pytest.fixture
def reader(make_user: Callable[..., Any]) -> Any:
    """A user who may read conversations and change nothing (what a read-only role holds)."""
    from django.contrib.auth.models import Permission

    user_ = make_user("ro_riley", role="")
    user_.user_permissions.add(
        Permission.objects.get(content_type__app_label="cases", codename="work_cases")
    )
    return user_


@pytest.fixture
def reader_client(reader: Any) -> Any:
    return signed_in(reader)
