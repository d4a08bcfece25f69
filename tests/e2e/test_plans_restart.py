"""End to end: plans built in conversation survive a restart of both servers."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bot.runtime.launch import free_port, start_stack
from tests.conftest import MODEL, REST_TOKEN, conversation_of, responses, say_to

pytestmark = pytest.mark.e2e


def all_text(replies):
    return " ".join(m.get("text", "") for m in replies)


def test_pacing_plan_and_course_progress_survive_a_restart(e2e_dir):
    db = e2e_dir / "plans.db"
    env = {"BACKCARE_DATABASE_URL": f"sqlite:///{db}", "BACKCARE_REST_TOKEN": REST_TOKEN}
    first = start_stack(MODEL, free_port(), free_port(), e2e_dir / "logs-plans-1", env)
    try:
        say = say_to(first)
        say("walker", "help me make a pacing plan")
        for answer in ["walking", "minutes", "about 20 mins", "10", "10%"]:
            say("walker", answer)
        saved = all_text(say("walker", "no goal"))
        # 80% of the average of 20 and 10 minutes is 12, more than a bad day allows:
        # the plan starts at the bad-day amount, 10 minutes.
        assert "Start with 10 minutes" in saved
        shown = all_text(say("walker", "show my pacing plan"))
        assert "Week 1: 10" in shown
        # The learning path: first lesson and its teach-back answer.
        assert "lesson" in all_text(say("learner", "teach me about pain")).lower()
        say("learner", "pain is an alarm that protects me, it doesn't mean damage")
    finally:
        first.stop()
    second = start_stack(MODEL, free_port(), free_port(), e2e_dir / "logs-plans-2", env)
    try:
        say = say_to(second)
        shown = all_text(say("walker", "show my pacing plan"))
        assert "walking" in shown.lower()
        assert "Week 1: 10" in shown
        resumed = all_text(say("learner", "teach me about pain"))
        assert "Welcome back! Last time you finished lesson 1" in resumed
    finally:
        second.stop()


def test_red_flag_mid_pacing_form_interrupts_it_and_is_not_an_answer(stack, rest_say, sender):
    rest_say(sender, "help me make a pacing plan")
    replies = rest_say(sender, "I fell off a ladder this morning and cant feel my legs")
    assert responses(replies)[0] == "utter_urgent_care_emergency_trauma"
    with sqlite3.connect(stack.database_path) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'",
            (conversation_of(sender),),
        ).fetchall()
    slots = [json.loads(data) for (data,) in rows]
    assert not any(s["name"] == "pacing_activity" and s["value"] for s in slots)
    assert any(s["name"] == "requested_slot" and s["value"] is None for s in slots)
    held = rest_say(sender, "walking")
    assert responses(held) == ["utter_urgent_care_hold"]
