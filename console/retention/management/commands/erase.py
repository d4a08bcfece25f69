"""``python -m console erase <key, pseudonym or sender id> [--yes] [--include-open-cases]``.

Erases one patient's data from every store (:mod:`console.retention.stores`): tracker
events, plans, cases and their steps, re-alerts, SMS records, the console's index, marks
and hold. Without ``--yes`` it only prints what would go. A conversation with open cases
is refused unless ``--include-open-cases`` is given, and one under a legal hold until
an admin clears the hold on its page. The erasure is audited with an
erasure id and the counts per store, never the patient's id, pseudonym or number.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from console.audit.models import Kind
from console.audit.record import record
from console.retention.erasure import (
    LegalHoldError,
    OpenCasesError,
    UnknownConversationError,
    count_conversation,
    counts_text,
    erase_conversation,
    erasure_id,
    resolve,
)


def _operator() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


class Command(BaseCommand):
    """Erase one patient's data everywhere."""

    help = "Erase one patient's data from every store (audited with counts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the conversation and the confirmations."""
        parser.add_argument("conversation", help="its key (P-...), pseudonym or sender id")
        parser.add_argument("--yes", action="store_true", help="erase (else only count)")
        parser.add_argument(
            "--include-open-cases", action="store_true", help="erase even with open cases"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Count, or erase and audit; print the counts per store."""
        try:
            sender_id = resolve(str(options["conversation"]))
        except UnknownConversationError as error:
            raise CommandError(str(error)) from error
        if not options["yes"]:
            counts = count_conversation(sender_id)
            self.stdout.write(f"would remove (rerun with --yes): {counts_text(counts)}")
            return
        erasure = erasure_id()
        try:
            with transaction.atomic():
                counts = erase_conversation(
                    sender_id, include_open_cases=options["include_open_cases"]
                )
                record(
                    None,
                    Kind.ERASURE,
                    target=f"erasure:{erasure}",
                    detail=counts_text(counts),
                    username=_operator(),
                )
        except OpenCasesError as error:
            raise CommandError(f"{error} (--include-open-cases); nothing was erased") from error
        except LegalHoldError as error:
            raise CommandError(f"{error}; nothing was erased") from error
        self.stdout.write(f"erasure {erasure}: removed {counts_text(counts)}")
