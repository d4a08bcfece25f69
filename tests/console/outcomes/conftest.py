"""Fixtures for the outcomes page's tests: the bot's tables and one seeded patient.

The transcripts' fixtures give Rasa's ``events`` and the outbox; here the action
server's ``start_back_results``, ``exercise_logs`` and plans tables are added from their
own SQLAlchemy definitions, and ``seeded`` writes :mod:`tests.console.outcomes.seeding`'s
patient as of :data:`TODAY` (the page's clock is frozen there).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection

from actions.exercises.store import exercise_logs
from actions.pacing.store import flare_up_plans, pacing_plans
from actions.start_back.store import start_back_results
from tests.console.outcomes.seeding import SENDER, patient_rows
from tests.console.transcripts.conftest import (
    create_table,
    events_table,
    quick_passwords,
    write_event,
)

__all__ = ["events_table", "quick_passwords"]

TODAY = date(2027, 1, 14)  # a Thursday


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr("console.outcomes.outcomes.utc_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def outcome_tables(events_table: Callable[..., None], frozen_today: date) -> Callable[..., None]:
    """The action server's tables in the test database; returns the events writer."""
    for table in (start_back_results, exercise_logs, pacing_plans, flare_up_plans):
        create_table(table)
    return events_table


def seed(sender: str = SENDER, today: date = TODAY) -> None:
    """Write the seeded patient into the test database."""
    events, statements = patient_rows(sender, today)
    for event in events:
        write_event(sender, event)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


@pytest.fixture
def seeded(outcome_tables: Callable[..., None]) -> Callable[..., Any]:
    """Write the seeded patient (and return the writer for more)."""
    seed()
    return seed
