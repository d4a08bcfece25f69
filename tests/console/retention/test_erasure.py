"""Erasing one conversation leaves no row naming it in any table, and touches nobody else."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from console.retention.erasure import (
    LegalHoldError,
    OpenCasesError,
    UnknownConversationError,
    count_conversation,
    counts_text,
    erase_conversation,
    erasure_id,
    resolve,
)
from console.retention.stores import STORES
from console.transcripts.index import conversation_key, refresh_index
from console.transcripts.models import Conversation
from tests.console.retention.conftest import OLD, RECENT, rows_naming
from tests.console.transcripts.conftest import user, write_event

PHONE = "+447700900123"
OTHER = "web-5b1e0f"


def test_erasure_leaves_no_row_naming_the_patient_in_any_table(seed):
    erased = seed(PHONE, last=OLD, case="new", message="I wet myself and my legs are numb")
    kept = seed(OTHER, last=OLD, case="new", channel="socketio")
    before = rows_naming(PHONE, erased.message, alert_ids=(erased.alert_id,))
    assert set(before) >= {store.table for store in STORES} - {"console_legal_hold"}
    others = count_conversation(OTHER)

    with transaction.atomic():
        counts = erase_conversation(PHONE, include_open_cases=True)

    assert rows_naming(PHONE, erased.message, "00900123", alert_ids=(erased.alert_id,)) == {}
    assert count_conversation(OTHER) == others
    assert counts["events"] == 3
    assert counts["care_team_outbox"] == counts["console_case_state"] == 1
    assert counts["care_team_realert"] == counts["console_case_transition"] == 1
    for table in (
        "pacing_plans", "flare_up_plans", "exercise_programmes", "exercise_logs",
        "reminder_schedules", "reminder_deliveries", "sms_opt_outs", "sms_offered_buttons",
    ):  # fmt: skip
        assert counts[table] == 1, table
    assert counts["console_conversation"] == counts["console_conversation_review"] == 1
    assert counts["console_review_verdict"] == 1
    assert (counts["console_tag"], counts["console_note"]) == (3, 1)
    assert kept.alert_id is not None


def test_a_conversation_with_an_open_case_is_kept_unless_confirmed(seed):
    seed(PHONE, case="new")
    before = count_conversation(PHONE)
    with pytest.raises(OpenCasesError) as raised:
        erase_conversation(PHONE)
    assert raised.value.open_cases == 1
    assert count_conversation(PHONE) == before


def test_a_held_conversation_is_not_erased_until_the_hold_is_cleared(seed, admin_user):
    from console.retention.models import LegalHold

    seed(PHONE, case="closed")
    LegalHold.objects.create(sender_id=PHONE, by=admin_user)
    before = count_conversation(PHONE)
    assert before["console_legal_hold"] == 1
    with pytest.raises(LegalHoldError):
        erase_conversation(PHONE, include_open_cases=True)
    assert count_conversation(PHONE) == before
    LegalHold.objects.all().delete()
    erase_conversation(PHONE)
    assert not any(count_conversation(PHONE).values())


def test_a_case_raised_after_the_cases_were_checked_is_never_deleted(seed, stores, monkeypatch):
    # The bot commits a new red flag's alert between the eraser's read of the cases and
    # its deletions: only the cases it checked go, so the new alert still reaches the team.
    first = seed(PHONE, case="closed")
    monkeypatch.setattr(
        "console.retention.erasure.alert_ids", lambda sender, tables=None: [first.alert_id]
    )
    late = stores.add(conversation_id=PHONE, message="now I can't pass urine")
    counts = erase_conversation(PHONE)
    assert counts["care_team_outbox"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM care_team_outbox WHERE conversation_id = %s", [PHONE])
        assert [row[0] for row in cursor.fetchall()] == [late]


def test_closed_cases_need_no_confirmation(seed):
    seed(PHONE, case="closed")
    counts = erase_conversation(PHONE)
    assert counts["care_team_outbox"] == 1
    assert not any(count_conversation(PHONE).values())


def test_the_count_is_what_the_erasure_removes(seed):
    seed(PHONE, case="closed")
    counted = count_conversation(PHONE)
    assert erase_conversation(PHONE) == counted
    assert sum(counted.values()) > 10


def test_tables_not_created_yet_are_skipped(outbox):
    # A console that never saw the action server or the SMS channel: only some tables.
    outbox.add(conversation_id=PHONE)
    counts = erase_conversation(PHONE, include_open_cases=True)
    assert counts["care_team_outbox"] == 1
    assert "pacing_plans" not in counts and "events" not in counts


def test_the_index_reads_events_whose_ids_sqlite_hands_out_again(seed):
    # SQLite gives a new row the highest id plus one: erasing the newest events frees
    # their ids, and the index must not skip the next conversation that takes them.
    seed(OTHER, last=OLD)
    seed(PHONE, last=RECENT)
    erase_conversation(PHONE)
    write_event("web-newcomer", user("hello again", at=RECENT.timestamp()))
    refresh_index()
    assert Conversation.objects.filter(sender_id="web-newcomer").exists()
    assert Conversation.objects.get(sender_id=OTHER).event_count == 3


def test_a_conversation_is_named_by_key_pseudonym_or_sender_id(seed):
    seed(PHONE)
    key = conversation_key(PHONE)
    assert resolve(key) == PHONE
    assert resolve(key[:10]) == PHONE  # the pseudonym: P- and eight digits
    assert resolve(PHONE) == PHONE
    other = "P-ffffffffffffffff" if not key.startswith("P-ff") else "P-0000000000000000"
    for unknown in (other, other[:10], "+440000000000", ""):
        with pytest.raises(UnknownConversationError):
            resolve(unknown)


def test_the_audit_text_is_table_names_and_numbers():
    text = counts_text({"events": 3, "care_team_outbox": 1, "sms_opt_outs": 0})
    assert text == "care_team_outbox=1, events=3, sms_opt_outs=0"
    assert erasure_id() != erasure_id()
    assert erasure_id().startswith("E-")


def test_only_the_listed_stores_are_written(seed):
    seed(PHONE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM console_audit_event")
        audit_rows = int(cursor.fetchone()[0])
    erase_conversation(PHONE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM console_audit_event")
        # The caller writes the audit row; the eraser never touches the audit.
        assert int(cursor.fetchone()[0]) == audit_rows
