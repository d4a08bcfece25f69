"""Patients' reminder settings and every due reminder, in SQL, so that restarts lose nothing.

Two tables in the product's database (``BACKCARE_DATABASE_URL``: SQLite by default,
PostgreSQL in production), created when the store is opened, never at import time:

- ``reminder_schedules``: one row per patient and kind (``exercise`` or ``checkin``):
  the days, time, zone and quiet hours, the channel (``sms`` or ``chat``), whether it
  is on, and ``next_due_at``, the next moment it is due;
- ``reminder_deliveries``: one row per due reminder (schedule and due moment are
  unique together), with what became of it: ``pending`` until it is sent, then
  ``sent`` (a text Twilio accepted) or ``waiting`` (for the web chat) and ``shown``;
  or ``missed`` (not sent within the window of its time), ``stopped`` (the patient
  turned reminders off first), ``opted_out`` (the number had texted STOP) or
  ``superseded`` (a newer reminder of the same kind replaced one still waiting).

The scheduler (:mod:`bot.reminders.scheduler`) works them in three steps, each a real
SQL claim, so that two schedulers (or one restarted mid-round) send each due reminder
once::

    store = ReminderStore.from_settings()
    store.plan_due(now, window)        # due schedules -> one delivery row each
    store.expire(now, window)          # pending past the window -> missed
    for claimed in store.claim_due("scheduler-1", now, lease, window):
        ...                            # send, then store.settle(...)

1. **plan**: a due schedule is moved on to its next due moment by a conditional update
   (``... WHERE id = ? AND next_due_at = <the due moment read>``): one scheduler's
   update matches, any other's finds nothing to change. The delivery row is written in
   the same transaction, and the unique (schedule, due moment) pair keeps it one row
   even if two planners got that far.
2. **claim**: a pending delivery is taken with a lease by a conditional update, as the
   care-team outbox does (``FOR UPDATE SKIP LOCKED`` on PostgreSQL): the one scheduler
   whose update matched sends it. A scheduler that dies holding a claim loses it when
   the lease ends, and the reminder is sent by the next claim while still in its
   window.
3. **settle**: the outcome is recorded only while the row is still pending.

Stopping reminders (the chat's "stop reminders", or STOP by text) turns the schedule
off and marks its pending and waiting reminders ``stopped`` in one transaction, and a
claim only takes reminders whose schedule is still on, so a stop is honoured at once.
A patient is their conversation's sender id (an SMS conversation's is the phone
number), so the retention purge and an erasure find both tables by ``sender_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    exc,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from bot.db import SqlStore, aware, utcnow
from bot.reminders.schedule import (
    QuietHours,
    Schedule,
    clock_code,
    days_code,
    days_from_code,
    parse_clock,
)

KIND_EXERCISE = "exercise"
KIND_CHECKIN = "checkin"
KINDS = (KIND_EXERCISE, KIND_CHECKIN)
CHANNEL_SMS = "sms"
CHANNEL_CHAT = "chat"

STATUS_PENDING = "pending"
STATUS_SENT = "sent"
STATUS_WAITING = "waiting"
STATUS_SHOWN = "shown"
STATUS_MISSED = "missed"
STATUS_STOPPED = "stopped"
STATUS_OPTED_OUT = "opted_out"
STATUS_SUPERSEDED = "superseded"
# Wait before a failed text is tried again, while its window lasts.
RETRY_AFTER = timedelta(minutes=2)

metadata = MetaData()
reminder_schedules = Table(
    "reminder_schedules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    # Weekdays as "mon,wed,fri", the time as "09:00" on the patient's clock in the zone.
    Column("days", String(32), nullable=False),
    Column("at_time", String(5), nullable=False),
    Column("time_zone", String(64), nullable=False),
    # "21:00-08:00", or "off".
    Column("quiet_hours", String(16), nullable=False),
    Column("active", Integer, nullable=False),
    Column("next_due_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("sender_id", "kind", name="uq_reminder_schedules_sender_kind"),
    Index("ix_reminder_schedules_due", "active", "next_due_at"),
)
reminder_deliveries = Table(
    "reminder_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("schedule_id", Integer, nullable=False),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_until", DateTime(timezone=True)),
    # When it was sent, shown, missed or stopped.
    Column("settled_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("schedule_id", "due_at", name="uq_reminder_deliveries_due"),
)


@dataclass(frozen=True)
class Reminder:
    """A patient's reminder setting, as stored."""

    id: int
    sender_id: str
    kind: str
    channel: str
    schedule: Schedule
    active: bool
    next_due_at: datetime | None


