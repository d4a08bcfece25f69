"""The tracker store writes a red flag's alert in the same transaction as the message."""

import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.alerts.outbox import Outbox
from bot.runtime import tracker_store as module
from bot.runtime.tracker_store import SafetyTrackerStore
from bot.settings import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


def red_flag(text="I've wet myself and didn't notice", message_id=None):
    return UserUttered(
        text,
        {"name": "red_flag_emergency", "confidence": 1.0},
        [{"entity": "red_flag", "value": "cauda_equina_bladder", "role": "emergency"}],
        input_channel="rest",
        message_id=message_id or uuid.uuid4().hex,
    )


def store_for(url):
    dialect = sa.engine.make_url(url).get_backend_name()
    return SafetyTrackerStore(domain=DOMAIN, host=url, dialect=dialect)


def tracker(sender, *events):
    return DialogueStateTracker.from_events(sender, list(events), DOMAIN.slots)


def event_count(url, sender):
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()


def alerts_for(url, sender):
    engine = sa.create_engine(url)
    return [a for a in Outbox(engine).all() if a.conversation_id == sender]


def check_one_alert_per_red_flag(url):
    store = store_for(url)
    sender = f"ts-{uuid.uuid4().hex[:10]}"
    t = tracker(sender, ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"))
    t.update(red_flag())
    t.update(ActionExecuted("utter_urgent_care_emergency"))
    t.update(BotUttered("Please get help now."))
    import asyncio

    asyncio.run(store.save(t))
    [alert] = alerts_for(url, sender)
    assert alert.tier == "emergency" and alert.flag_ids == ["cauda_equina_bladder"]
    # Saving again (no new events) and saving later turns add no second alert.
    asyncio.run(store.save(t))
    t.update(ActionExecuted("action_listen"))
    t.update(UserUttered("thanks", {"name": "thank", "confidence": 1.0}, message_id="m-thanks"))
    asyncio.run(store.save(t))
    assert len(alerts_for(url, sender)) == 1
    # A second red-flag message is a second alert.
    t.update(red_flag("still wetting myself"))
    asyncio.run(store.save(t))
    assert len(alerts_for(url, sender)) == 2


def test_one_alert_per_red_flag_message_on_sqlite(tmp_path):
    check_one_alert_per_red_flag(f"sqlite:///{tmp_path / 't.db'}")


@pytest.mark.postgres
def test_one_alert_per_red_flag_message_on_postgresql(postgres_url):
    check_one_alert_per_red_flag(postgres_url)


def test_message_and_alert_are_stored_together_or_not_at_all(tmp_path, monkeypatch):
    import asyncio

    url = f"sqlite:///{tmp_path / 't.db'}"
    store = store_for(url)
    sender = "atomic"
    t = tracker(sender, ActionExecuted("action_listen"))
    t.update(red_flag())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "add_in", broken)
    with pytest.raises(RuntimeError):
        asyncio.run(store.save(t))
    assert event_count(url, sender) == 0
    monkeypatch.undo()
    asyncio.run(store.save(t))
    assert event_count(url, sender) == 2
    assert len(alerts_for(url, sender)) == 1


def test_trackers_read_back_as_rasa_stores_them(tmp_path):
    import asyncio

    url = f"sqlite:///{tmp_path / 't.db'}"
    store = store_for(url)
    t = tracker("readback", ActionExecuted("action_listen"))
    t.update(UserUttered("hello", {"name": "greet", "confidence": 1.0}))
    asyncio.run(store.save(t))
    again = asyncio.run(store.retrieve("readback"))
    assert again is not None
    assert [e.as_dict()["event"] for e in again.events] == ["action", "user"]


# The store remembers the conversations it stored (bot.runtime.tracker_cache), checked
# against the database before every use.


def as_dicts(tracker):
    return [e.as_dict() for e in tracker.events] if tracker is not None else None


def turn(t, text, intent="greet"):
    t.update(UserUttered(text, {"name": intent, "confidence": 1.0}, message_id=uuid.uuid4().hex))
    t.update(ActionExecuted("utter_greet"))
    t.update(BotUttered(f"reply to {text}"))
    t.update(ActionExecuted("action_listen"))


def run(coroutine):
    import asyncio

    return asyncio.run(coroutine)


def started(sender):
    # As Rasa logs them: the action after the session_started event its run returned.
    session_started = SessionStarted()
    return tracker(sender, ActionExecuted("action_session_start"), session_started, ActionExecuted("action_listen"))


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 't.db'}"


def count_reads(monkeypatch, store):
    reads = []
    original = store._event_query

    def counting(*args, **kwargs):
        reads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "_event_query", counting)
    return reads


def test_a_turn_reads_no_rows_while_the_database_holds_what_it_wrote(url, monkeypatch):
    store = store_for(url)
    t = started("cached")
    run(store.save(t))
    reads = count_reads(monkeypatch, store)
    for n in range(3):
        again = run(store.retrieve("cached"))
        turn(again, f"hello {n}")
        run(store.save(again))
    assert reads == []
    assert as_dicts(run(store.retrieve("cached"))) == as_dicts(run(store_for(url).retrieve("cached")))
    assert event_count(url, "cached") == 3 + 3 * 4


def test_a_fresh_process_reads_what_the_previous_one_wrote(url):
    first = store_for(url)
    t = started("restart")
    turn(t, "hello")
    run(first.save(t))
    second = store_for(url)  # a restarted server: nothing in memory
    again = run(second.retrieve("restart"))
    assert as_dicts(again) == as_dicts(t)
    turn(again, "still there?")
    run(second.save(again))
    assert as_dicts(run(store_for(url).retrieve("restart"))) == as_dicts(again)


