"""Deliver care-team alerts from the outbox to the configured webhook.

Run beside the Rasa server (``make run`` starts and supervises it)::

    python -m bot.alerts.delivery

Each round claims the due alerts with a lease (:meth:`Outbox.claim_due`), most urgent
first, and POSTs them concurrently, each with its own timeout, so one slow alert does
not hold up the others. A failure (receiver down, timeout, non-2xx answer) is recorded
and retried with a back-off capped by the alert's urgency (an emergency at least every
30 seconds). Several workers may run at once: a claimed alert belongs to one of them
until its lease ends.

The promise is **at-least-once** delivery: an alert is POSTed until a receiver answers
2xx. If a worker dies after the POST but before recording the answer, the alert is sent
again when the lease ends. Every POST carries the alert's id in an ``Idempotency-Key``
header (and in the body), which makes delivery exactly-once for receivers that drop a
key they have already seen. With no webhook configured the worker idles and the alerts
wait in the outbox for the clinicians' console.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests

from bot.alerts.outbox import Alert, Outbox, utcnow
from bot.runtime.log_privacy import install_log_privacy
from bot.settings import get_settings

logger = logging.getLogger(__name__)

Sender = Callable[[Alert], None]
IDEMPOTENCY_HEADER = "Idempotency-Key"


class DeliveryError(RuntimeError):
    """Raised when the webhook did not accept an alert."""


def idempotency_key(alert: Alert) -> str:
    """Return the header value that lets a receiver drop a repeated alert."""
    return f"backcare-alert-{alert.id}"


@dataclass(frozen=True)
class WebhookSender:
    """Send one alert as JSON to the care team's webhook."""

    url: str
    token: str = ""
    timeout_seconds: float = 10.0

    def __call__(self, alert: Alert) -> None:
        """POST the alert; raise :class:`DeliveryError` unless it is accepted."""
        headers = {IDEMPOTENCY_HEADER: idempotency_key(alert)}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = requests.post(
                self.url, json=alert.to_payload(), headers=headers, timeout=self.timeout_seconds
            )
        except requests.RequestException as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"webhook answered HTTP {response.status_code}")


def worker_id() -> str:
    """Return a name for this worker process, shown in the outbox's ``claimed_by``."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def deliver_due(
    outbox: Outbox,
    send: Sender,
    now: datetime | None = None,
    *,
    owner: str | None = None,
    lease: timedelta = timedelta(seconds=60),
    pool: ThreadPoolExecutor | None = None,
) -> tuple[int, int]:
    """Claim every due alert, send them (concurrently with ``pool``); return (delivered, failed).

    ``lease`` must be longer than the sender's timeout, so that a claim never runs out
    while its POST is still waiting for an answer.
    """
    me = owner or worker_id()
    claimed = outbox.claim_due(me, now, lease=lease)
    if not claimed:
        return 0, 0

    def attempt(alert: Alert) -> bool:
        try:
            send(alert)
        except DeliveryError as error:
            outbox.mark_failed(alert.id, str(error), now, owner=me)
            logger.warning(
                "alert %s (%s) not delivered, try %s: %s",
                alert.id,
                alert.tier,
                alert.attempts + 1,
                error,
            )
            return False
        outbox.mark_delivered(alert.id, now, owner=me)
        logger.info("alert %s (%s) delivered", alert.id, alert.tier)
        return True

    results = list(pool.map(attempt, claimed)) if pool else [attempt(a) for a in claimed]
    delivered = sum(results)
    return delivered, len(results) - delivered


def run_forever(
    outbox: Outbox,
    send: Sender,
    interval: float,
    stop: threading.Event,
    lease: timedelta = timedelta(seconds=60),
    concurrency: int = 8,
) -> None:
    """Deliver due alerts every ``interval`` seconds until ``stop`` is set."""
    owner = worker_id()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="deliver") as pool:
        while not stop.is_set():
            try:
                deliver_due(outbox, send, utcnow(), owner=owner, lease=lease, pool=pool)
            except Exception:  # a database hiccup must not end the worker
                logger.exception("delivery round failed; trying again")
            stop.wait(interval)


def main() -> int:
    """Run the worker with the configured webhook until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s delivery %(message)s")
    install_log_privacy()
    settings = get_settings()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if not settings.alert_webhook_url:
        # Idle instead of exiting, so the supervisor does not see a crash to restart.
        logger.info("no BACKCARE_ALERT_WEBHOOK_URL: alerts stay in the outbox for review")
        stop.wait()
        return 0
    outbox = Outbox.from_url(settings.database_url)
    timeout = settings.alert_webhook_timeout_seconds
    sender = WebhookSender(settings.alert_webhook_url, settings.alert_webhook_token, timeout)
    lease = timedelta(seconds=max(60.0, timeout * 3))
    run_forever(outbox, sender, settings.delivery_interval_seconds, stop, lease=lease)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
