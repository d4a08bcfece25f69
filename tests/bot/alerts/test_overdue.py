"""Re-alerts of overdue cases, through the worker, to a real webhook on loopback.

Each test runs on SQLite and on the machine's PostgreSQL (a throwaway database; skipped
with the reason when the server is absent). The console's ``console_case_state`` is
created here with the columns its migration gives it; the worker only reads it.
"""

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from bot.alerts.deadlines import DEFAULT_RULES
from bot.alerts.delivery import WebhookSender, deliver_due, realert_overdue
from bot.alerts.outbox import PRIORITY_EMERGENCY, PRIORITY_SOON, AlertDraft, Outbox
from bot.alerts.overdue import OverdueAlerts
from tests.fakes.care_team import CareTeamWebhook

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)  # a Wednesday
RULES = DEFAULT_RULES  # emergency: 15 minutes; soon: 2 working days
CASE_STATE_DDL = (
    "CREATE TABLE console_case_state (id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL UNIQUE,"
    " state VARCHAR(16) NOT NULL, outcome TEXT NOT NULL, updated_at TIMESTAMP NOT NULL)"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'realert.db'}"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"backcare_realert_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    from bot.db import engine_for

    engine_for.cache_clear()  # close pools before dropping the database
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def webhook():
    server = CareTeamWebhook()
    yield server
    server.close()


class Bot:
    """The outbox, the worker's re-alert store, and the console's state table."""

    def __init__(self, url, console=True):
        self.url = url
        self.outbox = Outbox.from_url(url)
        self.overdue = OverdueAlerts.from_url(url)
        self.engine = sqlalchemy.create_engine(url)
        if console:
            with self.engine.begin() as connection:
                connection.execute(sqlalchemy.text(CASE_STATE_DDL))

    def raise_alert(self, tier="emergency", priority=PRIORITY_EMERGENCY, at=T0, key=None):
        draft = AlertDraft(
            "red_flag", "c1", "rest", tier, ["cauda_equina_bladder"], "I wet myself", priority,
            key=key or uuid.uuid4().hex,
        )
        return self.outbox.add(draft, now=at)

    def set_state(self, alert_id, state):
        with self.engine.begin() as connection:
            connection.execute(
                sqlalchemy.text(
                    "INSERT INTO console_case_state (id, alert_id, state, outcome, updated_at)"
                    " VALUES (:id, :id, :state, '', :at)"
                ),
                {"id": alert_id, "state": state, "at": T0},
            )

    def round(self, webhook, minutes, owner="w1"):
        """One worker round at T0 + minutes: deliver due alerts, then re-alert overdue cases."""
        now = T0 + timedelta(minutes=minutes)
        send = WebhookSender(webhook.url, timeout_seconds=5)
        deliver_due(self.outbox, send, now, owner=owner)
        return realert_overdue(self.overdue, send, RULES, now, owner=owner)

    def close(self):
        self.engine.dispose()


@pytest.fixture
def bot(database_url):
    made = Bot(database_url)
    yield made
    made.close()


def overdue_posts(webhook):
    return [body for _, body in webhook.received if "overdue" in body]


def test_an_overdue_new_case_is_re_alerted_once_per_deadline_period(bot, webhook):
    alert_id = bot.raise_alert()
    for minutes in (0, 5, 14):
        assert bot.round(webhook, minutes) == (0, 0)
    assert [body["id"] for _, body in webhook.received] == [alert_id]  # the alert itself

    assert bot.round(webhook, 15) == (1, 0)  # the deadline has passed: period 1
    for minutes in (16, 20, 29):
        assert bot.round(webhook, minutes) == (0, 0)
    assert bot.round(webhook, 30) == (1, 0)  # a second period unacknowledged
    assert bot.round(webhook, 31) == (0, 0)

    [first, second] = overdue_posts(webhook)
    assert (first["id"], first["overdue"]["period"]) == (alert_id, 1)
    assert first["overdue"]["acknowledge_by"] == (T0 + timedelta(minutes=15)).isoformat()
    assert second["overdue"]["period"] == 2
    assert second["overdue"]["period_ended_at"] == (T0 + timedelta(minutes=30)).isoformat()
    assert webhook.keys == [
        f"backcare-alert-{alert_id}",
        f"backcare-alert-{alert_id}-overdue-1",
        f"backcare-alert-{alert_id}-overdue-2",
    ]
    assert bot.overdue.statuses() == [(alert_id, 1, "delivered"), (alert_id, 2, "delivered")]


def test_an_acknowledged_case_is_not_re_alerted(bot, webhook):
    acknowledged = bot.raise_alert()
    closed = bot.raise_alert()
    bot.round(webhook, 0)
    bot.set_state(acknowledged, "acknowledged")
    bot.set_state(closed, "closed")
    for minutes in (15, 30, 120, 24 * 60):
        assert bot.round(webhook, minutes) == (0, 0)
    assert overdue_posts(webhook) == []
    assert bot.overdue.statuses() == []


