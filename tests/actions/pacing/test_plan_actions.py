from __future__ import annotations

from datetime import timedelta

import pytest

from actions.common.content import SMS_LIMIT
from actions.pacing.actions import (
    ActionAdvancePacingPlan,
    ActionChangePacingBaseline,
    ActionSavePacingPlan,
    ActionShowPacingPlan,
    ActionStepBackPacingPlan,
)
from actions.pacing.messages import get_pacing_content
from actions.pacing.plan import build_plan
from bot.db import utcnow

from ..dispatch import content_ids, make_tracker, payloads, run
from ..examples import PACING_ANSWERS as FILLED
from ..examples import cleared_pacing_form as cleared

CONTENT = get_pacing_content()
# Every test here uses a fresh plan database (fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("plans_database")


# --- saving ----------------------------------------------------------------------------


def test_save_keeps_the_plan_and_shows_it(store):
    events, messages = run(ActionSavePacingPlan(), make_tracker(slots=FILLED))
    assert events == cleared()
    assert content_ids(messages) == ["pacing.saved", "pacing.render.web", "pacing.saved.tip"]
    [stored] = store.pacing_plans("patient-1")
    assert stored.plan == build_plan("walking", "minutes", 20, 10, 10)
    assert "Start with 10 minutes a day" in messages[0]["text"]
    assert CONTENT.text("saved.bad_day_ok") in messages[0]["text"]
    assert "add 1 minute." in messages[0]["text"]
    assert "Week 1: 10 (this week)" in messages[1]["text"]
    assert payloads(messages[2]) == ["/pacing_managed", "/pacing_too_much", "/change_baseline"]


def test_save_on_sms_is_compact(store):
    events, messages = run(ActionSavePacingPlan(), make_tracker(slots=FILLED, channel="twilio"))
    assert events == cleared()
    assert content_ids(messages) == ["pacing.saved", "pacing.render.sms"]
    assert messages[0]["text"] == CONTENT.text(
        "saved",
        {
            "activity": "walking",
            "start": 10,
            "step": 1,
            "unit": "minutes",
            "step_unit": "minute",
            "bad_day": CONTENT.text("saved.bad_day_ok"),
        },
        sms=True,
    )
    assert all(len(m["text"]) <= SMS_LIMIT for m in messages)


def test_save_says_when_the_goal_is_beyond_26_weeks(store):
    slots = {**FILLED, "pacing_goal": 600.0}
    _, messages = run(ActionSavePacingPlan(), make_tracker(slots=slots))
    assert content_ids(messages)[:2] == ["pacing.saved", "pacing.saved.goal_later"]
    assert "26 weeks" in messages[1]["text"]


def test_save_with_a_goal_already_met_says_so(store):
    slots = {**FILLED, "pacing_goal": 5.0}
    _, messages = run(ActionSavePacingPlan(), make_tracker(slots=slots))
    assert content_ids(messages)[:2] == ["pacing.saved", "pacing.saved.goal_met"]


@pytest.mark.parametrize(
    "broken",
    [
        {"pacing_good_day": None},
        {"pacing_good_day": "about 20"},
        {"pacing_goal": "thirty"},
        {"pacing_increase": 50.0},
        {"pacing_unit": "furlongs"},
    ],
)
def test_save_with_a_broken_form_apologises_and_keeps_nothing(store, broken):
    events, messages = run(ActionSavePacingPlan(), make_tracker(slots={**FILLED, **broken}))
    assert events == cleared()
    assert content_ids(messages) == ["pacing.error"]
    assert payloads(messages[0]) == ["/request_pacing_plan"]
    assert store.pacing_plans("patient-1") == []


# --- showing and moving ------------------------------------------------------------------


def save(store, *plans, sender="patient-1", days_ago=7):
    # Plans made a week ago, so that "I managed this week" may move them on.
    made = utcnow() - timedelta(days=days_ago)
    for plan in plans:
        store.save_pacing_plan(sender, plan, now=made)


WALKING = build_plan("walking", "minutes", 20, 10)  # 10 .. 17
SITTING = build_plan("sitting", "minutes", 30, 20, goal=22)  # 20, 22


@pytest.mark.parametrize(
    ("action", "key"),
    [
        (ActionShowPacingPlan(), "pacing.show.none"),
        (ActionAdvancePacingPlan(), "pacing.show.none"),
    ],
)
def test_without_a_plan_offer_to_make_one(action, key):
    events, messages = run(action, make_tracker())
    assert events == []
    assert content_ids(messages) == [key]
    assert payloads(messages[0]) == ["/request_pacing_plan", "/deny"]
    assert messages[0]["buttons"][0]["title"].startswith("Yes")


def test_too_much_without_a_plan_explains_overdoing_it_then_paying_for_it():
    # "I do too much on good days and then crash" with no plan is a pacing question.
    events, messages = run(ActionStepBackPacingPlan(), make_tracker("i do too much then crash"))
    assert events == []
    assert content_ids(messages) == ["pacing.too_much.no_plan"]
    assert "paying for it" in messages[0]["text"]  # plain words, not "boom and bust"
    assert payloads(messages[0]) == ["/request_pacing_plan", "/ask_pacing", "/deny"]


