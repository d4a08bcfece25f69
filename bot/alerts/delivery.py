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

Each round also re-alerts the care team about cases nobody has acknowledged in the
console by their tier's deadline (:mod:`bot.alerts.overdue`): one re-alert per deadline
period, delivered with the same claims, retries and idempotency keys. The worker is the
only process that talks to the webhook.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

import requests

from bot.alerts.outbox import Alert, Outbox, utcnow
from bot.alerts.overdue import OverdueAlerts, Realert
from bot.runtime.log_privacy import install_log_privacy
from bot.settings import get_settings

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"


class Deliverable(Protocol):
    """What the webhook is sent: an alert, or a re-alert of an overdue case."""

    @property
    def delivery_key(self) -> str:
        """Return the ``Idempotency-Key`` for this message."""

    def to_payload(self) -> dict[str, object]:
        """Return the JSON body."""


Sender = Callable[[Deliverable], None]
ItemT = TypeVar("ItemT", Alert, Realert)


class DeliveryError(RuntimeError):
    """Raised when the webhook did not accept an alert."""


def idempotency_key(alert: Deliverable) -> str:
    """Return the header value that lets a receiver drop a repeated alert."""
    return alert.delivery_key


@dataclass(frozen=True)
class WebhookSender:
    """Send one alert as JSON to the care team's webhook."""

    url: str
    token: str = ""
    timeout_seconds: float = 10.0

    def __call__(self, alert: Deliverable) -> None:
        """POST the alert (or re-alert); raise :class:`DeliveryError` unless it is accepted."""
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


def _send_all(
    items: list[ItemT],
    send: Sender,
    settle: Callable[[ItemT, str | None], None],
    describe: Callable[[ItemT], str],
    pool: ThreadPoolExecutor | None,
) -> tuple[int, int]:
    """Send ``items`` (concurrently with ``pool``), settle each; return (delivered, failed)."""

    def attempt(item: ItemT) -> bool:
        try:
            send(item)
        except DeliveryError as error:
            settle(item, str(error))
            logger.warning("%s not delivered, try %s: %s", describe(item), item.attempts + 1, error)
            return False
        settle(item, None)
        logger.info("%s delivered", describe(item))
        return True

    results = list(pool.map(attempt, items)) if pool else [attempt(item) for item in items]
    delivered = sum(results)
    return delivered, len(results) - delivered


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

    def settle(alert: Alert, error: str | None) -> None:
        if error is None:
            outbox.mark_delivered(alert.id, now, owner=me)
        else:
            outbox.mark_failed(alert.id, error, now, owner=me)

    return _send_all(claimed, send, settle, lambda a: f"alert {a.id} ({a.tier})", pool)


def realert_overdue(
    overdue: OverdueAlerts,
    send: Sender,
    rules: Mapping[str, str],
    now: datetime | None = None,
    *,
    owner: str | None = None,
    lease: timedelta = timedelta(seconds=60),
    pool: ThreadPoolExecutor | None = None,
) -> tuple[int, int]:
    """Schedule re-alerts of cases overdue by ``now``, send those due; return (delivered, failed).

    ``rules`` are the acknowledgement deadlines by tier (``settings.ack_deadlines``).
    """
    me = owner or worker_id()
    scheduled = overdue.schedule(rules, now)
    if scheduled.added or scheduled.cancelled:
        logger.info(
            "overdue cases: %s re-alert(s) scheduled, %s cancelled (acknowledged meanwhile)",
            scheduled.added,
            scheduled.cancelled,
        )
    claimed = overdue.claim_due(me, now, lease=lease)
    if not claimed:
        return 0, 0

    def settle(realert: Realert, error: str | None) -> None:
        if error is None:
            overdue.mark_delivered(realert.id, now, owner=me)
        else:
            overdue.mark_failed(realert.id, error, now, owner=me)

    def describe(realert: Realert) -> str:
        alert = realert.alert
        return f"re-alert of overdue alert {alert.id} ({alert.tier}, period {realert.period})"

    return _send_all(claimed, send, settle, describe, pool)


def run_forever(
    outbox: Outbox,
    send: Sender,
    interval: float,
    stop: threading.Event,
    lease: timedelta = timedelta(seconds=60),
    concurrency: int = 8,
    overdue: OverdueAlerts | None = None,
    rules: Mapping[str, str] | None = None,
) -> None:
    """Deliver due alerts (and re-alert overdue cases) every ``interval`` seconds until ``stop``."""
    owner = worker_id()
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="deliver") as pool:
        while not stop.is_set():
            try:
                deliver_due(outbox, send, utcnow(), owner=owner, lease=lease, pool=pool)
            except Exception:  # a database hiccup must not end the worker
                logger.exception("delivery round failed; trying again")
            if overdue is not None and rules is not None:
                try:
                    realert_overdue(
                        overdue, send, rules, utcnow(), owner=owner, lease=lease, pool=pool
                    )
                except Exception:  # nor stop the alerts' own deliveries
                    logger.exception("re-alert round failed; trying again")
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
    run_forever(
        outbox,
        sender,
        settings.delivery_interval_seconds,
        stop,
        lease=lease,
        overdue=OverdueAlerts.from_url(settings.database_url),
        rules=settings.ack_deadlines,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
