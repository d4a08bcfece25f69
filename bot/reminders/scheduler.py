"""The reminder scheduler: a process that sends each due reminder once.

Run beside the Rasa server (``make run`` starts and supervises it)::

    python -m bot.reminders.scheduler

Every ``BACKCARE_REMINDER_INTERVAL`` seconds (default 30) one round
(:meth:`Scheduler.run_once`) plans the reminders that have come due, marks those past
their window missed, and claims the rest (:mod:`bot.reminders.store`), then, for each:

- **by text** (the patient set it over SMS): nothing is sent to a number that has
  texted STOP (``opted_out``) or whose reminder was stopped since; inside the quiet
  hours it waits for their end (and is missed if that is past its window);
  otherwise the reminder is rendered like any bot turn (one text, buttons as "Reply A
  for ...", the buttons remembered so that "A" works) and sent through the SMS
  channel's sender (:class:`bot.channels.sms.sender.TwilioSender`). A text Twilio does
  not accept is tried again every two minutes while its window lasts;
- **on the web chat**: it is kept (``waiting``) until the patient next opens the chat,
  which then shows it (:mod:`bot.channels.web.channel`); only the latest of each kind.

The window (``BACKCARE_REMINDER_WINDOW_MINUTES``, default 60) is how late a reminder
may still go out: a scheduler that was down, or restarted, in a reminder's window sends
it when it is back; one back after the window records it as missed and never sends a
stale "time for your exercises" late at night. Several schedulers may run at once,
and a scheduler killed mid-round leaves nothing half done: each step is a SQL claim.
The one gap is a scheduler killed after Twilio accepted a text and before it recorded
that: the claim's lease ends and the text is sent again while the window lasts (Twilio
has no idempotency key), as with the care-team alerts.

The scheduler takes its clock as an argument, so tests run it at any moment they
choose; it never imports Rasa.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.channels.sms.format import compose_turn
from bot.channels.sms.sender import TwilioSender, mask_number
from bot.channels.sms.store import SmsStore
from bot.channels.words import channel_words
from bot.db import utcnow
from bot.reminders.messages import ReminderWords, reminder_words
from bot.reminders.store import (
    CHANNEL_SMS,
    RETRY_AFTER,
    STATUS_OPTED_OUT,
    STATUS_SENT,
    STATUS_WAITING,
    Claimed,
    ReminderStore,
)
from bot.runtime.log_privacy import install_log_privacy
from bot.settings import Settings, SettingsError, get_settings

logger = logging.getLogger(__name__)

# Longer than any one round's sends (each text times out after 10 seconds).
DEFAULT_LEASE = timedelta(minutes=5)
# Recorded on a text reminder when the TWILIO_* settings are missing (for staff, in the table).
NOT_CONFIGURED = "no Twilio settings"


def scheduler_id() -> str:
    """Return a name for this scheduler process, kept in a claimed reminder's ``claimed_by``."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


class Texts(Protocol):
    """Sends reminder texts: the SMS channel's sender, or a test's stand-in."""

    def opted_out(self, phone: str) -> bool:
        """Return whether ``phone`` has texted STOP."""

    def send(self, phone: str, message: Mapping[str, Any]) -> bool:
        """Send one bot message as texts; return whether every text was accepted."""


@dataclass
class SmsTexts:
    """Reminder texts through the SMS channel's sender, rendered as the channel renders a turn."""

    sender: TwilioSender
    sms_words: Mapping[str, Any]

    @property
    def store(self) -> SmsStore:
        """Return the SMS channel's store (opt-outs, offered buttons)."""
        return self.sender.store

    def opted_out(self, phone: str) -> bool:
        """Return whether ``phone`` has texted STOP."""
        return self.store.is_opted_out(phone)

    def send(self, phone: str, message: Mapping[str, Any]) -> bool:
        """Send the reminder as one text with its options; remember them for "Reply A"."""
        turn = compose_turn([message], self.sms_words)
        for body in turn.bodies:
            if not asyncio.run(self.sender.send(phone, body)):
                return False
        # Only once it is sent: until then, "A" keeps meaning what it meant before.
        self.store.set_offered_buttons(phone, turn.buttons)
        self.store.set_pending_pages(phone, turn.pages)
        return True


