"""The conversation index: folded from Rasa's events by id, incrementally, never twice."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection

from console.cases.masking import pseudonym
from console.transcripts import index
from console.transcripts.index import conversation_key, refresh_index
from console.transcripts.models import Conversation, ConversationIndexState
from tests.console.transcripts.conftest import TS, action, bot, red_flag, user


def test_a_new_database_builds_the_index(talk):
    talk("web-a", [("hello", "greet"), ("what is pacing", "ask_pacing")])
    talk("+447700900123", [("hi", "greet")], start=TS + 3600, channel="twilio")
    assert refresh_index() == 12
    a = Conversation.objects.get(sender_id="web-a")
    assert (a.patient_messages, a.event_count, a.channel) == (2, 8, "socketio")
    assert a.intents == "|ask_pacing|greet|"
    assert a.first_at.timestamp() == TS and a.last_at.timestamp() == TS + 63
    assert "what is pacing" in a.search_text and "reply to hello" in a.search_text
    assert a.model_id == "model-2026-11-20"
    assert ConversationIndexState.objects.get().last_event_id == a.last_event_id + 4


def test_nothing_new_costs_nothing_and_new_events_are_folded_once(talk, events_table):
    talk("web-a", [("hello", "greet")])
    refresh_index()
    assert refresh_index() == 0
    events_table("web-a", red_flag("now I wet myself", "wet myself", at=TS + 100))
    events_table("web-a", bot("Call 999", at=TS + 101, response="utter_red_flag_emergency"))
    assert refresh_index() == 2
    assert refresh_index() == 0
    a = Conversation.objects.get(sender_id="web-a")
    assert (a.patient_messages, a.event_count, a.tier_rank) == (2, 6, 3)
    assert a.search_text == "hello\nreply to hello\nnow i wet myself\ncall 999"


def test_batches_and_the_overlap_never_count_an_event_twice(talk, monkeypatch):
    monkeypatch.setattr(index, "OVERLAP", 3)
    for number in range(5):
        talk(f"web-{number}", [("hello", "greet"), ("thanks", "thank")])
    assert refresh_index(batch=7) == 40
    # The overlap reads the last ids again on the next refresh: all are skipped.
    talk("web-0", [("more", "ask_pacing")])
    assert refresh_index(batch=7) == 4
    counts = dict(Conversation.objects.values_list("sender_id", "event_count"))
    assert counts == {"web-0": 12, "web-1": 8, "web-2": 8, "web-3": 8, "web-4": 8}


def test_an_event_committed_late_with_a_lower_id_is_still_folded(talk, events_table):
    """On PostgreSQL an event can commit after one with a higher id: the overlap finds it."""
    talk("web-a", [("hello", "greet")])
    talk("web-b", [("hi", "greet")])
    refresh_index()
    state = ConversationIndexState.objects.get()
    a = Conversation.objects.get(sender_id="web-a")
    # As if web-a's last event had not been committed when the index last read.
    last_a = a.last_event_id
    Conversation.objects.filter(pk=a.pk).update(last_event_id=last_a - 1, event_count=3)
    assert state.last_event_id > last_a
    events_table("web-b", user("again", "greet", at=TS + 500))
    assert refresh_index() == 2
    assert Conversation.objects.get(sender_id="web-a").event_count == 4


def test_fallback_and_tier_filters_come_from_every_event(events_table):
    events_table("web-a", user("blah", "nlu_fallback"))
    events_table("web-a", action("action_suggest_topics"))
    events_table("web-b", red_flag("my foot drags", "foot drags", flag="foot_drop", tier="urgent"))
    refresh_index()
    assert Conversation.objects.get(sender_id="web-a").fallback is True
    b = Conversation.objects.get(sender_id="web-b")
    assert (b.fallback, b.tier_rank) == (False, 2)


def test_the_key_is_a_keyed_hash_starting_with_the_pseudonym(settings):
    key = conversation_key("+447700900123")
    assert key.startswith(pseudonym("+447700900123")) and len(key) == 18
    assert "447700900123" not in key
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert conversation_key("+447700900123") != key


def test_a_missing_events_table_leaves_the_index_empty(db, caplog):
    assert "events" not in connection.introspection.table_names()
    assert refresh_index() == 0
    assert Conversation.objects.count() == 0
    assert "could not be refreshed" in caplog.text


def test_the_index_never_writes_rasas_table(talk):
    talk("web-a", [("hello", "greet")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(id) FROM events")
        before = cursor.fetchone()
    refresh_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(id) FROM events")
        assert cursor.fetchone() == before


def test_the_manage_command_refreshes(talk, capsys):
    talk("web-a", [("hello", "greet")])
    call_command("index_conversations")
    assert "4 new events folded" in capsys.readouterr().out
    assert Conversation.objects.filter(sender_id="web-a").exists()


def test_the_manage_command_rebuilds_and_keeps_the_marks(talk, clinician, capsys):
    from console.transcripts.models import ConversationReview

    talk("web-a", [("hello", "greet")])
    refresh_index()
    ConversationReview.objects.create(sender_id="web-a", by=clinician)
    Conversation.objects.filter(sender_id="web-a").update(key="P-0000000000000000", event_count=99)
    call_command("index_conversations", "--rebuild")
    assert "4 new events folded" in capsys.readouterr().out
    rebuilt = Conversation.objects.get(sender_id="web-a")
    assert (rebuilt.key, rebuilt.event_count) == (conversation_key("web-a"), 4)
    assert ConversationReview.objects.filter(sender_id="web-a").exists()
