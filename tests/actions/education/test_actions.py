from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import UserUtteranceReverted

from actions.education.actions import (
    ActionExplainTopic,
    ActionShowMenu,
    ActionShowTopics,
    ActionSuggestTopics,
)
from actions.education.topics import get_store
from bot.settings import get_settings
from tests.main_menu import MAIN_MENU

from ..dispatch import content_ids, payloads, run

STORE = get_store()


@pytest.fixture(autouse=True)
def emergency_number(monkeypatch):
    monkeypatch.setenv("BACKCARE_EMERGENCY_NUMBER", "112")
    get_settings.cache_clear()
    yield "112"
    get_settings.cache_clear()


def make_tracker(
    intent: str | None,
    *,
    channel: str | None = "socketio",
    ranking: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    before: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest = {
        "text": "some words",
        "intent": {"name": intent, "confidence": 0.9} if intent else {},
        "intent_ranking": ranking or [],
        "entities": entities or [],
    }
    events = [
        *(before or []),
        {"event": "user", "text": "some words", "parse_data": latest, "input_channel": channel},
    ]
    return Tracker("patient-1", {}, latest, events, False, None, {}, "action_listen")


def test_explain_topic_on_web_sends_the_topic_as_one_message_then_related_and_menu() -> None:
    events, messages = run(ActionExplainTopic(), make_tracker("ask_sleep"))
    topic = STORE.topic("sleep")
    assert events == []
    assert content_ids(messages) == ["sleep", "ui.related_prompt"]
    assert messages[0]["text"].split("\n\n") == list(topic.parts)
    assert messages[-1]["text"] == STORE.text("related_prompt")
    assert payloads(messages[-1]) == [
        "/ask_mind_body",
        "/ask_pacing",
        "/ask_medication",
        "/show_menu",
    ]


def test_explain_topic_on_sms_sends_the_sms_variant_and_buttons() -> None:
    events, messages = run(ActionExplainTopic(), make_tracker("ask_sleep", channel="twilio"))
    assert events == []
    assert content_ids(messages) == ["sleep", "ui.related_prompt"]
    assert messages[0]["text"] == STORE.topic("sleep").sms
    assert payloads(messages[1])[-1] == "/show_menu"


@pytest.mark.parametrize(
    "topic", [t for t in STORE.topics.values() if t.intent], ids=lambda t: t.intent
)
@pytest.mark.parametrize("channel", ["socketio", "twilio", None])
def test_every_topic_intent_is_explained_with_placeholders_filled(topic, channel) -> None:
    _, messages = run(ActionExplainTopic(), make_tracker(topic.intent, channel=channel))
    assert content_ids(messages)[0] == topic.id
    assert all("{" not in m["text"] for m in messages)


def test_bot_challenge_explains_the_assistant_with_the_emergency_number() -> None:
    _, messages = run(ActionExplainTopic(), make_tracker("bot_challenge"))
    assert content_ids(messages)[0] == "about"
    assert "112" in messages[0]["text"]


def test_warning_signs_tell_the_configured_emergency_number() -> None:
    _, messages = run(ActionExplainTopic(), make_tracker("ask_warning_signs", channel="twilio"))
    assert content_ids(messages)[0] == "warning_signs"
    assert "call 112" in messages[0]["text"].lower()


@pytest.mark.parametrize("intent", ["greet", None])
def test_explain_topic_without_a_topic_shows_the_menu(intent) -> None:
    events, messages = run(ActionExplainTopic(), make_tracker(intent))
    assert events == []
    assert content_ids(messages) == ["ui.menu.prompt"]


def test_show_menu_lists_the_things_to_do_not_every_topic() -> None:
    events, messages = run(ActionShowMenu(), make_tracker("show_menu"))
    assert events == []
    (message,) = messages
    assert message["content_id"] == "ui.menu.prompt"
    assert message["text"] == STORE.text("menu.prompt")
    assert payloads(message) == MAIN_MENU


def test_topics_come_a_page_at_a_time_and_the_last_page_leads_back_to_the_menu() -> None:
    seen: list[str] = []
    page = 1
    while True:
        entity = [{"entity": "topics_page", "value": str(page)}]
        _, [message] = run(ActionShowTopics(), make_tracker("show_topics", entities=entity))
        assert len(message["buttons"]) <= 6
        seen += payloads(message)[:-1]
        if payloads(message)[-1] == "/show_menu":
            break
        assert payloads(message)[-1] == f'/show_topics{{"topics_page": "{page + 1}"}}'
        page += 1
    assert page == 4
    assert len(seen) == len(set(seen)) == 19
    assert "/ask_pain_science" in seen and "/ask_warning_signs" in seen


def test_topics_without_a_page_show_the_first() -> None:
    _, [message] = run(ActionShowTopics(), make_tracker("show_topics"))
    assert message["content_id"] == "ui.topics.page_1"


def test_suggest_topics_offers_the_likeliest_topics() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "ask_sleep", "confidence": 0.31},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_pacing", "confidence": 0.12},
        {"name": "red_flag_soon", "confidence": 0.1},
    ]
    events, messages = run(ActionSuggestTopics(), make_tracker("nlu_fallback", ranking=ranking))
    assert events == [UserUtteranceReverted()]
    (message,) = messages
    assert message["content_id"] == "ui.suggest.prompt"
    assert payloads(message) == ["/ask_sleep", "/ask_pacing", "/show_menu"]
    assert [b["title"] for b in message["buttons"]] == [
        STORE.topic("sleep").title,
        STORE.topic("pacing").title,
        STORE.button("buttons.something_else").title,
    ]


