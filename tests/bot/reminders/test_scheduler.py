"""The reminder scheduler under a clock the test moves, texting through the real SMS sender
to the fake Twilio API on loopback.

Each test runs on SQLite and on the machine's PostgreSQL (skipped, saying why, when it is
absent): a due reminder is sent once, a missed window is recorded and never sent late, a
restart in the window sends it, two schedulers (threads, and two real processes) send
each reminder once between them, and STOP or "stop reminders" is honoured at once.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy

from bot.channels.sms.sender import TwilioSender
from bot.channels.sms.store import SmsStore
from bot.channels.words import channel_words
from bot.reminders.messages import reminder_words
from bot.reminders.schedule import QuietHours, Schedule, days_from_code, parse_clock
from bot.reminders.scheduler import Scheduler, SmsTexts
from bot.reminders.store import (
    CHANNEL_CHAT,
    CHANNEL_SMS,
    STATUS_MISSED,
    STATUS_OPTED_OUT,
    STATUS_SENT,
    STATUS_STOPPED,
    STATUS_WAITING,
    ReminderStore,
)
from bot.settings import REPO_ROOT
from tests.bot.reminders.conftest import T0, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, Clock

WINDOW = timedelta(minutes=60)
EVERY_DAY = "mon,tue,wed,thu,fri,sat,sun"
QUIET = QuietHours.parse("21:00-08:00")


def plan(at="09:00", days=EVERY_DAY, zone="Europe/London", quiet=QUIET):
    return Schedule(days_from_code(days), parse_clock(at), zone, quiet or QuietHours.parse("off"))


def texts_for(database_url, fake_twilio):
    sender = TwilioSender(
        TWILIO_SID, TWILIO_TOKEN, TWILIO_FROM, fake_twilio.base_url, SmsStore(database_url)
    )
    return SmsTexts(sender, channel_words().sms)


def scheduler_for(database_url, fake_twilio, clock, owner="s1", engine=None, **options):
    store = ReminderStore(engine) if engine is not None else ReminderStore.from_url(database_url)
    return Scheduler(
        store=store,
        texts=texts_for(database_url, fake_twilio),
        words=reminder_words(),
        window=WINDOW,
        owner=owner,
        clock=clock,
        **options,
    )


def numbers(count):
    """Return ``count`` phone numbers no other test uses (the fake API is shared)."""
    prefix = "+447" + str(uuid.uuid4().int)[:5]
    return [f"{prefix}{n:04d}" for n in range(count)]


def statuses(database_url, sender):
    return [d.status for d in ReminderStore.from_url(database_url).deliveries(sender)]


def test_a_due_reminder_is_texted_once_with_options_that_map_back(
    database_url, fake_twilio, clock, phone
):
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    scheduler.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=8, minute=59)
    assert scheduler.run_once().planned == 0
    clock.set(hour=9, minute=0)
    assert scheduler.run_once().outcomes == {STATUS_SENT: 1}
    [body] = fake_twilio.wait_for(1, number=phone)
    assert body.startswith("BackCare: time for your back exercises.")
    assert "Reply A for Show my exercises, B for Stop reminders." in body
    # A reply "A" or "B" picks them: the SMS channel reads the offered buttons.
    offered = SmsStore(database_url).offered_buttons(phone)
    assert [b["payload"] for b in offered] == ["show my exercises", "stop reminders"]
    for minutes in (0.5, 5, 59, 61):
        clock.set(hour=9, minute=0)
        clock.advance(minutes=minutes)
        scheduler.run_once()
    assert fake_twilio.bodies_to(phone) == [body]
    assert statuses(database_url, phone) == [STATUS_SENT]
    # And again the next day.
    clock.advance(days=1)
    clock.set(hour=9, minute=0)
    scheduler.run_once()
    assert len(fake_twilio.bodies_to(phone)) == 2


def test_a_reminder_whose_window_passed_is_recorded_missed_and_never_sent_late(
    database_url, fake_twilio, clock, phone
):
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    scheduler.store.save(phone, "checkin", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=8, minute=30)
    scheduler.run_once()
    # The scheduler is down from 8:30 to 10:30: the 9:00 reminder's window (to 10:00) passed.
    clock.set(hour=10, minute=30)
    assert scheduler.run_once().missed == 1
    assert fake_twilio.bodies_to(phone) == []
    assert statuses(database_url, phone) == [STATUS_MISSED]
    assert scheduler.store.reminder(phone, "checkin").next_due_at == T0.replace(day=26, hour=9)
    clock.advance(days=1)
    clock.set(hour=9, minute=1)
    scheduler.run_once()
    assert fake_twilio.wait_for(1, number=phone)[0].startswith("BackCare: time for your weekly")
    assert statuses(database_url, phone) == [STATUS_MISSED, STATUS_SENT]


def test_a_restart_during_the_window_sends_the_reminder_once(
    database_url, fake_twilio, clock, phone
):
    first = scheduler_for(database_url, fake_twilio, clock, owner="before-restart")
    first.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=8, minute=59)
    first.run_once()
    # Stopped at 8:59, back at 9:40: still in the window, so it is sent now.
    clock.set(hour=9, minute=40)
    after = scheduler_for(database_url, fake_twilio, clock, owner="after-restart")
    assert after.run_once().outcomes == {STATUS_SENT: 1}
    # Restarted again after sending: nothing is sent twice.
    clock.advance(minutes=5)
    again = scheduler_for(database_url, fake_twilio, clock, owner="second-restart")
    again.run_once()
    assert len(fake_twilio.bodies_to(phone)) == 1


def test_a_scheduler_killed_holding_a_claim_leaves_the_reminder_to_the_next(
    database_url, fake_twilio, clock, phone
):
    dying = scheduler_for(database_url, fake_twilio, clock, owner="killed")
    dying.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=9, minute=0)
    # It planned and claimed the reminder, then was killed before sending it.
    dying.store.plan_due(clock(), WINDOW)
    assert len(dying.store.claim_due("killed", clock(), dying.lease, WINDOW)) == 1
    restarted = scheduler_for(database_url, fake_twilio, clock, owner="restarted")
    clock.advance(minutes=2)
    assert restarted.run_once().outcomes == {}  # the claim still holds
    clock.advance(minutes=4)  # the lease (5 minutes) has ended
    assert restarted.run_once().outcomes == {STATUS_SENT: 1}
    assert len(fake_twilio.bodies_to(phone)) == 1


def test_two_schedulers_at_once_send_each_reminder_once(database_url, fake_twilio, clock):
    phones = numbers(25)
    ReminderStore.from_url(database_url)
    schedulers = [
        scheduler_for(
            database_url, fake_twilio, clock, owner=f"s{n}",
            engine=sqlalchemy.create_engine(database_url),
        )
        for n in range(2)
    ]  # fmt: skip
    for phone in phones:
        schedulers[0].store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=9, minute=0)
    barrier = threading.Barrier(2)
    rounds = []

    def run(scheduler):
        barrier.wait()
        rounds.append(scheduler.run_once())

    threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.outcomes.get(STATUS_SENT, 0) for r in rounds) == 25
    assert [len(fake_twilio.bodies_to(p)) for p in phones] == [1] * 25
    assert all(statuses(database_url, p) == [STATUS_SENT] for p in phones)


# One scheduler round in a process of its own, at 9:00 on T0's day, started when the
# file named by argv[4] appears; argv[5:8] are the Twilio account, token and number (so that both processes claim at the same moment).
ONE_ROUND = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from bot.channels.sms.sender import TwilioSender
from bot.channels.sms.store import SmsStore
from bot.channels.words import channel_words
from bot.reminders.messages import reminder_words
from bot.reminders.scheduler import Scheduler, SmsTexts
from bot.reminders.store import ReminderStore
url, api_base, owner, go = sys.argv[1:5]
sid, token, from_number = sys.argv[5:8]
sender = TwilioSender(sid, token, from_number, api_base, SmsStore(url))
moment = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
scheduler = Scheduler(ReminderStore.from_url(url), SmsTexts(sender, channel_words().sms),
                      reminder_words(), owner=owner, clock=lambda: moment)
while not Path(go).exists():
    time.sleep(0.005)
print(scheduler.run_once().outcomes.get("sent", 0))
"""


