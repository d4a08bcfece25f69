"""The tables behind transcripts: the bot's (read-only) and the console's own.

Read-only, never migrated (:class:`console.readonly.ReadOnlyModel`):

- :class:`RasaEvent`: Rasa's tracker ``events`` table
  (``rasa.core.tracker_store.SQLTrackerStore.SQLEvent``), written by the bot's tracker
  store; each row is one event of a conversation, its JSON in ``data``.
- :class:`PacingPlanRow` and :class:`FlarePlanRow`: the action server's plans store
  (:mod:`actions.pacing.store`), which may not exist yet on a new install.

The console's own, through migrations:

- :class:`Conversation`: one row per conversation, a summary kept so that the list,
  its filters and its text search stay fast with many thousands of conversations.
  Scanning every event on each request is far too slow for that, so
  :func:`console.transcripts.index.refresh_index` folds new ``events`` rows into it,
  by event id, and never writes Rasa's tables. It can be rebuilt from ``events`` at
  any time; nothing else lives in it.
- :class:`ConversationIndexState`: how far the index has read (one row), and the row
  a refresh locks so that two refreshes never count the same event twice.
- :class:`ConversationReview`: a clinician's "reviewed" mark (who, when); kept apart
  from the index so that rebuilding the index never loses one.
- :class:`SavedFilter`: a clinician's own named filter of the conversation list
  (:mod:`console.transcripts.saved_filters`); it names no conversation.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from console.readonly import ReadOnlyModel
from console.transcripts.events import parse_payload


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
        return parse_payload(self.data)


class PacingPlanRow(ReadOnlyModel):
    """A patient's pacing plan for one activity, as the action server saved it."""

    id = models.AutoField(primary_key=True)
    sender_id = models.CharField(max_length=255)
    activity = models.CharField(max_length=64)
    unit = models.CharField(max_length=16)
    good_day = models.FloatField()
    bad_day = models.FloatField()
    increase_pct = models.FloatField()
    goal = models.IntegerField(null=True)
    start = models.IntegerField()
    step = models.IntegerField()
    weeks = models.TextField()
    current_week = models.IntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        """The action server's table: never migrated, never written."""

        managed = False
        db_table = "pacing_plans"
        default_permissions = ()


class FlarePlanRow(ReadOnlyModel):
    """A patient's flare-up plan, each answer in their own words."""

    sender_id = models.CharField(max_length=255, primary_key=True)
    triggers = models.TextField()
    warning_signs = models.TextField()
    helps = models.TextField()
    contacts = models.TextField()
    step_back = models.TextField()
    updated_at = models.DateTimeField()

    class Meta:
        """The action server's table: never migrated, never written."""

        managed = False
        db_table = "flare_up_plans"
        default_permissions = ()


class Conversation(models.Model):
    """The summary of one conversation, folded from its events (see the module docstring).

    ``intents`` holds each intent once between bars (``|greet|ask_pacing|``) and
    ``search_text`` the patient's and the assistant's words, lower-cased, one message
    a line: both are matched with ``LIKE``, fast enough over one row per conversation.
    """

    sender_id = models.CharField(max_length=255, unique=True)
    # The conversation's address in the console (never the sender id, a phone number on SMS).
    key = models.CharField(max_length=32, unique=True)
    channel = models.CharField(max_length=64, blank=True, db_index=True)
    model_id = models.CharField(max_length=255, blank=True)
    first_at = models.DateTimeField(null=True, db_index=True)
    last_at = models.DateTimeField(null=True, db_index=True)
    patient_messages = models.IntegerField(default=0)
    event_count = models.IntegerField(default=0)
    tier_rank = models.SmallIntegerField(default=0, db_index=True)
    fallback = models.BooleanField(default=False, db_index=True)
    intents = models.TextField(blank=True, default="|")
    search_text = models.TextField(blank=True, default="")
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        """The console's index of Rasa's conversations; the takeover's permission."""

        db_table = "console_conversation"
        default_permissions = ()
        permissions = [
            ("take_over_conversation", "Can take over a conversation and write to the patient")
        ]


class ConversationIndexState(models.Model):
    """How far the conversation index has read Rasa's events (a single row)."""

    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    class Meta:
        """The console's table."""

        db_table = "console_conversation_index"
        default_permissions = ()


class ConversationReview(models.Model):
    """A conversation a clinician has marked reviewed: who and when."""

    sender_id = models.CharField(max_length=255, unique=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        """The console's table."""

        db_table = "console_conversation_review"
        default_permissions = ()


class SavedFilter(models.Model):
    """A conversation-list filter a clinician saved under a name, for themself only.

    ``query`` is the list's query string, rebuilt from the valid filters only
    (:func:`console.transcripts.saved_filters.filter_query`), so applying it is a link.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    query = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        """The console's table: a name once per user."""

        db_table = "console_saved_filter"
        default_permissions = ()
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="console_saved_filter_name")
        ]
