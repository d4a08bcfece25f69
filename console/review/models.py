"""A clinician's verdict on one patient message: a missed red flag or a false alarm.

One row per judged message, keyed by the conversation's sender id (so that the
retention purge and a patient's erasure delete it with the rest, see
:mod:`console.retention.stores`) and the message's event id in Rasa's ``events``. The
message's words, time and model are copied in when the verdict is given: the export
(:mod:`console.review.export`) writes the text exactly as the patient wrote it, and the
counts per model version (:mod:`console.review.verdicts`) need the model that read it.
Withdrawing a verdict deletes its row; the audit keeps both steps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class VerdictKind:
    """What the clinician says of the message (plain strings, so that types stay exact)."""

    MISSED = "missed"
    FALSE_ALARM = "false_alarm"
    LABELS: dict[str, str] = {
        MISSED: "should have escalated",
        FALSE_ALARM: "should not have escalated",
    }
    CHOICES = list(LABELS.items())


class Verdict(models.Model):
    """A clinician's verdict on one patient message (see the module docstring)."""

    sender_id = models.CharField(max_length=255, db_index=True)
    event_id = models.BigIntegerField()
    kind = models.CharField(max_length=16, choices=VerdictKind.CHOICES)
    # The tier it should have reached (emergency, urgent, soon), "none" for a false alarm.
    tier = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    text = models.TextField()
    model_id = models.CharField(max_length=255, blank=True)
    message_at = models.DateTimeField(null=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        """The console's table: one verdict per message."""

        db_table = "console_review_verdict"
        default_permissions = ()
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_id", "event_id"], name="console_review_verdict_one_per_message"
            )
        ]
