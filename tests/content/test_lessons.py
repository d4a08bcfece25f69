"""Checks on the learning path (content/lessons.yml) and the shared UI strings (ui.yml)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from actions.common.content import PLACEHOLDERS
from actions.education.topics import load_store
from tests.main_menu import MAIN_MENU

CONTENT = Path(__file__).resolve().parents[2] / "content"
STORE = load_store(CONTENT)
COURSE = STORE.course
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
COURSE_PLACEHOLDERS = {"number", "total", "title", *PLACEHOLDERS}
KNOWN_PAYLOAD_INTENTS = set(
    yaml.safe_load((CONTENT.parent / "domain.yml").read_text(encoding="utf-8"))["intents"]
)


def test_course_starts_with_the_core_pain_lessons_in_order() -> None:
    assert COURSE.lessons[:10] == (
        "pain_science",
        "hurt_vs_harm",
        "sensitisation",
        "mind_body",
        "sleep",
        "exercise",
        "pacing",
        "flare_ups",
        "imaging",
        "treatments",
    )


def test_every_lesson_is_a_topic_once() -> None:
    assert all(lesson in STORE.topics for lesson in COURSE.lessons)
    assert len(set(COURSE.lessons)) == len(COURSE.lessons)


@pytest.mark.parametrize("key", ["intro", "heading", "resume", "restart", "complete"])
def test_course_messages_exist_and_read_easily(key: str, grade: Callable[[str], float]) -> None:
    text = COURSE.messages[key]
    assert set(PLACEHOLDER.findall(text)) <= COURSE_PLACEHOLDERS
    sample = text.replace("{number}", "3").replace("{total}", "15").replace("{title}", "Sleep")
    assert grade(sample) <= 7.0
    assert len(sample) <= 306


def test_resume_message_names_the_lesson_finished() -> None:
    assert "{number}" in COURSE.messages["resume"]


def test_unsure_cues_are_given() -> None:
    assert COURSE.unsure


@pytest.mark.parametrize("key", ["related_prompt", "menu.prompt", "suggest.prompt"])
def test_ui_prompts_read_easily(key: str, grade: Callable[[str], float]) -> None:
    assert grade(STORE.text(key)) <= 7.0


def test_ui_buttons_send_known_intents() -> None:
    buttons = [
        *STORE.buttons("menu.actions"),
        STORE.button("buttons.menu"),
        STORE.button("buttons.next_lesson"),
        STORE.button("buttons.something_else"),
    ]
    for button in buttons:
        assert button.payload.startswith("/")
        assert button.payload[1:] in KNOWN_PAYLOAD_INTENTS
        assert len(button.title) <= 24


def test_the_menu_offers_every_main_thing_to_do_and_no_more_than_six_buttons() -> None:
    payloads = [b.payload for b in STORE.buttons("menu.actions")]
    assert payloads == MAIN_MENU


@pytest.mark.parametrize("page", range(len(STORE.topic_pages())))
def test_topic_pages_have_intents_short_titles_and_at_most_five_topics(page: int) -> None:
    topics = STORE.topic_list(f"topics.pages.{page}")
    assert 0 < len(topics) <= 5
    for topic in topics:
        assert topic.intent is not None
        assert len(topic.title) <= 40
