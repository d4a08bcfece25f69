"""Fixtures for the review tests: Rasa's ``events`` table, the outbox, and alerts on messages.

``events_table(sender, event)`` writes one Rasa event as the tracker store does (from the
transcripts' tests); ``alert_on(sender, event)`` writes the red-flag outbox row the
tracker store would have written for that patient message (its alert key made the same
way), so the console sees the message as one that raised an alert.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered

from bot.alerts.outbox import alert_key
from tests.console.transcripts.conftest import create_table, write_event


@pytest.fixture(autouse=True)
def quick_passwords(settings: Any) -> None:
    """Hash the test users' passwords quickly: Argon2 is tested with sign-in, not here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def events_table(outbox: Any) -> Callable[..., None]:
    """Rasa's own ``events`` table, in the test database, and a writer for it."""
    create_table(SQLTrackerStore.SQLEvent.__table__)
    return write_event


@pytest.fixture
def alert_on(outbox: Any) -> Callable[..., int]:
    """Write the red-flag alert a patient message raised: ``alert_on(sender, event)``."""

    def write(sender: str, event: UserUttered, tier: str = "emergency") -> int:
        key = alert_key(sender, event.message_id or "", event.timestamp)
        return int(outbox.add(message=event.text or "", tier=tier, conversation_id=sender, key=key))

    return write


def last_event_id(sender: str) -> int:
    """Return the id of the newest event of ``sender``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM events WHERE sender_id = %s", [sender])
        return int(cursor.fetchone()[0])
