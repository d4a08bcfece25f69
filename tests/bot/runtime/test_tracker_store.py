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
