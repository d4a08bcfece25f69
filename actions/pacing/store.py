"""Durable store of patients' pacing plans and flare-up plans.

Plans live in the same SQL database as the tracker store and the alert outbox
(``BACKCARE_DATABASE_URL``: SQLite by default, PostgreSQL in production), so they
survive restarts of the action server. A patient is their conversation ``sender_id``.
Each patient may have one pacing plan per activity and one flare-up plan; saving a
plan for an activity again replaces it and starts again at week 1. Tables are created
on first use, never at import time::

    store = PlansStore.from_settings()
    stored = store.save_pacing_plan("patient-1", build_plan("walking", "minutes", 20, 10))
    store.move_week("patient-1", "walking", +1)  # "I managed this week"
    store.pacing_plans("patient-1")  # most recently used first
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
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.engine import Engine

from actions.flare_ups.plan import FIELDS, FlarePlan
from actions.pacing.plan import PacingPlan
from bot.db import SqlStore, aware, utcnow

metadata = MetaData()
pacing_plans = Table(
    "pacing_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("activity", String(64), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("good_day", Float, nullable=False),
    Column("bad_day", Float, nullable=False),
    Column("increase_pct", Float, nullable=False),
    Column("goal", Integer),
    Column("start", Integer, nullable=False),
    Column("step", Integer, nullable=False),
    # The week-by-week amounts as a JSON list: the plan as the patient was shown it,
    # even if the arithmetic changes later.
    Column("weeks", Text, nullable=False),
    Column("current_week", Integer, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("sender_id", "activity", name="uq_pacing_plans_sender_activity"),
)
flare_up_plans = Table(
    "flare_up_plans",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("triggers", Text, nullable=False),
    Column("warning_signs", Text, nullable=False),
    Column("helps", Text, nullable=False),
    Column("contacts", Text, nullable=False),
    Column("step_back", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class StoredPacingPlan:
    """A saved pacing plan and where the patient is in it.

    Attributes:
        plan: the plan as worked out when it was saved.
        current_week: index of this week in ``plan.weeks`` (0 is week 1).
        updated_at: when the plan was saved or last moved on or back.
    """

    plan: PacingPlan
    current_week: int
    updated_at: datetime

    @property
    def activity(self) -> str:
        """Return the activity the plan is for."""
        return self.plan.activity

    @property
    def this_week(self) -> int:
        """Return this week's daily amount."""
        return self.plan.weeks[self.current_week]

    @property
    def is_last_week(self) -> bool:
        """Return whether this week is the plan's last."""
        return self.current_week >= len(self.plan.weeks) - 1