def test_two_servers_on_one_database_never_serve_a_stale_tracker(url):
    a, b = store_for(url), store_for(url)
    t = started("shared")
    turn(t, "one")
    run(a.save(t))
    assert as_dicts(run(a.retrieve("shared"))) == as_dicts(t)  # a remembers it
    on_b = run(b.retrieve("shared"))
    turn(on_b, "two")
    run(b.save(on_b))  # b writes behind a's back
    on_a = run(a.retrieve("shared"))
    assert as_dicts(on_a) == as_dicts(on_b)
    turn(on_a, "three")
    run(a.save(on_a))
    texts = [e.text for e in run(b.retrieve("shared")).events if isinstance(e, UserUttered)]
    assert texts == ["one", "two", "three"]
    assert event_count(url, "shared") == 3 + 3 * 4


def test_a_write_from_another_server_between_read_and_save_is_not_lost_or_hidden(url):
    a, b = store_for(url), store_for(url)
    t = started("race")
    run(a.save(t))
    on_a = run(a.retrieve("race"))
    on_b = run(b.retrieve("race"))
    turn(on_b, "from b")
    run(b.save(on_b))
    turn(on_a, "from a")
    run(a.save(on_a))  # a's tracker does not know b's turn: stored as Rasa stores it
    expected = as_dicts(run(store_for(url).retrieve("race")))
    assert as_dicts(run(a.retrieve("race"))) == expected
    assert as_dicts(run(b.retrieve("race"))) == expected


def test_an_erased_conversation_is_not_served_from_memory(url):
    store = store_for(url)
    t = started("erased")
    turn(t, "hello")
    run(store.save(t))
    assert run(store.retrieve("erased")) is not None
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # the console's erasure, in another process
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'erased'"))
    assert run(store.retrieve("erased")) is None
    fresh = started("erased")
    turn(fresh, "new start")
    run(store.save(fresh))
    again = run(store.retrieve("erased"))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["new start"]


def test_rewritten_rows_with_the_same_count_and_ids_are_not_served_from_memory(url):
    store = store_for(url)
    t = started("rewritten")
    turn(t, "before")
    run(store.save(t))
    run(store.retrieve("rewritten"))
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # erased, then the same ids written again later
        rows = connection.execute(
            sa.text("SELECT id, type_name, timestamp, data FROM events WHERE sender_id = 'rewritten' ORDER BY id")
        ).all()
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'rewritten'"))
        for row in rows:
            data = row.data.replace("before", "after!")
            connection.execute(
                sa.text("INSERT INTO events (id, sender_id, type_name, timestamp, data) VALUES (:i, 'rewritten', :t, :ts, :d)"),
                {"i": row.id, "t": row.type_name, "ts": row.timestamp + 1000, "d": data},
            )
    texts = [e.text for e in run(store.retrieve("rewritten")).events if isinstance(e, UserUttered)]
    assert texts == ["after!"]


def test_a_failed_save_leaves_memory_and_database_agreeing(url, monkeypatch):
    store = store_for(url)
    t = started("failing")
    run(store.save(t))
    again = run(store.retrieve("failing"))
    again.update(red_flag())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "add_in", broken)
    with pytest.raises(RuntimeError):
        run(store.save(again))
    monkeypatch.undo()
    assert as_dicts(run(store.retrieve("failing"))) == as_dicts(t)
    run(store.save(again))
    assert as_dicts(run(store.retrieve("failing"))) == as_dicts(again)
    assert event_count(url, "failing") == 4 and len(alerts_for(url, "failing")) == 1


def test_changing_a_retrieved_tracker_without_saving_changes_nothing_remembered(url):
    store = store_for(url)
    t = started("unsaved")
    run(store.save(t))
    turn(run(store.retrieve("unsaved")), "lost in a failed turn")
    assert as_dicts(run(store.retrieve("unsaved"))) == as_dicts(t)


@pytest.mark.parametrize("memory", [200_000, 0])
def test_memory_reads_back_exactly_what_the_database_holds_across_sessions(url, memory):
    store = store_for(url)
    store.cache = module.TrackerCache(memory)
    t = started("sessions")
    turn(t, "first session")
    run(store.save(t))
    again = run(store.retrieve("sessions"))
    # The session expired: Rasa runs action_session_start again in the next turn.
    session_started = SessionStarted()
    again.update(ActionExecuted("action_session_start"))
    again.update(session_started)
    again.update(ActionExecuted("action_listen"))
    turn(again, "second session")
    run(store.save(again))
    remembered = run(store.retrieve("sessions"))
    from_database = run(store_for(url).retrieve("sessions"))
    assert as_dicts(remembered) == as_dicts(from_database)
    assert [e.text for e in remembered.events if isinstance(e, UserUttered)] == ["second session"]
    assert event_count(url, "sessions") == 3 + 4 + 3 + 4


def test_an_unknown_conversation_is_none_and_not_remembered(url):
    store = store_for(url)
    assert run(store.retrieve("nobody")) is None
    run(store.save(tracker("nobody")))  # a tracker without events stores nothing
    assert run(store.retrieve("nobody")) is None
    assert len(store.cache) == 0


def test_the_sqlite_tracker_store_keeps_wal_mode_and_synced_commits(url):
    store = store_for(url)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2
