"""``python -m console purge [--dry-run]``: delete conversations past the retention period.

Every conversation whose last event is older than ``BACKCARE_RETENTION_DAYS`` is
deleted from every store (:mod:`console.retention.stores`), except those with an open
case or a legal hold. Prints what it removed, per store, and how many conversations it
kept and why; a real purge (not ``--dry-run``) is audited with the counts only. Run it
daily from cron or a systemd timer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from console.audit.models import Kind
from console.audit.record import record
from console.retention.purge import purge

AUDIT_USERNAME = "purge (command line)"


class Command(BaseCommand):
    """Purge conversations past retention and print the report."""

    help = "Delete conversations whose last event is older than BACKCARE_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take ``--dry-run``."""
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be removed; delete nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Purge (or count), print the report, audit a real purge."""
        try:
            report = purge(
                int(settings.CONSOLE_RETENTION_DAYS), timezone.now(), dry_run=options["dry_run"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not report.dry_run:
            record(
                None,
                Kind.PURGE,
                target="retention",
                detail=report.audit_detail(),
                username=AUDIT_USERNAME,
            )
        self.stdout.write(report.text())
