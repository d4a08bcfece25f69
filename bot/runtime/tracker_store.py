"""SQL tracker store that writes each red flag's care-team alert with the message.

Configured in ``endpoints.yml``::

    tracker_store:
      type: bot.runtime.tracker_store.SafetyTrackerStore
      dialect: ${BACKCARE_TS_DIALECT}
      url: ${BACKCARE_DATABASE_URL}

It is Rasa's :class:`~rasa.core.tracker_store.SQLTrackerStore` (SQLite by default,
PostgreSQL in production), same tables and rows, with two additions:

- when it stores a conversation's new events, it also inserts a row in the care-team
  outbox (:mod:`bot.alerts.outbox`) for every new patient message that is a red flag
  (:func:`bot.runtime.alerts.alert_drafts`), in the same database transaction. The
  message and its alert are committed together or not at all, so the alert exists even
  when the action server is down or killed mid-turn, and a unique key per message keeps
  it to one row;
- it remembers the latest session of the conversations it stored last
  (:mod:`bot.runtime.tracker_cache`), so that a turn neither reads and deserialises the
  whole session again nor counts the stored events before saving: one small indexed
  query (the conversation's row count and last row) checks that the database still holds
  what it remembers, and anything else (another server's writes, an erasure, a fresh
  process) is read from the database as Rasa does. Only the new events are serialised
  and inserted, as in Rasa. ``BACKCARE_TRACKER_CACHE_EVENTS`` bounds the memory
  (0 turns it off).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Insert, Select

from bot.alerts.outbox import add_in, ensure_schema
from bot.db import pooled_sqlite_engine
from bot.policies.safety_plan import FlagInfo, load_flag_infos
from bot.runtime.alerts import alert_drafts
from bot.runtime.tracker_cache import EMPTY, Fingerprint, TrackerCache, latest_session
from bot.settings import REPO_ROOT, get_settings

logger = logging.getLogger(__name__)

CATALOGUE = REPO_ROOT / "content" / "red_flags.yml"


class SafetyTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, plus the care-team alert in the same transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rasa_engine: Engine = self.engine  # type: ignore[has-type]
        if rasa_engine.dialect.name == "sqlite":
            rasa_engine.dispose()
            self.engine = pooled_sqlite_engine(rasa_engine.url)
            self.sessionmaker = sessionmaker(bind=self.engine)
        ensure_schema(self.engine)
        self.cache = TrackerCache(get_settings().tracker_cache_events)

    @cached_property
    def flags(self) -> dict[str, FlagInfo]:
        """Return the catalogue's flags, read on first use."""
        return load_flag_infos(CATALOGUE)

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Session]:
        """Open a session; unlike Rasa's, a bad value raises instead of exiting the server.

        Rasa's own scope turns any ``ValueError`` (a text it cannot encode, say) into
        ``sys.exit``, which would take the whole server down for one bad message.
        """
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        finally:
            session.close()

    @cached_property
    def statements(self) -> _Statements:
        """Return the statements a turn runs, built once so they compile once."""
        table = self.SQLEvent.__table__
        mine = table.c.sender_id == sa.bindparam("sender_id")
        rows = sa.select(sa.func.count()).select_from(table).where(mine).scalar_subquery()
        fingerprint = (
            sa.select(rows, table.c.id, table.c.timestamp)
            .where(mine)
            .order_by(table.c.id.desc())
            .limit(1)
        )
        return _Statements(fingerprint=fingerprint, insert=table.insert())

    def fingerprint(self, connection: Connection, sender_id: str) -> Fingerprint:
        """Return the conversation's row count and last row, in one indexed query."""
        last = connection.execute(self.statements.fingerprint, {"sender_id": sender_id}).first()
        if last is None:
            return EMPTY
        return Fingerprint(int(last[0]), int(last[1]), last[2])

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """Return the tracker of the conversation's latest session, as Rasa's store does."""
        if not self.domain:
            return None
        with self.engine.connect() as connection:
            # The fingerprint is read before the rows: if a write comes in between, the
            # remembered fingerprint is older than the rows and the next read reloads.
            fingerprint = self.fingerprint(connection, sender_id)
            remembered = self.cache.get(sender_id, fingerprint)
            if remembered is not None:
                return DialogueStateTracker.from_events(
                    sender_id, list(remembered), self.domain.slots
                )
        if fingerprint == EMPTY:
            return None
        with self.session_scope() as session:
            rows = (
                self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
                .with_entities(self.SQLEvent.data)
                .all()
            )
        events = [json.loads(data) for (data,) in rows]
        if not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if len(tracker.events) == len(events):  # an event Rasa could not read is skipped
            self.cache.put(sender_id, fingerprint, tuple(tracker.events))
        else:
            self.cache.forget(sender_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events and the alerts they raise, in one transaction."""
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        with self.engine.begin() as connection:
            before = self.fingerprint(connection, sender_id)
            remembered = self.cache.get(sender_id, before)
            if remembered is None and before == EMPTY:
                remembered = ()
            if remembered is not None:
                stored = len(remembered)
            else:
                with Session(bind=connection) as session:
                    ensure_schema_exists(session)
                    stored = self._event_query(
                        session, sender_id, fetch_events_from_all_sessions=False
                    ).count()
            events = list(tracker.events)
            new: list[Event] = events[stored:]
            if new:
                connection.execute(self.statements.insert, [self._row(sender_id, e) for e in new])
            after = self.fingerprint(connection, sender_id) if new else before
            drafts = alert_drafts(sender_id, events, stored, self.flags)
            for draft in drafts:
                alert_id = add_in(connection, draft)
                logger.info(
                    "care-team alert %s: tier %s, flags %s",
                    alert_id,
                    draft.tier,
                    ",".join(draft.flag_ids),
                )
        # Only what was committed is remembered, and only on top of what was verified;
        # rows another server added in between would show in the count: forget then.
        if remembered is not None and after.rows == before.rows + len(new):
            self.cache.put(sender_id, after, latest_session([*remembered, *new]))
        else:
            self.cache.forget(sender_id)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


@dataclass(frozen=True)
class _Statements:
    fingerprint: Select
    insert: Insert
