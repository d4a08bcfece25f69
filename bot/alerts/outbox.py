"""Durable outbox for care-team alerts and call-back requests (a transactional outbox).

A red-flag alert is written by the Rasa server's tracker store
(:mod:`bot.runtime.tracker_store`) in the same database transaction as the patient's
message that raised it, so the message and its alert are stored together or not at all;
call-back requests are written by the action server. Nothing is sent from inside a
conversation: the delivery worker (:mod:`bot.alerts.delivery`) claims due rows with a
lease and sends them to the care team's webhook. Usage::

    outbox = Outbox.from_url("sqlite:///var/backcare.db")
    outbox.add(AlertDraft(kind="red_flag", conversation_id="c1", channel="rest",
                          tier="emergency", flag_ids=["cauda_equina_bladder"],
                          message="I wet myself", priority=PRIORITY_EMERGENCY,
                          key="c1:1732780000.25"))
    for alert in outbox.claim_due("worker-1", now, lease=timedelta(seconds=60)):
        ...

Every alert has a ``key`` that names what raised it (the conversation and the message);
the key is unique, so writing the same alert twice keeps one row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

from bot.db import SqlStore, aware
from bot.db import utcnow as utcnow  # the delivery worker's clock too

PRIORITY_EMERGENCY = 0
PRIORITY_URGENT = 1
PRIORITY_SOON = 2
PRIORITY_CALLBACK = 5
TIER_PRIORITY = {"emergency": PRIORITY_EMERGENCY, "urgent": PRIORITY_URGENT, "soon": PRIORITY_SOON}
# Longest wait between two delivery tries, by priority: an emergency is retried at
# least every 30 seconds however long the receiver has been down.
RETRY_CAP_SECONDS = {
    PRIORITY_EMERGENCY: 30.0,
    PRIORITY_URGENT: 120.0,
    PRIORITY_SOON: 600.0,
    PRIORITY_CALLBACK: 900.0,
}

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
    # Added after the first release; _upgrade adds them to older databases.
    Column("alert_key", String(64)),
    Column("question", Text),
    Column("claimed_by", String(64)),
    Column("claimed_until", DateTime(timezone=True)),
)
_ADDED_COLUMNS = {
    "alert_key": "VARCHAR(64)",
    "question": "TEXT",
    "claimed_by": "VARCHAR(64)",
    "claimed_until": "TIMESTAMP",
}
_KEY_INDEX = "ix_care_team_outbox_alert_key"  # prose-ok: an index name

# A patient's message is stored whole up to this size; longer ones are cut, marked.
MAX_MESSAGE_CHARS = 4000


def alert_key(*parts: object) -> str:
    """Return a short, stable key for what raised an alert (e.g. conversation and message)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:40]


@dataclass(frozen=True)
class AlertDraft:
    """An alert to be recorded.

    Attributes:
        key: names what raised the alert; a second draft with the same key is ignored.
            Empty means "always a new alert" (call-back requests).
        question: for a "yes" to a symptom-check question, the question the patient
            answered (the message is then just their answer).
    """

    kind: str
    conversation_id: str
    channel: str
    tier: str
    flag_ids: list[str]
    message: str
    priority: int
    key: str = ""
    question: str | None = None


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
    key: str | None = None
    question: str | None = None

    @property
    def delivery_key(self) -> str:
        """Return the ``Idempotency-Key`` a receiver can drop a repeated alert by."""
        return f"backcare-alert-{self.id}"

    def to_payload(self) -> dict[str, object]:
        """Return the JSON body sent to the care team's webhook."""
        return {
            "id": self.id,
            "key": self.key,
            "kind": self.kind,
            "priority": self.priority,
            "conversation_id": self.conversation_id,
            "channel": self.channel,
            "tier": self.tier,
            "flag_ids": self.flag_ids,
            "message": self.message,
            "question": self.question,
            "created_at": self.created_at.isoformat(),
        }


def backoff(attempts: int, base_seconds: float = 5.0, cap_seconds: float = 900.0) -> timedelta:
    """Return the wait before the next try after ``attempts`` failed tries."""
    exponent = max(0, min(attempts - 1, 20))
    return timedelta(seconds=min(cap_seconds, base_seconds * (2**exponent)))


def retry_after(attempts: int, priority: int) -> timedelta:
    """Return the back-off for an alert of ``priority``, capped by its urgency."""
    cap = RETRY_CAP_SECONDS.get(priority, RETRY_CAP_SECONDS[PRIORITY_CALLBACK])
    return backoff(attempts, base_seconds=min(5.0, cap), cap_seconds=cap)


def _clip(message: str) -> str:
    if len(message) > MAX_MESSAGE_CHARS:
        return message[:MAX_MESSAGE_CHARS] + " [cut]"
    return message


def insert_values(draft: AlertDraft, created: datetime) -> dict[str, object]:
    """Return the column values of a new row for ``draft``."""
    return {
        "kind": draft.kind,
        "priority": draft.priority,
        "conversation_id": draft.conversation_id,
        "channel": draft.channel,
        "tier": draft.tier,
        "flag_ids": json.dumps(draft.flag_ids),
        "message": _clip(draft.message),
        "question": _clip(draft.question) if draft.question else None,
        "created_at": created,
        "status": STATUS_PENDING,
        "attempts": 0,
        "next_attempt_at": created,
        "alert_key": draft.key or None,
    }


