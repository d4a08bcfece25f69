"""The words of the reminders (content/reminders.yml).

Every text a patient reads reads at grade 7 or below, fits two SMS parts where it has an
SMS variant (and as rendered on SMS, options line included), uses SMS-safe characters
and adds no urgency of its own. The form's quick answers are read by the form's own
parsers; the reminder's buttons send words the NLU was trained on for the intended
intent (the reminder arrives outside a turn, so its payloads are plain words); the
other buttons send intents of the domain.
"""

from __future__ import annotations

import itertools
import re
from datetime import time
from typing import Any

import pytest
import yaml

from actions.common.content import SMS_LIMIT
from actions.reminders.messages import (
    days_text,
    get_reminder_content,
    quiet_reask,
    saved_messages,
    time_text,
    zone_text,
)
from actions.reminders.parsing import read_days, read_kind, read_time
from bot.channels.sms.format import compose_turn
from bot.channels.words import channel_words
from bot.reminders.messages import load_reminder_words
from bot.reminders.schedule import QuietHours, Schedule
from bot.reminders.store import KINDS, Reminder
from bot.settings import REPO_ROOT
from tests.readability import reading_grade

PATH = REPO_ROOT / "content" / "reminders.yml"
DATA: dict[str, Any] = yaml.safe_load(PATH.read_text(encoding="utf-8"))
CONTENT = get_reminder_content()
SAMPLES = {
    "what": "to do your weekly check-in",
    "days": "on Mon, Tue, Wed, Thu and Sat",
    "time": "12:30pm",
    "zone": "Los Angeles",
    "quiet_start": "9pm",
    "quiet_end": "8am",
    "day": "Wednesday",
    "first": "Mon, Tue",
    "last": "Fri",
    "hour": "12",
    "minutes": "30",
}
SMS_SAFE = re.compile(r"[A-Za-z0-9 .,;:!?'\"()/&%+\-\n]*")
URGENCY = ("urgent", "emergency", "a&e", "999", "{emergency_number}", "ambulance", "111")
NOT_PROSE = ("metadata", "payload", "zones", "short", "names", "time", "separator")


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
            if key not in ("metadata", "payload"):
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
    assert any("adherence" in source.lower() for source in metadata["sources"])
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


def test_intent_buttons_send_intents_of_the_domain():
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for key in ("yes_set", "not_now"):
        assert DATA["buttons"][key]["payload"][1:] in domain["intents"], key


def test_the_forms_quick_answers_are_read_by_the_form():
    assert [read_kind(b["payload"]) for b in DATA["buttons"]["kind"]] == list(KINDS)
    assert all(read_days(b["payload"]) for b in DATA["buttons"]["days"])
    assert all(read_time(b["payload"]) for b in DATA["buttons"]["time"])


def nlu_examples() -> dict[str, set[str]]:
    examples: dict[str, set[str]] = {}
    for path in (REPO_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                lines = {line[2:].strip().lower() for line in block["examples"].splitlines()}
                examples.setdefault(block["intent"], set()).update(lines)
    return examples


@pytest.mark.parametrize(
    ("payload", "intent"),
    [
        ("show my exercises", "show_my_exercises"),
        ("start check in", "start_checkin"),
        ("stop reminders", "stop_reminders"),
    ],
)
def test_the_reminders_own_buttons_are_words_the_nlu_learnt(payload, intent):
    buttons = [b for kind in DATA["due"]["buttons"].values() for b in kind]
    assert payload in {b["payload"] for b in buttons}
    assert payload in nlu_examples()[intent]


def test_the_scheduler_reads_every_kind():
    words = load_reminder_words(PATH)
    assert set(words.texts) == set(KINDS) == set(words.buttons)


@pytest.mark.parametrize("kind", KINDS)
def test_the_reminder_as_texted_is_one_text_with_its_options(kind):
    message = load_reminder_words(PATH).message(kind, sms=True)
    turn = compose_turn([message], channel_words().sms)
    assert len(turn.bodies) == 1
    assert turn.bodies[0].startswith("BackCare: ")
    assert len(turn.bodies[0]) <= SMS_LIMIT


def saved_renderings() -> list[tuple[str, str]]:
    """Return the longest confirmations as rendered, on SMS and on the web."""
    rendered = []
    long_days = frozenset({0, 1, 2, 3, 5})
    for kind, sms in itertools.product(KINDS, (True, False)):
        schedule = Schedule(long_days, time(12, 30), "America/Los_Angeles")
        reminder = Reminder(1, "p", kind, "sms", schedule, True, None)
        text = " ".join(m.text for m in saved_messages(CONTENT, reminder, sms=sms))
        rendered.append((f"saved.{kind}.{'sms' if sms else 'web'}", text))
    return rendered


@pytest.mark.parametrize(("name", "text"), saved_renderings(), ids=lambda v: str(v)[:30])
def test_the_confirmation_fits_and_reads_easily(name, text):
    assert len(text) <= SMS_LIMIT, name
    assert SMS_SAFE.fullmatch(text), name
    assert reading_grade(text) <= 7, name


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (range(7), "every day"),
        (range(5), "on weekdays"),
        ((5, 6), "at weekends"),
        ((6,), "every Sunday"),
        ((0, 4), "on Mon and Fri"),
        ((0, 2, 4), "on Mon, Wed and Fri"),
    ],
)
def test_days_are_said_plainly(days, said):
    assert days_text(CONTENT, frozenset(days)) == said


@pytest.mark.parametrize(
    ("at", "said"),
    [
        (time(9, 0), "9am"),
        (time(18, 30), "6:30pm"),
        (time(12, 0), "12 noon"),
        (time(12, 15), "12:15pm"),
        (time(0, 0), "midnight"),
        (time(0, 30), "12:30am"),
    ],
)
def test_times_are_said_the_way_people_say_them(at, said):
    assert time_text(CONTENT, at) == said


def test_zones_are_said_by_country_or_city_and_quiet_hours_by_the_clock():
    assert zone_text(CONTENT, "Europe/London") == "UK"
    assert zone_text(CONTENT, "America/New_York") == "New York"
    text = quiet_reask(CONTENT, QuietHours.parse("21:00-08:00")).text
    assert "between 9pm and 8am" in text and "from 8am to 9pm" in text
