"""One SQLAlchemy engine per database URL, and the base class of the SQL stores.

The care-team outbox, the plan store and the SMS opt-out store all live in the database
named by ``BACKCARE_DATABASE_URL`` (the tracker store's too, by default). They ask for
their engine here, so a process keeps one connection pool per database::

    engine = engine_for(get_settings().database_url)

An SQLite database is used in write-ahead-log mode (:func:`use_write_ahead_log`, also
applied by the tracker store to Rasa's engine): a commit is still on disk when it
returns (``synchronous=FULL``), but costs one sync of the log instead of several of the
database and its journal, and readers (the console, the delivery worker) no longer
block the Rasa server's writes.

A store subclasses :class:`SqlStore`: it creates its tables when opened (never at
import time) and runs each unit of work in :meth:`SqlStore.transaction`::

    class PlansStore(SqlStore):
        def create_schema(self, engine: Engine) -> None:
            metadata.create_all(engine)

    store = PlansStore.from_settings()
    with store.transaction() as connection:
        ...
"""

from __future__ import annotations

import logging
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import QueuePool

StoreT = TypeVar("StoreT", bound="SqlStore")
logger = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """Return the engine for ``url``, creating an SQLite file's folder if needed."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Several processes write the same file: wait for a lock instead of failing.
        engine = create_engine(url, connect_args={"timeout": 30}, future=True)
        use_write_ahead_log(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, future=True)


def pooled_sqlite_engine(url: str | URL) -> Engine:
    """Return an engine that keeps its SQLite connections open, in WAL mode.

    SQLAlchemy opens and closes an SQLite file for every unit of work by default; a
    server that writes on every message keeps a few open instead (a closed file also
    checkpoints and removes its write-ahead log when it was the last one).
    """
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=2,
        connect_args={"timeout": 30, "check_same_thread": False},
    )
    use_write_ahead_log(engine)
    return engine


def use_write_ahead_log(engine: Engine) -> None:
    """Open every SQLite connection of ``engine`` in WAL mode, each commit synced to disk.

    Other databases are left as they are. The mode is kept in the file, so every
    process that opens it after uses it too.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        except sqlite3.OperationalError as error:  # e.g. locked: stay in the old mode
            logger.warning("SQLite could not switch to WAL mode: %s", error)
        finally:
            cursor.close()


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(timezone.utc)


def aware(value: datetime) -> datetime:
    """Return ``value`` with its time zone, UTC when the database dropped it."""
    # SQLite returns naive datetimes even for timezone-aware columns.
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class SqlStore(ABC):
    """A store kept in SQL (SQLite by default, PostgreSQL in production)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.create_schema(engine)

    @abstractmethod
    def create_schema(self, engine: Engine) -> None:
        """Create the store's tables, or bring an older database up to date."""

    @classmethod
    def from_url(cls: type[StoreT], url: str) -> StoreT:
        """Open (and create if needed) the store in the database at ``url``."""
        return cls(engine_for(url))

    @classmethod
    def from_settings(cls: type[StoreT]) -> StoreT:
        """Open the store in the database named by ``BACKCARE_DATABASE_URL``."""
        # Imported here so that the database layer can be used without settings.
        from bot.settings import get_settings

        return cls.from_url(get_settings().database_url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection whose work commits together, or rolls back on an error."""
        with self._engine.begin() as connection:
            yield connection
