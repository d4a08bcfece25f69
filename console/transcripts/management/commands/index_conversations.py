"""``python -m console index_conversations [--rebuild]``: bring the conversation index up to date.

The console does this by itself whenever the conversation list is opened; run it once
before the first opening on a database with many conversations, so that nobody waits
for the first build. ``--rebuild`` empties the index and folds every event again, e.g.
after the console's secret key changed (conversation keys are made with it); reviewed
marks are kept apart and survive.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from console.transcripts.index import STATE_ID, refresh_index
from console.transcripts.models import Conversation, ConversationIndexState


class Command(BaseCommand):
    """Fold Rasa's new events into the conversation index."""

    help = "Fold Rasa's new events into the console's conversation index."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take ``--rebuild``."""
        parser.add_argument(
            "--rebuild", action="store_true", help="empty the index and fold every event again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Refresh (or rebuild) the index and say how many events were folded."""
        if options["rebuild"]:
            with transaction.atomic():
                ConversationIndexState.objects.update_or_create(
                    pk=STATE_ID, defaults={"last_event_id": 0}
                )
                Conversation.objects.all().delete()
        folded = refresh_index()
        self.stdout.write(f"conversation index: {folded} new events folded")
