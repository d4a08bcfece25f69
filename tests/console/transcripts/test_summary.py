"""Folding events into a conversation's summary, one at a time."""

from __future__ import annotations

import json

from console.transcripts.summary import Summary, intents_field, intents_from, search_form
from tests.console.transcripts.conftest import TS, action, bot, red_flag, slot, user


def fold_all(summary, events, first_id=1):
    for offset, event in enumerate(events):
        data = event.as_dict()
        summary.fold(
            first_id + offset,
            event.type_name,
            data.get("timestamp"),
            json.dumps(data),
            data.get("name"),
        )
    return summary


def test_a_conversation_summary():
    summary = fold_all(
        Summary(),
        [
            action("action_session_start", at=TS - 10, policy=None),
            user("Hello THERE", "greet", at=TS, channel="twilio"),
            bot("Hi, I am [BackCare](https://example.org).", at=TS + 1, response="utter_greet"),
            red_flag(
                "my legs went numb", "legs went numb", tier="urgent", at=TS + 60, channel="twilio"
            ),
            slot("pacing_activity", "walking", at=TS + 61),
            user("what?", "nlu_fallback", at=TS + 120, channel="twilio"),
        ],
    )
    assert summary.patient_messages == 3
    assert summary.event_count == 6
    assert summary.channel == "twilio"
    assert summary.intents == {"greet", "red_flag_urgent", "nlu_fallback"}
    assert summary.tier_rank == 2
    assert summary.fallback is True
    assert summary.first_at.timestamp() == TS - 10
    assert summary.last_at.timestamp() == TS + 120
    assert summary.last_event_id == 6
    assert summary.new_text == ["hello there", "hi, i am backcare.", "my legs went numb", "what?"]


def test_the_tier_never_goes_down_and_fallback_actions_count():
    summary = fold_all(
        Summary(), [red_flag("wet myself", "wet myself"), user("ok thanks", "thank")]
    )
    assert summary.tier_rank == 3
    assert summary.fallback is False
    summary.fold(10, "action", TS, None, "action_suggest_topics")
    assert summary.fallback is True


def test_a_fallback_reply_counts():
    summary = fold_all(Summary(), [bot("Sorry?", response="utter_turn_fallback")])
    assert summary.fallback is True and summary.patient_messages == 0


def test_intents_are_stored_between_bars():
    assert intents_field(set()) == "|"
    assert intents_field({"thank", "greet"}) == "|greet|thank|"
    assert intents_from("|greet|thank|") == {"greet", "thank"}
    assert intents_from("|") == set()


def test_search_form_folds_case_and_spaces():
    assert search_form("  Numb\n\tDOWN   below ") == "numb down below"
    assert search_form("Straße") == "strasse"
