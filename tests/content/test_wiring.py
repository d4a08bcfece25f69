"""The education rules, the domain fragment and the action classes agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Action

from actions.education import actions as education
from actions.education.topics import load_store

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((REPO_ROOT / "data/stories/education.yml").read_text(encoding="utf-8"))
DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))


def education_domain() -> dict:
    """Return the domain, which must declare the teach-back form."""
    assert "teach_back_form" in (DOMAIN.get("forms") or {}), "domain.yml has no teach_back_form"
    return DOMAIN


STORE = load_store()
# Characters every SMS encoding (GSM-7) sends at one unit each, so texts stay short.
SMS_SAFE = re.compile(r"[A-Za-z0-9 .,;:!?'\"()/&%+\-\n]*")


def rule_pairs() -> set[tuple[str, str]]:
    """Return (intent, first action) for every rule that starts with an intent."""
    pairs = set()
    for rule in RULES["rules"]:
        steps = rule["steps"]
        if "intent" in steps[0] and "action" in steps[1] and "condition" not in rule:
            pairs.add((steps[0]["intent"], steps[1]["action"]))
    return pairs


def test_every_topic_intent_has_a_rule_to_explain_it() -> None:
    pairs = rule_pairs()
    for intent in STORE.topic_intents():
        assert (intent, "action_explain_topic") in pairs


def test_navigation_rules() -> None:
    pairs = rule_pairs()
    assert ("show_menu", "action_show_menu") in pairs
    assert ("nlu_fallback", "action_suggest_topics") in pairs
    assert ("start_learning", "action_learning_start") in pairs
    assert ("learn_next", "action_learning_next") in pairs


def test_domain_lists_the_education_actions() -> None:
    names = {
        cls().name()
        for cls in vars(education).values()
        if isinstance(cls, type) and issubclass(cls, Action) and cls.__module__ == education.__name__
    }
    assert names <= set(education_domain()["actions"])


def test_domain_form_and_slots() -> None:
    domain = education_domain()
    assert domain["forms"]["teach_back_form"]["required_slots"] == ["teach_back_answer"]
    slots = domain["slots"]
    assert slots["learning_lesson"]["type"] == "float"
    for name in ("learning_lesson", "teach_back_topic", "teach_back_answer"):
        assert slots[name]["influence_conversation"] is False
    (mapping,) = slots["teach_back_answer"]["mappings"]
    assert mapping["type"] == "from_text"
    assert mapping["conditions"] == [
        {"active_loop": "teach_back_form", "requested_slot": "teach_back_answer"}
    ]


def test_patient_texts_are_sms_safe() -> None:
    texts = [
        *(t for topic in STORE.topics.values() for t in (*topic.parts, topic.sms, topic.title)),
        *(t for topic in STORE.topics.values() for t in (topic.teach_back.question,)),
        *STORE.course.messages.values(),
    ]
    for text in texts:
        plain = re.sub(r"\{[a-z_]+\}", "", text)
        assert SMS_SAFE.fullmatch(plain), text


CATALOGUE = yaml.safe_load((REPO_ROOT / "content/red_flags.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("ask", CATALOGUE["asks"], ids=lambda a: a["id"])
def test_every_clarifying_question_is_a_static_response_with_the_catalogue_words(ask):
    # Static, so the question is asked with the action server down; the same words as
    # the reviewed catalogue, so there is one place to change them.
    variants = DOMAIN["responses"][f"utter_ask_safety_{ask['id']}"]
    web = [v for v in variants if "channel" not in v]
    sms = [v for v in variants if v.get("channel") == "twilio"]
    assert web[0]["text"] == ask["question"]
    assert sms[0]["text"] == ask["sms"]
    for variant in variants:
        assert [b["payload"] for b in variant["buttons"]] == ["/affirm", "/deny"]


def test_every_flag_response_and_runtime_response_is_in_the_domain():
    from bot.policies.safety_plan import POLICY_ONLY_RESPONSES
    from bot.runtime.processor import RUNTIME_ONLY_RESPONSES

    named = {flag["response"] for flag in CATALOGUE["flags"]}
    for response in (*named, *POLICY_ONLY_RESPONSES, *RUNTIME_ONLY_RESPONSES):
        assert response in DOMAIN["responses"], response
