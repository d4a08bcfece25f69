"""The console's tables for clinicians' tags and private notes on conversations.

Both are keyed by the conversation's sender id, like every console table that holds
something about a patient, so that the retention purge and a patient's erasure delete
them with the rest (:mod:`console.retention.stores`). Neither is ever shown to a patient
or sent anywhere: the console is the only reader.

- :class:`Tag`: one tag on a conversation (``event_id`` empty) or on one of its messages
  (``event_id``: the message's id in Rasa's ``events``). The text is normalised before it
  is stored (:func:`console.annotations.tags.normalise_tag`); each tag is on a
  conversation, or on a message, at most once.
- :class:`Note`: a private note by one clinician; only its author edits or deletes it.

The model :class:`Note` carries the permission to change either (clinicians and admins,
:mod:`console.accounts.roles`); reading them needs only the permission to read
conversations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

TAG_MAX_CHARS = 40
NOTE_MAX_CHARS = 2000


class Tag(models.Model):
    """A tag on a conversation (no ``event_id``) or on one of its messages."""

    sender_id = models.CharField(max_length=255)
    event_id = models.BigIntegerField(null=True, blank=True)
    tag = models.CharField(max_length=TAG_MAX_CHARS, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        """The console's table: a tag at most once on a conversation and on a message."""

        db_table = "console_tag"
        default_permissions = ()
        ordering = ["tag", "id"]
        indexes = [models.Index(fields=["sender_id", "event_id"], name="console_tag_place")]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_id", "tag"],
                condition=models.Q(event_id__isnull=True),
                name="console_tag_once_on_conversation",
            ),
            models.UniqueConstraint(
                fields=["sender_id", "event_id", "tag"],
                condition=models.Q(event_id__isnull=False),
                name="console_tag_once_on_message",
            ),
        ]

    @property
    def on_message(self) -> bool:
        """Say whether the tag is on one message rather than the conversation."""
        return self.event_id is not None


class Note(models.Model):
    """A clinician's private note on a conversation; ``edited_at`` is set by each edit."""

    sender_id = models.CharField(max_length=255, db_index=True)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        """The console's table; its permission lets a role tag, note and mark reviewed."""

        db_table = "console_note"
        default_permissions = ()
        ordering = ["at", "id"]
        permissions = [
            (
                "annotate_conversations",
                "Can tag conversations and messages, write notes and mark reviewed",
            )
        ]
