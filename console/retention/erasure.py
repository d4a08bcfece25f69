"""Delete one conversation's data from every store, and say how many rows each lost.

Used by the retention purge (:mod:`console.retention.purge`), the admins' erasure page
and ``python -m console erase``. The stores are the ones listed in
:mod:`console.retention.stores`; tables not created yet on this database are skipped.
All of one conversation's rows go in one transaction, with the audit row the caller
writes in it, so an erasure and its record commit together::

    with transaction.atomic():
        counts = erase_conversation(sender_id, include_open_cases=True)
        record(request, Kind.ERASURE, target=f"erasure:{erasure_id()}",
               detail=counts_text(counts))

``count_conversation`` answers the same question without deleting (dry runs and the
confirmation page). The audit text (:func:`counts_text`) holds table names and numbers
only: never the sender id, the pseudonym, a phone number or a message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from console.retention.stores import (
    CASE_STATE,
    EVENTS,
    INDEX_STATE,
    LEGAL_HOLD,
    OUTBOX,
    STORES,
    Link,
    Store,
)

CLOSED = "closed"  # console.cases.models.State.CLOSED, without importing the app's models
# SQLite allows a limited number of parameters in one query.
_CHUNK = 500


class LegalHoldError(RuntimeError):
    """Raised when a conversation under a legal hold is erased: the hold is cleared first."""


class OpenCasesError(RuntimeError):
    """Raised when a conversation with open cases is erased without saying so."""

    def __init__(self, open_cases: int) -> None:
        super().__init__(f"{open_cases} open case(s): confirm to erase them too")
        self.open_cases = open_cases


def erasure_id() -> str:
    """Return a new erasure's id (random: it names the erasure, never the patient)."""
    return "E-" + uuid.uuid4().hex[:16]


def present_tables() -> set[str]:
    """Return the names of the tables that exist in the database."""
    return set(connection.introspection.table_names())


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def statement(verb: str, table: str, rest: str = "") -> str:
    """Return ``<verb> FROM <table> <rest>`` with the table's name quoted.

    Table and column names come from :mod:`console.retention.stores` (fixed in code);
    every value is a query parameter.
    """
    return f"{verb} FROM {_quote(table)} {rest}".strip()


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def alert_ids(sender_id: str, tables: set[str] | None = None) -> list[int]:
    """Return the ids of the conversation's outbox rows (its cases)."""
    if OUTBOX not in (present_tables() if tables is None else tables):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            statement("SELECT id", OUTBOX, "WHERE conversation_id = %s ORDER BY id"), [sender_id]
        )
        return [int(row[0]) for row in cursor.fetchall()]


def open_case_count(ids: Sequence[int], tables: set[str] | None = None) -> int:
    """Return how many of the outbox rows ``ids`` are open cases (not closed).

    A case with no state row is new, so open; without the console's case table every
    case is open.
    """
    if not ids:
        return 0
    if CASE_STATE not in (present_tables() if tables is None else tables):
        return len(ids)
    closed = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                statement(
                    "SELECT COUNT(*)", CASE_STATE, f"WHERE state = %s AND alert_id IN ({marks})"
                ),
                [CLOSED, *chunk],
            )
            closed += int(cursor.fetchone()[0])
    return len(ids) - closed


def is_held(sender_id: str, tables: set[str] | None = None) -> bool:
    """Return whether the conversation is under a legal hold."""
    if LEGAL_HOLD not in (present_tables() if tables is None else tables):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            statement("SELECT COUNT(*)", LEGAL_HOLD, "WHERE sender_id = %s"), [sender_id]
        )
        return bool(cursor.fetchone()[0])


def _rows(cursor: Any, verb: str, store: Store, values: Sequence[Any], column: str = "") -> int:
    """Count (``SELECT COUNT(*)``) or delete (``DELETE``) ``store``'s rows among ``values``."""
    if not values:
        return 0
    marks = ", ".join(["%s"] * len(values))
    where = f"WHERE {_quote(column or store.column)} IN ({marks})"
    if verb == "count":
        cursor.execute(statement("SELECT COUNT(*)", store.table, where), list(values))
        return int(cursor.fetchone()[0])
    cursor.execute(statement("DELETE", store.table, where), list(values))
    return max(int(cursor.rowcount), 0)