def test_two_scheduler_processes_at_once_send_each_reminder_once(
    database_url, fake_twilio, tmp_path
):
    phones = numbers(25)
    store = ReminderStore.from_url(database_url)
    for phone in phones:
        store.save(phone, "exercise", CHANNEL_SMS, plan(), now=T0)
    go = tmp_path / "go"
    arguments = [str(go), TWILIO_SID, TWILIO_TOKEN, TWILIO_FROM]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ONE_ROUND, database_url, fake_twilio.base_url, f"p{n}", *arguments],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    time.sleep(3)  # both have imported everything and are waiting
    go.touch()
    sent = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        sent.append(int(out.strip().splitlines()[-1]))
    assert sum(sent) == 25
    assert [len(fake_twilio.bodies_to(p)) for p in phones] == [1] * 25


def test_stop_by_text_is_honoured_at_once(database_url, fake_twilio, clock, phone):
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    scheduler.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    # The patient texted STOP at 8:59 (the SMS channel records the opt-out).
    SmsStore(database_url).set_opted_out(phone, True)
    clock.set(hour=9, minute=0)
    assert scheduler.run_once().outcomes == {STATUS_OPTED_OUT: 1}
    assert fake_twilio.bodies_to(phone) == []
    assert statuses(database_url, phone) == [STATUS_OPTED_OUT]


