"""The Rasa server's memory of the conversations it stored last, checked against the database.

:class:`~bot.runtime.tracker_store.SafetyTrackerStore` keeps, per conversation, the events
that Rasa's SQL tracker store would read back (those of the latest session), so that a
turn does not load and deserialise the whole session from the database again, and so
that a save knows how many of a tracker's events are already stored without counting
them. The database stays the truth; the memory is only used while it provably matches:

- every read and every save first asks the database for the conversation's
  :class:`Fingerprint` (its number of rows, its last row's id and timestamp: one small
  indexed query), and uses what it remembers only if that is the fingerprint it
  remembered. Another Rasa server writing to the same conversation, or the console
  erasing it, changes the fingerprint, and the conversation is read from the database;
- it remembers what it committed, and only after the commit; a failed save (say the
  alert could not be written) leaves it as it was, and a turn that failed before its save
  left the database, and so the memory, unchanged;
- what it remembers is only ever rebuilt into a new tracker, never handed out itself,
  so a turn cannot change it by changing its tracker.

A fresh process remembers nothing and reads the database. ``max_events`` bounds the
memory: the least recently used conversations are forgotten first::

    cache = TrackerCache(max_events=100_000)
    cache.put("rest:me", Fingerprint(3, 17, 1700000000.5), events)
    cache.get("rest:me", Fingerprint(3, 17, 1700000000.5))  # -> events
    cache.get("rest:me", Fingerprint(4, 18, 1700000002.0))  # -> None (and forgotten)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from rasa.shared.core.events import Event, SessionStarted

DEFAULT_MAX_EVENTS = 200_000


@dataclass(frozen=True)
class Fingerprint:
    """What the database holds for one conversation, in brief."""

    rows: int
    last_id: int | None
    last_timestamp: float | None

    def after(self, ids: Sequence[int], timestamps: Sequence[float | None]) -> Fingerprint:
        """Return the fingerprint once rows with these ids and timestamps are added."""
        if not ids:
            return self
        return Fingerprint(self.rows + len(ids), ids[-1], timestamps[-1])


EMPTY = Fingerprint(0, None, None)


def latest_session(events: Sequence[Event]) -> tuple[Event, ...]:
    """Return the events Rasa's SQL tracker store reads back: those of the latest session.

    Like its query, this keeps the events whose timestamp is at or after the latest
    ``session_started`` event's, in the order they were stored; all of them if there is
    none.
    """
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    if not starts:
        return tuple(events)
    since = max(starts)
    return tuple(e for e in events if e.timestamp >= since)


class TrackerCache:
    """Each conversation's latest-session events, valid for one database fingerprint."""

    def __init__(self, max_events: int = DEFAULT_MAX_EVENTS) -> None:
        self.max_events = max_events
        self._entries: OrderedDict[str, tuple[Fingerprint, tuple[Event, ...]]] = OrderedDict()
        self._size = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def events_held(self) -> int:
        """Return how many events are remembered in all."""
        return self._size

    def get(self, sender_id: str, fingerprint: Fingerprint) -> tuple[Event, ...] | None:
        """Return the remembered events if the database still has ``fingerprint``."""
        entry = self._entries.get(sender_id)
        if entry is None:
            return None
        if entry[0] != fingerprint:
            self.forget(sender_id)
            return None
        self._entries.move_to_end(sender_id)
        return entry[1]

    def put(self, sender_id: str, fingerprint: Fingerprint, events: Sequence[Event]) -> None:
        """Remember a conversation's latest-session events as of ``fingerprint``."""
        self.forget(sender_id)
        kept = tuple(events)
        if not kept or len(kept) > self.max_events:
            return  # nothing to remember (Rasa reads no tracker), or too much
        self._entries[sender_id] = (fingerprint, kept)
        self._size += len(kept)
        while self._size > self.max_events:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._size -= len(dropped)

    def forget(self, sender_id: str) -> None:
        """Forget a conversation."""
        entry = self._entries.pop(sender_id, None)
        if entry is not None:
            self._size -= len(entry[1])
