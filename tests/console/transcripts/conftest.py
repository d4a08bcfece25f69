"""Fixtures for the transcripts' tests: Rasa's ``events`` table in the test database.

``events_table(sender, event)`` writes one Rasa event as the bot's tracker store does
(the same columns, ``action_name`` from the event's ``name``, the JSON from
``as_dict``); ``talk`` writes a whole short conversation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from sqlalchemy.schema import CreateTable

from actions.pacing.store import flare_up_plans, pacing_plans
from tests.console.conftest import T0, _dialect

TS = T0.timestamp()
MODEL = "model-2026-11-20"
SENDER_WITH_PLANS = "web-planner"


def create_table(table: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(str(CreateTable(table).compile(dialect=_dialect())))


def write_event(sender: str, event: Event, model_id: str | None = MODEL) -> None:
    data = event.as_dict()
    if model_id:
        data.setdefault("metadata", {})["model_id"] = model_id
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                sender,
                event.type_name,
                data.get("timestamp"),
                (data.get("parse_data") or {}).get("intent", {}).get("name"),
                data.get("name"),
                json.dumps(data),
            ],
        )


@pytest.fixture(autouse=True)
def quick_passwords(settings: Any) -> None:
    """Hash the test users' passwords quickly: Argon2 is tested with sign-in, not here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def events_table(outbox: Any) -> Callable[..., None]:
    """Rasa's own ``events`` table, in the test database, and a writer for it."""
    create_table(SQLTrackerStore.SQLEvent.__table__)
    return write_event


def user(text: str, intent: str = "greet", at: float = TS, **options: Any) -> UserUttered:
    confidence = options.pop("confidence", 0.9)
    return UserUttered(
        text,
        intent={"name": intent, "confidence": confidence},
        parse_data={
            "intent": {"name": intent, "confidence": confidence},
            "entities": options.pop("entities", []),
            "text": text,
        },
        message_id=options.pop("message_id", f"m-{at}"),
        timestamp=at,
        input_channel=options.pop("channel", "socketio"),
        **options,
    )


def red_flag(
    text: str,
    evidence: str,
    flag: str = "cauda_equina_bladder",
    tier: str = "emergency",
    **options: Any,
) -> UserUttered:
    start = text.find(evidence)
    entity = {
        "entity": "red_flag",
        "value": flag,
        "role": tier,
        "start": start,
        "end": start + len(evidence),
    }
    intent = options.pop("intent", f"red_flag_{tier}")
    return user(text, intent=intent, confidence=1.0, entities=[entity], **options)


def bot(
    text: str, at: float = TS, response: str = "", content_id: str = "", **data: Any
) -> BotUttered:
    metadata = (
        {"utter_action": response} if response else {"content_id": content_id} if content_id else {}
    )
    return BotUttered(text, data=data or None, metadata=metadata, timestamp=at)


def action(name: str, at: float = TS, policy: str | None = "RulePolicy") -> ActionExecuted:
    return ActionExecuted(name, policy=policy, confidence=1.0 if policy else None, timestamp=at)


def slot(name: str, value: Any, at: float = TS) -> SlotSet:
    return SlotSet(name, value, timestamp=at)


@pytest.fixture
def plan_tables(
    events_table: Callable[..., None],
) -> tuple[Callable[..., None], Callable[..., None]]:
    """The plans store's tables and writers for them: ``add_pacing(...)``, ``add_flare(...)``."""
    create_table(pacing_plans)
    create_table(flare_up_plans)

    def add_pacing(activity="walking", current_week=2, updated=T0, sender=SENDER_WITH_PLANS):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO pacing_plans (sender_id, activity, unit, good_day, bad_day, increase_pct, goal,"
                " start, step, weeks, current_week, created_at, updated_at)"
                " VALUES (%s, %s, 'minutes', 20, 10, 10, 30, 12, 2, %s, %s, %s, %s)",
                [sender, activity, json.dumps([12, 14, 16, 18]), current_week, updated, updated],
            )

    def add_flare(sender=SENDER_WITH_PLANS, **answers):
        values = {
            "triggers": "long drives",
            "warning_signs": "stiff mornings",
            "helps": "heat",
            "contacts": "my physio",
            "step_back": "halve my walks",
            **answers,
        }
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO flare_up_plans (sender_id, triggers, warning_signs, helps, contacts, step_back, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [sender, *values.values(), T0],
            )

    return add_pacing, add_flare


@pytest.fixture
def talk(events_table: Callable[..., None]) -> Callable[..., None]:
    """Write a short conversation: ``talk(sender, [("hello", "greet"), ...], start=TS)``."""

    def write(
        sender: str, messages: list[tuple[str, str]], start: float = TS, channel: str = "socketio"
    ) -> None:
        at = start
        for text, intent in messages:
            events_table(
                sender, user(text, intent, at=at, channel=channel, message_id=f"{sender}-{at}")
            )
            events_table(sender, action("utter_reply", at=at + 1))
            events_table(sender, bot(f"reply to {text}", at=at + 2, response="utter_reply"))
            events_table(sender, action("action_listen", at=at + 3))
            at += 60

    return write
