from datetime import datetime, timedelta, timezone

import pytest

from actions.outbox import (
    PRIORITY_CALLBACK,
    PRIORITY_EMERGENCY,
    STATUS_DELIVERED,
    STATUS_PENDING,
    AlertDraft,
    Outbox,
    backoff,
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


@pytest.mark.postgres
def test_outbox_on_postgresql():
    sqlalchemy = pytest.importorskip("sqlalchemy")
    url = "postgresql://postgres@127.0.0.1:5432/test"
    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect():
            pass
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"needs PostgreSQL on 127.0.0.1:5432 ({type(error).__name__})")
    outbox = Outbox(engine)
    alert_id = outbox.add(draft(message="pg test"), now=T0)
    assert any(a.id == alert_id for a in outbox.due(now=T0))
    outbox.mark_delivered(alert_id, now=T0)
    assert all(a.id != alert_id for a in outbox.due(now=T0))
