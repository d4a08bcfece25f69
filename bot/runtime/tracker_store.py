"""SQL tracker store that writes each red flag's care-team alert with the message.

Configured in ``endpoints.yml``::

    tracker_store:
      type: bot.runtime.tracker_store.SafetyTrackerStore
      dialect: ${BACKCARE_TS_DIALECT}
      url: ${BACKCARE_DATABASE_URL}

It is Rasa's :class:`~rasa.core.tracker_store.SQLTrackerStore` (SQLite by default,
PostgreSQL in production) with one addition: when it stores a conversation's new events,
it also inserts a row in the care-team outbox (:mod:`bot.alerts.outbox`) for every new
patient message that is a red flag (:func:`bot.runtime.alerts.alert_drafts`), in the
same database transaction. The message and its alert are committed together or not at
all, so the alert exists even when the action server is down or killed mid-turn, and a
unique key per message keeps it to one row.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Session

from bot.alerts.outbox import add_in, ensure_schema
from bot.policies.safety_plan import FlagInfo, load_flag_infos
from bot.runtime.alerts import alert_drafts
from bot.settings import REPO_ROOT

logger = logging.getLogger(__name__)

CATALOGUE = REPO_ROOT / "content" / "red_flags.yml"


class SafetyTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, plus the care-team alert in the same transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ensure_schema(self.engine)

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

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events and the alerts they raise, in one transaction."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = self._event_query(
                session, tracker.sender_id, fetch_events_from_all_sessions=False
            ).count()
            events = list(tracker.events)
            for event in itertools.islice(events, stored, len(events)):
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {})
                        .get("intent", {})
                        .get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            drafts = alert_drafts(tracker.sender_id, events, stored, self.flags)
            if drafts:
                session.flush()
                connection = session.connection()
                for draft in drafts:
                    alert_id = add_in(connection, draft)
                    logger.info(
                        "care-team alert %s: tier %s, flags %s",
                        alert_id,
                        draft.tier,
                        ",".join(draft.flag_ids),
                    )
            session.commit()
