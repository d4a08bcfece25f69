"""The facts read from one stored Rasa event: intent, findings, tier, fallback, sources."""

from __future__ import annotations

import json

import pytest

from console.transcripts import events
from tests.console.transcripts.conftest import bot, red_flag, user


def payload(event):
    return json.loads(json.dumps(event.as_dict()))


def test_parse_payload_survives_bad_json():
    assert events.parse_payload(None) == {}
    assert events.parse_payload("not json") == {}
    assert events.parse_payload("[1, 2]") == {}
    assert events.parse_payload('{"a": 1}') == {"a": 1}


def test_intent_and_confidence():
    assert events.intent_of(payload(user("hi", "greet", confidence=0.87))) == ("greet", 0.87)
    assert events.intent_of({"text": "no parse"}) == ("", None)


def test_findings_carry_flag_tier_and_evidence_span():
    message = payload(red_flag("I wet myself today", "wet myself"))
    assert events.findings_of(message) == [
        events.Finding(flag="cauda_equina_bladder", tier="emergency", start=2, end=12)
    ]
    assert events.tier_of(message) == "emergency"


def test_a_finding_without_offsets_is_kept_unlocated():
    message = {"parse_data": {"entities": [{"entity": "red_flag", "value": "x", "role": "soon"}]}}
    assert events.findings_of(message) == [events.Finding("x", "soon", None, None)]


@pytest.mark.parametrize(
    ("intent", "roles", "tier"),
    [
        ("greet", [], "none"),
        ("red_flag_crisis", [], "emergency"),
        ("red_flag_soon", ["urgent"], "urgent"),
        ("greet", ["soon", "emergency", "urgent"], "emergency"),
        ("greet", ["unknown"], "none"),
    ],
)
def test_tier_is_the_highest_of_the_intent_and_the_findings(intent, roles, tier):
    entities = [{"entity": "red_flag", "value": "f", "role": role} for role in roles]
    message = {"parse_data": {"intent": {"name": intent}, "entities": entities}}
    assert events.tier_of(message) == tier


def test_asks_are_the_clarifying_questions():
    message = {"parse_data": {"entities": [{"entity": "red_flag_ask", "value": "bladder"}]}}
    assert events.asks_of(message) == ["bladder"]


@pytest.mark.parametrize(
    ("type_name", "data", "expected"),
    [
        ("user", {"parse_data": {"intent": {"name": "nlu_fallback"}}}, True),
        ("user", {"parse_data": {"intent": {"name": "greet"}}}, False),
        ("action", {"name": "action_suggest_topics"}, True),
        ("action", {"name": "action_listen"}, False),
        ("bot", {"metadata": {"utter_action": "utter_turn_fallback"}}, True),
        ("bot", {"metadata": {"content_id": "pacing.intro"}}, False),
        ("slot", {"name": "action_suggest_topics"}, False),
    ],
)
def test_fallback(type_name, data, expected):
    assert events.is_fallback(type_name, data) is expected


def test_bot_sources_and_shown_text():
    assert events.bot_sources(payload(bot("x", response="utter_greet"))) == ("utter_greet", "")
    assert events.bot_sources(payload(bot("x", content_id="pacing.intro"))) == ("", "pacing.intro")
    assert events.shown_text("Call [999](tel:999) or [111](tel:111).") == "Call 999 or 111."


def test_model_id_and_moment():
    assert events.model_id_of({"metadata": {"model_id": "abc"}}) == "abc"
    assert events.model_id_of({}) == ""
    assert events.moment(0).isoformat() == "1970-01-01T00:00:00+00:00"
    assert events.moment(None) is None
    assert events.moment(True) is None
