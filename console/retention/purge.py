"""The retention purge: delete every conversation whose last event is older than the period.

A conversation is kept, whatever its age, while it has an open case (an outbox row whose
case is not closed) or a legal hold (:class:`console.retention.models.LegalHold`). The
rest are erased from every store (:func:`console.retention.erasure.erase_conversation`),
each conversation in its own transaction, and Twilio message ids older than the period
go too. ``python -m console purge [--dry-run]`` runs it and prints the report::

    report = purge(retention_days=2920, now=timezone.now(), dry_run=True)
    print(report.text())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from django.db import connection, transaction

from console.retention.erasure import (
    LegalHoldError,
    add_counts,
    alert_ids,
    count_conversation,
    counts_text,
    erase_conversation,
    open_case_count,
    present_tables,
    statement,
)
from console.retention.models import LegalHold
from console.retention.stores import EVENTS, SEEN_MESSAGES, STORES


@dataclass
class PurgeReport:
    """What a purge removed (or would remove, in a dry run) and what it kept, and why.

    Attributes:
        cutoff: conversations whose last event is before this are past retention.
        removed: rows removed per store.
        conversations_removed: conversations past retention and removed.
        kept_legal_hold: past retention, kept for a legal hold.
        kept_open_case: past retention, kept for an open case (and no hold).
        dry_run: nothing was deleted; the counts say what would be.
    """

    cutoff: datetime
    dry_run: bool
    removed: dict[str, int] = field(default_factory=dict)
    conversations_removed: int = 0
    kept_legal_hold: int = 0
    kept_open_case: int = 0

    def text(self) -> str:
        """Return the report as printed by the command (counts only, no patient)."""
        verb = "to remove" if self.dry_run else "removed"
        lines = [
            f"retention purge{' (dry run: nothing deleted)' if self.dry_run else ''}: "
            f"conversations whose last event is before {self.cutoff.isoformat()}",
            f"conversations {verb}: {self.conversations_removed}",
            f"conversations kept: {self.kept_legal_hold + self.kept_open_case} "
            f"(legal hold: {self.kept_legal_hold}, open case: {self.kept_open_case})",
            f"rows {verb}, per store:",
        ]
        lines += [f"  {table}: {count}" for table, count in self.removed.items()]
        return "\n".join(lines)

    def audit_detail(self) -> str:
        """Return the audit row's text: counts only."""
        return (
            f"cutoff {self.cutoff.isoformat()}; conversations removed "
            f"{self.conversations_removed}; kept for legal hold {self.kept_legal_hold}, "
            f"for open case {self.kept_open_case}; rows: {counts_text(self.removed)}"
        )


def cutoff_for(retention_days: int, now: datetime) -> datetime:
    """Return the moment before which a conversation's last event is past retention.

    Raises:
        ValueError: ``retention_days`` is below one (a purge would delete everything).
    """
    if retention_days < 1:
        raise ValueError(f"the retention period must be one day or more, not {retention_days}")
    return now - timedelta(days=retention_days)


def expired_conversations(cutoff: datetime, tables: set[str]) -> list[str]:
    """Return the sender ids whose last event is before ``cutoff``, oldest first."""
    if EVENTS not in tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            statement(
                "SELECT sender_id",
                EVENTS,
                "GROUP BY sender_id HAVING MAX(timestamp) < %s ORDER BY MAX(timestamp)",
            ),
            [cutoff.timestamp()],
        )
        return [str(row[0]) for row in cursor.fetchall()]


def still_expired(sender_id: str, cutoff: datetime) -> bool:
    """Return whether the conversation's last event is still before ``cutoff``."""
    with connection.cursor() as cursor:
        cursor.execute(
            statement("SELECT MAX(timestamp)", EVENTS, "WHERE sender_id = %s"), [sender_id]
        )
        last = cursor.fetchone()[0]
    return last is not None and float(last) < cutoff.timestamp()


def _old_seen_messages(cutoff: datetime, tables: set[str], delete: bool) -> int:
    """Count or delete the Twilio message ids first seen before ``cutoff``."""
    if SEEN_MESSAGES not in tables:
        return 0
    # The SMS store writes naive UTC times.
    naive = cutoff.astimezone(timezone.utc).replace(tzinfo=None)
    with connection.cursor() as cursor:
        if delete:
            cursor.execute(statement("DELETE", SEEN_MESSAGES, "WHERE seen_at < %s"), [naive])
            return max(int(cursor.rowcount), 0)
        cursor.execute(statement("SELECT COUNT(*)", SEEN_MESSAGES, "WHERE seen_at < %s"), [naive])
        return int(cursor.fetchone()[0])


def purge(retention_days: int, now: datetime, dry_run: bool = False) -> PurgeReport:
    """Delete (or, in a dry run, count) every conversation past retention but the kept ones.

    Raises:
        ValueError: ``retention_days`` is below one.
    """
    report = PurgeReport(cutoff=cutoff_for(retention_days, now), dry_run=dry_run)
    tables = present_tables()
    report.removed = {store.table: 0 for store in STORES if store.table in tables}
    for sender_id in expired_conversations(report.cutoff, tables):
        with transaction.atomic():
            # Asked again inside the transaction: a message or a hold of a moment ago counts.
            if not still_expired(sender_id, report.cutoff):
                continue
            if LegalHold.objects.filter(sender_id=sender_id).exists():
                report.kept_legal_hold += 1
                continue
            if open_case_count(alert_ids(sender_id, tables), tables):
                report.kept_open_case += 1
                continue
            if dry_run:
                counts = count_conversation(sender_id, tables)
            else:
                try:
                    counts = erase_conversation(sender_id, tables=tables)
                except LegalHoldError:  # set since the check above
                    report.kept_legal_hold += 1
                    continue
        add_counts(report.removed, counts)
        report.conversations_removed += 1
    with transaction.atomic():
        seen = _old_seen_messages(report.cutoff, tables, delete=not dry_run)
    if SEEN_MESSAGES in tables:
        report.removed[SEEN_MESSAGES] = seen
    return report
