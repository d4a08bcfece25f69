import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from bot.alerts.delivery import WebhookSender, deliver_due
from bot.alerts.outbox import PRIORITY_EMERGENCY, AlertDraft, Outbox
from tests.fakes.care_team import CareTeamWebhook

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def webhook():
    server = CareTeamWebhook()
    yield server
    server.close()


@pytest.fixture
def outbox(tmp_path):
    box = Outbox.from_url(f"sqlite:///{tmp_path / 'o.db'}")
    box.add(
        AlertDraft("red_flag", "c1", "rest", "emergency", ["major_trauma"], "fell off a roof", PRIORITY_EMERGENCY),
        now=T0,
    )
    return box


def test_due_alert_is_posted_with_token_and_marked_delivered(outbox, webhook):
    delivered, failed = deliver_due(outbox, WebhookSender(webhook.url, "s3cret"), now=T0)
    assert (delivered, failed) == (1, 0)
    [(auth, payload)] = webhook.received
    assert auth == "Bearer s3cret"
    assert payload["flag_ids"] == ["major_trauma"]
    assert payload["tier"] == "emergency"
    assert payload["conversation_id"] == "c1"
    assert outbox.due(now=T0 + timedelta(days=1)) == []


def test_outage_keeps_the_alert_and_retries_later(outbox, webhook):
    webhook.status = 503
    assert deliver_due(outbox, WebhookSender(webhook.url), now=T0) == (0, 1)
    assert deliver_due(outbox, WebhookSender(webhook.url), now=T0 + timedelta(seconds=1)) == (0, 0)
    webhook.status = 200
    assert deliver_due(outbox, WebhookSender(webhook.url), now=T0 + timedelta(minutes=1)) == (1, 0)
    assert len(webhook.received) == 2


def test_unreachable_webhook_is_a_failure_not_a_crash(outbox):
    sender = WebhookSender("http://127.0.0.1:9/alerts", timeout_seconds=1)
    assert deliver_due(outbox, sender, now=T0) == (0, 1)
    [alert] = outbox.all()
    assert alert.attempts == 1
    assert "Error" in (alert.last_error or "")


def test_every_post_carries_the_alert_id_as_idempotency_key(outbox, webhook):
    deliver_due(outbox, WebhookSender(webhook.url), now=T0)
    [alert] = outbox.all()
    assert webhook.keys == [f"backcare-alert-{alert.id}"]
    assert webhook.received[0][1]["id"] == alert.id


def test_two_workers_send_each_alert_once(tmp_path, webhook):
    url = f"sqlite:///{tmp_path / 'two.db'}"
    box = Outbox.from_url(url)
    for n in range(10):
        box.add(AlertDraft("red_flag", f"c{n}", "rest", "emergency", [], "help", PRIORITY_EMERGENCY), now=T0)
    workers = [Outbox.from_url(url), Outbox.from_url(url)]
    results = []

    def run(worker, name):
        results.append(deliver_due(worker, WebhookSender(webhook.url), now=T0, owner=name))

    threads = [threading.Thread(target=run, args=(w, f"w{i}")) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(delivered for delivered, _ in results) == 10
    assert sorted(p["conversation_id"] for _, p in webhook.received) == sorted(f"c{n}" for n in range(10))


def test_one_slow_receiver_does_not_hold_up_the_others(tmp_path, webhook):
    box = Outbox.from_url(f"sqlite:///{tmp_path / 'slow.db'}")
    box.add(AlertDraft("red_flag", "slow", "rest", "emergency", [], "slow", PRIORITY_EMERGENCY), now=T0)
    for n in range(4):
        box.add(AlertDraft("red_flag", f"c{n}", "rest", "urgent", [], "fast", 1), now=T0)
    sender = WebhookSender(webhook.url, timeout_seconds=1)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        delivered, failed = deliver_due(box, sender, now=T0, pool=pool)
    assert (delivered, failed) == (4, 1)
    assert time.monotonic() - started < 2.5
    [slow] = [a for a in box.all() if a.conversation_id == "slow"]
    assert slow.status == "pending" and "Timeout" in (slow.last_error or "")
    assert slow.next_attempt_at - T0 <= timedelta(seconds=30)


def test_the_worker_idles_without_a_webhook(monkeypatch, tmp_path):
    import subprocess
    import sys

    env = {"BACKCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'idle.db'}", "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen([sys.executable, "-m", "bot.alerts.delivery"], env=env)
    try:
        time.sleep(3)
        assert process.poll() is None
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0


def test_a_worker_that_dies_after_posting_leaves_the_alert_to_be_sent_again_with_the_same_key(
    outbox, webhook
):
    lease = timedelta(seconds=60)
    [claimed] = outbox.claim_due("w1", T0, lease=lease)
    WebhookSender(webhook.url)(claimed)  # posted ... and the worker dies before recording it
    assert deliver_due(outbox, WebhookSender(webhook.url), now=T0 + timedelta(seconds=30)) == (0, 0)
    assert deliver_due(outbox, WebhookSender(webhook.url), now=T0 + timedelta(seconds=61)) == (1, 0)
    # At least once, and the same key both times: a receiver that honours it sees one alert.
    assert len(webhook.keys) == 2 and len(set(webhook.keys)) == 1
