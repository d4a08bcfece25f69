from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import yaml
from rasa_sdk.events import SlotSet

from actions.common.content import SMS_LIMIT, ContentError, ContentFile
from actions.flare_ups import actions as flare_ups
from actions.pacing.actions import (
    ActionAdvancePacingPlan,
    ActionAskPacingActivity,
    ActionAskPacingBadDay,
    ActionAskPacingGoal,
    ActionAskPacingGoodDay,
    ActionAskPacingIncrease,
    ActionAskPacingUnit,
    ActionChangePacingBaseline,
    ActionSavePacingPlan,
    ActionShowPacingPlan,
    ActionStartPacingPlan,
    ActionStepBackPacingPlan,
    ValidatePacingForm,
)
from actions.pacing.form import NO_GOAL, SLOTS
from actions.pacing.messages import get_pacing_content
from actions.pacing.plan import build_plan
from bot.db import utcnow
from bot.settings import REPO_ROOT
from tests.readability import reading_grade

from ..dispatch import content_ids, make_tracker, payloads, run

CONTENT = get_pacing_content()
FORM_DOMAIN: dict[str, Any] = {"forms": {"pacing_form": {"required_slots": list(SLOTS)}}}
RED_FLAG_INTENTS = {"red_flag_emergency", "red_flag_crisis", "red_flag_urgent", "red_flag_soon"}
FILLED = {
    "pacing_activity": "walking",
    "pacing_unit": "minutes",
    "pacing_good_day": 20.0,
    "pacing_bad_day": 10.0,
    "pacing_increase": 10.0,
    "pacing_goal": NO_GOAL,
}


# Every test here uses a fresh plan database (fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("plans_database")


def cleared(**kept: Any) -> list[dict[str, Any]]:
    return [SlotSet(slot, kept.get(slot)) for slot in SLOTS]


# --- names -----------------------------------------------------------------------------


def test_pacing_and_flare_actions_are_all_in_the_domain():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions.pacing.actions")
    executor.register_package("actions.flare_ups.actions")
    names = {name for name in executor.actions if "pacing" in name or "flare" in name}
    domain_names = {n for n in pacing_domain()["actions"] if "pacing" in n or "flare" in n}
    assert names == domain_names | {"action_flare_up_advice"}


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


# --- content -------------------------------------------------------------------------------


def test_content_file_refuses_unknown_keys():
    with pytest.raises(ContentError, match="has no nope"):
        CONTENT.text("nope")
    with pytest.raises(ContentError, match="not a text"):
        CONTENT.text("ask")


def test_content_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(ContentError, match="cannot read"):
        ContentFile.load(tmp_path / "missing.yml", "missing")


CONTENT_FILES = ["pacing.yml", "flare_ups.yml"]
SAMPLE_VALUES = {
    "emergency_number": "999",
    "activity": "walking",
    "unit": "minutes",
    "amount": "14",
    "week": "2",
    "start": "12",
    "step": "2",
    "step_unit": "minutes",
    "example": "20 minutes",
    "goal_example": "30 minutes",
    "weeks": "26",
    "good": "20",
    "count": "2",
    "next": "15",
    "total": "8",
    "label": "Triggers",
    "answer": "poor sleep",
}


def filled(text: str) -> str:
    text = " ".join(text.split())
    for name, value in SAMPLE_VALUES.items():
        text = text.replace("{" + name + "}", value)
    return text


def sentences(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Return every patient-facing text of five words or more (not labels or payloads)."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("metadata", "payload"):
                found += sentences(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += sentences(value, f"{path}.{index}")
    elif isinstance(node, str) and len(node.split()) >= 5:
        found.append((path, filled(node)))
    return found


def load_content(name: str) -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "content" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_content_reads_at_grade_7_or_below(name):
    too_hard = {
        path: round(grade, 1)
        for path, text in sentences(load_content(name))
        if (grade := reading_grade(text)) > 7
    }
    assert too_hard == {}


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_sms_variants_fit_two_sms_parts(name):
    too_long = {
        path: len(text)
        for path, text in sentences(load_content(name))
        if (".sms" in path or path.endswith("sms")) and len(text) > SMS_LIMIT
    }
    assert too_long == {}


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_content_cites_its_sources_and_review(name):
    metadata = load_content(name)["metadata"]
    sources = " ".join(metadata["sources"])
    assert "NICE NG59" in sources
    assert "section" in sources
    assert metadata["review"]["status"]
    assert metadata["max_reading_grade"] == 7


def test_pacing_content_cites_nielson():
    assert "Nielson et al. 2013" in " ".join(load_content("pacing.yml")["metadata"]["sources"])


def _button_payloads(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [str(node["payload"])] if "payload" in node and "title" in node else []
        return found + [p for value in node.values() for p in _button_payloads(value)]
    if isinstance(node, list):
        return [p for value in node for p in _button_payloads(value)]
    return []


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_intent_buttons_send_intents_of_the_domain(name):
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    sent = {p[1:] for p in _button_payloads(load_content(name)) if p.startswith("/")}
    assert sent
    assert sent <= intents


# --- domain --------------------------------------------------------------------------------


def pacing_domain() -> dict[str, Any]:
    """Return the domain, which must declare the pacing form."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert "pacing_form" in (domain.get("forms") or {}), "domain.yml has no pacing_form"
    return domain


def test_domain_forms_match_the_actions():
    forms = pacing_domain()["forms"]
    assert forms["pacing_form"]["required_slots"] == list(SLOTS)
    assert forms["flare_plan_form"]["required_slots"] == list(flare_ups.SLOTS)


def test_domain_lists_every_action():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions.pacing.actions")
    executor.register_package("actions.flare_ups.actions")
    mine = {name for name in executor.actions if "pacing" in name or "flare" in name}
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    listed = set(pacing_domain()["actions"]) | set(domain["actions"])
    assert mine <= listed


def test_red_flags_are_never_captured_as_form_answers():
    slots = pacing_domain()["slots"]
    for name in (*SLOTS, *flare_ups.SLOTS):
        for mapping in slots[name]["mappings"]:
            assert mapping["type"] == "from_text"
            assert set(mapping["not_intent"]) >= RED_FLAG_INTENTS, name
            [condition] = mapping["conditions"]
            assert condition["requested_slot"] == name


def test_rules_use_the_forms_and_actions():
    rules = (REPO_ROOT / "data" / "stories" / "pacing.yml").read_text(encoding="utf-8")
    flare_rules = (REPO_ROOT / "data" / "stories" / "flare_ups.yml").read_text(encoding="utf-8")
    for intent in (
        "request_pacing_plan",
        "show_pacing_plan",
        "pacing_managed",
        "pacing_too_much",
        "change_baseline",
    ):
        assert re.search(rf"intent: {intent}\n", rules)
    for intent in ("ask_flare_up_plan", "show_flare_up_plan"):
        assert re.search(rf"intent: {intent}\n", flare_rules)
    assert "action: action_save_pacing_plan" in rules
    assert "action: action_save_flare_plan" in flare_rules
