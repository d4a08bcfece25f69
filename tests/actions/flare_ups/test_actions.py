from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.common.content import SMS_LIMIT
from actions.flare_ups import actions as flare
from actions.flare_ups.plan import MAX_ANSWER_CHARS, SLOTS

from ..dispatch import content_ids, make_tracker, payloads, run
from ..examples import FLARE_PLAN

CONTENT = flare.get_flare_content()
FORM_DOMAIN: dict[str, Any] = {"forms": {"flare_plan_form": {"required_slots": list(SLOTS)}}}
PLAN = FLARE_PLAN
FILLED = {f"flare_{field}": value for field, value in PLAN.answers().items()}
SMS_LABELS = CONTENT.texts("render.sms.labels")


# Every test here uses a fresh plan database (fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("plans_database")


CLEARED = [SlotSet(slot, None) for slot in SLOTS]


# --- advice ------------------------------------------------------------------------------


def test_advice_on_the_web_then_offer_to_make_a_plan():
    events, messages = run(flare.ActionFlareUpAdvice(), make_tracker())
    assert events == []
    assert content_ids(messages) == ["flare_ups.advice", "flare_ups.offer.new"]
    assert len(messages[0]["text"].split("\n\n")) == 4
    # A typed "yes" takes the offer (its button starts "Yes"); "Not now" is the way out.
    assert payloads(messages[-1]) == ["/ask_flare_up_plan", "/deny"]
    assert messages[-1]["buttons"][0]["title"].startswith("Yes")
    advice = " ".join(m["text"] for m in messages[:-1]).lower()
    for words in ("common", "heat", "gentle movement", "breathing", "short rests", "doctor"):
        assert words in advice
    assert "112" in advice
    assert "{" not in advice


def test_advice_offers_to_show_an_existing_plan(store):
    store.save_flare_plan("patient-1", PLAN)
    _, messages = run(flare.ActionFlareUpAdvice(), make_tracker())
    assert content_ids(messages)[-1] == "flare_ups.offer.has_plan"
    assert payloads(messages[-1]) == ["/show_flare_up_plan", "/ask_flare_up_plan", "/deny"]
    assert [b["title"] for b in messages[-1]["buttons"]] == [
        "Yes, show my plan",
        "Update my plan",
        "Not now",
    ]


def test_advice_on_sms_is_one_compact_message():
    _, messages = run(flare.ActionFlareUpAdvice(), make_tracker(channel="twilio"))
    assert content_ids(messages) == ["flare_ups.advice", "flare_ups.offer.new"]
    assert len(messages[0]["text"]) <= SMS_LIMIT
    assert "112" in messages[0]["text"]


# --- the plan form -------------------------------------------------------------------------


def test_start_introduces_the_questions_and_clears_old_answers(store):
    events, messages = run(flare.ActionStartFlarePlan(), make_tracker())
    assert events == CLEARED
    assert content_ids(messages) == ["flare_ups.start.new"]
    store.save_flare_plan("patient-1", PLAN)
    _, messages = run(flare.ActionStartFlarePlan(), make_tracker())
    assert content_ids(messages) == ["flare_ups.start.replace"]


@pytest.mark.parametrize(
    ("action", "slot"),
    [
        (flare.ActionAskFlareTriggers(), "flare_triggers"),
        (flare.ActionAskFlareWarningSigns(), "flare_warning_signs"),
        (flare.ActionAskFlareHelps(), "flare_helps"),
        (flare.ActionAskFlareContacts(), "flare_contacts"),
        (flare.ActionAskFlareStepBack(), "flare_step_back"),
    ],
)
def test_ask_actions_send_the_question_from_content(action, slot):
    events, messages = run(action, make_tracker())
    assert events == []
    assert content_ids(messages) == [f"flare_ups.ask.{slot}"]
    assert "For example" in messages[0]["text"]


def validate(slot: str, answer: Any):
    tracker = make_tracker(
        str(answer),
        {slot: answer},
        extra_events=[{"event": "slot", "name": slot, "value": answer}],
    )
    return run(flare.ValidateFlarePlanForm(), tracker, FORM_DOMAIN)


@pytest.mark.parametrize("slot", SLOTS)
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("  Poor   sleep\n and stress ", "Poor sleep and stress"),
        ("not sure", "not sure"),
        ("no", "no"),
    ],
)
def test_validation_tidies_answers(slot, answer, expected):
    events, messages = validate(slot, answer)
    assert events == [SlotSet(slot, expected)]
    assert messages == []


@pytest.mark.parametrize("answer", ["", "   ", "\U0001f622", "?!"])
def test_validation_reasks_when_there_are_no_words(answer):
    events, messages = validate("flare_helps", answer)
    assert events == [SlotSet("flare_helps", None)]
    assert content_ids(messages) == ["flare_ups.reask.empty"]


def test_validation_cuts_very_long_answers():
    [event], _ = validate("flare_contacts", "my sister " * 100)
    assert len(event["value"]) <= MAX_ANSWER_CHARS
    assert event["value"].endswith("\u2026")


def test_save_keeps_the_plan_and_shows_it(store):
    events, messages = run(flare.ActionSaveFlarePlan(), make_tracker(slots=FILLED))
    assert events == CLEARED
    assert content_ids(messages) == [
        "flare_ups.saved",
        "flare_ups.render.web",
        "flare_ups.saved.tip",
    ]
    assert store.flare_plan("patient-1") == PLAN
    assert messages[1]["text"].splitlines() == [
        "Your flare-up plan",
        "- Likely triggers: Doing too much, poor sleep",
        "- Early warning signs: Stiff in the morning",
        "- What helps me: Heat pack, short walks",
        "- Who can help: My sister Ann, my physio",
        "- Back to my usual level: Half my walking plan, then build up",
    ]


def test_save_on_sms_fits_even_with_long_answers(store):
    slots = {slot: ("word " * 80).strip() for slot in SLOTS}
    _, messages = run(flare.ActionSaveFlarePlan(), make_tracker(slots=slots, channel="twilio"))
    assert content_ids(messages) == ["flare_ups.saved", "flare_ups.render.sms"]
    assert len(messages[1]["text"]) <= SMS_LIMIT
    for label in SMS_LABELS.values():
        assert label in messages[1]["text"]


def test_save_never_keeps_a_half_empty_plan(store):
    events, messages = run(
        flare.ActionSaveFlarePlan(), make_tracker(slots={**FILLED, "flare_helps": None})
    )
    assert events == CLEARED
    assert content_ids(messages) == ["flare_ups.show.none"]
    assert store.flare_plan("patient-1") is None


def test_show_without_a_plan_offers_to_make_one():
    events, messages = run(flare.ActionShowFlarePlan(), make_tracker())
    assert events == []
    assert content_ids(messages) == ["flare_ups.show.none"]
    assert payloads(messages[0]) == ["/ask_flare_up_plan", "/deny"]


@pytest.mark.parametrize(
    ("channel", "content_id"),
    [("socketio", "flare_ups.render.web"), ("twilio", "flare_ups.render.sms")],
)
def test_show_lays_the_plan_out_for_the_channel(store, channel, content_id):
    store.save_flare_plan("patient-1", PLAN)
    events, messages = run(flare.ActionShowFlarePlan(), make_tracker(channel=channel))
    assert events == []
    assert content_ids(messages) == [content_id]
    assert "Heat pack, short walks" in messages[0]["text"]
    assert len(messages[0]["text"]) <= SMS_LIMIT
