"""Durable outbox for care-team alerts and call-back requests.

The escalation action writes one row per red flag (and per call-back request) in the
same transaction-safe SQL database as the tracker store; nothing is sent from inside
the conversation. The delivery worker (:mod:`actions.delivery`) sends pending rows to
the care team's webhook and retries with back-off, so an alert survives a webhook
outage or a restart of any process. Without a webhook the rows wait for the review
console. Usage::

    outbox = Outbox.from_url("sqlite:///var/backcare.db")
    outbox.add(AlertDraft(kind="red_flag", conversation_id="c1", channel="rest",
                          tier="emergency", flag_ids=["cauda_equina_bladder"],
                          message="I wet myself", priority=PRIORITY_EMERGENCY))
    for alert in outbox.due(now):
        ...
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from bot.db import engine_for

PRIORITY_EMERGENCY = 0
PRIORITY_URGENT = 1
PRIORITY_SOON = 2
PRIORITY_CALLBACK = 5
TIER_PRIORITY = {"emergency": PRIORITY_EMERGENCY, "urgent": PRIORITY_URGENT, "soon": PRIORITY_SOON}

STATUS_PENDING = "pending"
STATUS_DELIVERED = "delivered"

metadata = MetaData()
alerts = Table(
    "care_team_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("conversation_id", String(255), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("flag_ids", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", Text),
)

# A patient's message is stored whole up to this size; longer ones are cut, marked.
MAX_MESSAGE_CHARS = 4000


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class AlertDraft:
    """An alert to be recorded."""

    kind: str
    conversation_id: str
    channel: str
    tier: str
    flag_ids: list[str]
    message: str
    priority: int


@dataclass(frozen=True)
class Alert:
    """A recorded alert as stored in the outbox."""

    id: int
    kind: str
    priority: int
    conversation_id: str
    channel: str
    tier: str
    flag_ids: list[str]
    message: str
    created_at: datetime
    status: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None

    def to_payload(self) -> dict[str, object]:
        """Return the JSON body sent to the care team's webhook."""
        return {
            "id": self.id,
            "kind": self.kind,
            "priority": self.priority,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "tier": self.tier,
            "flag_ids": self.flag_ids,
            "message": self.message,
            "created_at": self.created_at.isoformat(),
        }


def backoff(attempts: int, base_seconds: float = 5.0, cap_seconds: float = 900.0) -> timedelta:
    """Return the wait before the next try after ``attempts`` failed tries."""
    exponent = max(0, min(attempts - 1, 20))
    return timedelta(seconds=min(cap_seconds, base_seconds * (2**exponent)))


class Outbox:
    """Store and claim alerts in SQL (SQLite by default, PostgreSQL in production)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        metadata.create_all(engine)

    @classmethod
    def from_url(cls, url: str) -> Outbox:
        """Open (and create if needed) the outbox in the database at ``url``."""
        return cls(engine_for(url))

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self._engine.begin() as connection:
            yield connection

    def add(self, draft: AlertDraft, now: datetime | None = None) -> int:
        """Record an alert and return its id."""
        created = now or utcnow()
        message = draft.message
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS] + " [cut]"
        with self._begin() as connection:
            result = connection.execute(
                alerts.insert().values(
                    kind=draft.kind,
                    priority=draft.priority,
                    conversation_id=draft.conversation_id,
                    channel=draft.channel,
                    tier=draft.tier,
                    flag_ids=json.dumps(draft.flag_ids),
                    message=message,
                    created_at=created,
                    status=STATUS_PENDING,
                    attempts=0,
                    next_attempt_at=created,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def all(self) -> list[Alert]:
        """Return every alert, most urgent and oldest first."""
        query = select(alerts).order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
        with self._begin() as connection:
            return [_row_to_alert(row) for row in connection.execute(query)]

    def due(self, now: datetime | None = None, limit: int = 50) -> list[Alert]:
        """Return pending alerts whose next try is due, most urgent first."""
        moment = now or utcnow()
        query = (
            select(alerts)
            .where(alerts.c.status == STATUS_PENDING, alerts.c.next_attempt_at <= moment)
            .order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
            .limit(limit)
        )
        with self._begin() as connection:
            return [_row_to_alert(row) for row in connection.execute(query)]

    def mark_delivered(self, alert_id: int, now: datetime | None = None) -> None:
        """Record that the webhook accepted the alert."""
        with self._begin() as connection:
            connection.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(status=STATUS_DELIVERED, delivered_at=now or utcnow(), last_error=None)
            )

    def mark_failed(self, alert_id: int, error: str, now: datetime | None = None) -> None:
        """Record a failed try and schedule the next one with back-off."""
        moment = now or utcnow()
        with self._begin() as connection:
            row = connection.execute(select(alerts.c.attempts).where(alerts.c.id == alert_id)).one()
            attempts = int(row[0]) + 1
            connection.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(
                    attempts=attempts,
                    next_attempt_at=moment + backoff(attempts),
                    last_error=error[:500],
                )
            )


def _row_to_alert(row: object) -> Alert:
    data = row._mapping  # type: ignore[attr-defined]
    delivered = data["delivered_at"]
    return Alert(
        id=int(data["id"]),
        kind=str(data["kind"]),
        priority=int(data["priority"]),
        conversation_id=str(data["conversation_id"]),
        channel=str(data["channel"]),
        tier=str(data["tier"]),
        flag_ids=list(json.loads(data["flag_ids"])),
        message=str(data["message"]),
        created_at=_aware(data["created_at"]),
        status=str(data["status"]),
        attempts=int(data["attempts"]),
        next_attempt_at=_aware(data["next_attempt_at"]),
        delivered_at=_aware(delivered) if delivered else None,
        last_error=data["last_error"],
    )