def add_in(connection: Connection, draft: AlertDraft, now: datetime | None = None) -> int:
    """Record ``draft`` inside the caller's transaction; return its id.

    A draft whose key is already stored is not added again: the existing row's id is
    returned. The tracker store calls this with the connection of its own session, so
    the alert commits (or rolls back) with the message that raised it.
    """
    if draft.key:
        existing = connection.execute(
            select(alerts.c.id).where(alerts.c.alert_key == draft.key)
        ).scalar()
        if existing is not None:
            return int(existing)
    result = connection.execute(alerts.insert().values(**insert_values(draft, now or utcnow())))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def ensure_schema(engine: Engine) -> None:
    """Create the outbox table, or add the columns an older database lacks."""
    metadata.create_all(engine)
    present = {column["name"] for column in inspect(engine).get_columns(alerts.name)}
    with engine.begin() as connection:
        for name, sql_type in _ADDED_COLUMNS.items():
            if name not in present:
                connection.execute(text(f"ALTER TABLE {alerts.name} ADD COLUMN {name} {sql_type}"))
        create_index = "CREATE UNIQUE INDEX IF NOT EXISTS"  # prose-ok: SQL keywords
        connection.execute(text(f"{create_index} {_KEY_INDEX} ON {alerts.name} (alert_key)"))


class Outbox(SqlStore):
    """Store, claim and settle alerts in SQL (SQLite by default, PostgreSQL in production)."""

    def create_schema(self, engine: Engine) -> None:
        """Create the outbox table, or add the columns an older database lacks."""
        ensure_schema(engine)

    def add(self, draft: AlertDraft, now: datetime | None = None) -> int:
        """Record an alert in a transaction of its own and return its id."""
        with self.transaction() as connection:
            return add_in(connection, draft, now)

    def all(self) -> list[Alert]:
        """Return every alert, most urgent and oldest first."""
        query = select(alerts).order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
        with self.transaction() as connection:
            return [row_to_alert(row) for row in connection.execute(query)]

    def due(self, now: datetime | None = None, limit: int = 50) -> list[Alert]:
        """Return pending alerts whose next try is due and that nobody holds, most urgent first."""
        moment = now or utcnow()
        query = (
            select(alerts)
            .where(_due_clause(moment))
            .order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
            .limit(limit)
        )
        with self.transaction() as connection:
            return [row_to_alert(row) for row in connection.execute(query)]

    def claim_due(
        self,
        owner: str,
        now: datetime | None = None,
        lease: timedelta = timedelta(seconds=60),
        limit: int = 20,
    ) -> list[Alert]:
        """Claim due alerts for ``owner`` until ``now + lease``; return those claimed.

        On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so that
        workers never wait for each other; on SQLite each row is taken with a
        conditional update that succeeds for one worker only. A worker that dies
        holding a claim loses it when the lease ends, and another worker retries.
        """
        moment = now or utcnow()
        until = moment + lease
        claimed: list[int] = []
        with self.transaction() as connection:
            query = (
                select(alerts.c.id)
                .where(_due_clause(moment))
                .order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
                .limit(limit)
            )
            if connection.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for (alert_id,) in connection.execute(query).all():
                result = connection.execute(
                    update(alerts)
                    .where(alerts.c.id == alert_id, _due_clause(moment))
                    .values(claimed_by=owner, claimed_until=until)
                )
                if result.rowcount == 1:
                    claimed.append(int(alert_id))
            if not claimed:
                return []
            rows = connection.execute(
                select(alerts)
                .where(alerts.c.id.in_(claimed))
                .order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
            )
            return [row_to_alert(row) for row in rows]

    def mark_delivered(
        self, alert_id: int, now: datetime | None = None, owner: str | None = None
    ) -> None:
        """Record that the webhook accepted the alert."""
        with self.transaction() as connection:
            connection.execute(
                update(alerts)
                .where(alerts.c.id == alert_id, alerts.c.status == STATUS_PENDING)
                .values(
                    status=STATUS_DELIVERED,
                    delivered_at=now or utcnow(),
                    last_error=None,
                    claimed_by=owner,
                    claimed_until=None,
                )
            )

    def mark_failed(
        self, alert_id: int, error: str, now: datetime | None = None, owner: str | None = None
    ) -> None:
        """Record a failed try, release the claim and schedule the next try."""
        moment = now or utcnow()
        with self.transaction() as connection:
            row = connection.execute(
                select(alerts.c.attempts, alerts.c.priority).where(alerts.c.id == alert_id)
            ).one()
            attempts = int(row[0]) + 1
            connection.execute(
                update(alerts)
                .where(alerts.c.id == alert_id, alerts.c.status == STATUS_PENDING)
                .values(
                    attempts=attempts,
                    next_attempt_at=moment + retry_after(attempts, int(row[1])),
                    last_error=error[:500],
                    claimed_by=owner,
                    claimed_until=None,
                )
            )


def _due_clause(moment: datetime) -> object:
    return and_(
        alerts.c.status == STATUS_PENDING,
        alerts.c.next_attempt_at <= moment,
        or_(alerts.c.claimed_until.is_(None), alerts.c.claimed_until < moment),
    )


def row_to_alert(row: object) -> Alert:
    """Return the :class:`Alert` of a selected outbox row (its columns by name)."""
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
        created_at=aware(data["created_at"]),
        status=str(data["status"]),
        attempts=int(data["attempts"]),
        next_attempt_at=aware(data["next_attempt_at"]),
        delivered_at=aware(delivered) if delivered else None,
        last_error=data["last_error"],
        key=data["alert_key"],
        question=data["question"],
    )
