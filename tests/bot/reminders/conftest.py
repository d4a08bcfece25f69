"""Fixtures for the reminder tests: a fresh database (SQLite, and PostgreSQL when present),
a clock the test moves, and the fake Twilio API on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from tests.fakes.twilio_api import FakeTwilio

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)  # a Wednesday, 8am in London
TWILIO_SID = "AC" + "2" * 32
TWILIO_TOKEN = "reminder-test-token"
TWILIO_FROM = "+15005550006"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a throwaway PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'reminders.db'}"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"backcare_reminders_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    from bot.db import engine_for

    engine_for.cache_clear()  # close pools before dropping the database
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


class Clock:
    """A clock the test sets and moves; the scheduler reads it like ``utcnow``."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, **parts: int) -> datetime:
        """Move to a time of the current day (UTC), e.g. ``set(hour=9)``."""
        self.now = self.now.replace(**parts)
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio(TWILIO_SID, TWILIO_TOKEN) as api:
        yield api


@pytest.fixture
def phone() -> str:
    return "+4477009" + str(uuid.uuid4().int)[:5]
