import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from actions.delivery import WebhookSender, deliver_due
from actions.outbox import PRIORITY_EMERGENCY, AlertDraft, Outbox

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class CareTeamWebhook:
    """A real HTTP server on loopback standing in for the care team's system."""

    def __init__(self):
        self.received = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((self.headers.get("Authorization"), json.loads(body)))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


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
