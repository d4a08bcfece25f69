"""The reminder store: settings per patient, and the SQL claims that make each reminder one row.

Every test runs on SQLite and on the machine's PostgreSQL (skipped with the reason when
it is absent).
"""

import threading
from datetime import timedelta

import sqlalchemy

from bot.reminders.schedule import QuietHours, Schedule, days_from_code, parse_clock
from bot.reminders.store import (
    CHANNEL_CHAT,
    CHANNEL_SMS,
    STATUS_MISSED,
    STATUS_PENDING,
    STATUS_SHOWN,
    STATUS_STOPPED,
    STATUS_SUPERSEDED,
    STATUS_WAITING,
    ReminderStore,
)
from tests.bot.reminders.conftest import T0

WINDOW = timedelta(minutes=60)
LEASE = timedelta(minutes=5)
QUIET = QuietHours.parse("21:00-08:00")


def daily(at="09:00", days="mon,tue,wed,thu,fri,sat,sun", zone="Europe/London"):
    return Schedule(days_from_code(days), parse_clock(at), zone, QUIET)


def test_a_reminder_is_saved_changed_and_read_back(database_url):
    store = ReminderStore.from_url(database_url)
    saved = store.save("p1", "exercise", CHANNEL_SMS, daily(), now=T0)
    assert saved.active and saved.channel == CHANNEL_SMS
    assert saved.next_due_at == T0.replace(hour=9)
    assert saved.schedule == daily()
    changed = store.save("p1", "exercise", CHANNEL_SMS, daily("18:30", "mon,wed"), now=T0)
    assert changed.id == saved.id  # one row per patient and kind
    assert changed.next_due_at == T0.replace(hour=18, minute=30)
    store.save("p1", "checkin", CHANNEL_SMS, daily("18:00", "sun"), now=T0)
    assert [r.kind for r in store.active("p1")] == ["exercise", "checkin"]
    assert store.active("p2") == []


