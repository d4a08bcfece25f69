from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from actions.common.content import (
    CONTENT_DIR,
    Button,
    ContentError,
    OutgoingMessage,
    fill,
    placeholder_values,
)
from actions.education.course import LessonStep
from actions.education.messages import (
    explain_messages,
    feedback_messages,
    lesson_messages,
    menu_message,
    question_message,
    suggested_topics,
    suggestion_message,
    topic_messages,
    topics_message,
    topics_page_payload,
)
from actions.education.topics import get_store, load_store
from tests.main_menu import MAIN_MENU

VALUES = {"emergency_number": "112", "crisis_line": "0800", "urgent_advice_line": "111"}


@pytest.fixture(scope="module")
def store():
    return load_store()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("red_flags.yml"))
    return root


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


# --- loading -------------------------------------------------------------------------


def test_get_store_loads_once() -> None:
    assert get_store() is get_store()


def test_store_maps_intents_to_topics(store) -> None:
    assert store.topic_for_intent("ask_sleep").id == "sleep"
    assert store.topic_for_intent("bot_challenge").id == "about"
    assert store.topic_for_intent("ask_warning_signs").id == "warning_signs"
    assert store.topic_for_intent("greet") is None
    assert store.topic_for_intent(None) is None
    assert "ask_pain_science" in store.topic_intents()
    assert "nlu_fallback" not in store.topic_intents()


def test_topic_lookup(store) -> None:
    assert store.topic("pacing").intent == "ask_pacing"
    assert store.find_topic("nope") is None
    assert store.find_topic(None) is None
    with pytest.raises(ContentError, match="unknown topic"):
        store.topic("nope")


def test_review_record_is_read_with_iso_dates(store) -> None:
    review = store.topic("sleep").review
    assert review.status in {"draft", "reviewed"}
    assert review.drafted == "2026-11-23"
    assert len(store.topic("sleep").text_hash) == 64


def test_ui_lookups(store) -> None:
    assert store.button("buttons.menu") == Button("Menu", "/show_menu")
    assert store.buttons("menu.actions")[0].payload == "/start_learning"
    with pytest.raises(ContentError, match="has no"):
        store.text("menu.nothing_here")
    with pytest.raises(ContentError, match="not a text"):
        store.text("menu")


@pytest.mark.parametrize(
    ("file", "change", "error"),
    [
        ("topics/sleep.yml", lambda d: d.pop("sources"), "sources"),
        ("topics/sleep.yml", lambda d: d.update(sources=[]), "sources must not be empty"),
        ("topics/sleep.yml", lambda d: d.update(id="naps"), "match the file name"),
        ("topics/sleep.yml", lambda d: d.update(related=["naps"]), "related topic 'naps'"),
        ("topics/sleep.yml", lambda d: d.update(intent="ask_pacing"), "already answered"),
        ("topics/sleep.yml", lambda d: d.update(reading_grade="easy"), "reading_grade"),
        ("topics/sleep.yml", lambda d: d["review"].pop("date"), "review.date"),
        ("topics/sleep.yml", lambda d: d["review"].update(status="ok"), "review.status"),
        (
            "topics/sleep.yml",
            lambda d: d["review"].update(status="reviewed", reviewer="A Physio"),
            "needs review.registration",
        ),
        ("topics/sleep.yml", lambda d: d["teach_back"].pop("praise"), "praise"),
        ("topics/sleep.yml", lambda d: d["teach_back"].update(expect_any=[3]), "expect_any"),
        ("lessons.yml", lambda d: d["lessons"].append("naps"), "lesson 'naps'"),
        ("ui.yml", lambda d: d["topics"]["pages"][0].append("naps"), "unknown topic 'naps'"),
    ],
)
def test_load_store_rejects_broken_content(content_copy: Path, file, change, error) -> None:
    edit_yaml(content_copy / file, change)
    with pytest.raises(ContentError, match=error):
        load_store(content_copy)


def test_load_store_needs_topics(tmp_path: Path) -> None:
    (tmp_path / "topics").mkdir()
    with pytest.raises(ContentError, match="no topics"):
        load_store(tmp_path)


# --- placeholders --------------------------------------------------------------------


def test_fill_replaces_known_placeholders_only() -> None:
    assert fill("Call {emergency_number}. {other} {", VALUES) == "Call 112. {other} {"


