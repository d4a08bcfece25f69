"""Re-alerts for cases nobody has acknowledged by their deadline (the worker's side).

A care-team alert becomes a case in the clinicians' console; the console records its
state in ``console_case_state`` (no row, or ``new``: nobody has acknowledged it). Each
delivery round (:mod:`bot.alerts.delivery`) the worker asks this store to:

1. **schedule**: for every delivered alert whose case is still new and whose deadline
   period ``n`` (:mod:`bot.alerts.deadlines`: period 1 ends at the deadline, period 2
   one period later...) has ended, write one row ``(alert, n)`` in the worker's own
   table ``care_team_realert``. The pair is unique, so a period is re-alerted once
   however many rounds or workers see it; only the latest period is written (a worker
   back after an outage sends one re-alert, not one per missed period), and an older
   period still waiting is superseded by it. A waiting re-alert whose case has since
   been acknowledged is cancelled.
2. **deliver** the waiting rows as the outbox's alerts are delivered: claimed with a
   lease, POSTed, retried with the same back-off; each carries its own
   ``Idempotency-Key`` (``backcare-alert-<id>-overdue-<n>``).

So a re-alert is never lost (it is a row before it is sent, and stays one until a
receiver accepts it) and never sent in a loop (one row per period, never re-armed).
The worker reads the console's table and never writes it; when the console was never
migrated the table is absent and nothing is scheduled, since no one could acknowledge
a case. An alert the webhook has not accepted yet is not re-alerted (its own delivery
is still being retried), and a period is re-alerted only if the alert had reached the
team before that period ended. Usage::

    overdue = OverdueAlerts.from_url(get_settings().database_url)
    overdue.schedule(get_settings().ack_deadlines, now)
    for realert in overdue.claim_due("worker-1", now):
        ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from bot.alerts import deadlines
from bot.alerts.outbox import (
    STATUS_DELIVERED,
    STATUS_PENDING,
    Alert,
    alerts,
    ensure_schema,
    retry_after,
    row_to_alert,
    utcnow,
)
from bot.db import SqlStore, aware

STATUS_CANCELLED = "cancelled"  # the case was acknowledged before the re-alert went out
STATUS_SUPERSEDED = "superseded"  # a later period's re-alert replaced it

realert_metadata = MetaData()
realerts = Table(
    "care_team_realert",
    realert_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, nullable=False),
    # 1: the deadline passed; 2: one more period passed; ...
    Column("period", Integer, nullable=False),
    Column("deadline_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("claimed_by", String(64)),
    Column("claimed_until", DateTime(timezone=True)),
    UniqueConstraint("alert_id", "period", name="uq_care_team_realert_period"),
)

# The console's table (console/cases/models.py, created by its migrations): read here,
# never created or written. Its own metadata, so that create_all never touches it.
CASE_STATE_TABLE = "console_case_state"
case_states = Table(
    CASE_STATE_TABLE,
    MetaData(),
    Column("alert_id", Integer),
    Column("state", String(16)),
)
NEW = "new"


def ensure_realert_schema(engine: Engine) -> None:
    """Create the outbox (if needed) and the re-alert table."""
    ensure_schema(engine)
    realert_metadata.create_all(engine)


@dataclass(frozen=True)
class Realert:
    """A re-alert to send: the original alert, and which deadline period has passed."""

    id: int
    alert: Alert
    period: int
    deadline_at: datetime
    due_at: datetime
    attempts: int

    @property
    def delivery_key(self) -> str:
        """Return the ``Idempotency-Key``: one per alert and period."""
        return f"{self.alert.delivery_key}-overdue-{self.period}"

    def to_payload(self) -> dict[str, object]:
        """Return the alert's JSON body with what is overdue added under ``overdue``."""
        return {
            **self.alert.to_payload(),
            "overdue": {
                "period": self.period,
                "acknowledge_by": self.deadline_at.isoformat(),
                "period_ended_at": self.due_at.isoformat(),
                "state": NEW,
            },
        }


@dataclass(frozen=True)
class Scheduled:
    """What one scheduling pass did."""

    added: int = 0
    cancelled: int = 0
    superseded: int = 0
    console_present: bool = True