def _visit(sender_id: str, verb: str, tables: set[str]) -> dict[str, int]:
    ids = alert_ids(sender_id, tables)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for store in STORES:
            if store.table not in tables:
                continue
            if store.link is Link.ALERT or store.by_id:
                column = "id" if store.by_id else store.column
                counts[store.table] = sum(
                    _rows(cursor, verb, store, chunk, column) for chunk in _chunks(ids)
                )
            else:
                counts[store.table] = _rows(cursor, verb, store, [sender_id])
    return counts


def count_conversation(sender_id: str, tables: set[str] | None = None) -> dict[str, int]:
    """Return, per store, how many rows the conversation has (nothing is deleted)."""
    return _visit(sender_id, "count", present_tables() if tables is None else tables)


def erase_conversation(
    sender_id: str, include_open_cases: bool = False, tables: set[str] | None = None
) -> dict[str, int]:
    """Delete the conversation's rows from every store; return how many each lost.

    Call it inside ``transaction.atomic()`` so that the deletions (and the caller's
    audit row) commit together.

    A legal hold wins over an erasure: an admin clears the hold first (audited), so
    that a hold is never lifted as a side effect.

    Raises:
        LegalHoldError: the conversation is under a legal hold; nothing is deleted.
        OpenCasesError: the conversation has open cases and ``include_open_cases`` is
            false; nothing is deleted.
    """
    present = present_tables() if tables is None else tables
    if is_held(sender_id, present):
        raise LegalHoldError("the conversation is under a legal hold: clear the hold first")
    open_cases = open_case_count(alert_ids(sender_id, present), present)
    if open_cases and not include_open_cases:
        raise OpenCasesError(open_cases)
    counts = _visit(sender_id, "delete", present)
    if counts.get(EVENTS):
        lower_index_mark(present)
    return counts


def lower_index_mark(tables: set[str] | None = None) -> None:
    """Bring the conversation index's read mark down to the newest event left.

    SQLite gives a new row the highest id in the table plus one, so once the newest
    events are deleted their ids are used again; an index mark above them would skip
    the new events. Read again from the newest event left (each conversation skips what
    it already folded, so nothing is counted twice).
    """
    present = present_tables() if tables is None else tables
    if INDEX_STATE not in present or EVENTS not in present:
        return
    with connection.cursor() as cursor:
        cursor.execute(statement("SELECT COALESCE(MAX(id), 0)", EVENTS))
        newest = int(cursor.fetchone()[0])
        cursor.execute(
            f"UPDATE {_quote(INDEX_STATE)} SET last_event_id = %s "  # noqa: S608 - fixed name
            "WHERE last_event_id > %s",
            [newest, newest],
        )


def add_counts(total: dict[str, int], counts: dict[str, int]) -> None:
    """Add ``counts`` into ``total``, store by store."""
    for table, count in counts.items():
        total[table] = total.get(table, 0) + count


def counts_text(counts: dict[str, int]) -> str:
    """Return the counts as ``table=n`` pairs in the stores' order (no personal data)."""
    order = [store.table for store in STORES]
    names = sorted(counts, key=lambda name: order.index(name) if name in order else len(order))
    return ", ".join(f"{name}={counts[name]}" for name in names)


_KEY = re.compile(r"^P-[0-9a-f]{16}$")
_PSEUDONYM = re.compile(r"^P-[0-9a-f]{8}$")


class UnknownConversationError(LookupError):
    """Raised when an identifier names no conversation, or more than one."""


def resolve(identifier: str) -> str:
    """Return the sender id named by a conversation key, a pseudonym or a sender id.

    ``P-`` and 16 hex digits is a conversation's key in the console, ``P-`` and 8 its
    pseudonym (the key's first eight digits); anything else is taken as the sender id
    itself and must have rows in some store.

    Raises:
        UnknownConversationError: nothing matches, or a pseudonym matches several.
    """
    from console.transcripts.index import refresh_index
    from console.transcripts.models import Conversation

    value = identifier.strip()
    if _KEY.match(value) or _PSEUDONYM.match(value):
        refresh_index()
        rows = list(
            Conversation.objects.filter(key__startswith=value).values_list("sender_id", flat=True)
        )
        if len(rows) > 1:
            raise UnknownConversationError(f"{value} matches {len(rows)} conversations")
        if rows:
            return str(rows[0])
        raise UnknownConversationError(f"no conversation has the key or pseudonym {value}")
    if value and any(count_conversation(value).values()):
        return value
    raise UnknownConversationError("no conversation has that id")