class PlansStore(SqlStore):
    """Keep pacing and flare-up plans in SQL (SQLite by default, PostgreSQL in production)."""

    def create_schema(self, engine: Engine) -> None:
        """Create the plan tables if they are missing."""
        metadata.create_all(engine)

    # --- pacing plans ----------------------------------------------------------------

    def save_pacing_plan(
        self, sender_id: str, plan: PacingPlan, now: datetime | None = None
    ) -> StoredPacingPlan:
        """Save ``plan``, replacing the patient's plan for the same activity, at week 1."""
        moment = now or utcnow()
        with self.transaction() as connection:
            connection.execute(
                delete(pacing_plans).where(
                    pacing_plans.c.sender_id == sender_id,
                    pacing_plans.c.activity == plan.activity,
                )
            )
            connection.execute(
                pacing_plans.insert().values(
                    sender_id=sender_id,
                    activity=plan.activity,
                    unit=plan.unit,
                    good_day=plan.good_day,
                    bad_day=plan.bad_day,
                    increase_pct=plan.increase_pct,
                    goal=plan.goal,
                    start=plan.start,
                    step=plan.step,
                    weeks=json.dumps(list(plan.weeks)),
                    current_week=0,
                    created_at=moment,
                    updated_at=moment,
                )
            )
        return StoredPacingPlan(plan=plan, current_week=0, updated_at=moment)

    def pacing_plans(self, sender_id: str) -> list[StoredPacingPlan]:
        """Return the patient's pacing plans, the most recently used first."""
        query = (
            select(pacing_plans)
            .where(pacing_plans.c.sender_id == sender_id)
            .order_by(pacing_plans.c.updated_at.desc(), pacing_plans.c.id.desc())
        )
        with self.transaction() as connection:
            return [_row_to_pacing(row) for row in connection.execute(query)]

    def find_pacing_plan(self, sender_id: str, activity: str) -> StoredPacingPlan | None:
        """Return the patient's plan for ``activity``, or ``None``."""
        query = select(pacing_plans).where(
            pacing_plans.c.sender_id == sender_id, pacing_plans.c.activity == activity
        )
        with self.transaction() as connection:
            row = connection.execute(query).first()
        return _row_to_pacing(row) if row is not None else None

    def move_week(
        self, sender_id: str, activity: str, delta: int, now: datetime | None = None
    ) -> StoredPacingPlan | None:
        """Move the plan ``delta`` weeks on (or back), staying within the plan.

        Returns:
            The plan after the move, or ``None`` when the patient has no plan for
            ``activity``.
        """
        moment = now or utcnow()
        with self.transaction() as connection:
            row = connection.execute(
                select(pacing_plans)
                .where(pacing_plans.c.sender_id == sender_id, pacing_plans.c.activity == activity)
                .with_for_update()
            ).first()
            if row is None:
                return None
            stored = _row_to_pacing(row)
            week = max(0, min(stored.current_week + delta, len(stored.plan.weeks) - 1))
            connection.execute(
                update(pacing_plans)
                .where(pacing_plans.c.id == row._mapping["id"])
                .values(current_week=week, updated_at=moment)
            )
        return StoredPacingPlan(plan=stored.plan, current_week=week, updated_at=moment)

    def delete_pacing_plan(self, sender_id: str, activity: str) -> bool:
        """Delete the patient's plan for ``activity``; return whether there was one."""
        with self.transaction() as connection:
            result = connection.execute(
                delete(pacing_plans).where(
                    pacing_plans.c.sender_id == sender_id,
                    pacing_plans.c.activity == activity,
                )
            )
        return bool(result.rowcount)

    # --- flare-up plans --------------------------------------------------------------

    def save_flare_plan(self, sender_id: str, plan: FlarePlan, now: datetime | None = None) -> None:
        """Save the patient's flare-up plan, replacing any earlier one."""
        with self.transaction() as connection:
            connection.execute(
                delete(flare_up_plans).where(flare_up_plans.c.sender_id == sender_id)
            )
            connection.execute(
                flare_up_plans.insert().values(
                    sender_id=sender_id, updated_at=now or utcnow(), **plan.answers()
                )
            )

    def delete_flare_plan(self, sender_id: str) -> bool:
        """Delete the patient's flare-up plan; return whether there was one."""
        with self.transaction() as connection:
            result = connection.execute(
                delete(flare_up_plans).where(flare_up_plans.c.sender_id == sender_id)
            )
        return bool(result.rowcount)

    def flare_plan(self, sender_id: str) -> FlarePlan | None:
        """Return the patient's flare-up plan, or ``None``."""
        query = select(flare_up_plans).where(flare_up_plans.c.sender_id == sender_id)
        with self.transaction() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        return FlarePlan(**{field: str(row._mapping[field]) for field in FIELDS})


def _row_to_pacing(row: Any) -> StoredPacingPlan:
    data = row._mapping
    weeks = tuple(int(value) for value in json.loads(data["weeks"]))
    goal = data["goal"]
    plan = PacingPlan(
        activity=str(data["activity"]),
        unit=str(data["unit"]),
        good_day=float(data["good_day"]),
        bad_day=float(data["bad_day"]),
        increase_pct=float(data["increase_pct"]),
        goal=int(goal) if goal is not None else None,
        start=int(data["start"]),
        step=int(data["step"]),
        weeks=weeks,
    )
    week = max(0, min(int(data["current_week"]), len(weeks) - 1))
    return StoredPacingPlan(plan=plan, current_week=week, updated_at=aware(data["updated_at"]))


@lru_cache(maxsize=1)
def get_plans_store() -> PlansStore:
    """Return the process-wide plan store, opened on first use."""
    return PlansStore.from_settings()