def test_changing_the_time_drops_a_due_reminder_of_the_old_time(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("p1", "exercise", CHANNEL_SMS, daily(), now=T0)
    store.plan_due(T0.replace(hour=9), WINDOW)
    store.save("p1", "exercise", CHANNEL_SMS, daily("18:00"), now=T0.replace(hour=9, minute=1))
    assert [d.status for d in store.deliveries("p1")] == [STATUS_SUPERSEDED]


def test_stop_turns_reminders_off_and_stops_what_is_due_or_waiting(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("p1", "exercise", CHANNEL_CHAT, daily(), now=T0)
    store.save("p1", "checkin", CHANNEL_CHAT, daily("10:00"), now=T0)
    store.plan_due(T0.replace(hour=9), WINDOW)
    [claimed] = store.claim_due("s1", T0.replace(hour=9), LEASE, WINDOW)
    store.settle(claimed.delivery.id, STATUS_WAITING, T0.replace(hour=9))
    store.plan_due(T0.replace(hour=10), WINDOW)
    assert store.stop("p1", ("checkin",), now=T0.replace(hour=10)) == ["checkin"]
    assert [r.kind for r in store.active("p1")] == ["exercise"]
    assert store.stop("p1", now=T0.replace(hour=10)) == ["exercise"]
    assert store.stop("p1") == []
    assert store.active("p1") == []
    assert [d.status for d in store.deliveries("p1")] == [STATUS_STOPPED, STATUS_STOPPED]
    assert store.reminder("p1", "exercise").next_due_at is None
    assert store.plan_due(T0 + timedelta(days=2), WINDOW).due == 0


def test_planning_writes_one_row_per_due_reminder_and_moves_the_schedule_on(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("p1", "exercise", CHANNEL_SMS, daily(), now=T0)
    assert store.plan_due(T0.replace(hour=8, minute=59), WINDOW).due == 0
    assert store.plan_due(T0.replace(hour=9), WINDOW).due == 1
    assert store.plan_due(T0.replace(hour=9, minute=30), WINDOW).due == 0
    assert store.reminder("p1", "exercise").next_due_at == T0.replace(day=26, hour=9)
    [delivery] = store.deliveries("p1")
    assert (delivery.status, delivery.due_at) == (STATUS_PENDING, T0.replace(hour=9))


def test_a_schedule_found_after_its_window_is_one_missed_row_not_a_backlog(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("p1", "exercise", CHANNEL_SMS, daily(), now=T0)
    # Three days later, at 9:30: the first is missed; today's, still in its window, is due.
    late = T0.replace(day=28, hour=9, minute=30)
    assert store.plan_due(late, WINDOW).missed == 1
    assert store.plan_due(late, WINDOW).due == 1
    assert [(d.due_at.day, d.status) for d in store.deliveries("p1")] == [
        (25, STATUS_MISSED),
        (28, STATUS_PENDING),
    ]


def test_two_planners_at_once_write_one_row(database_url):
    ReminderStore.from_url(database_url)
    stores = [ReminderStore(sqlalchemy.create_engine(database_url)) for _ in range(2)]
    for n in range(20):
        stores[0].save(f"p{n}", "exercise", CHANNEL_SMS, daily(), now=T0)
    barrier = threading.Barrier(2)
    results = []

    def plan(store):
        barrier.wait()
        results.append(store.plan_due(T0.replace(hour=9), WINDOW).due)

    threads = [threading.Thread(target=plan, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 20
    assert all(len(stores[0].deliveries(f"p{n}")) == 1 for n in range(20))


def test_a_claim_belongs_to_one_scheduler_until_its_lease_ends(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("p1", "exercise", CHANNEL_SMS, daily(), now=T0)
    nine = T0.replace(hour=9)
    store.plan_due(nine, WINDOW)
    assert len(store.claim_due("a", nine, LEASE, WINDOW)) == 1
    assert store.claim_due("b", nine + timedelta(minutes=4), LEASE, WINDOW) == []
    # "a" died: its lease ends and "b" takes the reminder, still in its window.
    assert len(store.claim_due("b", nine + timedelta(minutes=6), LEASE, WINDOW)) == 1


def test_expiry_marks_unclaimed_reminders_missed_but_never_one_being_sent(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("p1", "exercise", CHANNEL_SMS, daily(), now=T0)
    store.save("p2", "exercise", CHANNEL_SMS, daily(), now=T0)
    nine = T0.replace(hour=9)
    store.plan_due(nine, WINDOW)
    end = nine + WINDOW
    # p1's text is being sent as the window ends; p2's was never taken.
    [claimed] = store.claim_due("a", end - timedelta(minutes=1), LEASE, WINDOW, limit=1)
    assert claimed.delivery.sender_id == "p1"
    assert store.expire(end - timedelta(minutes=2), WINDOW) == 0
    assert store.expire(end, WINDOW) == 1  # p2 only
    assert store.claim_due("b", end, LEASE, WINDOW) == []  # out of its window
    assert store.settle(claimed.delivery.id, "sent", end)
    assert [d.status for d in store.deliveries("p1")] == ["sent"]
    assert [d.status for d in store.deliveries("p2")] == [STATUS_MISSED]


def test_the_web_chat_takes_a_waiting_reminder_once_and_only_the_latest(database_url):
    store = ReminderStore.from_url(database_url)
    store.save("web-1", "exercise", CHANNEL_CHAT, daily(), now=T0)
    for day in (25, 26):
        moment = T0.replace(day=day, hour=9)
        store.plan_due(moment, WINDOW)
        for claimed in store.claim_due("s", moment, LEASE, WINDOW):
            store.settle(claimed.delivery.id, STATUS_WAITING, moment)
    assert [d.status for d in store.deliveries("web-1")] == [STATUS_SUPERSEDED, STATUS_WAITING]
    others = [ReminderStore(sqlalchemy.create_engine(database_url)) for _ in range(2)]
    barrier = threading.Barrier(2)
    taken = []

    def take(other):
        barrier.wait()
        taken.extend(other.take_waiting("web-1"))

    threads = [threading.Thread(target=take, args=(o,)) for o in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [d.due_at.day for d in taken] == [26]
    assert store.take_waiting("web-1") == []
    assert store.deliveries("web-1")[-1].status == STATUS_SHOWN
