"""Every table that holds a conversation's data, and how its rows name the conversation.

This is the one list the retention purge and a patient's erasure
(:mod:`console.retention.erasure`) both delete from; a new store that keeps anything
per conversation is added here, once. ``tests/console/retention/test_stores.py``
opens every store on an empty database and fails if a table with a linking column
(:data:`LINK_COLUMNS`) is neither listed here nor in :data:`UNLINKED` with a reason.

A row belongs to a conversation in one of three ways (:class:`Link`):

- ``SENDER``: the column holds the conversation's sender id (Rasa's ``sender_id``;
  the outbox calls it ``conversation_id``);
- ``PHONE``: the SMS channel's tables hold the patient's number, which is the sender id
  of an SMS conversation (for a web conversation nothing matches);
- ``ALERT``: the column holds the id of one of the conversation's outbox rows (cases,
  their steps, re-alerts).

What is not in a table is not here: check-ins (PEG scores) and the STarT Back answers
while they are being given are slots, so they live in the tracker's events (a finished
STarT Back's result is in ``start_back_results``); web session ids are signed, not stored;
rate limits and Rasa's lock store are in memory and forget within minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Link(Enum):
    """How a table's rows name their conversation."""

    SENDER = "sender"
    PHONE = "phone"
    ALERT = "alert"


@dataclass(frozen=True)
class Store:
    """One table holding conversations' data.

    Attributes:
        table: the table's name.
        column: the column naming the conversation (see :class:`Link`).
        link: what the column holds.
        owner: the module that creates and writes the table.
        by_id: delete the rows whose ``id`` was read first rather than every row the
            column matches: the outbox, so that a case raised while a conversation is
            erased (after its cases were checked) is never lost.
    """

    table: str
    column: str
    link: Link
    owner: str
    by_id: bool = False


# In deleting order: rows that hang off an outbox id go before the outbox rows.
STORES: tuple[Store, ...] = (
    Store("care_team_realert", "alert_id", Link.ALERT, "bot.alerts.overdue"),
    Store("console_case_transition", "alert_id", Link.ALERT, "console.cases"),
    Store("console_case_state", "alert_id", Link.ALERT, "console.cases"),
    Store("care_team_outbox", "conversation_id", Link.SENDER, "bot.alerts.outbox", by_id=True),
    Store("events", "sender_id", Link.SENDER, "rasa (bot.runtime.tracker_store)"),
    Store("pacing_plans", "sender_id", Link.SENDER, "actions.pacing.store"),
    Store("flare_up_plans", "sender_id", Link.SENDER, "actions.pacing.store"),
    Store("exercise_programmes", "sender_id", Link.SENDER, "actions.exercises.store"),
    Store("exercise_logs", "sender_id", Link.SENDER, "actions.exercises.store"),
    Store("start_back_results", "sender_id", Link.SENDER, "actions.start_back.store"),
    Store("reminder_schedules", "sender_id", Link.SENDER, "bot.reminders.store"),
    Store("reminder_deliveries", "sender_id", Link.SENDER, "bot.reminders.store"),
    Store("sms_opt_outs", "phone", Link.PHONE, "bot.channels.sms.store"),
    Store("sms_offered_buttons", "phone", Link.PHONE, "bot.channels.sms.store"),
    Store("sms_pending_pages", "phone", Link.PHONE, "bot.channels.sms.store"),
    Store("console_conversation", "sender_id", Link.SENDER, "console.transcripts"),
    Store("console_conversation_review", "sender_id", Link.SENDER, "console.transcripts"),
    Store("console_legal_hold", "sender_id", Link.SENDER, "console.retention"),
    Store("console_review_verdict", "sender_id", Link.SENDER, "console.review"),
    Store("console_tag", "sender_id", Link.SENDER, "console.annotations"),
    Store("console_note", "sender_id", Link.SENDER, "console.annotations"),
)

# Column names that tie a row to a conversation: a table with one must be covered.
LINK_COLUMNS = frozenset({"sender_id", "conversation_id", "phone", "alert_id"})

# Tables with personal or conversation data that cannot be tied to one conversation.
UNLINKED: dict[str, str] = {
    "sms_seen_messages": "Twilio's message ids only; the purge deletes those past retention",
    "console_saved_filter": "a clinician's own list filters (a tag or words searched for), "
    "naming no conversation; deleted by their owner",
}

OUTBOX = "care_team_outbox"
CASE_STATE = "console_case_state"
EVENTS = "events"
INDEX_STATE = "console_conversation_index"
LEGAL_HOLD = "console_legal_hold"
SEEN_MESSAGES = "sms_seen_messages"


def store_names() -> list[str]:
    """Return the tables in deleting order (the report's order)."""
    return [store.table for store in STORES]
