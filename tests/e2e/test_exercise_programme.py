"""End to end: choose an exercise programme, log days and get the week's summary.

Through the real Rasa server and action server (the session's ``stack``), over the REST
channel: the NLU must read the patient's words, the rules must run the forms, and the
action server must keep the programme and the log in the stack's database.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from actions.exercises.adherence import local_day
from bot.db import utcnow
from tests.conftest import conversation_of, responses

pytestmark = pytest.mark.e2e


def text_of(replies):
    return " ".join(m.get("text", "") for m in replies)


def test_choose_walk_through_log_and_summary(stack, rest_say, sender):
    asked = rest_say(sender, "choose my exercises")
    assert responses(asked) == ["exercise_programme.choose.ask"]
    assert "12. Walking plan" in text_of(asked)

    saved = rest_say(sender, "the starter set please")
    assert responses(saved) == [
        "exercise_programme.choose.saved_starter",
        "exercise_programme.choose.list_item",
        "exercise_programme.choose.go_now",
    ]

    logged = rest_say(sender, "did them yesterday")
    assert responses(logged) == ["exercise_programme.log.all"]
    assert "for yesterday" in text_of(logged)

    shown = rest_say(sender, "show my exercises")
    assert responses(shown) == [
        "exercise_programme.walk.intro",
        "exercise_programme.walk.heading",
        "exercises.pelvic_tilt",
        "exercise_programme.walk.prompt",
    ]
    assert [b["payload"] for b in shown[-1]["buttons"]] == ["done", "too hard", "show me again"]
    easier = rest_say(sender, "too hard")
    assert responses(easier) == [
        "exercise_programme.walk.easier_intro",
        "exercises.pelvic_tilt.easier",
        "exercise_programme.walk.prompt",
    ]
    assert "exercises.knee_to_chest" in responses(rest_say(sender, "done"))
    assert "exercises.walking_programme" in responses(rest_say(sender, "done"))
    finished = rest_say(sender, "done")
    assert responses(finished) == ["exercise_programme.walk.finished"]

    summary = rest_say(sender, "how am I doing with my exercises")
    assert responses(summary) == [
        "exercise_programme.summary.days",
        "exercise_programme.summary.some",
        "exercise_programme.summary.streak",
    ]
    assert "on 2 of 7 days" in text_of(summary)
    assert "2 days in a row" in text_of(summary)

    with sqlite3.connect(stack.database_path) as connection:
        rows = connection.execute(
            "SELECT day, done, planned, reason FROM exercise_logs WHERE sender_id = ? ORDER BY day",
            (conversation_of(sender),),
        ).fetchall()
        [(programme,)] = connection.execute(
            "SELECT exercises FROM exercise_programmes WHERE sender_id = ?",
            (conversation_of(sender),),
        ).fetchall()
    today = local_day(utcnow())
    assert rows == [
        (str(today - timedelta(days=1)), 3, 3, None),
        (str(today), 3, 3, None),
    ]
    assert programme == '["pelvic_tilt", "knee_to_chest", "walking_programme"]'


def test_red_flag_mid_walk_through_gets_the_urgent_reply(stack, rest_say, sender):
    rest_say(sender, "choose my exercises")
    rest_say(sender, "1, 2 and 3")
    rest_say(sender, "show my exercises")
    replies = rest_say(sender, "I fell off a ladder this morning and cant feel my legs")
    assert responses(replies)[0] == "utter_urgent_care_emergency_trauma"
    assert not any(r.startswith("exercise") for r in responses(replies))