@dataclass(frozen=True)
class Delivery:
    """One due reminder, as stored."""

    id: int
    schedule_id: int
    sender_id: str
    kind: str
    channel: str
    due_at: datetime
    status: str
    attempts: int


@dataclass(frozen=True)
class Claimed:
    """A due reminder this scheduler holds, with the setting it came from."""

    delivery: Delivery
    schedule: Schedule


@dataclass(frozen=True)
class Planned:
    """What one planning pass wrote: reminders to send, and ones already too late."""

    due: int = 0
    missed: int = 0


def schedule_values(schedule: Schedule) -> dict[str, str]:
    """Return the columns that hold ``schedule``."""
    return {
        "days": days_code(schedule.days),
        "at_time": clock_code(schedule.at),
        "time_zone": schedule.zone,
        "quiet_hours": schedule.quiet.code,
    }


def _schedule_of(data: Any) -> Schedule:
    return Schedule(
        days=days_from_code(str(data["days"])),
        at=parse_clock(str(data["at_time"])),
        zone=str(data["time_zone"]),
        quiet=QuietHours.parse(str(data["quiet_hours"])),
    )


def _reminder_of(row: Any) -> Reminder:
    data = row._mapping
    due = data["next_due_at"]
    return Reminder(
        id=int(data["id"]),
        sender_id=str(data["sender_id"]),
        kind=str(data["kind"]),
        channel=str(data["channel"]),
        schedule=_schedule_of(data),
        active=bool(data["active"]),
        next_due_at=aware(due) if due is not None else None,
    )


def _delivery_of(row: Any) -> Delivery:
    data = row._mapping
    return Delivery(
        id=int(data["id"]),
        schedule_id=int(data["schedule_id"]),
        sender_id=str(data["sender_id"]),
        kind=str(data["kind"]),
        channel=str(data["channel"]),
        due_at=aware(data["due_at"]),
        status=str(data["status"]),
        attempts=int(data["attempts"]),
    )


def _insert_once(connection: Connection, values: dict[str, Any]) -> int:
    """Insert one delivery; return 1, or 0 when its (schedule, due moment) is stored."""
    if connection.dialect.name == "postgresql":
        statement: Any = postgresql.insert(reminder_deliveries).on_conflict_do_nothing()
    elif connection.dialect.name == "sqlite":
        statement = sqlite.insert(reminder_deliveries).on_conflict_do_nothing()
    else:  # pragma: no cover - the product runs on SQLite or PostgreSQL
        raise RuntimeError(f"unsupported database {connection.dialect.name}")
    return 1 if connection.execute(statement.values(**values)).rowcount == 1 else 0


def _unclaimed(moment: datetime) -> Any:
    column = reminder_deliveries.c.claimed_until
    return or_(column.is_(None), column < moment)


