import pytest

from bot.nlu.red_flag_logic import (
    ABOUT_ENTITY,
    DetectorVerdict,
    VerdictFinding,
    apply_verdict,
    config_entities,
    intent_for,
)
from bot.settings import load_settings

RANKING = [
    {"name": "ask_sleep", "confidence": 0.6},
    {"name": "ask_exercise", "confidence": 0.3},
]
NONE = DetectorVerdict("none", (), False)


def verdict(*findings: tuple[str, str, str]) -> DetectorVerdict:
    items = tuple(VerdictFinding(*f) for f in findings)
    order = {"soon": 1, "urgent": 2, "emergency": 3}
    tier = max((f.tier for f in items), key=order.__getitem__)
    return DetectorVerdict(tier, items, False)


@pytest.mark.parametrize(
    ("findings", "intent"),
    [
        ([("cauda_equina_bladder", "emergency", "wet myself")], "red_flag_emergency"),
        ([("suicidal_thoughts", "emergency", "end it all")], "red_flag_crisis"),
        ([("fever_infection", "urgent", "fever")], "red_flag_urgent"),
        ([("weight_loss", "soon", "lost weight")], "red_flag_soon"),
        ([("weight_loss", "soon", "x"), ("fever_infection", "urgent", "y")], "red_flag_urgent"),
    ],
)
def test_intent_for_highest_tier(findings, intent):
    assert intent_for(verdict(*findings)) == intent


def test_finding_overrides_intent_and_adds_entity_with_span():
    text = "I think I wet myself last night"
    intent, ranking, entities = apply_verdict(
        text,
        verdict(("cauda_equina_bladder", "emergency", "wet myself")),
        RANKING[0],
        RANKING,
        [],
        0.8,
    )
    assert intent == {"name": "red_flag_emergency", "confidence": 1.0}
    assert ranking[0] == intent
    [entity] = entities
    assert entity["entity"] == "red_flag"
    assert entity["value"] == "cauda_equina_bladder"
    assert entity["role"] == "emergency"
    assert text[entity["start"] : entity["end"]] == "wet myself"


def test_warning_sign_question_becomes_education_intent():
    intent, _, entities = apply_verdict(
        "what if I lose bladder control?",
        DetectorVerdict("none", (), True),
        RANKING[0],
        RANKING,
        [],
        0.8,
    )
    assert intent["name"] == "ask_warning_signs"
    assert entities == []


def test_weak_classifier_red_flag_falls_back_to_next_intent():
    weak = {"name": "red_flag_soon", "confidence": 0.5}
    intent, ranking, _ = apply_verdict("tired", NONE, weak, [weak, *RANKING], [], 0.8)
    assert intent["name"] == "ask_sleep"
    assert all(r["name"] != "red_flag_soon" for r in ranking)


def test_confident_classifier_red_flag_is_kept_as_second_net():
    strong = {"name": "red_flag_emergency", "confidence": 0.95}
    intent, _, _ = apply_verdict("x", NONE, strong, [strong, *RANKING], [], 0.8)
    assert intent == strong


def test_plain_message_is_unchanged():
    intent, ranking, entities = apply_verdict("hi", NONE, RANKING[0], RANKING, [], 0.8)
    assert (intent, ranking, entities) == (RANKING[0], RANKING, [])


def test_config_entities_carry_configured_numbers(monkeypatch):
    monkeypatch.setenv("BACKCARE_EMERGENCY_NUMBER", "911")
    monkeypatch.setenv("BACKCARE_CRISIS_LINE", "988")
    values = {e["entity"]: e["value"] for e in config_entities(load_settings())}
    assert values["emergency_number"] == "911"
    assert values["crisis_line"] == "988"
    assert "urgent_advice_line" in values


def test_a_relatives_finding_adds_the_about_entity():
    found = verdict(("fever_infection", "urgent", "temperature"))
    about = DetectorVerdict(found.tier, found.findings, False, None, True)
    _, _, entities = apply_verdict("Dad's got a temperature", about, RANKING[0], RANKING, [], 0.8)
    assert [e["value"] for e in entities if e["entity"] == ABOUT_ENTITY] == ["someone_else"]
    _, _, own = apply_verdict("I've got a temperature", found, RANKING[0], RANKING, [], 0.8)
    assert not [e for e in own if e["entity"] == ABOUT_ENTITY]
    # No finding, no entity, whatever the flag says.
    empty = DetectorVerdict("none", (), False, None, True)
    _, _, plain = apply_verdict("hello", empty, RANKING[0], RANKING, [], 0.8)
    assert not [e for e in plain if e["entity"] == ABOUT_ENTITY]
