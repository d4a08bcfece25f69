"""Deliver care-team alerts from the outbox to the configured webhook.

Run beside the action server (``make run`` starts it)::

    python -m actions.delivery

Each round sends the alerts that are due, most urgent first; a failure (webhook down,
timeout, non-2xx answer) is recorded and retried later with exponential back-off, so
nothing is lost while the care team's system is unreachable. With no webhook
configured the worker does nothing and alerts wait in the outbox for the review
console.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import requests

from actions.outbox import Alert, Outbox, utcnow
from bot.settings import get_settings

logger = logging.getLogger(__name__)

Sender = Callable[[Alert], None]


class DeliveryError(RuntimeError):
    """Raised when the webhook did not accept an alert."""


@dataclass(frozen=True)
class WebhookSender:
    """Send one alert as JSON to the care team's webhook."""

    url: str
    token: str = ""
    timeout_seconds: float = 10.0

    def __call__(self, alert: Alert) -> None:
        """POST the alert; raise :class:`DeliveryError` unless it is accepted."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.post(
                self.url, json=alert.to_payload(), headers=headers, timeout=self.timeout_seconds
            )
        except requests.RequestException as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"webhook answered HTTP {response.status_code}")


def deliver_due(outbox: Outbox, send: Sender, now: datetime | None = None) -> tuple[int, int]:
    """Send every due alert once; return (delivered, failed) counts."""
    delivered = failed = 0
    for alert in outbox.due(now):
        try:
            send(alert)
        except DeliveryError as error:
            failed += 1
            outbox.mark_failed(alert.id, str(error), now)
            logger.warning(
                "alert %s not delivered (try %s): %s", alert.id, alert.attempts + 1, error
            )
        else:
            delivered += 1
            outbox.mark_delivered(alert.id, now)
    return delivered, failed


def run_forever(outbox: Outbox, send: Sender, interval: float, stop: threading.Event) -> None:
    """Deliver due alerts every ``interval`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            deliver_due(outbox, send, utcnow())
        except Exception:  # a database hiccup must not end the worker
            logger.exception("delivery round failed; trying again")
        stop.wait(interval)


def main() -> int:
    """Run the worker with the configured webhook until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s delivery %(message)s")
    settings = get_settings()
    if not settings.alert_webhook_url:
        logger.info("no BACKCARE_ALERT_WEBHOOK_URL: alerts stay in the outbox for review")
        return 0
    outbox = Outbox.from_url(settings.database_url)
    sender = WebhookSender(settings.alert_webhook_url, settings.alert_webhook_token)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    run_forever(outbox, sender, settings.delivery_interval_seconds, stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
