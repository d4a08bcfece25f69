"""The retention purge: old conversations go everywhere; held, open-case and recent ones stay."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import console.retention.purge as purge_module
from console.audit.models import AuditEvent, Kind
from console.retention.erasure import count_conversation
from console.retention.models import LegalHold
from console.retention.purge import cutoff_for, purge
from tests.console.retention.conftest import NOW, OLD, RECENT, RETENTION_DAYS, rows_naming

OLD_SMS = "+447700900111"
OLD_WEB = "web-old-closed"
OLD_NO_CASE = "web-old-quiet"
HELD = "+447700900222"
OPEN = "web-old-open-case"
FRESH = "+447700900333"
EVERYONE = (OLD_SMS, OLD_WEB, OLD_NO_CASE, HELD, OPEN, FRESH)


@pytest.fixture
def population(seed, admin_user):
    seeded = {
        OLD_SMS: seed(OLD_SMS, last=OLD, case="closed", message="pins and needles in both feet"),
        OLD_WEB: seed(OLD_WEB, last=OLD - timedelta(days=30), case="closed", channel="socketio"),
        OLD_NO_CASE: seed(OLD_NO_CASE, last=OLD, case=None, channel="socketio"),
        HELD: seed(HELD, last=OLD, case="closed"),
        OPEN: seed(OPEN, last=OLD, case="acknowledged", channel="socketio"),
        FRESH: seed(FRESH, last=RECENT, case="closed"),
    }
    LegalHold.objects.create(sender_id=HELD, by=admin_user)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sms_seen_messages (message_sid, seen_at) VALUES (%s, %s), (%s, %s)",
            ["SM-old", OLD.replace(tzinfo=None), "SM-new", RECENT.replace(tzinfo=None)],
        )
    return seeded


def test_purge_removes_old_conversations_everywhere_and_keeps_the_rest(population):
    kept_before = {sender: count_conversation(sender) for sender in (HELD, OPEN, FRESH)}

    report = purge(RETENTION_DAYS, NOW)

    for sender in (OLD_SMS, OLD_WEB, OLD_NO_CASE):
        seeded = population[sender]
        assert rows_naming(sender, seeded.message, alert_ids=(seeded.alert_id,)) == {}, sender
    for sender, counts in kept_before.items():
        assert count_conversation(sender) == counts, sender
    assert report.conversations_removed == 3
    assert (report.kept_legal_hold, report.kept_open_case) == (1, 1)
    # Three events each; two of the three had a (closed) case.
    assert report.removed["events"] == 9
    assert report.removed["care_team_outbox"] == 2
    assert report.removed["care_team_realert"] == 2
    assert report.removed["console_case_state"] == report.removed["console_case_transition"] == 2
    assert report.removed["pacing_plans"] == report.removed["flare_up_plans"] == 3
    assert report.removed["exercise_programmes"] == report.removed["exercise_logs"] == 3
    assert report.removed["start_back_results"] == 3
    assert report.removed["reminder_schedules"] == report.removed["reminder_deliveries"] == 3
    assert report.removed["sms_opt_outs"] == report.removed["sms_pending_pages"] == 3
    assert report.removed["console_conversation"] == 3
    assert report.removed["console_conversation_review"] == 3
    assert report.removed["console_review_verdict"] == 3
    assert (report.removed["console_tag"], report.removed["console_note"]) == (9, 3)
    assert report.removed["console_legal_hold"] == 0
    assert report.removed["sms_seen_messages"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT message_sid FROM sms_seen_messages")
        assert [row[0] for row in cursor.fetchall()] == ["SM-new"]


def test_a_dry_run_removes_nothing_and_reports_what_a_purge_would(population):
    everything = {sender: count_conversation(sender) for sender in EVERYONE}

    dry = purge(RETENTION_DAYS, NOW, dry_run=True)

    assert {sender: count_conversation(sender) for sender in EVERYONE} == everything
    real = purge(RETENTION_DAYS, NOW)
    assert dry.removed == real.removed
    assert (dry.conversations_removed, dry.kept_legal_hold, dry.kept_open_case) == (3, 1, 1)


def test_clearing_the_hold_and_closing_the_case_lets_them_go(population):
    from console.cases.models import CaseState

    LegalHold.objects.filter(sender_id=HELD).delete()
    CaseState.objects.filter(alert_id=population[OPEN].alert_id).update(state="closed")
    report = purge(RETENTION_DAYS, NOW)
    assert report.conversations_removed == 5
    assert not any(count_conversation(HELD).values())
    assert any(count_conversation(FRESH).values())


def test_a_case_nobody_has_touched_is_open(seed):
    seed(OPEN, last=OLD, case="closed")
    from console.cases.models import CaseState

    CaseState.objects.all().delete()  # no state row: the case is new
    assert purge(RETENTION_DAYS, NOW).kept_open_case == 1


def test_a_conversation_that_came_back_since_the_scan_is_kept(population, monkeypatch):
    from tests.console.transcripts.conftest import user, write_event

    # The patient writes again between the scan for old conversations and their erasure.
    scan = purge_module.expired_conversations

    def scan_then_message(cutoff, tables):
        found = scan(cutoff, tables)
        write_event(OLD_SMS, user("I'm back, my back is worse", at=NOW.timestamp()))
        return found

    monkeypatch.setattr("console.retention.purge.expired_conversations", scan_then_message)
    report = purge(RETENTION_DAYS, NOW)
    assert report.conversations_removed == 2
    assert count_conversation(OLD_SMS)["events"] == 4


def test_the_retention_period_must_be_a_day_or_more():
    with pytest.raises(ValueError):
        cutoff_for(0, NOW)
    assert cutoff_for(365, NOW) == NOW - timedelta(days=365)


def test_the_report_counts_and_keeps_no_patient(population):
    text = purge(RETENTION_DAYS, NOW).text()
    assert "conversations removed: 3" in text
    assert "conversations kept: 2 (legal hold: 1, open case: 1)" in text
    assert "  events: 9" in text
    for sender in EVERYONE:
        assert sender not in text


@pytest.fixture
def run(settings, monkeypatch):
    settings.CONSOLE_RETENTION_DAYS = RETENTION_DAYS
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)

    def command(*args):
        out = io.StringIO()
        call_command("purge", *args, stdout=out)
        return out.getvalue()

    return command


def test_the_command_prints_the_report_and_audits_a_real_purge(population, run):
    dry = run("--dry-run")
    assert "dry run: nothing deleted" in dry and "conversations to remove: 3" in dry
    assert not AuditEvent.objects.filter(kind=Kind.PURGE).exists()
    assert any(count_conversation(OLD_SMS).values())

    out = run()
    assert "conversations removed: 3" in out
    audit = AuditEvent.objects.get(kind=Kind.PURGE)
    assert "conversations removed 3" in audit.detail and "events=9" in audit.detail
    row = " ".join(str(getattr(audit, field.attname)) for field in audit._meta.fields)
    for sender in EVERYONE:
        assert sender not in row
        assert population[sender].message not in row
    assert "00900" not in row


def test_the_command_refuses_a_period_under_a_day(stores, run, settings):
    settings.CONSOLE_RETENTION_DAYS = 0
    with pytest.raises(CommandError, match="one day or more"):
        run()