def test_suggest_topics_offers_at_most_three() -> None:
    ranking = [
        {"name": name, "confidence": 0.2}
        for name in ("ask_sleep", "ask_work", "ask_imaging", "ask_physio")
    ]
    _, messages = run(ActionSuggestTopics(), make_tracker("nlu_fallback", ranking=ranking))
    assert payloads(messages[0]) == ["/ask_sleep", "/ask_work", "/ask_imaging", "/show_menu"]


@pytest.mark.parametrize(
    "ranking",
    [[], [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.3}]],
)
def test_suggest_topics_asks_to_rephrase_when_no_topic_is_likely(ranking) -> None:
    events, messages = run(ActionSuggestTopics(), make_tracker("nlu_fallback", ranking=ranking))
    assert events == [UserUtteranceReverted()]
    assert [m["content_id"] for m in messages] == ["ui.suggest.rephrase", "ui.menu.prompt"]


def test_a_lone_menu_button_is_not_offered_again_the_menu_is_shown() -> None:
    only_menu = {
        "event": "bot",
        "text": "That's fine.",
        "data": {"buttons": [{"title": "Menu", "payload": "/show_menu"}]},
    }
    tracker = make_tracker("nlu_fallback", before=[{"event": "user", "text": "no"}, only_menu])
    events, messages = run(ActionSuggestTopics(), tracker)
    assert events == [UserUtteranceReverted()]
    assert content_ids(messages) == ["ui.suggest.rephrase", "ui.menu.prompt"]


def test_an_unclear_answer_to_a_question_offers_its_buttons_again_and_takes_it_back() -> None:
    question = {
        "event": "bot",
        "text": "Do you have a fever?",
        "data": {
            "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
        },
    }
    tracker = make_tracker(
        "nlu_fallback",
        ranking=[{"name": "ask_sleep", "confidence": 0.3}],
        before=[{"event": "user", "text": "hi"}, question],
    )
    events, messages = run(ActionSuggestTopics(), tracker)
    # Reverted: the next message is read as the answer to the same question.
    assert events == [UserUtteranceReverted()]
    assert content_ids(messages) == ["ui.suggest.pick"]
    assert payloads(messages[0]) == ["/affirm", "/deny"]
