"""Keep the conversation index (``console_conversation``) up to date with Rasa's events.

Reading every event of every conversation on each request is far too slow for a list
of thousands of conversations, so the console keeps one summary row per conversation
(:class:`console.transcripts.models.Conversation`) and folds new ``events`` rows into
it by event id. Rasa's tables are only read. The list and the transcript views call
:func:`refresh_index` before they read the index; it costs one indexed ``MAX(id)``
query when nothing is new. ``python -m console index_conversations`` does the same
from the command line, e.g. to build the index of a large database before opening the
console for the first time::

    refresh_index()                  # fold everything new; returns how many events
    conversation_key("+447700900123")  # "P-" and 16 hex digits: the conversation's address

Two refreshes never fold the same event twice: each batch first writes the single
state row (a write lock on SQLite, a row lock on PostgreSQL), then reads how far the
index has got. On PostgreSQL an event can commit after one with a higher id, so each
refresh reads the last :data:`OVERLAP` ids again and skips, per conversation, what is
already folded (a conversation's own events are written in order).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone

from console.transcripts.models import Conversation, ConversationIndexState, RasaEvent
from console.transcripts.summary import Summary, intents_field, intents_from

logger = logging.getLogger(__name__)

BATCH = 5000
OVERLAP = 500
STATE_ID = 1
# SQLite allows a limited number of parameters in one query.
_IN_CHUNK = 500
_UPDATED_FIELDS = (
    "channel",
    "model_id",
    "first_at",
    "last_at",
    "patient_messages",
    "event_count",
    "tier_rank",
    "fallback",
    "intents",
    "search_text",
    "last_event_id",
)


def conversation_key(sender_id: str) -> str:
    """Return the conversation's address in the console: ``P-`` and 16 hex digits.

    A keyed hash of the sender id (with the console's secret key), so the address
    names no phone number; its first eight digits are the patient's pseudonym
    (:func:`console.cases.masking.pseudonym`).
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), sender_id.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return "P-" + digest[:16]


def refresh_index(batch: int = BATCH) -> int:
    """Fold the events not yet in the index into it; return how many were folded.

    A database error (Rasa's ``events`` table not created yet, a lock held too long)
    is logged and leaves the index as it was: the list is then a little behind.
    """
    try:
        with transaction.atomic():
            newest = RasaEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
            state, _ = ConversationIndexState.objects.get_or_create(pk=STATE_ID)
        if newest <= state.last_event_id:
            return 0
        folded = 0
        overlap = OVERLAP
        while True:
            with transaction.atomic():
                # Write first: the lock is taken before anything is read.
                ConversationIndexState.objects.filter(pk=STATE_ID).update(
                    refreshed_at=timezone.now()
                )
                state = ConversationIndexState.objects.get(pk=STATE_ID)
                count, more = _fold_batch(state, max(0, state.last_event_id - overlap), batch)
            folded += count
            overlap = 0
            if not more:
                return folded
    except DatabaseError:
        logger.warning("the conversation index could not be refreshed", exc_info=True)
        return 0


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _fold_batch(state: ConversationIndexState, after: int, batch: int) -> tuple[int, bool]:
    """Fold up to ``batch`` events with ids above ``after``; say whether more may follow."""
    rows = list(
        RasaEvent.objects.filter(id__gt=after)
        .order_by("id")
        .values_list("id", "sender_id", "type_name", "timestamp", "data", "action_name")[:batch]
    )
    if not rows:
        return 0, False
    senders = sorted({row[1] for row in rows})
    known: dict[str, Conversation] = {}
    for chunk in _chunks(senders, _IN_CHUNK):
        known.update(
            (conversation.sender_id, conversation)
            for conversation in Conversation.objects.filter(sender_id__in=chunk)
        )
    summaries: dict[str, Summary] = {}
    folded = 0
    for event_id, sender_id, type_name, timestamp, data, action_name in rows:
        summary = summaries.get(sender_id)
        if summary is None:
            summary = _summary_of(known.get(sender_id))
            summaries[sender_id] = summary
        if event_id <= summary.last_event_id:
            continue
        summary.fold(event_id, type_name, timestamp, data, action_name)
        folded += 1
    new, changed = [], []
    for sender_id, summary in summaries.items():
        row = known.get(sender_id)
        if row is None:
            new.append(_write(Conversation(sender_id=sender_id, search_text=""), summary))
        elif summary.last_event_id > row.last_event_id:
            changed.append(_write(row, summary))
    Conversation.objects.bulk_create(new, batch_size=500)
    Conversation.objects.bulk_update(changed, _UPDATED_FIELDS, batch_size=200)
    state.last_event_id = max(state.last_event_id, rows[-1][0])
    state.save(update_fields=["last_event_id", "refreshed_at"])
    return folded, len(rows) == batch


def _summary_of(row: Conversation | None) -> Summary:
    if row is None:
        return Summary()
    return Summary(
        channel=row.channel,
        model_id=row.model_id,
        first_at=row.first_at,
        last_at=row.last_at,
        patient_messages=row.patient_messages,
        event_count=row.event_count,
        tier_rank=row.tier_rank,
        fallback=row.fallback,
        intents=intents_from(row.intents),
        last_event_id=row.last_event_id,
    )


def _write(row: Conversation, summary: Summary) -> Conversation:
    if not row.key:
        row.key = conversation_key(row.sender_id)
    row.channel = summary.channel
    row.model_id = summary.model_id[:255]
    row.first_at = summary.first_at
    row.last_at = summary.last_at
    row.patient_messages = summary.patient_messages
    row.event_count = summary.event_count
    row.tier_rank = summary.tier_rank
    row.fallback = summary.fallback
    row.intents = intents_field(summary.intents)
    if summary.new_text:
        row.search_text = "\n".join(filter(None, [row.search_text, *summary.new_text]))
    row.last_event_id = summary.last_event_id
    return row
