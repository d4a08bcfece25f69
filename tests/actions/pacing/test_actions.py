from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.pacing.actions import (
    ActionAskPacingActivity,
    ActionAskPacingBadDay,
    ActionAskPacingGoal,
    ActionAskPacingGoodDay,
    ActionAskPacingIncrease,
    ActionAskPacingUnit,
    ActionStartPacingPlan,
    ValidatePacingForm,
)
from actions.pacing.form import NO_GOAL, SLOTS
from actions.pacing.messages import get_pacing_content

from ..dispatch import content_ids, make_tracker, payloads, run
from ..examples import PACING_ANSWERS as FILLED
from ..examples import cleared_pacing_form as cleared

CONTENT = get_pacing_content()
FORM_DOMAIN: dict[str, Any] = {"forms": {"pacing_form": {"required_slots": list(SLOTS)}}}
# Every test here uses a fresh plan database (fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("plans_database")


# --- starting and asking ---------------------------------------------------------------


@pytest.mark.parametrize(("channel", "sms"), [("socketio", False), ("twilio", True)])
def test_start_explains_overdoing_it_then_paying_for_it_and_clears_old_answers(channel, sms):
    events, messages = run(ActionStartPacingPlan(), make_tracker(channel=channel))
    assert events == cleared()
    assert content_ids(messages) == ["pacing.start"]
    assert messages[0]["text"] == CONTENT.text("start", sms=sms)
    assert "pay for it" in messages[0]["text"]  # plain words, not "boom and bust"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("I'd like to make a pacing plan for walking", {"pacing_activity": "walking"}),
        (
            "can you help me pace my gardening",
            {"pacing_activity": "gardening", "pacing_unit": "minutes"},
        ),
        ("make a pacing plan", {}),
        ("/request_pacing_plan", {}),
    ],
)
def test_start_keeps_an_activity_the_request_named(text, kept):
    events, _ = run(ActionStartPacingPlan(), make_tracker(text))
    assert events == cleared(**kept)


def test_cleared_slots_are_not_answers_so_a_button_start_asks_nothing_twice():
    # The start action clears the six slots; rasa-sdk hands those SlotSet(None) events
    # to the validator, which must not "re-ask" for answers nobody gave yet.
    cleared_events = [{"event": "slot", "name": slot, "value": None} for slot in SLOTS]
    tracker = make_tracker(
        "/request_pacing_plan", {}, extra_events=cleared_events, active_loop={"name": "pacing_form"}
    )
    events, messages = run(ValidatePacingForm(), tracker, FORM_DOMAIN)
    assert messages == []
    assert events == [SlotSet(slot, None) for slot in SLOTS]


@pytest.mark.parametrize(
    ("action", "slots", "content_id", "button_payloads"),
    [
        (
            ActionAskPacingActivity(),
            {},
            "pacing.ask.pacing_activity",
            ["walking", "sitting", "standing", "gardening", "housework"],
        ),
        (
            ActionAskPacingUnit(),
            {"pacing_activity": "walking"},
            "pacing.ask.pacing_unit",
            ["minutes", "metres", "steps"],
        ),
        (
            ActionAskPacingGoodDay(),
            {"pacing_activity": "walking", "pacing_unit": "metres"},
            "pacing.ask.pacing_good_day.metres",
            [],
        ),
        (
            ActionAskPacingGoodDay(),
            {"pacing_activity": "sitting", "pacing_unit": "minutes"},
            "pacing.ask.pacing_good_day.minutes",
            [],
        ),
        (
            ActionAskPacingBadDay(),
            {"pacing_activity": "walking", "pacing_unit": "steps"},
            "pacing.ask.pacing_bad_day.steps",
            ["none"],
        ),
        (ActionAskPacingIncrease(), {}, "pacing.ask.pacing_increase", ["10%", "15%", "20%"]),
        (
            ActionAskPacingGoal(),
            {"pacing_activity": "walking", "pacing_unit": "minutes"},
            "pacing.ask.pacing_goal",
            ["no goal"],
        ),
    ],
)
def test_ask_actions_send_the_question_from_content(action, slots, content_id, button_payloads):
    events, messages = run(action, make_tracker(slots=slots))
    assert events == []
    assert content_ids(messages) == [content_id]
    assert payloads(messages[0]) == button_payloads
    assert "{" not in messages[0]["text"]


def test_questions_name_the_activity_and_the_plan_length():
    slots = {"pacing_activity": "cycling", "pacing_unit": "minutes"}
    _, [message] = run(ActionAskPacingGoodDay(), make_tracker(slots=slots))
    assert "minutes of cycling" in message["text"]
    _, [goal] = run(ActionAskPacingGoal(), make_tracker(slots=slots))
    assert "30 minutes" in goal["text"]
    assert "8 weeks" in goal["text"]


# --- validation --------------------------------------------------------------------------


def validate(slot: str, answer: Any, slots: dict[str, Any] | None = None):
    tracker = make_tracker(
        str(answer),
        {**(slots or {}), slot: answer},
        extra_events=[{"event": "slot", "name": slot, "value": answer}],
        active_loop={"name": "pacing_form"},
    )
    return run(ValidatePacingForm(), tracker, FORM_DOMAIN)


