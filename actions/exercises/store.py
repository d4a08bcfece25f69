"""Durable store of patients' exercise programmes and their daily exercise log.

Kept in the same SQL database as the plans (``BACKCARE_DATABASE_URL``: SQLite by
default, PostgreSQL in production), so both survive restarts of the action server. A
patient is their conversation ``sender_id``. Each patient has at most one programme;
choosing again replaces it. The log holds one row per patient per day; a later log
for the same day replaces the earlier one. Tables are created on first use, never at
import time::

    store = ExerciseStore.from_settings()
    store.save_programme("patient-1", ("bridge", "cat_cow", "bird_dog"))
    store.save_log("patient-1", LogEntry(day=date(2026, 11, 28), done=2, planned=3))
    store.logs("patient-1", since=date(2026, 11, 22))   # oldest day first
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.engine import Engine

from actions.exercises.parsing import LogEntry
from bot.db import SqlStore, aware, utcnow

metadata = MetaData()
exercise_programmes = Table(
    "exercise_programmes",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    # Exercise ids (content/exercises/<id>.yml) as a JSON list, in the order shown.
    Column("exercises", Text, nullable=False),
    Column("starter", Integer, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
exercise_logs = Table(
    "exercise_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    # The patient's day (see actions.exercises.adherence.local_day).
    Column("day", Date, nullable=False),
    Column("done", Integer, nullable=False),
    Column("planned", Integer),
    # Why a day was skipped, when the patient said ("hurt", "forgot"); None otherwise.
    Column("reason", String(32)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("sender_id", "day", name="uq_exercise_logs_sender_day"),
)


@dataclass(frozen=True)
class Programme:
    """A patient's chosen exercises.

    Attributes:
        exercises: exercise ids in the order they are shown.
        starter: whether this is the starter set.
        updated_at: when it was chosen.
    """

    exercises: tuple[str, ...]
    starter: bool
    updated_at: datetime


class ExerciseStore(SqlStore):
    """Keep exercise programmes and logs in SQL (SQLite by default, PostgreSQL in production)."""

    def create_schema(self, engine: Engine) -> None:
        """Create the programme and log tables if they are missing."""
        metadata.create_all(engine)

    # --- programmes ------------------------------------------------------------------

    def save_programme(
        self,
        sender_id: str,
        exercises: tuple[str, ...],
        *,
        starter: bool = False,
        now: datetime | None = None,
    ) -> Programme:
        """Save the patient's programme, replacing any earlier one."""
        moment = now or utcnow()
        with self.transaction() as connection:
            connection.execute(
                delete(exercise_programmes).where(exercise_programmes.c.sender_id == sender_id)
            )
            connection.execute(
                exercise_programmes.insert().values(
                    sender_id=sender_id,
                    exercises=json.dumps(list(exercises)),
                    starter=int(starter),
                    updated_at=moment,
                )
            )
        return Programme(exercises=tuple(exercises), starter=starter, updated_at=moment)

    def programme(self, sender_id: str) -> Programme | None:
        """Return the patient's programme, or ``None``."""
        query = select(exercise_programmes).where(exercise_programmes.c.sender_id == sender_id)
        with self.transaction() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        data = row._mapping
        return Programme(
            exercises=tuple(str(e) for e in json.loads(data["exercises"])),
            starter=bool(data["starter"]),
            updated_at=aware(data["updated_at"]),
        )

    # --- the daily log ---------------------------------------------------------------

    def save_log(self, sender_id: str, entry: LogEntry, now: datetime | None = None) -> None:
        """Save the patient's log for ``entry.day``, replacing one for the same day."""
        with self.transaction() as connection:
            connection.execute(
                delete(exercise_logs).where(
                    exercise_logs.c.sender_id == sender_id, exercise_logs.c.day == entry.day
                )
            )
            connection.execute(
                exercise_logs.insert().values(
                    sender_id=sender_id,
                    day=entry.day,
                    done=entry.done,
                    planned=entry.planned,
                    reason=entry.reason,
                    updated_at=now or utcnow(),
                )
            )

    def logs(self, sender_id: str, since: date | None = None) -> list[LogEntry]:
        """Return the patient's logged days from ``since`` on (all if ``None``), oldest first."""
        query = select(exercise_logs).where(exercise_logs.c.sender_id == sender_id)
        if since is not None:
            query = query.where(exercise_logs.c.day >= since)
        with self.transaction() as connection:
            rows = connection.execute(query.order_by(exercise_logs.c.day)).all()
        return [_row_to_entry(row) for row in rows]

    def delete_patient(self, sender_id: str) -> None:
        """Delete the patient's programme and log (a test's clean-up, a patient's request)."""
        with self.transaction() as connection:
            connection.execute(
                delete(exercise_programmes).where(exercise_programmes.c.sender_id == sender_id)
            )
            connection.execute(delete(exercise_logs).where(exercise_logs.c.sender_id == sender_id))


def _row_to_entry(row: Any) -> LogEntry:
    data = row._mapping
    planned = data["planned"]
    reason = data["reason"]
    return LogEntry(
        day=data["day"],
        done=int(data["done"]),
        planned=int(planned) if planned is not None else None,
        reason=str(reason) if reason is not None else None,
    )


@lru_cache(maxsize=1)
def get_exercise_store() -> ExerciseStore:
    """Return the process-wide exercise store, opened on first use."""
    return ExerciseStore.from_settings()
