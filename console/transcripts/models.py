"""Rasa's tracker ``events`` table as the console sees it: read-only, never migrated.

The table is Rasa's (``rasa.core.tracker_store.SQLTrackerStore.SQLEvent``), written by
the bot's tracker store; each row is one event of a conversation, its JSON in ``data``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from console.readonly import ReadOnlyModel


class RasaEvent(ReadOnlyModel):
    """One stored tracker event."""

    id = models.AutoField(primary_key=True)
    sender_id = models.CharField(max_length=255)
    type_name = models.CharField(max_length=255)
    timestamp = models.FloatField(null=True)
    intent_name = models.CharField(max_length=255, null=True)
    action_name = models.CharField(max_length=255, null=True)
    data = models.TextField(null=True)

    class Meta:
        """Rasa's table: never migrated, never written."""

        managed = False
        db_table = "events"
        default_permissions = ()

    @property
    def payload(self) -> dict[str, Any]:
        """Return the event's JSON (empty when unreadable)."""
        try:
            value = json.loads(self.data or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