@pytest.mark.parametrize(
    ("slot", "answer", "slots", "expected"),
    [
        ("pacing_activity", "Walking", {}, {"pacing_activity": "walking"}),
        (
            "pacing_activity",
            "gardening",
            {},
            {"pacing_activity": "gardening", "pacing_unit": "minutes"},
        ),
        ("pacing_activity", "Cycling", {}, {"pacing_activity": "cycling"}),
        ("pacing_unit", "Distance", {"pacing_activity": "walking"}, {"pacing_unit": "metres"}),
        ("pacing_unit", "not sure", {"pacing_activity": "walking"}, {"pacing_unit": "minutes"}),
        ("pacing_good_day", "about 20 mins", {"pacing_unit": "minutes"}, {"pacing_good_day": 20.0}),
        (
            "pacing_good_day",
            "an hour and a half",
            {"pacing_unit": "minutes"},
            {"pacing_good_day": 90.0},
        ),
        ("pacing_good_day", "10-15 minutes", {"pacing_unit": "minutes"}, {"pacing_good_day": 12.5}),
        ("pacing_good_day", "1.5 km", {"pacing_unit": "metres"}, {"pacing_good_day": 1500.0}),
        ("pacing_good_day", "2k steps", {"pacing_unit": "steps"}, {"pacing_good_day": 2000.0}),
        (
            "pacing_bad_day",
            "none",
            {"pacing_unit": "minutes", "pacing_good_day": 20.0},
            {"pacing_bad_day": 0.0},
        ),
        (
            "pacing_bad_day",
            "20",
            {"pacing_unit": "minutes", "pacing_good_day": 20.0},
            {"pacing_bad_day": 20.0},
        ),
        ("pacing_increase", "10%", {}, {"pacing_increase": 10.0}),
        ("pacing_increase", "yes", {}, {"pacing_increase": 10.0}),
        ("pacing_increase", "20% (the most)", {}, {"pacing_increase": 20.0}),
        # a value filled in by "change my baseline" is validated again on activation
        ("pacing_increase", 15.0, {}, {"pacing_increase": 15.0}),
        ("pacing_goal", "no goal", {**FILLED, "pacing_goal": None}, {"pacing_goal": NO_GOAL}),
        ("pacing_goal", "30 minutes", {**FILLED, "pacing_goal": None}, {"pacing_goal": 30.0}),
    ],
)
def test_validation_accepts_answers(slot, answer, slots, expected):
    events, messages = validate(slot, answer, slots)
    assert events == [SlotSet(name, value) for name, value in expected.items()]
    assert messages == []


@pytest.mark.parametrize(
    ("slot", "answer", "slots", "reask"),
    [
        ("pacing_activity", "not sure", {}, "activity.unclear"),
        ("pacing_activity", "walking and sitting", {}, "activity.several"),
        ("pacing_activity", "\U0001f600", {}, "activity.unclear"),
        ("pacing_unit", "banana", {"pacing_activity": "walking"}, "unit.unclear"),
        ("pacing_good_day", "loads", {"pacing_unit": "minutes"}, "amount.unclear"),
        ("pacing_good_day", "-5", {"pacing_unit": "minutes"}, "amount.negative"),
        ("pacing_good_day", "0", {"pacing_unit": "minutes"}, "amount.zero"),
        ("pacing_good_day", "10,000 minutes", {"pacing_unit": "minutes"}, "amount.too_big"),
        ("pacing_good_day", "a mile", {"pacing_unit": "minutes"}, "amount.wrong_kind_minutes"),
        ("pacing_good_day", "20 minutes", {"pacing_unit": "metres"}, "amount.wrong_kind_metres"),
        ("pacing_good_day", "2", {"pacing_unit": "metres"}, "amount.too_small"),
        ("pacing_good_day", "\U0001f44d", {"pacing_unit": "steps"}, "amount.unclear"),
        ("pacing_good_day", "20 then 5", {"pacing_unit": "minutes"}, "amount.several"),
        (
            "pacing_bad_day",
            "30 minutes",
            {"pacing_unit": "minutes", "pacing_good_day": 20.0},
            "amount.bad_more_than_good",
        ),
        ("pacing_activity", "about 15 mins", {}, "activity.amount"),
        ("pacing_activity", "20 minutes", {}, "activity.amount"),
        ("pacing_increase", "50%", {}, "increase.too_fast"),
        ("pacing_increase", "0", {}, "increase.too_slow"),
        ("pacing_increase", "loads", {}, "increase.unclear"),
        ("pacing_goal", "10", {**FILLED, "pacing_goal": None}, "amount.goal_not_above_start"),
        ("pacing_goal", "a mile", {**FILLED, "pacing_goal": None}, "amount.wrong_kind_minutes"),
    ],
)
def test_validation_reasks_kindly_and_never_keeps_a_bad_value(slot, answer, slots, reask):
    events, messages = validate(slot, answer, slots)
    assert events == [SlotSet(slot, None)]
    assert content_ids(messages) == [f"pacing.reask.{reask}"]
    assert "{" not in messages[0]["text"]


def test_reasks_use_the_words_of_the_plan():
    _, [message] = validate(
        "pacing_bad_day", "30", {"pacing_unit": "minutes", "pacing_good_day": 20.0}
    )
    assert "20 minutes" in message["text"]
    _, [goal] = validate("pacing_goal", "10", {**FILLED, "pacing_goal": None})
    assert "10 minutes" in goal["text"]
    _, [unclear] = validate("pacing_good_day", "loads", {"pacing_unit": "metres"})
    assert "1 km" in unclear["text"]