def test_show_lists_every_plan_with_this_week_marked(store):
    save(store, WALKING, SITTING)
    store.move_week("patient-1", "walking", +2)
    events, messages = run(ActionShowPacingPlan(), make_tracker())
    assert events == []
    assert content_ids(messages) == ["pacing.render.web", "pacing.render.web", "pacing.show.tip"]
    assert messages[0]["text"].splitlines()[0] == "Your walking plan (minutes a day):"
    assert "Week 3: 12 (this week)" in messages[0]["text"]
    assert "Week 1: 20 (this week)" in messages[1]["text"]


def test_show_on_sms_fits_one_message_even_with_many_plans(store):
    long_names = [f"activity number {i} with a long name xx" for i in range(5)]
    save(store, WALKING, *(build_plan(name, "steps", 9000, 8000) for name in long_names))
    _, messages = run(ActionShowPacingPlan(), make_tracker(channel="twilio"))
    assert content_ids(messages) == ["pacing.render.sms"]
    assert len(messages[0]["text"]) <= SMS_LIMIT
    assert "more" in messages[0]["text"]
    assert payloads(messages[0]) == ["/pacing_managed", "/pacing_too_much"]


@pytest.mark.parametrize(
    ("action", "text", "week_before", "content_id", "buttons"),
    [
        # "I managed" moves the most recent plan on, a week after it was made.
        (ActionAdvancePacingPlan, "I managed this week", 0, "pacing.managed.done",
         ["/show_pacing_plan", "/show_menu"]),
        # "That was too much" steps back one week, kindly.
        (ActionStepBackPacingPlan, "that was too much", 2, "pacing.too_much.stepped_back",
         ["/report_flare_up", "/show_menu"]),
    ],
)  # fmt: skip
def test_a_move_goes_one_week_and_says_so(store, action, text, week_before, content_id, buttons):
    save(store, WALKING)
    if week_before:
        store.move_week("patient-1", "walking", week_before)
    events, messages = run(action(), make_tracker(text))
    assert events == []
    assert content_ids(messages) == [content_id]
    assert "11 minutes" in messages[0]["text"]
    assert payloads(messages[0]) == buttons
    assert store.find_pacing_plan("patient-1", "walking").current_week == 1


def test_managed_right_after_making_the_plan_keeps_it_and_says_when_to_come_back(store):
    save(store, WALKING, days_ago=0)
    _, messages = run(ActionAdvancePacingPlan(), make_tracker("I managed it this week"))
    assert content_ids(messages) == ["pacing.managed.too_soon"]
    assert "10 minutes" in messages[0]["text"]
    assert store.find_pacing_plan("patient-1", "walking").current_week == 0


def test_managed_moves_the_named_plan_on(store):
    save(store, WALKING, SITTING)
    _, messages = run(ActionAdvancePacingPlan(), make_tracker("I managed my walking"))
    assert content_ids(messages) == ["pacing.managed.done"]
    assert store.find_pacing_plan("patient-1", "walking").current_week == 1
    assert store.find_pacing_plan("patient-1", "sitting").current_week == 0


def test_managed_with_several_plans_says_which_and_how_to_choose(store):
    save(store, WALKING, SITTING)
    _, messages = run(ActionAdvancePacingPlan(), make_tracker("I managed this week"))
    assert content_ids(messages) == ["pacing.managed.done", "pacing.managed.other_plan"]
    assert "sitting" in messages[0]["text"]
    assert store.find_pacing_plan("patient-1", "sitting").current_week == 1


def test_managed_at_the_last_week_praises_and_offers_a_new_plan(store):
    save(store, SITTING)
    store.move_week("patient-1", "sitting", +1)
    _, messages = run(ActionAdvancePacingPlan(), make_tracker("done"))
    assert content_ids(messages) == ["pacing.managed.finished"]
    assert payloads(messages[0]) == ["/request_pacing_plan", "/show_pacing_plan"]
    assert store.find_pacing_plan("patient-1", "sitting").current_week == 1


def test_too_much_at_week_one_offers_a_lower_baseline(store):
    save(store, WALKING)
    _, messages = run(ActionStepBackPacingPlan(), make_tracker("that was too much"))
    assert content_ids(messages) == ["pacing.too_much.at_start"]
    assert payloads(messages[0]) == ["/change_baseline", "/report_flare_up"]
    assert store.find_pacing_plan("patient-1", "walking").current_week == 0


def test_change_baseline_fills_in_the_plan_and_restarts_the_form(store):
    save(store, build_plan("walking", "metres", 2000, 1000, 15), SITTING)
    events, messages = run(ActionChangePacingBaseline(), make_tracker("change my walking baseline"))
    assert content_ids(messages) == ["pacing.change_baseline.intro"]
    assert "walking" in messages[0]["text"]
    assert events == cleared(pacing_activity="walking", pacing_unit="metres", pacing_increase=15.0)


def test_change_baseline_without_a_plan_starts_a_new_one():
    events, messages = run(ActionChangePacingBaseline(), make_tracker("change my baseline"))
    assert content_ids(messages) == ["pacing.change_baseline.none"]
    assert events == cleared()


def test_plans_are_per_patient(store):
    save(store, WALKING, sender="someone-else")
    _, messages = run(ActionShowPacingPlan(), make_tracker())
    assert content_ids(messages) == ["pacing.show.none"]
