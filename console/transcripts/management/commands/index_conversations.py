"""``python -m console index_conversations``: bring the conversation index up to date.

The console does this by itself whenever the conversation list is opened; run it once
before the first opening on a database with many conversations, so that nobody waits
for the first build.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from console.transcripts.index import refresh_index


class Command(BaseCommand):
    """Fold Rasa's new events into the conversation index."""

    help = "Fold Rasa's new events into the console's conversation index."

    def handle(self, *args: Any, **options: Any) -> None:
        """Refresh the index and say how many events were folded."""
        folded = refresh_index()
        self.stdout.write(f"conversation index: {folded} new events folded")
