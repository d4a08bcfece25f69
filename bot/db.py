"""One SQLAlchemy engine per database URL, and the base class of the SQL stores.

The care-team outbox, the plan store and the SMS opt-out store all live in the database
named by ``BACKCARE_DATABASE_URL`` (the tracker store's too, by default). They ask for
their engine here, so a process keeps one connection pool per database::

    engine = engine_for(get_settings().database_url)

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

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

StoreT = TypeVar("StoreT", bound="SqlStore")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """Return the engine for ``url``, creating an SQLite file's folder if needed."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Several processes write the same file: wait for a lock instead of failing.
        return create_engine(url, connect_args={"timeout": 30}, future=True)
    return create_engine(url, pool_pre_ping=True, future=True)


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
