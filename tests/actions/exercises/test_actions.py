"""The exercise programme's actions: the events they return and the content they send."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.common.content import SMS_LIMIT
from actions.exercises.actions import (
    ActionAskExerciseChoice,
    ActionAskExerciseWalkAnswer,
    ActionFinishExerciseWalk,
    ActionLogExercises,
    ActionSaveExerciseProgramme,
    ActionShowExerciseSummary,
    ActionStartExerciseWalk,
    ValidateExerciseChoiceForm,
    ValidateExerciseWalkForm,
)
from actions.exercises.adherence import local_day
from actions.exercises.library import get_library
from actions.exercises.messages import get_programme_content, starter_set
from actions.exercises.parsing import LogEntry
from bot.db import utcnow

from ..dispatch import content_ids, make_tracker, payloads, run

CONTENT = get_programme_content()
LIBRARY = get_library()
THREE = ("bridge", "cat_cow", "bird_dog")
CHOICE_DOMAIN: dict[str, Any] = {
    "forms": {"exercise_choice_form": {"required_slots": ["exercise_choice"]}}
}
WALK_DOMAIN: dict[str, Any] = {
    "forms": {"exercise_walk_form": {"required_slots": ["exercise_walk_answer"]}}
}
pytestmark = pytest.mark.usefixtures("exercise_store")


def today():
    return local_day(utcnow())


def answer(validator, form: str, slot: str, text: str, slots: dict[str, Any] | None = None):
    tracker = make_tracker(
        text,
        {**(slots or {}), slot: text},
        extra_events=[{"event": "slot", "name": slot, "value": text}],
        active_loop={"name": form},
    )
    domain = CHOICE_DOMAIN if form == "exercise_choice_form" else WALK_DOMAIN
    return run(validator, tracker, domain)


# --- choosing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("channel", "sms"), [("socketio", False), ("twilio", True)])
def test_the_choice_question_lists_every_exercise_numbered(channel, sms):
    _, messages = run(ActionAskExerciseChoice(), make_tracker(channel=channel))
    assert content_ids(messages) == ["exercise_programme.choose.ask"]
    assert payloads(messages[0]) == ["starter set"]
    text = messages[0]["text"]
    last = len(LIBRARY.ids())
    assert (f"{last} " in text) if sms else (f"\n{last}. " in text)
    if sms:
        assert len(text) <= SMS_LIMIT
    else:
        assert "1. " + LIBRARY.exercise(LIBRARY.ids()[0]).name in text


def test_a_good_choice_is_kept_as_exercise_ids():
    events, messages = answer(
        ValidateExerciseChoiceForm(), "exercise_choice_form", "exercise_choice", "2, 3 and 1"
    )
    ids = LIBRARY.ids()
    chosen = {"exercises": [ids[1], ids[2], ids[0]], "starter": False}
    assert events == [SlotSet("exercise_choice", chosen)]
    assert messages == []


@pytest.mark.parametrize(
    ("text", "reason"), [("1 2", "too_few"), ("1 2 3 4 5 6", "too_many"), ("hmm", "unknown")]
)
def test_a_choice_that_cannot_be_used_is_asked_again_kindly(text, reason):
    events, messages = answer(
        ValidateExerciseChoiceForm(), "exercise_choice_form", "exercise_choice", text
    )
    assert events == [SlotSet("exercise_choice", None)]
    assert content_ids(messages) == [f"exercise_programme.choose.reask.{reason}"]


@pytest.mark.parametrize(("channel", "sms"), [("socketio", False), ("twilio", True)])
def test_save_keeps_the_programme_and_offers_to_go_through_it(exercise_store, channel, sms):
    slots = {"exercise_choice": {"exercises": list(THREE), "starter": False}}
    events, messages = run(
        ActionSaveExerciseProgramme(), make_tracker(slots=slots, channel=channel)
    )
    assert events == [SlotSet("exercise_choice", None)]
    assert exercise_store.programme("patient-1").exercises == THREE
    if sms:
        assert content_ids(messages) == ["exercise_programme.choose.saved"]
        assert "Bottom lift, Back arch and Arm and leg reach" in messages[0]["text"]
        assert len(messages[0]["text"]) <= SMS_LIMIT
    else:
        assert content_ids(messages) == [
            "exercise_programme.choose.saved",
            "exercise_programme.choose.list_item",
            "exercise_programme.choose.go_now",
        ]
        assert "- Bottom lift (bridge)" in messages[1]["text"]
    assert payloads(messages[-1]) == ["/show_my_exercises", "/deny"]


def test_choosing_again_replaces_the_programme_with_the_starter_set(exercise_store):
    exercise_store.save_programme("patient-1", THREE)
    choice = {"exercises": list(starter_set(CONTENT)), "starter": True}
    _, messages = run(
        ActionSaveExerciseProgramme(), make_tracker(slots={"exercise_choice": choice})
    )
    programme = exercise_store.programme("patient-1")
    assert programme.exercises == starter_set(CONTENT)
    assert programme.starter
    assert content_ids(messages)[0] == "exercise_programme.choose.saved_starter"


@pytest.mark.parametrize("choice", [None, "bridge", {"exercises": ["nope", "bridge", "cat_cow"]}])
def test_save_without_a_usable_choice_offers_to_choose_again(exercise_store, choice):
    _, messages = run(
        ActionSaveExerciseProgramme(), make_tracker(slots={"exercise_choice": choice})
    )
    assert content_ids(messages) == ["exercise_programme.choose.error"]
    assert payloads(messages[0]) == ["/choose_exercises"]
    assert exercise_store.programme("patient-1") is None


def test_the_starter_set_names_library_exercises():
    assert 3 <= len(starter_set(CONTENT)) <= 5
    assert set(starter_set(CONTENT)) <= set(LIBRARY.ids())


# --- the walk-through ----------------------------------------------------------------------


def test_start_without_a_programme_offers_one_and_closes_the_form():
    events, messages = run(ActionStartExerciseWalk(), make_tracker("show my exercises"))
    assert content_ids(messages) == ["exercise_programme.walk.none"]
    assert payloads(messages[0]) == ["/choose_exercises", "/deny"]
    assert events == [
        SlotSet("exercise_walk_answer", None),
        SlotSet("exercise_walk_step", 0),
        SlotSet("exercise_walk_view", "none"),
    ]
    tracker = make_tracker(
        "show my exercises",
        {"exercise_walk_view": "none"},
        active_loop={"name": "exercise_walk_form"},
    )
    events, messages = run(ValidateExerciseWalkForm(), tracker, WALK_DOMAIN)
    assert messages == []
    assert SlotSet("requested_slot", None) in events


def test_start_with_a_programme_begins_at_the_first_exercise(exercise_store):
    exercise_store.save_programme("patient-1", THREE)
    events, messages = run(ActionStartExerciseWalk(), make_tracker("show my exercises"))
    assert content_ids(messages) == ["exercise_programme.walk.intro"]
    assert "3 exercises" in messages[0]["text"]
    assert events == [
        SlotSet("exercise_walk_answer", None),
        SlotSet("exercise_walk_step", 0),
        SlotSet("exercise_walk_view", "full"),
    ]


@pytest.mark.parametrize(
    ("step", "view", "channel", "ids"),
    [
        (
            0,
            "full",
            "socketio",
            [
                "exercise_programme.walk.heading",
                "exercises.bridge",
                "exercise_programme.walk.prompt",
            ],
        ),
        (1, "full", "twilio", ["exercises.cat_cow"]),
        (
            2,
            "easier",
            "socketio",
            [
                "exercise_programme.walk.easier_intro",
                "exercises.bird_dog.easier",
                "exercise_programme.walk.prompt",
            ],
        ),
        (1, "prompt", "socketio", ["exercise_programme.walk.prompt"]),
    ],
)
def test_each_step_shows_the_exercise_from_the_library_with_three_choices(
    exercise_store, step, view, channel, ids
):
    exercise_store.save_programme("patient-1", THREE)
    slots = {"exercise_walk_step": step, "exercise_walk_view": view}
    _, messages = run(ActionAskExerciseWalkAnswer(), make_tracker(slots=slots, channel=channel))
    assert content_ids(messages) == ids
    assert payloads(messages[-1]) == ["done", "too hard", "show me again"]
    assert all(not m["buttons"] for m in messages[:-1])
    if channel == "twilio":
        assert messages[0]["text"] == LIBRARY.exercise("cat_cow").sms
    if view == "full" and channel == "socketio":
        assert messages[0]["text"] == "Exercise 1 of 3"
        assert "1. Lie on your back" in messages[1]["text"]
    if view == "easier":
        assert LIBRARY.exercise("bird_dog").easier.text in messages[1]["text"]


@pytest.mark.parametrize(
    ("text", "step", "expected", "said"),
    [
        (
            "done",
            0,
            {"exercise_walk_answer": None, "exercise_walk_step": 1, "exercise_walk_view": "full"},
            [],
        ),
        (
            "too hard",
            1,
            {"exercise_walk_answer": None, "exercise_walk_step": 1, "exercise_walk_view": "easier"},
            [],
        ),
        (
            "show me again",
            1,
            {"exercise_walk_answer": None, "exercise_walk_step": 1, "exercise_walk_view": "full"},
            [],
        ),
        (
            "what?",
            1,
            {"exercise_walk_answer": None, "exercise_walk_step": 1, "exercise_walk_view": "prompt"},
            ["exercise_programme.walk.unclear"],
        ),
        ("done", 2, {"exercise_walk_answer": "finished"}, []),
    ],
)
def test_walk_answers_move_through_the_programme(exercise_store, text, step, expected, said):
    exercise_store.save_programme("patient-1", THREE)
    events, messages = answer(
        ValidateExerciseWalkForm(),
        "exercise_walk_form",
        "exercise_walk_answer",
        text,
        {"exercise_walk_step": step, "exercise_walk_view": "full"},
    )
    assert content_ids(messages) == said
    set_slots = {e["name"]: e["value"] for e in events if e["name"] != "requested_slot"}
    assert set_slots == expected


def test_finishing_logs_today_as_done_and_clears_the_walk(exercise_store):
    exercise_store.save_programme("patient-1", THREE)
    slots = {"exercise_walk_answer": "finished", "exercise_walk_step": 2}
    events, messages = run(ActionFinishExerciseWalk(), make_tracker(slots=slots))
    assert content_ids(messages) == ["exercise_programme.walk.finished"]
    assert payloads(messages[0]) == ["/exercise_summary", "/show_menu"]
    assert exercise_store.logs("patient-1") == [LogEntry(today(), 3, 3)]
    assert events == [
        SlotSet("exercise_walk_answer", None),
        SlotSet("exercise_walk_step", None),
        SlotSet("exercise_walk_view", None),
    ]


def test_finish_without_a_finished_walk_says_nothing(exercise_store):
    _, messages = run(ActionFinishExerciseWalk(), make_tracker(slots={}))
    assert messages == []
    assert exercise_store.logs("patient-1") == []


# --- logging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ids", "entry", "buttons"),
    [
        (
            "did my exercises",
            ["exercise_programme.log.all"],
            (0, 3, 3, None),
            ["/exercise_summary", "/show_menu"],
        ),
        (
            "did 2 of 4",
            ["exercise_programme.log.some"],
            (0, 2, 4, None),
            ["/exercise_summary", "/show_menu"],
        ),
        (
            "skipped today, it hurt",
            ["exercise_programme.log.hurt", "exercise_programme.log.hurt_check"],
            (0, 0, 3, "hurt"),
            ["/report_flare_up", "/ask_hurt_vs_harm", "/deny"],
        ),
        (
            "did them yesterday",
            ["exercise_programme.log.all"],
            (1, 3, 3, None),
            ["/exercise_summary", "/show_menu"],
        ),
        (
            "didn't do them today",
            ["exercise_programme.log.none"],
            (0, 0, 3, None),
            ["/exercise_summary", "/show_menu"],
        ),
        (
            "I forgot to do my exercises",
            ["exercise_programme.log.forgot", "exercise_programme.log.reminder_offer"],
            (0, 0, 3, "forgot"),
            ['/set_reminder{"reminder_kind": "exercise"}', "/deny"],
        ),
    ],
)
def test_each_phrasing_is_logged_for_its_day(exercise_store, text, ids, entry, buttons):
    exercise_store.save_programme("patient-1", THREE)
    days_ago, done, planned, reason = entry
    events, messages = run(ActionLogExercises(), make_tracker(text))
    assert events == []
    assert content_ids(messages) == ids
    assert payloads(messages[-1]) == buttons
    day = today() - timedelta(days=days_ago)
    assert exercise_store.logs("patient-1") == [LogEntry(day, done, planned, reason)]


def test_forgetting_with_a_reminder_on_offers_a_new_time(exercise_store):
    from datetime import time

    from bot.reminders.schedule import Schedule
    from bot.reminders.store import CHANNEL_CHAT, get_reminder_store

    morning = Schedule(frozenset(range(7)), time(9, 0), "Europe/London")
    get_reminder_store().save("patient-1", "exercise", CHANNEL_CHAT, morning)
    _, messages = run(ActionLogExercises(), make_tracker("forgot again yesterday"))
    assert content_ids(messages) == [
        "exercise_programme.log.forgot",
        "exercise_programme.log.change_reminder_offer",
    ]
    assert payloads(messages[-1]) == ['/change_reminder{"reminder_kind": "exercise"}', "/deny"]


def test_the_hurt_reply_is_kind_and_adds_no_urgency_of_its_own():
    _, messages = run(ActionLogExercises(), make_tracker("skipped today, it hurt"))
    text = " ".join(m["text"] for m in messages).lower()
    assert "sorry" in text
    for word in ("urgent", "emergency", "112", "a&e", "ambulance"):
        assert word not in text


def test_a_later_log_for_the_same_day_replaces_the_count(exercise_store):
    run(ActionLogExercises(), make_tracker("did 1 of 4"))
    run(ActionLogExercises(), make_tracker("did 3 of 4"))
    assert exercise_store.logs("patient-1") == [LogEntry(today(), 3, 4)]


def test_without_a_programme_a_done_day_still_counts(exercise_store):
    _, messages = run(ActionLogExercises(), make_tracker("did my exercises"))
    assert content_ids(messages) == ["exercise_programme.log.all"]
    assert exercise_store.logs("patient-1") == [LogEntry(today(), 1, None)]


def test_a_message_that_is_not_a_log_is_asked_about_and_not_stored(exercise_store):
    _, messages = run(ActionLogExercises(), make_tracker("I'll do them tomorrow"))
    assert content_ids(messages) == ["exercise_programme.log.unclear"]
    assert exercise_store.logs("patient-1") == []


# --- the summary ---------------------------------------------------------------------------


def test_summary_with_nothing_logged_offers_the_exercises():
    _, messages = run(ActionShowExerciseSummary(), make_tracker("how am I doing"))
    assert content_ids(messages) == ["exercise_programme.summary.none"]
    assert payloads(messages[0]) == ["/show_my_exercises", "/deny"]


def test_summary_counts_days_done_and_a_run(exercise_store):
    for back in (0, 1, 2, 4, 9):
        exercise_store.save_log("patient-1", LogEntry(today() - timedelta(days=back), 2, 3))
    exercise_store.save_log("patient-1", LogEntry(today() - timedelta(days=3), 0, 3, "hurt"))
    _, messages = run(ActionShowExerciseSummary(), make_tracker("how am I doing"))
    assert content_ids(messages) == [
        "exercise_programme.summary.days",
        "exercise_programme.summary.some",
        "exercise_programme.summary.streak",
    ]
    assert "on 4 of 7 days" in messages[0]["text"]
    assert "3 days in a row" in messages[2]["text"]
    assert payloads(messages[-1]) == ["/show_my_exercises", "/show_menu"]


def test_summary_of_a_single_day_has_no_run():
    run(ActionLogExercises(), make_tracker("did my exercises"))
    _, messages = run(ActionShowExerciseSummary(), make_tracker("how am I doing"))
    assert content_ids(messages) == [
        "exercise_programme.summary.days",
        "exercise_programme.summary.few",
    ]
