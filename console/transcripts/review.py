"""The "reviewed" mark on a conversation: set by a clinician, taken off again.

One mark per conversation, naming who set it and when; the audit keeps every change
(:data:`console.audit.models.Kind.CONVERSATION_REVIEW`, written by the view)::

    mark_reviewed(sender_id, user)   # True: newly marked; False: it already was
    unmark_reviewed(sender_id)       # True: the mark was there and is gone
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from console.transcripts.models import ConversationReview


def review_of(sender_id: str) -> ConversationReview | None:
    """Return the conversation's mark, or None when it is not marked reviewed."""
    review: ConversationReview | None = (
        ConversationReview.objects.filter(sender_id=sender_id).select_related("by").first()
    )
    return review


def mark_reviewed(sender_id: str, user: Any) -> bool:
    """Mark the conversation reviewed by ``user``; return False when it already was."""
    try:
        with transaction.atomic():
            ConversationReview.objects.create(sender_id=sender_id, by=user)
    except IntegrityError:
        # Somebody marked it first: their mark stands.
        return False
    return True


def unmark_reviewed(sender_id: str) -> bool:
    """Take the mark off; return False when there was none."""
    deleted, _ = ConversationReview.objects.filter(sender_id=sender_id).delete()
    return bool(deleted)