def test_stop_reminders_is_honoured_at_once_even_between_claim_and_send(
    database_url, fake_twilio, clock, phone
):
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    store = scheduler.store
    store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    [other] = numbers(1)
    store.save(other, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=9, minute=0)
    store.plan_due(clock(), WINDOW)
    claimed = store.claim_due("s1", clock(), scheduler.lease, WINDOW)
    store.stop(phone, now=clock())  # "stop reminders" arrives as the round runs
    outcomes = {c.delivery.sender_id: scheduler.deliver(c, clock()) for c in claimed}
    assert outcomes == {phone: "stopped", other: STATUS_SENT}
    assert fake_twilio.bodies_to(phone) == []
    assert statuses(database_url, phone) == [STATUS_STOPPED]
    # Turned off, it is never planned again.
    clock.advance(days=1)
    scheduler.run_once()
    assert fake_twilio.bodies_to(phone) == []


def test_nothing_is_texted_in_the_quiet_hours(database_url, fake_twilio, clock, phone):
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    scheduler.store.save(phone, "exercise", CHANNEL_SMS, plan("20:45"), now=clock())
    # Down from 20:40 to 21:10: the reminder is in its window but the quiet hours began.
    clock.set(hour=21, minute=10)
    assert scheduler.run_once().outcomes == {"quiet": 1}
    clock.set(hour=21, minute=46)
    assert scheduler.run_once().missed == 1
    assert fake_twilio.bodies_to(phone) == []


def test_a_text_twilio_refuses_is_tried_again_in_the_window(
    database_url, fake_twilio, clock, phone
):
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    scheduler.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=9, minute=0)
    fake_twilio.fail_with = 500
    try:
        assert scheduler.run_once().outcomes == {"failed": 1}
    finally:
        fake_twilio.fail_with = None
    clock.advance(minutes=1)
    assert scheduler.run_once().outcomes == {}  # waits two minutes
    clock.advance(minutes=1)
    assert scheduler.run_once().outcomes == {STATUS_SENT: 1}
    assert len(fake_twilio.bodies_to(phone)) == 1


