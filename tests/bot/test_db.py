"""SQLite databases run in WAL mode with every commit synced to disk."""

import sqlite3

import sqlalchemy as sa

from bot.db import engine_for, pooled_sqlite_engine


def modes(engine):
    with engine.connect() as connection:
        journal = connection.execute(sa.text("PRAGMA journal_mode")).scalar()
        synchronous = connection.execute(sa.text("PRAGMA synchronous")).scalar()
    return journal, synchronous


def test_engine_for_sqlite_uses_wal_with_full_sync(tmp_path):
    assert modes(engine_for(f"sqlite:///{tmp_path / 'a.db'}")) == ("wal", 2)


def test_pooled_engine_keeps_connections_and_uses_wal(tmp_path):
    engine = pooled_sqlite_engine(f"sqlite:///{tmp_path / 'b.db'}")
    assert modes(engine) == ("wal", 2)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        connection.execute(sa.text("INSERT INTO t VALUES (1)"))
    # Another process (a plain connection here) reads what was committed, and the mode
    # is kept in the file.
    other = sqlite3.connect(tmp_path / "b.db")
    assert other.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    other.close()
    assert engine.pool.checkedin() >= 1


def test_other_databases_are_left_alone():
    engine = sa.create_engine("sqlite://")  # in memory: WAL does not apply
    from bot.db import use_write_ahead_log

    use_write_ahead_log(engine)
    assert modes(engine)[0] == "memory"