def sms_texts(settings: Settings) -> SmsTexts | None:
    """Return the SMS sender for reminders, or ``None`` when Twilio is not configured."""
    try:
        sid = settings.require("twilio_account_sid")
        token = settings.require("twilio_auth_token")
        from_number = settings.require("twilio_from_number")
    except SettingsError:
        return None
    store = SmsStore(settings.database_url)
    sender = TwilioSender(sid, token, from_number, settings.twilio_api_base, store)
    return SmsTexts(sender, channel_words().sms)


@dataclass(frozen=True)
class Round:
    """What one round did: reminders planned, found missed, and each claimed one's outcome."""

    planned: int = 0
    missed: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Scheduler:
    """Plan, claim and send due reminders; see the module docstring.

    Attributes:
        store: the reminder store.
        texts: sends texts, or ``None`` when SMS is not configured.
        words: the reminder's words.
        window: how late a reminder may still be sent.
        lease: how long a claim holds before another scheduler may take it.
        owner: this scheduler's name in the claims.
        clock: returns the current moment (UTC); tests pass their own.
    """

    store: ReminderStore
    texts: Texts | None
    words: ReminderWords
    window: timedelta = timedelta(minutes=60)
    lease: timedelta = DEFAULT_LEASE
    owner: str = field(default_factory=scheduler_id)
    clock: Callable[[], datetime] = utcnow

    def run_once(self) -> Round:
        """Run one round at the clock's current moment."""
        now = self.clock()
        planned = self.store.plan_due(now, self.window)
        missed = self.store.expire(now, self.window) + planned.missed
        outcomes: Counter[str] = Counter()
        for claimed in self.store.claim_due(self.owner, now, self.lease, self.window):
            outcomes[self.deliver(claimed, now)] += 1
        if planned.due or missed or outcomes:
            logger.info(
                "reminders: %s due, %s missed, %s", planned.due, missed, dict(outcomes) or "none"
            )
        return Round(planned=planned.due, missed=missed, outcomes=dict(outcomes))

    def deliver(self, claimed: Claimed, now: datetime) -> str:
        """Send (or keep for the web chat) one claimed reminder; return what became of it."""
        delivery = claimed.delivery
        if delivery.channel != CHANNEL_SMS:
            self.store.settle(delivery.id, STATUS_WAITING, now)
            return STATUS_WAITING
        if self.texts is None:
            self.store.retry_later(delivery.id, now + RETRY_AFTER, NOT_CONFIGURED)
            return "not_configured"
        phone = delivery.sender_id
        if self.texts.opted_out(phone):
            self.store.settle(delivery.id, STATUS_OPTED_OUT, now)
            return STATUS_OPTED_OUT
        if claimed.schedule.is_quiet(now):
            self.store.retry_later(delivery.id, claimed.schedule.leave_quiet(now))
            return "quiet"
        if not self.store.still_wanted(delivery.id):
            return "stopped"  # stopped since it was claimed: the stop marked it
        if self.texts.send(phone, self.words.message(delivery.kind, sms=True)):
            self.store.settle(delivery.id, STATUS_SENT, self.clock())
            return STATUS_SENT
        logger.warning("reminder %s to %s not accepted; retrying", delivery.id, mask_number(phone))
        self.store.retry_later(delivery.id, now + RETRY_AFTER, "the text was not accepted")
        return "failed"


def run_forever(scheduler: Scheduler, interval: float, stop: threading.Event) -> None:
    """Run a round every ``interval`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            scheduler.run_once()
        except Exception:  # a database hiccup must not end the scheduler
            logger.exception("reminder round failed; trying again")
        stop.wait(interval)


def main() -> int:
    """Run the scheduler with the configured database and Twilio until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s reminders %(message)s")
    install_log_privacy()
    settings = get_settings()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    texts = sms_texts(settings)
    if texts is None:
        logger.info("no Twilio settings: reminders are kept for the web chat only")
    scheduler = Scheduler(
        store=ReminderStore.from_url(settings.database_url),
        texts=texts,
        words=reminder_words(),
        window=timedelta(minutes=settings.reminder_window_minutes),
    )
    run_forever(scheduler, settings.reminder_interval_seconds, stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