def test_placeholder_values_come_from_settings(monkeypatch) -> None:
    from bot.settings import get_settings

    monkeypatch.setenv("BACKCARE_EMERGENCY_NUMBER", "911")
    get_settings.cache_clear()
    try:
        assert placeholder_values()["emergency_number"] == "911"
        assert set(placeholder_values()) == {
            "emergency_number",
            "crisis_line",
            "crisis_line_name",
            "crisis_text",
            "urgent_advice_line",
        }
    finally:
        get_settings.cache_clear()


# --- course logic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        (None, LessonStep(index=0, completed=0, lead="intro")),
        (0.0, LessonStep(index=0, completed=0, lead="intro")),
        (3.0, LessonStep(index=3, completed=3, lead="resume")),
        (-2.0, LessonStep(index=0, completed=0, lead="intro")),
        (15.0, LessonStep(index=0, completed=0, lead="restart")),
        (99.0, LessonStep(index=0, completed=0, lead="restart")),
    ],
)
def test_course_start(store, completed, expected) -> None:
    assert store.course.total == 15
    assert store.course.start(completed) == expected


@pytest.mark.parametrize(
    ("completed", "pending", "expected"),
    [
        (None, None, LessonStep(index=0, completed=0)),
        (2.0, None, LessonStep(index=2, completed=2)),
        # Moving on while lesson 3's check is open counts lesson 3 as finished.
        (2.0, "sensitisation", LessonStep(index=3, completed=3)),
        # An earlier lesson does not move progress back.
        (5.0, "pain_science", LessonStep(index=5, completed=5)),
        (14.0, None, LessonStep(index=14, completed=14)),
        (14.0, "warning_signs", LessonStep(index=None, completed=15, lead="complete")),
        (15.0, None, LessonStep(index=None, completed=15, lead="complete")),
        (3.0, "about", LessonStep(index=3, completed=3)),
    ],
)
def test_course_next(store, completed, pending, expected) -> None:
    assert store.course.next(completed, pending) == expected


def test_course_finish(store) -> None:
    assert store.course.finish(0.0, "hurt_vs_harm") == 2
    assert store.course.finish(4.0, "hurt_vs_harm") == 4
    assert store.course.finish(4.0, None) == 4
    assert store.course.index_of("sleep") == 4
    assert store.course.index_of("about") is None


# --- message builders ----------------------------------------------------------------


def test_topic_messages_web_sends_the_parts_as_paragraphs_of_one_message(store) -> None:
    topic = store.topic("pain_science")
    (message,) = topic_messages(topic, sms=False, values=VALUES)
    assert message.text.split("\n\n") == list(topic.parts)
    assert message.content_id == "pain_science"


def test_topic_messages_put_a_heading_first_in_bold_on_the_web(store) -> None:
    topic = store.topic("sleep")
    (web,) = topic_messages(topic, sms=False, values=VALUES, heading="Lesson 5 of 15: Sleep")
    (sms,) = topic_messages(topic, sms=True, values=VALUES, heading="Lesson 5 of 15: Sleep")
    assert web.text.startswith("**Lesson 5 of 15: Sleep**\n\n")
    assert sms.text.startswith("Lesson 5 of 15: Sleep\n\n")


def test_topic_messages_sms_sends_the_sms_variant_filled(store) -> None:
    topic = store.topic("about")
    (message,) = topic_messages(topic, sms=True, values=VALUES)
    assert message.text == topic.sms.replace("{emergency_number}", "112")
    assert "{" not in message.text


def test_explain_messages_offer_related_topics_and_menu(store) -> None:
    topic = store.topic("sleep")
    *_, offer = explain_messages(store, topic, sms=False, values=VALUES)
    assert offer.content_id == "ui.related_prompt"
    assert [b.payload for b in offer.buttons] == [
        "/ask_mind_body",
        "/ask_pacing",
        "/ask_medication",
        "/show_menu",
    ]
    assert offer.buttons[0].title == store.topic("mind_body").title


def test_menu_message_lists_the_things_to_do_and_topics_as_one_button(store) -> None:
    menu = menu_message(store)
    assert menu.content_id == "ui.menu.prompt"
    assert [b.payload for b in menu.buttons] == MAIN_MENU