def test_without_twilio_a_text_reminder_is_missed_and_the_scheduler_keeps_going(
    database_url, clock, phone
):
    scheduler = Scheduler(
        ReminderStore.from_url(database_url), None, reminder_words(), WINDOW, clock=clock
    )
    scheduler.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    clock.set(hour=9, minute=0)
    assert scheduler.run_once().outcomes == {"not_configured": 1}
    clock.set(hour=10, minute=1)
    assert scheduler.run_once().missed == 1


def test_a_web_chat_reminder_waits_for_the_chat_to_open(database_url, clock):
    scheduler = Scheduler(
        ReminderStore.from_url(database_url), None, reminder_words(), WINDOW, clock=clock
    )
    scheduler.store.save("web-session", "checkin", CHANNEL_CHAT, plan(days="sun"), now=clock())
    clock.now = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)  # Sunday
    assert scheduler.run_once().outcomes == {STATUS_WAITING: 1}
    [waiting] = scheduler.store.take_waiting("web-session", clock())
    assert waiting.kind == "checkin"
    message = reminder_words().message(waiting.kind, sms=False)
    assert message["content_id"] == "reminders.due.checkin"
    assert [b["payload"] for b in message["buttons"]] == ["start check in", "stop reminders"]


def test_nine_am_across_the_clocks_going_forward(database_url, fake_twilio, phone):
    clock = Clock(datetime(2027, 3, 26, 12, 0, tzinfo=timezone.utc))  # Friday
    scheduler = scheduler_for(database_url, fake_twilio, clock)
    scheduler.store.save(phone, "exercise", CHANNEL_SMS, plan(), now=clock())
    sent_at = []
    while clock() < datetime(2027, 3, 29, 12, 0, tzinfo=timezone.utc):
        if scheduler.run_once().outcomes.get(STATUS_SENT):
            sent_at.append(clock())
        clock.advance(minutes=15)
    # 09:00 GMT on Saturday and Monday... 09:00 BST (08:00 UTC) from Sunday on.
    assert sent_at == [
        datetime(2027, 3, 27, 9, 0, tzinfo=timezone.utc),
        datetime(2027, 3, 28, 8, 0, tzinfo=timezone.utc),
        datetime(2027, 3, 29, 8, 0, tzinfo=timezone.utc),
    ]


@pytest.mark.parametrize("kind", ["exercise", "checkin"])
def test_each_reminder_is_one_text_in_two_parts_at_most(kind):
    from bot.channels.sms.format import compose_turn
    from bot.channels.sms.segments import segment_count

    turn = compose_turn([reminder_words().message(kind, sms=True)], channel_words().sms)
    assert len(turn.bodies) == 1 and turn.pages == []
    assert segment_count(turn.bodies[0]) <= 2


def test_the_scheduler_process_sends_a_due_reminder_and_stops_cleanly(fake_twilio, tmp_path):
    # `python -m bot.reminders.scheduler` as the launcher starts it, on the real clock.
    url = f"sqlite:///{tmp_path / 'process.db'}"
    [phone] = numbers(1)
    store = ReminderStore.from_url(url)
    store.save(phone, "exercise", CHANNEL_SMS, plan(zone="UTC", quiet=None), now=T0)
    now = datetime.now(timezone.utc)
    with store.transaction() as connection:  # due a moment ago
        connection.execute(
            sqlalchemy.text("UPDATE reminder_schedules SET next_due_at = :due"),
            {"due": now.replace(tzinfo=None) - timedelta(seconds=5)},
        )
    env = {
        **os.environ,
        "BACKCARE_DATABASE_URL": url,
        "BACKCARE_REMINDER_INTERVAL": "1",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_FROM_NUMBER": TWILIO_FROM,
        "TWILIO_API_BASE": fake_twilio.base_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.reminders.scheduler"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        [body] = fake_twilio.wait_for(1, timeout=60, number=phone)
        assert body.startswith("BackCare: time for your back exercises.")
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert phone not in output  # numbers are masked in its log
    assert statuses(url, phone) == [STATUS_SENT]
