"""One SQLAlchemy engine per database URL, shared by every store in a process.

The care-team outbox, the plan store and the SMS opt-out store all live in the database
named by ``BACKCARE_DATABASE_URL`` (the tracker store's too, by default). They ask for
their engine here, so a process keeps one connection pool per database::

    engine = engine_for(get_settings().database_url)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """Return the engine for ``url``, creating an SQLite file's folder if needed."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Several processes write the same file: wait for a lock instead of failing.
        return create_engine(url, connect_args={"timeout": 30}, future=True)
    return create_engine(url, pool_pre_ping=True, future=True)