def test_topic_pages_name_their_next_page(store) -> None:
    first = topics_message(store, 1)
    last = topics_message(store, 99)
    assert first.buttons[-1].payload == topics_page_payload(2)
    assert last.content_id == f"ui.topics.page_{len(store.topic_pages())}"
    assert last.buttons[-1].payload == "/show_menu"


def test_outgoing_message_as_kwargs() -> None:
    message = OutgoingMessage("Hi", "ui.x", (Button("Menu", "/show_menu"),))
    assert message.as_kwargs() == {
        "text": "Hi",
        "buttons": [{"title": "Menu", "payload": "/show_menu"}],
        "content_id": "ui.x",
    }


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        (
            [
                {"name": "nlu_fallback", "confidence": 0.45},
                {"name": "ask_sleep", "confidence": 0.30},
                {"name": "greet", "confidence": 0.2},
                {"name": "ask_pacing", "confidence": 0.1},
                {"name": "ask_exercise", "confidence": 0.06},
                {"name": "ask_work", "confidence": 0.05},
            ],
            ["sleep", "pacing", "exercise"],
        ),
        ([{"name": "ask_sleep", "confidence": 0.01}], []),
        ([{"name": "greet", "confidence": 0.9}, {"name": "deny", "confidence": 0.1}], []),
        ([], []),
        ([{"name": "bot_challenge"}], ["about"]),
    ],
)
def test_suggested_topics(store, ranking, expected) -> None:
    assert [t.id for t in suggested_topics(store, ranking)] == expected


def test_suggestion_message(store) -> None:
    message = suggestion_message(store, [store.topic("sleep")])
    assert message.content_id == "ui.suggest.prompt"
    assert [b.payload for b in message.buttons] == ["/ask_sleep", "/show_menu"]
    assert message.buttons[-1].title == store.button("buttons.something_else").title


def test_lesson_messages_intro_heading_and_parts(store) -> None:
    step = LessonStep(index=0, completed=0, lead="intro")
    messages = lesson_messages(store, step, sms=False, values=VALUES)
    assert [m.content_id for m in messages] == ["lessons.intro", "pain_science"]
    assert "15" in messages[0].text
    assert messages[1].text.startswith("**Lesson 1 of 15: What pain is**\n\n")


def test_lesson_messages_resume_names_the_last_lesson(store) -> None:
    step = LessonStep(index=2, completed=2, lead="resume")
    messages = lesson_messages(store, step, sms=True, values=VALUES)
    assert [m.content_id for m in messages] == ["lessons.resume", "sensitisation"]
    assert "lesson 2" in messages[0].text
    assert store.topic("hurt_vs_harm").title in messages[0].text


def test_lesson_messages_course_complete_offers_menu(store) -> None:
    step = LessonStep(index=None, completed=15, lead="complete")
    (message,) = lesson_messages(store, step, sms=False, values=VALUES)
    assert message.content_id == "lessons.complete"
    assert message.buttons == (store.button("buttons.menu"),)


def test_question_message(store) -> None:
    message = question_message(store.topic("about"), VALUES)
    assert message.content_id == "about.teach_back.question"


@pytest.mark.parametrize(
    ("key", "text_of"),
    [
        ("praise", lambda spec: spec.praise),
        ("nudge", lambda spec: spec.nudge),
        ("misconceptions.0", lambda spec: spec.misconceptions[0].correction),
    ],
)
def test_feedback_messages_mid_course(store, key, text_of) -> None:
    topic = store.topic("sleep")
    (message,) = feedback_messages(store, topic, key, completed=5, values=VALUES)
    assert message.text == text_of(topic.teach_back)
    assert message.content_id == f"sleep.teach_back.{key}"
    assert [b.payload for b in message.buttons] == ["/learn_next", "/show_menu"]


def test_feedback_messages_after_last_lesson_close_the_course(store) -> None:
    topic = store.topic("warning_signs")
    messages = feedback_messages(store, topic, "praise", completed=15, values=VALUES)
    assert [m.content_id for m in messages] == [
        "warning_signs.teach_back.praise",
        "lessons.complete",
    ]
    assert "112" in messages[0].text
    assert messages[0].buttons == ()


def test_teach_back_message_rejects_unknown_keys(store) -> None:
    spec = store.topic("sleep").teach_back
    for key in ("misconceptions.9", "misconceptions.x", "other"):
        with pytest.raises(ContentError):
            spec.message(key)
