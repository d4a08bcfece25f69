"""Every table that can name a conversation is one the eraser covers.

The tables are found, not listed: every store under ``bot/`` and ``actions/`` is opened
on an empty SQLite database (each ``SqlStore`` subclass, the SMS store, Rasa's tracker
store as the project configures it), every ``Table`` defined at module level there is
added, and so is every console model (Django's, managed or not). A table with a column
that names a conversation (:data:`console.retention.stores.LINK_COLUMNS`) must be in
:data:`console.retention.stores.STORES` with that column, or in ``UNLINKED`` with a
reason. A new store that keeps something per patient fails here until it is listed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from django.apps import apps

import actions
import bot
from bot.channels.sms.store import SmsStore
from bot.db import SqlStore
from console.retention.stores import LINK_COLUMNS, STORES, UNLINKED, Link


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.endswith("__main__"):
            yield importlib.import_module(info.name)


def _is_store(value: object) -> bool:
    try:
        return issubclass(value, SqlStore) and not inspect.isabstract(value)  # type: ignore[arg-type]
    except TypeError:  # not a class (a generic alias such as Callable[[X], None])
        return False


def _store_classes_and_tables() -> tuple[set[type[SqlStore]], list[sa.Table]]:
    classes: set[type[SqlStore]] = set()
    tables: list[sa.Table] = []
    for package in (bot, actions):
        for module in _modules(package):
            for value in vars(module).values():
                if isinstance(value, sa.Table):
                    tables.append(value)
                elif _is_store(value):
                    classes.add(value)
    return classes, tables


@pytest.fixture(scope="module")
def bot_schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Return table -> columns of every table the bot's and the actions' stores create."""
    from bot.runtime.tracker_store import SafetyTrackerStore

    path = tmp_path_factory.mktemp("stores") / "stores.db"
    url = f"sqlite:///{path}"
    classes, module_tables = _store_classes_and_tables()
    assert {cls.__name__ for cls in classes} >= {"Outbox", "OverdueAlerts", "PlansStore"}
    for cls in classes:
        cls.from_url(url)
    assert SmsStore(url).engine is not None
    SafetyTrackerStore(dialect="sqlite", db=str(path))
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    schemas = {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }
    engine.dispose()
    for table in module_tables:
        schemas.setdefault(table.name, set()).update(column.name for column in table.columns)
    return schemas


def console_schemas() -> dict[str, set[str]]:
    """Return table -> columns of every Django model (the console's and the bot's it maps)."""
    schemas: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        columns = {field.column for field in model._meta.local_fields if field.column}
        schemas.setdefault(model._meta.db_table, set()).update(columns)
    return schemas


def uncovered(schemas: dict[str, set[str]]) -> list[str]:
    """Return ``table.column`` for each linking column the eraser does not cover."""
    covered = {(store.table, store.column) for store in STORES}
    return sorted(
        f"{table}.{column}"
        for table, columns in schemas.items()
        for column in columns & LINK_COLUMNS
        if (table, column) not in covered and table not in UNLINKED
    )


def test_the_stores_create_the_tables_the_eraser_knows(bot_schemas):
    assert {"events", "care_team_outbox", "care_team_realert", "pacing_plans"} <= set(bot_schemas)
    assert {"sms_opt_outs", "sms_pending_pages", "sms_seen_messages"} <= set(bot_schemas)


def test_every_table_naming_a_conversation_is_covered(bot_schemas):
    assert uncovered(bot_schemas) == []
    assert uncovered(console_schemas()) == []


def test_every_listed_store_exists_with_its_column(bot_schemas):
    schemas = {**console_schemas(), **bot_schemas}
    for store in STORES:
        assert store.column in schemas.get(store.table, set()), store
    for table in UNLINKED:
        assert table in schemas, table


def test_a_new_table_keyed_by_sender_is_caught():
    notes = sa.Table(
        "patient_notes",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
    )
    assert uncovered({notes.name: {column.name for column in notes.columns}}) == [
        "patient_notes.sender_id"
    ]


def test_rows_hanging_off_a_case_come_before_the_cases():
    order = [store.table for store in STORES]
    outbox = order.index("care_team_outbox")
    assert all(order.index(s.table) < outbox for s in STORES if s.link is Link.ALERT)


def test_the_module_names_its_owner_files():
    root = Path(bot.__file__).resolve().parent.parent
    for store in STORES:
        module = store.owner.split(" ")[0]
        if module.startswith(("bot.", "actions.", "console.")):
            assert (root / module.replace(".", "/")).with_suffix(".py").exists() or (
                root / module.replace(".", "/")
            ).is_dir(), store
