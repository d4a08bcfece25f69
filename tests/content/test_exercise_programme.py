"""The words of the home exercise programme (content/exercise_programme.yml).

Every text a patient reads reads at grade 7 or below, fits two SMS parts where it has
an SMS variant (and as rendered on SMS), uses SMS-safe characters, adds no urgency of
its own, and every button sends an intent the domain knows or a walk-through answer.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from actions.common.content import SMS_LIMIT
from actions.exercises.library import get_library
from actions.exercises.messages import (
    choice_question,
    get_programme_content,
    log_messages,
    saved_messages,
    starter_set,
    summary_messages,
    walk_messages,
)
from actions.exercises.parsing import LogEntry, LogReport
from actions.exercises.walk import VIEWS, read_walk_answer
from bot.channels.sms.format import compose_turn
from bot.channels.words import channel_words
from bot.settings import REPO_ROOT
from tests.readability import reading_grade

PATH = REPO_ROOT / "content" / "exercise_programme.yml"
DATA: dict[str, Any] = yaml.safe_load(PATH.read_text(encoding="utf-8"))
CONTENT = get_programme_content()
LIBRARY = get_library()
SAMPLES = {
    "count": "4",
    "names": "Back flatten, Knee to chest and Walking",
    "done": "2",
    "planned": "4",
    "when": "for yesterday",
    "days": "4",
    "streak": "3",
    "n": "2",
    "number": "10",
    "name": "Knee lift lying on your side",
}
# Characters every SMS encoding (GSM-7) sends at one unit each (as tests/content/test_wiring.py).
SMS_SAFE = re.compile(r"[A-Za-z0-9 .,;:!?'\"()/&%+\-\n]*")
URGENCY = ("urgent", "emergency", "a&e", "999", "{emergency_number}", "ambulance", "111")


def filled(text: str) -> str:
    text = " ".join(text.split())
    for name, value in SAMPLES.items():
        text = text.replace("{" + name + "}", value)
    return text


def texts(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Return every patient-facing text with its path (not metadata, ids or payloads)."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("metadata", "payload", "starter_set"):
                found += texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += texts(value, f"{path}.{index}")
    elif isinstance(node, str):
        found.append((path, filled(node)))
    return found


ALL_TEXTS = texts(DATA)


def test_the_file_cites_its_sources_and_review():
    metadata = DATA["metadata"]
    assert "NICE NG59" in " ".join(metadata["sources"])
    assert metadata["review"]["status"] in ("draft", "reviewed")
    assert metadata["max_reading_grade"] == 7
    assert metadata["sms_limit"] == SMS_LIMIT


def test_every_sentence_reads_at_grade_7_or_below():
    too_hard = {
        path: round(grade, 1)
        for path, text in ALL_TEXTS
        if len(text.split()) >= 5 and (grade := reading_grade(text)) > 7
    }
    assert too_hard == {}


def test_sms_variants_fit_two_parts():
    too_long = {
        path: len(t) for path, t in ALL_TEXTS if path.endswith("sms") and len(t) > SMS_LIMIT
    }
    assert too_long == {}


def test_texts_are_sms_safe_and_add_no_urgency():
    for path, text in ALL_TEXTS:
        assert SMS_SAFE.fullmatch(text), path
        assert [word for word in URGENCY if word in text.lower()] == [], path


def test_intent_buttons_send_intents_of_the_domain_and_answers_are_read():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = set(domain["intents"])
    entities = {next(iter(e)) if isinstance(e, dict) else e for e in domain["entities"]}
    for key, button in DATA["buttons"].items():
        payload = button["payload"]
        if payload.startswith("/"):
            intent, _, given = payload[1:].partition("{")
            assert intent in intents, key
            if given:  # '/set_reminder{"reminder_kind": "exercise"}': entities the domain has
                assert set(json.loads("{" + given)) <= entities, key
        elif key != "starter":
            assert read_walk_answer(payload) is not None, key


def test_the_starter_set_and_the_sms_names_name_library_exercises():
    assert 3 <= len(starter_set(CONTENT)) <= 5
    assert set(starter_set(CONTENT)) <= set(LIBRARY.ids())
    assert set(DATA["sms_names"]) == set(LIBRARY.ids())
    assert len(set(DATA["sms_names"].values())) == len(LIBRARY.ids())


def sms_renderings() -> list[tuple[str, str]]:
    """Return every message as rendered on SMS, with a name."""
    rendered = [("choose.ask", choice_question(CONTENT, LIBRARY, sms=True).text)]
    # The longest short names, in a programme of five.
    longest = sorted(LIBRARY.ids(), key=lambda e: -len(DATA["sms_names"][e]))[:5]
    for key, starter in (("saved", False), ("saved_starter", True)):
        for message in saved_messages(CONTENT, LIBRARY, longest, starter=starter, sms=True):
            rendered.append((key, message.text))
    for exercise_id, view in itertools.product(LIBRARY.ids(), VIEWS):
        messages = walk_messages(CONTENT, LIBRARY, [exercise_id], 0, view, sms=True)
        rendered.append((f"walk.{exercise_id}.{view}", " ".join(m.text for m in messages)))
    entry = LogEntry(date(2026, 11, 28), 2, 4, "hurt")
    for report in (LogReport(), LogReport(done=2, planned=4), LogReport(done=0, reason="hurt")):
        messages = log_messages(CONTENT, report, entry)
        rendered.append((f"log.{report}", " ".join(m.text for m in messages)))
    today = date(2026, 11, 28)
    week = [LogEntry(today - timedelta(days=d), 3, 3) for d in range(30)]
    rendered.append(("summary", " ".join(m.text for m in summary_messages(CONTENT, week, today))))
    return rendered


@pytest.mark.parametrize(("name", "text"), sms_renderings(), ids=lambda v: str(v)[:40])
def test_messages_as_rendered_on_sms_fit_two_parts(name, text):
    assert len(text) <= SMS_LIMIT, name
    assert SMS_SAFE.fullmatch(text), name


@pytest.mark.parametrize("exercise_id", LIBRARY.ids())
def test_each_walk_step_on_sms_keeps_its_choices_in_the_first_text(exercise_id):
    # The channel adds "Reply A for Done, ..." and pages what does not fit; the choices
    # must be in the first text the patient gets.
    messages = walk_messages(CONTENT, LIBRARY, [exercise_id], 0, "full", sms=True)
    turn = compose_turn([m.as_kwargs() for m in messages], channel_words().sms)
    assert "Done" in turn.bodies[0]
    assert [b["payload"] for b in turn.buttons] == ["done", "too hard", "show me again"]


def test_rendered_chat_messages_read_at_grade_7_or_below():
    today = date(2026, 11, 28)
    week = [LogEntry(today - timedelta(days=d), 3, 3) for d in range(30)]
    messages = [
        *summary_messages(CONTENT, week, today),
        *log_messages(CONTENT, LogReport(done=2, planned=4), LogEntry(today, 2, 4)),
        *walk_messages(CONTENT, LIBRARY, ["bridge"], 0, "easier", sms=False),
    ]
    for message in messages:
        if len(message.text.split()) >= 5:
            assert reading_grade(message.text) <= 7, message.content_id
