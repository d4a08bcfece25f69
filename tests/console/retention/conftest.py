"""Fixtures for the retention tests: every store's table in the test database, and patients.

``stores`` creates, in the test database, every table the bot and the action server
write (from their own SQLAlchemy tables, so the schemas are theirs) beside the
console's migrated ones. ``seed(sender, ...)`` writes one patient's data into every
store as its owner writes it: Rasa events with their message, a case (outbox row) with
its state, a step and a re-alert, pacing and flare-up plans, an exercise programme and a
logged day, a STarT Back result, a reminder setting and a reminder sent, SMS records under
the phone number, the console's index row and review mark, a clinician's review verdict on
the message (its words copied in), tags on the conversation and on the message, and a
private note quoting the patient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.schema import CreateIndex, CreateTable

from actions.exercises.store import exercise_logs, exercise_programmes
from actions.pacing.store import flare_up_plans, pacing_plans
from actions.start_back.store import start_back_results
from bot.alerts.overdue import realerts
from bot.channels.sms.store import SmsStore
from bot.reminders.store import reminder_deliveries, reminder_schedules
from tests.console.conftest import T0, _dialect
from tests.console.transcripts.conftest import action, bot, user, write_event

NOW = T0 + timedelta(days=400)
RETENTION_DAYS = 365
OLD = T0  # 400 days before NOW: past retention
RECENT = NOW - timedelta(days=3)


def bot_tables() -> list[Any]:
    """Return the SQLAlchemy tables the bot and the action server create (not the outbox)."""
    return [
        SQLTrackerStore.SQLEvent.__table__,
        realerts,
        pacing_plans,
        flare_up_plans,
        exercise_programmes,
        exercise_logs,
        start_back_results,
        reminder_schedules,
        reminder_deliveries,
        *SmsStore("sqlite://").metadata.sorted_tables,
    ]


@pytest.fixture(autouse=True)
def quick_passwords(settings: Any) -> None:
    """Hash the test users' passwords quickly: Argon2 is tested with sign-in, not here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def stores(outbox: Any) -> Any:
    """Create every bot store's table in the test database; return the outbox writer."""
    dialect = _dialect()
    with connection.cursor() as cursor:
        for table in bot_tables():
            cursor.execute(str(CreateTable(table).compile(dialect=dialect)))
            for index in table.indexes:
                cursor.execute(str(CreateIndex(index).compile(dialect=dialect)))
    return outbox


@dataclass(frozen=True)
class Seeded:
    """What was written for one patient: what must vanish with them."""

    sender_id: str
    message: str
    alert_id: int | None


