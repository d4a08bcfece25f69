"""Fixtures for the console's Django tests: a fresh database per test, a seeded outbox, users.

Every test that asks for ``outbox`` (or a signed-in client) runs in pytest-django's
per-test transaction, rolled back at the end, so each test starts from an empty,
migrated database. ``care_team_outbox`` is created in it from the bot's own SQLAlchemy
table (``bot.alerts.outbox.alerts``) and rows are written with the bot's own
``insert_values``, as the tracker store writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from bot.alerts.outbox import TIER_PRIORITY, AlertDraft, alerts, insert_values

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PASSWORD = "calm-river-lantern-42"
# A Wednesday, so that working-day deadlines are plain to read.
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
DIALECTS = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}


def _dialect() -> Any:
    from django.db import connection

    return DIALECTS[connection.vendor]


class Outbox:
    """Write alerts into the test database's ``care_team_outbox`` as the bot does."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        dialect = _dialect()
        with connection.cursor() as cursor:
            cursor.execute(str(CreateTable(alerts).compile(dialect=dialect)))
            for index in alerts.indexes:
                cursor.execute(str(CreateIndex(index).compile(dialect=dialect)))

    def add(
        self,
        message: str = "I can't feel my saddle area and I wet myself",
        tier: str = "emergency",
        flags: tuple[str, ...] = ("cauda_equina_bladder",),
        conversation_id: str = "web-3f2a9c",
        channel: str = "webchat",
        created: datetime = T0,
        kind: str = "red_flag",
        key: str = "",
    ) -> int:
        draft = AlertDraft(
            kind=kind,
            conversation_id=conversation_id,
            channel=channel,
            tier=tier,
            flag_ids=list(flags),
            message=message,
            priority=TIER_PRIORITY.get(tier, 5),
            key=key,
        )
        values = insert_values(draft, created)
        dialect = _dialect()
        columns = list(values)
        params = []
        for column in columns:
            processor = alerts.c[column].type.dialect_impl(dialect).bind_processor(dialect)
            params.append(processor(values[column]) if processor else values[column])
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO care_team_outbox ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                params,
            )
            cursor.execute("SELECT MAX(id) FROM care_team_outbox")
            return int(cursor.fetchone()[0])


@pytest.fixture
def outbox(db: Any) -> Outbox:
    return Outbox()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    def make(name: str, role: str = "clinician", password: str = PASSWORD) -> Any:
        user = get_user_model().objects.create_user(username=name, password=password)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def clinician(make_user: Callable[..., Any]) -> Any:
    return make_user("dr_jones", "clinician")


@pytest.fixture
def admin_user(make_user: Callable[..., Any]) -> Any:
    return make_user("admin_ali", "admin")


def signed_in(user: Any, **options: Any) -> Any:
    from django.test import Client

    client = Client(**options)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def clinician_client(clinician: Any) -> Any:
    return signed_in(clinician)


@pytest.fixture
def admin_client_(admin_user: Any) -> Any:
    return signed_in(admin_user)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Freeze the queue's clock: ``frozen(T0 + timedelta(minutes=20))``."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr("console.cases.deadlines.now", lambda: moment)

    freeze(T0 + timedelta(minutes=1))
    return freeze
