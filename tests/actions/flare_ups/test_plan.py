"""The flare-up plan's logic: tidying answers and laying the plan out for each channel."""

from __future__ import annotations

import pytest

from actions.common.content import SMS_LIMIT
from actions.flare_ups.actions import get_flare_content
from actions.flare_ups.plan import (
    FIELDS,
    MAX_ANSWER_CHARS,
    FlarePlan,
    clean_answer,
    render_sms,
    render_web,
    share_room,
    shorten,
)

from ..examples import FLARE_PLAN as PLAN

CONTENT = get_flare_content()
FILLED = {f"flare_{field}": value for field, value in PLAN.answers().items()}
WEB_LABELS = CONTENT.texts("render.web.labels")
SMS_LABELS = CONTENT.texts("render.sms.labels")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("\U0001f622\U0001f622", None),
        ("  a  b ", "a b"),
        ("x" * 400, "x" * (MAX_ANSWER_CHARS - 1) + "\u2026"),
    ],
)
def test_clean_answer(text, expected):
    assert clean_answer(text) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("one two three four", 12, "one two\u2026"),
        ("abcdefghij", 5, "abcd\u2026"),
        ("abc", 1, "\u2026"),
        ("abc", 0, ""),
    ],
)
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected


def test_share_room_lets_short_texts_keep_their_length():
    assert share_room({"a": 5, "b": 100, "c": 100}, 105) == {"a": 5, "b": 50, "c": 50}
    assert share_room({"a": 5, "b": 10}, 100) == {"a": 5, "b": 10}
    assert share_room({"a": 50, "b": 50}, 0) == {"a": 0, "b": 0}


def test_from_slots_and_answers_round_trip():
    assert FlarePlan.from_slots(FILLED) == PLAN
    assert list(PLAN.answers()) == list(FIELDS)
    assert FlarePlan.from_slots({}).helps == ""


def test_render_sms_keeps_short_answers_whole_and_cuts_long_ones():
    plan = FlarePlan(**{**PLAN.answers(), "helps": "heat " * 200})
    templates = CONTENT.texts("render.sms")
    text = render_sms(plan, templates, SMS_LABELS)
    assert len(text) <= SMS_LIMIT
    assert "Triggers: Doing too much, poor sleep." in text
    assert "Helps: heat heat" in text
    assert "\u2026" in text


def test_render_sms_does_not_double_full_stops():
    plan = FlarePlan(**{**PLAN.answers(), "triggers": "Stress."})
    text = render_sms(plan, CONTENT.texts("render.sms"), SMS_LABELS)
    assert "Triggers: Stress." in text
    assert ".." not in text


def test_render_web_has_a_heading_and_a_line_per_field():
    text = render_web(PLAN, CONTENT.texts("render.web"), WEB_LABELS)
    assert len(text.splitlines()) == 1 + len(FIELDS)