def _insert_ignoring_duplicates(connection: Connection, values: dict[str, Any]) -> int:
    """Insert one re-alert; return 1, or 0 when its (alert, period) is already stored."""
    if connection.dialect.name == "postgresql":
        statement: Any = postgresql.insert(realerts).on_conflict_do_nothing()
    elif connection.dialect.name == "sqlite":
        statement = sqlite.insert(realerts).on_conflict_do_nothing()
    else:  # pragma: no cover - the product runs on SQLite or PostgreSQL
        raise RuntimeError(f"unsupported database {connection.dialect.name}")
    result = connection.execute(statement.values(**values))
    return 1 if result.rowcount == 1 else 0


def _moved_on() -> Any:
    """Return the alert ids whose case somebody has acknowledged (or moved further)."""
    return select(case_states.c.alert_id).where(case_states.c.state != NEW)


class OverdueAlerts(SqlStore):
    """Schedule, claim and settle re-alerts in the worker's ``care_team_realert`` table."""

    def create_schema(self, engine: Engine) -> None:
        """Create the outbox (if needed) and the re-alert table."""
        ensure_realert_schema(engine)

    def schedule(self, rules: Mapping[str, str], now: datetime | None = None) -> Scheduled:
        """Write the re-alerts due by ``now``; cancel those whose case has moved on."""
        moment = now or utcnow()
        with self.transaction() as connection:
            if not inspect(connection).has_table(CASE_STATE_TABLE):
                return Scheduled(console_present=False)
            cancelled = connection.execute(
                update(realerts)
                .where(realerts.c.status == STATUS_PENDING, realerts.c.alert_id.in_(_moved_on()))
                .values(status=STATUS_CANCELLED, claimed_by=None, claimed_until=None)
            ).rowcount
            latest = (
                select(realerts.c.alert_id, func.max(realerts.c.period).label("period"))
                .group_by(realerts.c.alert_id)
                .subquery()
            )
            candidates = connection.execute(
                select(
                    alerts.c.id,
                    alerts.c.tier,
                    alerts.c.created_at,
                    alerts.c.delivered_at,
                    latest.c.period,
                )
                .select_from(alerts.outerjoin(latest, latest.c.alert_id == alerts.c.id))
                .where(
                    alerts.c.status == STATUS_DELIVERED,
                    alerts.c.created_at <= moment - deadlines.shortest_deadline(rules),
                    alerts.c.id.not_in(_moved_on()),
                )
                .order_by(alerts.c.priority, alerts.c.created_at, alerts.c.id)
            ).all()
            added = superseded = 0
            for alert_id, tier, created, delivered, done in candidates:
                created_at = aware(created)
                period = deadlines.periods_passed(rules, str(tier), created_at, moment)
                if period < 1 or period <= int(done or 0):
                    continue
                ended = deadlines.due_at(rules, str(tier), created_at, period)
                if delivered is not None and aware(delivered) > ended:
                    continue  # the team learnt of it after this period: wait for the next
                added += _insert_ignoring_duplicates(
                    connection,
                    {
                        "alert_id": alert_id,
                        "period": period,
                        "deadline_at": deadlines.deadline_for(rules, str(tier), created_at),
                        "due_at": ended,
                        "created_at": moment,
                        "status": STATUS_PENDING,
                        "attempts": 0,
                        "next_attempt_at": moment,
                    },
                )
                superseded += connection.execute(
                    update(realerts)
                    .where(
                        realerts.c.alert_id == alert_id,
                        realerts.c.period < period,
                        realerts.c.status == STATUS_PENDING,
                    )
                    .values(status=STATUS_SUPERSEDED, claimed_by=None, claimed_until=None)
                ).rowcount
        return Scheduled(added=added, cancelled=cancelled, superseded=superseded)

    def claim_due(
        self,
        owner: str,
        now: datetime | None = None,
        lease: timedelta = timedelta(seconds=60),
        limit: int = 20,
    ) -> list[Realert]:
        """Claim waiting re-alerts for ``owner`` until ``now + lease``, most urgent first."""
        moment = now or utcnow()
        claimed: list[int] = []
        with self.transaction() as connection:
            query = (
                select(realerts.c.id)
                .select_from(realerts.join(alerts, alerts.c.id == realerts.c.alert_id))
                .where(_due_clause(moment))
                .order_by(alerts.c.priority, realerts.c.due_at, realerts.c.id)
                .limit(limit)
            )
            if connection.dialect.name == "postgresql":
                query = query.with_for_update(of=realerts, skip_locked=True)
            for (realert_id,) in connection.execute(query).all():
                taken = connection.execute(
                    update(realerts)
                    .where(realerts.c.id == realert_id, _due_clause(moment))
                    .values(claimed_by=owner, claimed_until=moment + lease)
                ).rowcount
                if taken == 1:
                    claimed.append(int(realert_id))
            if not claimed:
                return []
            return self._load(connection, claimed)

    def all(self) -> list[Realert]:
        """Return every re-alert row (any status), most urgent first."""
        with self.transaction() as connection:
            ids = [int(i) for (i,) in connection.execute(select(realerts.c.id))]
            return self._load(connection, ids) if ids else []

    def statuses(self) -> list[tuple[int, int, str]]:
        """Return ``(alert id, period, status)`` of every re-alert, in order written."""
        query = select(realerts.c.alert_id, realerts.c.period, realerts.c.status).order_by(
            realerts.c.id
        )
        with self.transaction() as connection:
            return [(int(a), int(p), str(s)) for a, p, s in connection.execute(query)]

    def mark_delivered(
        self, realert_id: int, now: datetime | None = None, owner: str | None = None
    ) -> None:
        """Record that the webhook accepted the re-alert."""
        with self.transaction() as connection:
            connection.execute(
                update(realerts)
                .where(realerts.c.id == realert_id, realerts.c.status == STATUS_PENDING)
                .values(
                    status=STATUS_DELIVERED,
                    delivered_at=now or utcnow(),
                    last_error=None,
                    claimed_by=owner,
                    claimed_until=None,
                )
            )

    def mark_failed(
        self, realert_id: int, error: str, now: datetime | None = None, owner: str | None = None
    ) -> None:
        """Record a failed try, release the claim and schedule the next try."""
        moment = now or utcnow()
        with self.transaction() as connection:
            attempts, priority = connection.execute(
                select(realerts.c.attempts, alerts.c.priority)
                .select_from(realerts.join(alerts, alerts.c.id == realerts.c.alert_id))
                .where(realerts.c.id == realert_id)
            ).one()
            tries = int(attempts) + 1
            connection.execute(
                update(realerts)
                .where(realerts.c.id == realert_id, realerts.c.status == STATUS_PENDING)
                .values(
                    attempts=tries,
                    next_attempt_at=moment + retry_after(tries, int(priority)),
                    last_error=error[:500],
                    claimed_by=owner,
                    claimed_until=None,
                )
            )

    @staticmethod
    def _load(connection: Connection, ids: list[int]) -> list[Realert]:
        query = (
            select(
                alerts,
                realerts.c.id.label("realert_id"),
                realerts.c.period.label("realert_period"),
                realerts.c.deadline_at.label("realert_deadline_at"),
                realerts.c.due_at.label("realert_due_at"),
                realerts.c.attempts.label("realert_attempts"),
            )
            .select_from(realerts.join(alerts, alerts.c.id == realerts.c.alert_id))
            .where(realerts.c.id.in_(ids))
            .order_by(alerts.c.priority, realerts.c.due_at, realerts.c.id)
        )
        found = []
        for row in connection.execute(query):
            data = row._mapping
            found.append(
                Realert(
                    id=int(data["realert_id"]),
                    alert=row_to_alert(row),
                    period=int(data["realert_period"]),
                    deadline_at=aware(data["realert_deadline_at"]),
                    due_at=aware(data["realert_due_at"]),
                    attempts=int(data["realert_attempts"]),
                )
            )
        return found


def _due_clause(moment: datetime) -> Any:
    return and_(
        realerts.c.status == STATUS_PENDING,
        realerts.c.next_attempt_at <= moment,
        or_(realerts.c.claimed_until.is_(None), realerts.c.claimed_until < moment),
    )
