"""The outbox as the console sees it (read-only), and the console's own case tables.

``OutboxAlert`` maps the bot's ``care_team_outbox`` (defined in
:mod:`bot.alerts.outbox`, created and written by the bot) without managing it: no
migration creates or alters it, and the model refuses to save or delete. A case's state
lives in ``console_case_state`` (one row per alert once somebody acts on it; no row
means "new") and every step in ``console_case_transition``. ``RealertRecord`` maps the
delivery worker's ``care_team_realert`` (re-alerts of overdue cases), also read-only.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from console.readonly import ReadOnlyModel


class State:
    """Where a case is, in order (plain strings, so that types stay exact)."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    CONTACTED = "contacted"
    CLOSED = "closed"
    LABELS: dict[str, str] = {
        NEW: "new",
        ACKNOWLEDGED: "acknowledged",
        CONTACTED: "patient contacted",
        CLOSED: "closed",
    }
    CHOICES = list(LABELS.items())


class OutboxAlert(ReadOnlyModel):
    """One row of the bot's care-team outbox: a red-flag alert or a call-back request."""

    id = models.AutoField(primary_key=True)
    kind = models.CharField(max_length=32)
    priority = models.IntegerField()
    conversation_id = models.CharField(max_length=255)
    channel = models.CharField(max_length=64)
    tier = models.CharField(max_length=16)
    flag_ids = models.TextField()
    message = models.TextField()
    question = models.TextField(null=True)
    # Names the message that raised the alert (see bot.runtime.alerts): provenance.
    alert_key = models.CharField(max_length=64, null=True)
    created_at = models.DateTimeField()

    class Meta:
        """The bot's table: never migrated, never written."""

        managed = False
        db_table = "care_team_outbox"
        default_permissions = ()

    @property
    def flags(self) -> list[str]:
        """Return the red-flag ids (stored as a JSON list)."""
        try:
            value = json.loads(self.flag_ids or "[]")
        except ValueError:
            return []
        return [str(flag) for flag in value] if isinstance(value, list) else []


class RealertRecord(ReadOnlyModel):
    """One re-alert of an overdue case, sent (or being sent) by the delivery worker.

    The worker's table ``care_team_realert`` (:mod:`bot.alerts.overdue`): read here,
    never written; absent until the worker has run once.
    """

    id = models.AutoField(primary_key=True)
    alert_id = models.IntegerField()
    period = models.IntegerField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        """The worker's table: never migrated, never written."""

        managed = False
        db_table = "care_team_realert"
        default_permissions = ()
        ordering = ["period", "id"]


class CaseState(models.Model):
    """The current state of one case (an outbox alert)."""

    alert_id = models.IntegerField(unique=True)
    state = models.CharField(max_length=16, choices=State.CHOICES, default=State.NEW)
    outcome = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        """The console's table; its permission is the clinician's."""

        db_table = "console_case_state"
        default_permissions = ()
        permissions = [("work_cases", "Can see the case queue and move cases on")]


class CaseTransition(models.Model):
    """One step of a case: who moved it, from what to what, when, with what note."""

    alert_id = models.IntegerField(db_index=True)
    from_state = models.CharField(max_length=16, choices=State.CHOICES)
    to_state = models.CharField(max_length=16, choices=State.CHOICES)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        """The console's table, oldest step first."""

        db_table = "console_case_transition"
        ordering = ["at", "id"]
        default_permissions = ()
