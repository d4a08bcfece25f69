from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy

from bot.alerts.outbox import (
    PRIORITY_CALLBACK,
    PRIORITY_EMERGENCY,
    STATUS_DELIVERED,
    STATUS_PENDING,
    AlertDraft,
    Outbox,
    backoff,
    retry_after,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def draft(kind="red_flag", priority=PRIORITY_EMERGENCY, message="I wet myself"):
    return AlertDraft(
        kind=kind,
        conversation_id="c1",
        channel="rest",
        tier="emergency" if kind == "red_flag" else "none",
        flag_ids=["cauda_equina_bladder"] if kind == "red_flag" else [],
        message=message,
        priority=priority,
    )


@pytest.fixture
def outbox(tmp_path):
    return Outbox.from_url(f"sqlite:///{tmp_path / 'outbox.db'}")


def test_alert_is_recorded_with_all_fields(outbox):
    alert_id = outbox.add(draft(), now=T0)
    [alert] = outbox.all()
    assert alert.id == alert_id
    assert (alert.conversation_id, alert.channel, alert.tier) == ("c1", "rest", "emergency")
    assert alert.flag_ids == ["cauda_equina_bladder"]
    assert alert.message == "I wet myself"
    assert alert.created_at == T0
    assert alert.status == STATUS_PENDING


def test_due_orders_most_urgent_first(outbox):
    outbox.add(draft(kind="callback", priority=PRIORITY_CALLBACK), now=T0)
    outbox.add(draft(), now=T0 + timedelta(seconds=1))
    due = outbox.due(now=T0 + timedelta(seconds=2))
    assert [a.kind for a in due] == ["red_flag", "callback"]


def test_failure_schedules_a_retry_with_backoff(outbox):
    alert_id = outbox.add(draft(), now=T0)
    outbox.mark_failed(alert_id, "HTTP 503", now=T0)
    assert outbox.due(now=T0 + timedelta(seconds=1)) == []
    [alert] = outbox.due(now=T0 + backoff(1))
    assert alert.attempts == 1
    assert alert.last_error == "HTTP 503"


def test_delivered_alert_is_no_longer_due(outbox):
    alert_id = outbox.add(draft(), now=T0)
    outbox.mark_delivered(alert_id, now=T0)
    assert outbox.due(now=T0 + timedelta(hours=1)) == []
    assert outbox.all()[0].status == STATUS_DELIVERED


def test_alert_survives_reopening_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    Outbox.from_url(url).add(draft(), now=T0)
    assert len(Outbox.from_url(url).due(now=T0)) == 1


def test_huge_message_is_cut_not_lost(outbox):
    outbox.add(draft(message="x" * 20000), now=T0)
    [alert] = outbox.all()
    assert alert.message.endswith("[cut]")
    assert len(alert.message) < 5000


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 5), (2, 10), (3, 20), (30, 900)])
def test_backoff_doubles_up_to_a_cap(attempts, seconds):
    assert backoff(attempts) == timedelta(seconds=seconds)


def test_the_same_key_is_one_alert(outbox):
    first = outbox.add(replace(draft(), key="c1:m1"), now=T0)
    again = outbox.add(replace(draft(), key="c1:m1"), now=T0 + timedelta(seconds=1))
    other = outbox.add(replace(draft(), key="c1:m2"), now=T0)
    assert first == again != other
    assert len(outbox.all()) == 2


def test_the_answered_question_is_kept(outbox):
    outbox.add(replace(draft(message="Yes"), question="Do you have a fever?"), now=T0)
    [alert] = outbox.all()
    assert (alert.question, alert.message) == ("Do you have a fever?", "Yes")
    assert alert.to_payload()["question"] == "Do you have a fever?"


def test_a_claimed_alert_belongs_to_one_worker_until_its_lease_ends(outbox):
    outbox.add(draft(), now=T0)
    lease = timedelta(seconds=60)
    assert len(outbox.claim_due("w1", T0, lease=lease)) == 1
    assert outbox.claim_due("w2", T0 + timedelta(seconds=1), lease=lease) == []
    # w1 died without settling it: once the lease ends another worker takes it.
    [taken] = outbox.claim_due("w2", T0 + timedelta(seconds=61), lease=lease)
    outbox.mark_delivered(taken.id, T0 + timedelta(seconds=62), owner="w2")
    assert outbox.claim_due("w3", T0 + timedelta(days=1), lease=lease) == []


def test_emergency_retries_are_capped_at_30_seconds(outbox):
    alert_id = outbox.add(draft(), now=T0)
    for _ in range(10):
        outbox.mark_failed(alert_id, "down", now=T0)
    [alert] = outbox.all()
    assert alert.next_attempt_at - T0 <= timedelta(seconds=30)
    assert retry_after(10, PRIORITY_CALLBACK) == timedelta(seconds=900)


def test_an_older_database_is_upgraded_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "CREATE TABLE care_team_outbox (id INTEGER PRIMARY KEY, kind VARCHAR(32) NOT NULL,"
                " priority INTEGER NOT NULL, conversation_id VARCHAR(255) NOT NULL,"
                " channel VARCHAR(64) NOT NULL, tier VARCHAR(16) NOT NULL, flag_ids TEXT NOT NULL,"
                " message TEXT NOT NULL, created_at DATETIME NOT NULL, status VARCHAR(16) NOT NULL,"
                " attempts INTEGER NOT NULL, next_attempt_at DATETIME NOT NULL,"
                " delivered_at DATETIME, last_error TEXT)"
            )
        )
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO care_team_outbox VALUES (1, 'red_flag', 0, 'c0', 'rest', 'emergency',"
                " '[]', 'old', '2026-11-01 09:00:00', 'pending', 0, '2026-11-01 09:00:00', NULL, NULL)"
            )
        )
    outbox = Outbox.from_url(url)
    outbox.add(replace(draft(), key="k"), now=T0)
    assert [a.message for a in outbox.all()] == ["old", "I wet myself"]


@pytest.mark.postgres
def test_outbox_on_postgresql(postgres_url):
    outbox = Outbox.from_url(postgres_url)
    alert_id = outbox.add(draft(message="pg test"), now=T0)
    assert any(a.id == alert_id for a in outbox.due(now=T0))
    outbox.mark_delivered(alert_id, now=T0)
    assert all(a.id != alert_id for a in outbox.due(now=T0))


@pytest.mark.postgres
def test_two_workers_never_claim_the_same_alert_on_postgresql(postgres_url):
    engine = sqlalchemy.create_engine(postgres_url)
    outbox = Outbox(engine)
    conversation = f"claims-{T0.timestamp()}-{id(engine)}"
    ids = {outbox.add(replace(draft(), conversation_id=conversation), now=T0) for _ in range(10)}
    lease = timedelta(seconds=60)
    first = {a.id for a in outbox.claim_due("w1", T0, lease=lease, limit=1000) if a.id in ids}
    second = {a.id for a in outbox.claim_due("w2", T0, lease=lease, limit=1000) if a.id in ids}
    assert first == ids and second == set()
    for alert_id in ids:
        outbox.mark_delivered(alert_id, T0, owner="w1")