class ReminderStore(SqlStore):
    """Keep reminder settings and due reminders in SQL; see the module docstring."""

    def create_schema(self, engine: Engine) -> None:
        """Create the two reminder tables if they are missing."""
        metadata.create_all(engine)

    # --- the patient's settings (the chat) ----------------------------------------------

    def save(
        self,
        sender_id: str,
        kind: str,
        channel: str,
        schedule: Schedule,
        now: datetime | None = None,
    ) -> Reminder:
        """Turn on (or change) the patient's reminder of ``kind``; return it.

        A reminder of the old setting that is due but not yet taken by the scheduler
        is dropped (``superseded``): the new time replaces it.
        """
        moment = now or utcnow()
        values = {
            **schedule_values(schedule),
            "channel": channel,
            "active": 1,
            "next_due_at": schedule.next_after(moment),
            "updated_at": moment,
        }
        key = and_(reminder_schedules.c.sender_id == sender_id, reminder_schedules.c.kind == kind)
        for _ in range(2):  # a concurrent first save may win the insert: then update it
            try:
                with self.transaction() as connection:
                    found = connection.execute(select(reminder_schedules.c.id).where(key)).scalar()
                    if found is None:
                        connection.execute(
                            reminder_schedules.insert().values(
                                sender_id=sender_id, kind=kind, created_at=moment, **values
                            )
                        )
                    else:
                        connection.execute(update(reminder_schedules).where(key).values(**values))
                        connection.execute(
                            update(reminder_deliveries)
                            .where(
                                reminder_deliveries.c.schedule_id == found,
                                reminder_deliveries.c.status == STATUS_PENDING,
                                _unclaimed(moment),
                            )
                            .values(status=STATUS_SUPERSEDED, settled_at=moment)
                        )
                break
            except exc.IntegrityError:
                continue
        saved = self.reminder(sender_id, kind)
        assert saved is not None
        return saved

    def reminder(self, sender_id: str, kind: str) -> Reminder | None:
        """Return the patient's reminder of ``kind`` (on or off), or ``None``."""
        query = select(reminder_schedules).where(
            reminder_schedules.c.sender_id == sender_id, reminder_schedules.c.kind == kind
        )
        with self.transaction() as connection:
            row = connection.execute(query).first()
        return _reminder_of(row) if row is not None else None

    def active(self, sender_id: str) -> list[Reminder]:
        """Return the patient's reminders that are on, exercise before check-in."""
        query = select(reminder_schedules).where(
            reminder_schedules.c.sender_id == sender_id, reminder_schedules.c.active == 1
        )
        with self.transaction() as connection:
            found = [_reminder_of(row) for row in connection.execute(query)]
        return sorted(found, key=lambda r: KINDS.index(r.kind) if r.kind in KINDS else len(KINDS))

    def stop(
        self, sender_id: str, kinds: tuple[str, ...] = KINDS, now: datetime | None = None
    ) -> list[str]:
        """Turn off the patient's reminders of ``kinds``; return the kinds that were on.

        Reminders of those kinds that are due but not sent, or waiting for the web
        chat, are marked ``stopped`` in the same transaction.
        """
        moment = now or utcnow()
        mine = and_(
            reminder_schedules.c.sender_id == sender_id, reminder_schedules.c.kind.in_(kinds)
        )
        with self.transaction() as connection:
            stopped = [
                str(kind)
                for (kind,) in connection.execute(
                    select(reminder_schedules.c.kind).where(mine, reminder_schedules.c.active == 1)
                )
            ]
            connection.execute(
                update(reminder_schedules)
                .where(mine)
                .values(active=0, next_due_at=None, updated_at=moment)
            )
            connection.execute(
                update(reminder_deliveries)
                .where(
                    reminder_deliveries.c.sender_id == sender_id,
                    reminder_deliveries.c.kind.in_(kinds),
                    reminder_deliveries.c.status.in_((STATUS_PENDING, STATUS_WAITING)),
                )
                .values(status=STATUS_STOPPED, settled_at=moment, claimed_until=None)
            )
        return sorted(stopped, key=KINDS.index)

    # --- the scheduler ------------------------------------------------------------------

    def plan_due(self, now: datetime, window: timedelta) -> Planned:
        """Write one delivery for each schedule due by ``now`` and move it on.

        A schedule due longer than ``window`` ago (the scheduler was down) gets one
        ``missed`` row for the moment it was due, and moves on to its next moment
        after ``now - window``, so a reminder still in its window is sent late rather
        than not at all, and no backlog of old reminders is sent.
        """
        query = select(reminder_schedules).where(
            reminder_schedules.c.active == 1, reminder_schedules.c.next_due_at <= now
        )
        with self.transaction() as connection:
            rows = connection.execute(query.order_by(reminder_schedules.c.next_due_at)).all()
        due = missed = 0
        for row in rows:
            reminder = _reminder_of(row)
            assert reminder.next_due_at is not None
            was_due = reminder.next_due_at
            late = now >= was_due + window
            later = reminder.schedule.next_after(max(was_due, now - window))
            with self.transaction() as connection:
                moved = connection.execute(
                    update(reminder_schedules)
                    .where(
                        reminder_schedules.c.id == reminder.id,
                        reminder_schedules.c.active == 1,
                        reminder_schedules.c.next_due_at == was_due,
                    )
                    .values(next_due_at=later)
                ).rowcount
                if moved != 1:
                    continue  # another scheduler planned it, or the patient changed it
                written = _insert_once(
                    connection,
                    {
                        "schedule_id": reminder.id,
                        "sender_id": reminder.sender_id,
                        "kind": reminder.kind,
                        "channel": reminder.channel,
                        "due_at": was_due,
                        "status": STATUS_MISSED if late else STATUS_PENDING,
                        "attempts": 0,
                        "next_attempt_at": was_due,
                        "settled_at": now if late else None,
                        "created_at": now,
                    },
                )
            if late:
                missed += written
            else:
                due += written
        return Planned(due=due, missed=missed)

    def expire(self, now: datetime, window: timedelta) -> int:
        """Mark pending reminders whose window has passed ``missed``; return how many."""
        with self.transaction() as connection:
            return int(
                connection.execute(
                    update(reminder_deliveries)
                    .where(
                        reminder_deliveries.c.status == STATUS_PENDING,
                        reminder_deliveries.c.due_at <= now - window,
                        _unclaimed(now),
                    )
                    .values(status=STATUS_MISSED, settled_at=now, claimed_by=None)
                ).rowcount
            )

    def claim_due(
        self,
        owner: str,
        now: datetime,
        lease: timedelta,
        window: timedelta,
        limit: int = 50,
    ) -> list[Claimed]:
        """Claim pending reminders in their window whose schedule is still on.

        On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``; on SQLite
        each is taken with a conditional update that matches for one scheduler only.
        """
        deliveries, schedules = reminder_deliveries, reminder_schedules
        claimable = and_(
            deliveries.c.status == STATUS_PENDING,
            deliveries.c.next_attempt_at <= now,
            deliveries.c.due_at > now - window,
            _unclaimed(now),
        )
        query = (
            select(deliveries.c.id)
            .select_from(deliveries.join(schedules, schedules.c.id == deliveries.c.schedule_id))
            .where(claimable, schedules.c.active == 1)
            .order_by(deliveries.c.due_at, deliveries.c.id)
            .limit(limit)
        )
        claimed: list[int] = []
        with self.transaction() as connection:
            if connection.dialect.name == "postgresql":
                query = query.with_for_update(of=deliveries, skip_locked=True)
            for (delivery_id,) in connection.execute(query).all():
                taken = connection.execute(
                    update(deliveries)
                    .where(deliveries.c.id == delivery_id, claimable)
                    .values(claimed_by=owner, claimed_until=now + lease)
                ).rowcount
                if taken == 1:
                    claimed.append(int(delivery_id))
            if not claimed:
                return []
            rows = connection.execute(
                select(deliveries, *(schedules.c[name] for name in _SCHEDULE_COLUMNS))
                .select_from(deliveries.join(schedules, schedules.c.id == deliveries.c.schedule_id))
                .where(deliveries.c.id.in_(claimed))
                .order_by(deliveries.c.due_at, deliveries.c.id)
            ).all()
        return [Claimed(_delivery_of(row), _schedule_of(row._mapping)) for row in rows]

    def still_wanted(self, delivery_id: int) -> bool:
        """Return whether a claimed reminder is still pending and its schedule still on."""
        query = (
            select(reminder_deliveries.c.id)
            .select_from(
                reminder_deliveries.join(
                    reminder_schedules,
                    reminder_schedules.c.id == reminder_deliveries.c.schedule_id,
                )
            )
            .where(
                reminder_deliveries.c.id == delivery_id,
                reminder_deliveries.c.status == STATUS_PENDING,
                reminder_schedules.c.active == 1,
            )
        )
        with self.transaction() as connection:
            return connection.execute(query).first() is not None

    def settle(self, delivery_id: int, status: str, now: datetime) -> bool:
        """Record what became of a pending reminder; return ``False`` if it was no longer pending.

        ``waiting`` (for the web chat) also marks an older reminder of the same
        schedule still waiting ``superseded``: the chat shows the latest one only.
        """
        with self.transaction() as connection:
            changed = int(
                connection.execute(
                    update(reminder_deliveries)
                    .where(
                        reminder_deliveries.c.id == delivery_id,
                        reminder_deliveries.c.status == STATUS_PENDING,
                    )
                    .values(status=status, settled_at=now, claimed_until=None, last_error=None)
                ).rowcount
            )
            if changed == 1 and status == STATUS_WAITING:
                schedule_id = connection.execute(
                    select(reminder_deliveries.c.schedule_id).where(
                        reminder_deliveries.c.id == delivery_id
                    )
                ).scalar()
                connection.execute(
                    update(reminder_deliveries)
                    .where(
                        reminder_deliveries.c.schedule_id == schedule_id,
                        reminder_deliveries.c.status == STATUS_WAITING,
                        reminder_deliveries.c.id != delivery_id,
                    )
                    .values(status=STATUS_SUPERSEDED, settled_at=now)
                )
        return changed == 1

    def retry_later(self, delivery_id: int, at: datetime, error: str | None = None) -> None:
        """Release a claimed reminder to be tried again at ``at`` (a failure, or quiet hours)."""
        values: dict[str, Any] = {"next_attempt_at": at, "claimed_until": None}
        if error is not None:
            values["attempts"] = reminder_deliveries.c.attempts + 1
            values["last_error"] = error[:500]
        with self.transaction() as connection:
            connection.execute(
                update(reminder_deliveries)
                .where(
                    reminder_deliveries.c.id == delivery_id,
                    reminder_deliveries.c.status == STATUS_PENDING,
                )
                .values(**values)
            )

    # --- the web chat -------------------------------------------------------------------

    def take_waiting(self, sender_id: str, now: datetime | None = None) -> list[Delivery]:
        """Take the reminders waiting for the patient's web chat, oldest first; mark them shown.

        Each is taken by a conditional update, so two windows opened at once show it
        once between them.
        """
        moment = now or utcnow()
        query = (
            select(reminder_deliveries)
            .where(
                reminder_deliveries.c.sender_id == sender_id,
                reminder_deliveries.c.status == STATUS_WAITING,
            )
            .order_by(reminder_deliveries.c.due_at, reminder_deliveries.c.id)
        )
        taken = []
        with self.transaction() as connection:
            for row in connection.execute(query).all():
                shown = connection.execute(
                    update(reminder_deliveries)
                    .where(
                        reminder_deliveries.c.id == row._mapping["id"],
                        reminder_deliveries.c.status == STATUS_WAITING,
                    )
                    .values(status=STATUS_SHOWN, settled_at=moment)
                ).rowcount
                if shown == 1:
                    taken.append(_delivery_of(row))
        return taken

    def deliveries(self, sender_id: str) -> list[Delivery]:
        """Return every reminder due for the patient, in the order they were due."""
        query = (
            select(reminder_deliveries)
            .where(reminder_deliveries.c.sender_id == sender_id)
            .order_by(reminder_deliveries.c.due_at, reminder_deliveries.c.id)
        )
        with self.transaction() as connection:
            return [_delivery_of(row) for row in connection.execute(query)]


_SCHEDULE_COLUMNS = ("days", "at_time", "time_zone", "quiet_hours")


@lru_cache(maxsize=1)
def get_reminder_store() -> ReminderStore:
    """Return the process-wide reminder store, opened on first use."""
    return ReminderStore.from_settings()