def test_a_case_the_console_shows_as_new_is_re_alerted(bot, webhook):
    alert_id = bot.raise_alert()
    bot.round(webhook, 0)
    bot.set_state(alert_id, "new")  # a state row that never moved on
    assert bot.round(webhook, 15) == (1, 0)


def test_a_re_alert_waiting_through_an_outage_is_cancelled_once_the_case_is_acknowledged(
    bot, webhook
):
    alert_id = bot.raise_alert()
    bot.round(webhook, 0)
    webhook.status = 503
    assert bot.round(webhook, 15) == (0, 1)
    bot.set_state(alert_id, "acknowledged")
    webhook.status = 200
    assert bot.round(webhook, 20) == (0, 0)
    assert bot.overdue.statuses() == [(alert_id, 1, "cancelled")]
    assert len(overdue_posts(webhook)) == 1  # only the refused try


def test_a_re_alert_is_retried_until_accepted_and_never_lost(bot, webhook):
    alert_id = bot.raise_alert()
    bot.round(webhook, 0)
    webhook.status = 503
    assert bot.round(webhook, 15) == (0, 1)
    assert bot.round(webhook, 15) == (0, 0)  # backing off, not sent in a loop
    webhook.status = 200
    assert bot.round(webhook, 16) == (1, 0)
    assert bot.round(webhook, 17) == (0, 0)
    keys = [key for key in webhook.keys if "overdue" in (key or "")]
    assert keys == [f"backcare-alert-{alert_id}-overdue-1"] * 2  # same key: one re-alert


def test_a_worker_back_after_missed_periods_sends_one_re_alert_for_the_latest(bot, webhook):
    alert_id = bot.raise_alert()
    bot.round(webhook, 0)
    assert bot.round(webhook, 95) == (1, 0)  # six periods passed while it was away
    [body] = overdue_posts(webhook)
    assert body["overdue"]["period"] == 6
    assert bot.overdue.statuses() == [(alert_id, 6, "delivered")]


def test_an_older_period_still_waiting_is_superseded_by_the_next(bot, webhook):
    alert_id = bot.raise_alert()
    bot.round(webhook, 0)
    webhook.status = 503
    bot.round(webhook, 15)
    webhook.status = 200
    bot.overdue.schedule(RULES, T0 + timedelta(minutes=30))  # period 2 before period 1 went
    assert bot.round(webhook, 31) == (1, 0)
    assert [body["overdue"]["period"] for body in overdue_posts(webhook)] == [1, 2]
    assert bot.overdue.statuses() == [(alert_id, 1, "superseded"), (alert_id, 2, "delivered")]


def test_an_alert_not_yet_delivered_is_retried_itself_not_re_alerted(bot, webhook):
    bot.raise_alert()
    webhook.status = 503
    bot.round(webhook, 0)
    webhook.status = 200
    assert bot.overdue.schedule(RULES, T0 + timedelta(minutes=20)).added == 0
    bot.round(webhook, 20)  # the alert itself goes out, late ...
    assert overdue_posts(webhook) == []
    assert bot.round(webhook, 21) == (0, 0)  # ... so period 1 is not re-alerted on its heels
    assert bot.round(webhook, 30) == (1, 0)  # period 2 passed with the team told
    assert [body["overdue"]["period"] for body in overdue_posts(webhook)] == [2]


def test_working_day_deadlines_re_alert_after_the_weekend(bot, webhook):
    friday = datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)
    bot.raise_alert(tier="soon", priority=PRIORITY_SOON, at=friday)
    bot.round(webhook, (friday - T0).total_seconds() / 60)
    monday = friday + timedelta(days=3)
    assert bot.round(webhook, (monday - T0).total_seconds() / 60) == (0, 0)
    tuesday = friday + timedelta(days=4)
    assert bot.round(webhook, (tuesday - T0).total_seconds() / 60) == (1, 0)


def test_two_workers_send_one_re_alert_per_period(bot, webhook):
    ids = [bot.raise_alert() for _ in range(5)]
    bot.round(webhook, 0)
    other = OverdueAlerts.from_url(bot.url)
    send = WebhookSender(webhook.url, timeout_seconds=5)
    now = T0 + timedelta(minutes=15)
    results = []

    def run(store, name):
        results.append(realert_overdue(store, send, RULES, now, owner=name))

    threads = [
        threading.Thread(target=run, args=(store, name))
        for store, name in ((bot.overdue, "w1"), (other, "w2"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(delivered for delivered, _ in results) == 5
    assert sorted(body["id"] for body in overdue_posts(webhook)) == sorted(ids)


def test_without_the_console_s_tables_nothing_is_re_alerted_and_nothing_fails(
    database_url, webhook
):
    bot = Bot(database_url, console=False)
    try:
        bot.raise_alert()
        bot.round(webhook, 0)
        assert bot.round(webhook, 60) == (0, 0)
        assert bot.overdue.schedule(RULES, T0 + timedelta(hours=1)).console_present is False
        assert overdue_posts(webhook) == []
    finally:
        bot.close()
