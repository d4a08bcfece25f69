"""Durable store of patients' STarT Back results.

Kept in the same SQL database as the plans and the exercise log
(``BACKCARE_DATABASE_URL``: SQLite by default, PostgreSQL in production). A patient is
their conversation ``sender_id``; each completed questionnaire is one row, so the
console can show the latest group and how it changed. The table is created on first
use, never at import time, and is on the erasure list
(:mod:`console.retention.stores`)::

    store = StartBackStore.from_settings()
    store.save("patient-1", score((1, 0, 1, 1, 0, 1, 0, 0, 3)))
    store.latest("patient-1").group   # "medium"
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    exists,
    select,
)
from sqlalchemy.engine import Engine

from actions.start_back.scoring import StartBackResult
from bot.db import SqlStore, aware, utcnow

metadata = MetaData()
start_back_results = Table(
    "start_back_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    # The nine answers as given (JSON list): items 1-8 as 0/1, item 9 as 0-4.
    Column("answers", Text, nullable=False),
    Column("total", Integer, nullable=False),
    Column("psychosocial", Integer, nullable=False),
    # "low", "medium" or "high" (actions.start_back.scoring.GROUPS).
    Column("risk_group", String(8), nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class StoredResult:
    """A saved result and when the patient finished the questionnaire."""

    result: StartBackResult
    completed_at: datetime


class StartBackStore(SqlStore):
    """Keep STarT Back results in SQL (SQLite by default, PostgreSQL in production)."""

    def create_schema(self, engine: Engine) -> None:
        """Create the results table if it is missing."""
        metadata.create_all(engine)

    def save(
        self, sender_id: str, result: StartBackResult, now: datetime | None = None
    ) -> StoredResult:
        """Add one completed questionnaire for the patient."""
        moment = now or utcnow()
        with self.transaction() as connection:
            connection.execute(
                start_back_results.insert().values(
                    sender_id=sender_id,
                    answers=json.dumps(list(result.answers)),
                    total=result.total,
                    psychosocial=result.psychosocial,
                    risk_group=result.group,
                    completed_at=moment,
                )
            )
        return StoredResult(result=result, completed_at=moment)

    def results(self, sender_id: str) -> list[StoredResult]:
        """Return the patient's results, oldest first."""
        query = (
            select(start_back_results)
            .where(start_back_results.c.sender_id == sender_id)
            .order_by(start_back_results.c.completed_at, start_back_results.c.id)
        )
        with self.transaction() as connection:
            rows = connection.execute(query).all()
        return [_row_to_result(row) for row in rows]

    def latest(self, sender_id: str) -> StoredResult | None:
        """Return the patient's most recent result, or ``None``."""
        results = self.results(sender_id)
        return results[-1] if results else None

    def has_result(self, sender_id: str) -> bool:
        """Return whether the patient has ever finished the questionnaire."""
        query = select(exists().where(start_back_results.c.sender_id == sender_id))
        with self.transaction() as connection:
            return bool(connection.execute(query).scalar())

    def delete_patient(self, sender_id: str) -> None:
        """Delete the patient's results (a test's clean-up, a patient's request)."""
        with self.transaction() as connection:
            connection.execute(
                delete(start_back_results).where(start_back_results.c.sender_id == sender_id)
            )


def _row_to_result(row: Any) -> StoredResult:
    data = row._mapping
    return StoredResult(
        result=StartBackResult(
            answers=tuple(int(answer) for answer in json.loads(data["answers"])),
            total=int(data["total"]),
            psychosocial=int(data["psychosocial"]),
            group=str(data["risk_group"]),
        ),
        completed_at=aware(data["completed_at"]),
    )


@lru_cache(maxsize=1)
def get_start_back_store() -> StartBackStore:
    """Return the process-wide STarT Back store, opened on first use."""
    return StartBackStore.from_settings()