def _insert(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def seed(stores: Any, make_user: Callable[..., Any]) -> Callable[..., Seeded]:
    """Write one patient's data into every store: ``seed("+447700900123", last=OLD)``.

    ``case`` is ``None`` (no case), ``"new"`` (open) or ``"closed"``.
    """
    from console.annotations.notes import add_note
    from console.annotations.tags import add_tags
    from console.cases.models import CaseState, CaseTransition
    from console.review.models import Verdict, VerdictKind
    from console.transcripts.index import refresh_index
    from console.transcripts.models import ConversationReview

    staff = make_user("dr_seed", "clinician")

    def write(
        sender_id: str,
        last: datetime = OLD,
        case: str | None = "closed",
        message: str | None = None,
        channel: str = "twilio",
    ) -> Seeded:
        text = message or f"my back hurts after gardening ({sender_id})"
        at = (last - timedelta(minutes=5)).timestamp()
        write_event(sender_id, user(text, "ask_pain", at=at, channel=channel, message_id=f"m-{at}"))
        write_event(sender_id, action("utter_reply", at=at + 1))
        write_event(sender_id, bot("a reply", at=last.timestamp(), response="utter_reply"))
        alert_id = None
        if case is not None:
            alert_id = stores.add(
                message=text, conversation_id=sender_id, channel=channel, created=last
            )
            _insert(
                "INSERT INTO care_team_realert (alert_id, period, deadline_at, due_at, created_at,"
                " status, attempts, next_attempt_at) VALUES (%s, 1, %s, %s, %s, 'delivered', 0, %s)",
                [alert_id, last, last, last, last],
            )
            CaseState.objects.create(alert_id=alert_id, state=case, outcome=f"called {sender_id}")
            CaseTransition.objects.create(
                alert_id=alert_id, from_state="new", to_state=case, by=staff, note=text
            )
        _insert(
            "INSERT INTO pacing_plans (sender_id, activity, unit, good_day, bad_day, increase_pct,"
            " goal, start, step, weeks, current_week, created_at, updated_at)"
            " VALUES (%s, 'walking', 'minutes', 20, 10, 10, 30, 12, 2, '[12, 14]', 0, %s, %s)",
            [sender_id, last, last],
        )
        _insert(
            "INSERT INTO flare_up_plans (sender_id, triggers, warning_signs, helps, contacts,"
            " step_back, updated_at) VALUES (%s, %s, 'stiff', 'heat', 'my physio', 'rest', %s)",
            [sender_id, text, last],
        )
        _insert(
            "INSERT INTO exercise_programmes (sender_id, exercises, starter, updated_at)"
            " VALUES (%s, '[\"bridge\", \"bird_dog\", \"pelvic_tilt\"]', 0, %s)",
            [sender_id, last],
        )
        _insert(
            "INSERT INTO exercise_logs (sender_id, day, done, planned, reason, updated_at)"
            " VALUES (%s, %s, 2, 3, 'hurt', %s)",
            [sender_id, last.date(), last],
        )
        _insert(
            "INSERT INTO start_back_results (sender_id, answers, total, psychosocial, risk_group,"
            " completed_at) VALUES (%s, '[1, 0, 1, 1, 0, 1, 0, 0, 3]', 5, 2, 'medium', %s)",
            [sender_id, last],
        )
        _insert(
            "INSERT INTO reminder_schedules (sender_id, kind, channel, days, at_time, time_zone,"
            " quiet_hours, active, next_due_at, created_at, updated_at)"
            " VALUES (%s, 'exercise', 'sms', 'mon,wed,fri', '09:00', 'Europe/London',"
            " '21:00-08:00', 1, %s, %s, %s)",
            [sender_id, last, last, last],
        )
        _insert(
            "INSERT INTO reminder_deliveries (schedule_id, sender_id, kind, channel, due_at,"
            " status, attempts, next_attempt_at, settled_at, created_at)"
            " SELECT id, sender_id, kind, channel, %s, 'sent', 0, %s, %s, %s"
            " FROM reminder_schedules WHERE sender_id = %s",
            [last, last, last, last, sender_id],
        )
        naive = last.replace(tzinfo=None)
        for table, column, value in (
            ("sms_opt_outs", "opted_out", False),
            ("sms_offered_buttons", "buttons", '[{"title": "Yes", "payload": "/affirm"}]'),
            ("sms_pending_pages", "pages", f'["{text}"]'),
        ):
            stamp = {"sms_opt_outs": "changed_at", "sms_offered_buttons": "offered_at"}.get(
                table, "stored_at"
            )
            _insert(
                f"INSERT INTO {table} (phone, {column}, {stamp}) VALUES (%s, %s, %s)",
                [sender_id, value, naive],
            )
        refresh_index()
        ConversationReview.objects.create(sender_id=sender_id, by=staff)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT MIN(id) FROM events WHERE sender_id = %s AND type_name = 'user'",
                [sender_id],
            )
            message_id = int(cursor.fetchone()[0])
        Verdict.objects.create(
            sender_id=sender_id,
            event_id=message_id,
            kind=VerdictKind.MISSED,
            tier="urgent",
            note="clinician's note",
            text=text,
            by=staff,
        )
        add_tags(sender_id, "gardening, follow-up", staff)
        add_tags(sender_id, "gardening", staff, event_id=message_id)
        add_note(sender_id, f"Phoned back about: {text}", staff)
        return Seeded(sender_id=sender_id, message=text, alert_id=alert_id)

    return write


def rows_naming(*needles: str, alert_ids: tuple[int | None, ...] = ()) -> dict[str, int]:
    """Return, per table, how many rows hold any of ``needles`` in any column.

    Every table with an ``alert_id`` column also counts its rows of ``alert_ids``.
    """
    found: dict[str, int] = {}
    ids = [alert_id for alert_id in alert_ids if alert_id is not None]
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = connection.ops.quote_name(table)
            for needle in needles:
                where = " OR ".join(
                    f"CAST({connection.ops.quote_name(column)} AS TEXT) LIKE %s"
                    for column in columns
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted} WHERE {where}",
                    [f"%{needle}%"] * len(columns),
                )
                count = int(cursor.fetchone()[0])
                if count:
                    found[table] = found.get(table, 0) + count
            if ids and "alert_id" in columns:
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted} WHERE alert_id IN ({marks})",
                    ids,
                )
                count = int(cursor.fetchone()[0])
                if count:
                    found[table] = found.get(table, 0) + count
    return found
