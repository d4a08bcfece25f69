"""The audit table: one row per event, written once and never changed or deleted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Kind:
    """What happened (plain strings, so that types stay exact)."""

    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED_OUT = "locked_out"
    QUEUE_VIEW = "queue_view"
    CASE_VIEW = "case_view"
    CASE_CHANGE = "case_change"
    TRANSCRIPT_VIEW = "transcript_view"
    CONVERSATION_LIST_VIEW = "conversation_list_view"
    CONVERSATION_REVIEW = "conversation_review"
    AUDIT_VIEW = "audit_view"
    AUDIT_EXPORT = "audit_export"
    CODE_ACCEPTED = "code_accepted"
    CODE_REFUSED = "code_refused"
    CODES_SET_UP = "codes_set_up"
    USERS_VIEW = "users_view"
    USER_CREATED = "user_created"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an audit kind, not a password
    USER_UNLOCKED = "user_unlocked"
    CODES_RESET = "codes_reset"
    SETTINGS_VIEW = "settings_view"
    LEGAL_HOLD = "legal_hold"
    ERASURE = "patient_erasure"
    PURGE = "retention_purge"
    REVIEW_QUEUE_VIEW = "review_queue_view"
    VERDICT = "review_verdict"
    VERDICT_EXPORT = "verdict_export"
    TAKEOVER = "takeover"
    TAKEOVER_MESSAGE = "takeover_message"
    HAND_BACK = "hand_back"
    TAG = "conversation_tag"
    NOTE = "conversation_note"
    SAVED_FILTER = "saved_filter"
    OUTCOMES_VIEW = "outcomes_view"
    LABELS: dict[str, str] = {
        SIGN_IN: "signed in",
        SIGN_OUT: "signed out",
        SIGN_IN_FAILED: "failed sign-in",
        LOCKED_OUT: "locked out",
        QUEUE_VIEW: "viewed the case queue",
        CASE_VIEW: "viewed a case",
        CASE_CHANGE: "changed a case's state",
        TRANSCRIPT_VIEW: "read a conversation",
        CONVERSATION_LIST_VIEW: "listed conversations",
        CONVERSATION_REVIEW: "marked a conversation reviewed or not",
        AUDIT_VIEW: "viewed the audit",
        AUDIT_EXPORT: "exported the audit",
        CODE_ACCEPTED: "gave a correct sign-in code",
        CODE_REFUSED: "gave a wrong sign-in code",
        CODES_SET_UP: "set up sign-in codes",
        USERS_VIEW: "viewed the users",
        USER_CREATED: "created a user",
        USER_DEACTIVATED: "deactivated a user",
        USER_REACTIVATED: "reactivated a user",
        PASSWORD_RESET: "reset a user's password",
        USER_UNLOCKED: "unlocked a user's sign-in",
        CODES_RESET: "reset a user's sign-in codes",
        SETTINGS_VIEW: "viewed the settings",
        LEGAL_HOLD: "set or cleared a legal hold",
        ERASURE: "erased a patient's data",
        PURGE: "purged conversations past retention",
        REVIEW_QUEUE_VIEW: "viewed the review queue",
        VERDICT: "gave or withdrew a review verdict",
        VERDICT_EXPORT: "exported the review verdicts",
        TAKEOVER: "took over a conversation",
        TAKEOVER_MESSAGE: "wrote to a patient",
        HAND_BACK: "handed a conversation back",
        TAG: "added or removed a tag",
        NOTE: "wrote, edited or deleted a private note",
        SAVED_FILTER: "saved or deleted a conversation filter",
        OUTCOMES_VIEW: "viewed a patient's outcomes",
    }
    CHOICES = list(LABELS.items())


class AppendOnlyError(RuntimeError):
    """Raised on an attempt to change or delete an audit row."""


class AuditEvent(models.Model):
    """Who did what, when, and from where.

    ``username`` is kept as typed (a failed sign-in may name nobody), beside the user
    it matched, so the row survives the user's removal.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.CHOICES, db_index=True)
    target = models.CharField(max_length=255, blank=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        """Append-only table, readable by admins (who also read the settings page)."""

        db_table = "console_audit_event"
        ordering = ["-at", "-id"]
        default_permissions = ()
        permissions = [
            ("read_audit", "Can read and export the audit"),
            ("read_settings", "Can read the console's effective settings"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the row; refuse to update one already written."""
        if self.pk is not None:
            raise AppendOnlyError("audit rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse: audit rows are never deleted."""
        raise AppendOnlyError("audit rows are never deleted")
