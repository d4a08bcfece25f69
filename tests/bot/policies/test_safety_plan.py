from pathlib import Path

import pytest
import yaml

from bot.policies.safety_names import (
    ACTION_DEACTIVATE_LOOP,
    ACTION_LISTEN,
    HOLD_CRISIS,
    HOLD_EMERGENCY,
    UTTER_CHECK,
    UTTER_CONFIRMED,
    UTTER_CRISIS,
    UTTER_CRISIS_CHECK,
    UTTER_EMERGENCY,
    UTTER_HOLD,
    UTTER_NOTHING_TO_RESUME,
    UTTER_RESUME_OFFER,
    UTTER_SOMEONE_ELSE,
)
from bot.policies.safety_plan import (
    FlagInfo,
    TurnView,
    find_trigger,
    highest,
    missing_steps,
    next_action,
    paused_steps,
    plan_turn,
)

PLANS = yaml.safe_load(Path(__file__).with_name("plans.yml").read_text(encoding="utf-8"))
FLAGS = {
    "cauda_equina_bladder": FlagInfo("emergency", "utter_urgent_care_emergency"),
    "suicidal_thoughts": FlagInfo("emergency", "utter_urgent_care_crisis"),
    "fever_infection": FlagInfo("urgent", "utter_urgent_care_same_day"),
    "weight_loss": FlagInfo("soon", "utter_urgent_care_soon"),
    "ask:crisis": FlagInfo("emergency", "utter_urgent_care_crisis", "suicidal_thoughts"),
    "ask:continence": FlagInfo("emergency", "utter_urgent_care_emergency", "cauda_equina_bladder"),
}


def trigger_of(view):
    """Return what the plan finds in ``view``, failing the test when it finds nothing."""
    trigger = find_trigger(view, FLAGS)
    assert trigger is not None, view
    return trigger


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [([], "none"), (["soon"], "soon"), (["soon", "emergency", "urgent"], "emergency")],
)
def test_highest_tier_wins(tiers, expected):
    assert highest(tiers) == expected


def test_emergency_finding_plans_message_check_and_listen():
    view = TurnView(intent="red_flag_emergency", red_flags=(("cauda_equina_bladder", "emergency"),))
    assert plan_turn(view, FLAGS) == (UTTER_EMERGENCY, UTTER_CHECK, ACTION_LISTEN)


def test_a_relatives_red_flag_adds_the_line_for_someone_writing_about_them():
    view = TurnView(
        intent="red_flag_emergency",
        red_flags=(("cauda_equina_bladder", "emergency"),),
        about_someone_else=True,
    )
    assert plan_turn(view, FLAGS) == (
        UTTER_EMERGENCY,
        UTTER_SOMEONE_ELSE,
        UTTER_CHECK,
        ACTION_LISTEN,
    )
    crisis = TurnView(
        intent="red_flag_crisis",
        red_flags=(("suicidal_thoughts", "emergency"),),
        about_someone_else=True,
    )
    assert plan_turn(crisis, FLAGS) == (
        UTTER_CRISIS,
        UTTER_SOMEONE_ELSE,
        UTTER_CRISIS_CHECK,
        ACTION_LISTEN,
    )
    urgent = TurnView(
        intent="red_flag_urgent",
        red_flags=(("fever_infection", "urgent"),),
        about_someone_else=True,
    )
    assert plan_turn(urgent, FLAGS) == (
        "utter_urgent_care_same_day",
        UTTER_SOMEONE_ELSE,
        ACTION_LISTEN,
    )
    # A classifier-only red-flag intent has no detector reading of whose it is.
    alone = TurnView(intent="red_flag_urgent", about_someone_else=True)
    assert UTTER_SOMEONE_ELSE not in plan_turn(alone, FLAGS)


def test_crisis_finding_asks_whether_the_person_is_safe():
    view = TurnView(intent="red_flag_crisis", red_flags=(("suicidal_thoughts", "emergency"),))
    assert plan_turn(view, FLAGS) == (UTTER_CRISIS, UTTER_CRISIS_CHECK, ACTION_LISTEN)


def test_active_form_is_deactivated_first_and_resume_offered():
    view = TurnView(
        intent="red_flag_urgent",
        red_flags=(("fever_infection", "urgent"),),
        loop_at_message="pacing_form",
    )
    assert plan_turn(view, FLAGS) == (
        ACTION_DEACTIVATE_LOOP,
        "utter_urgent_care_same_day",
        UTTER_RESUME_OFFER,
        ACTION_LISTEN,
    )


def test_crisis_and_physical_emergency_together_get_both_messages_crisis_first():
    view = TurnView(
        intent="red_flag_crisis",
        red_flags=(("cauda_equina_bladder", "emergency"), ("suicidal_thoughts", "emergency")),
    )
    trigger = trigger_of(view)
    assert trigger.responses == (UTTER_CRISIS, UTTER_EMERGENCY)
    assert trigger.flag_ids == ("cauda_equina_bladder", "suicidal_thoughts")
    assert trigger.hold == HOLD_CRISIS
    assert plan_turn(view, FLAGS) == (
        UTTER_CRISIS,
        UTTER_EMERGENCY,
        UTTER_CRISIS_CHECK,
        ACTION_LISTEN,
    )


def test_highest_tier_of_several_findings_decides_the_response():
    view = TurnView(
        intent="red_flag_urgent",
        red_flags=(("weight_loss", "soon"), ("fever_infection", "urgent")),
    )
    trigger = trigger_of(view)
    assert (trigger.tier, trigger.response) == ("urgent", "utter_urgent_care_same_day")


def test_classifier_only_red_flag_intent_still_escalates():
    trigger = trigger_of(TurnView(intent="red_flag_soon"))
    assert (trigger.tier, trigger.response, trigger.flag_ids) == (
        "soon",
        "utter_urgent_care_soon",
        (),
    )


def test_yes_to_a_screening_question_is_that_flag():
    view = TurnView(intent="affirm", asked_before_message="utter_ask_screen_fever_infection")
    trigger = trigger_of(view)
    assert (trigger.tier, trigger.flag_ids) == ("urgent", ("fever_infection",))


def test_yes_to_an_unknown_screening_question_is_treated_as_emergency():
    view = TurnView(intent="affirm", asked_before_message="utter_ask_screen_new_sign")
    trigger = trigger_of(view)
    assert trigger.tier == "emergency"


@pytest.mark.parametrize(
    "view",
    [
        TurnView(intent="deny", asked_before_message="utter_ask_screen_fever_infection"),
        TurnView(intent="affirm", asked_before_message="utter_offer_help"),
        TurnView(intent="ask_sleep"),
        TurnView(intent=None),
    ],
)
def test_no_trigger_without_red_flag(view):
    assert find_trigger(view, FLAGS) is None
    assert next_action(view, FLAGS) is None
    assert missing_steps(view, FLAGS) == ()


@pytest.mark.parametrize(("intent", "text", "expected"), PLANS["emergency_hold"])
def test_emergency_hold_is_released_only_by_a_clear_yes(intent, text, expected):
    view = TurnView(intent=intent, text=text, hold=HOLD_EMERGENCY)
    assert plan_turn(view, FLAGS) == (expected, ACTION_LISTEN)


@pytest.mark.parametrize(("intent", "text", "expected"), PLANS["crisis_hold"])
def test_crisis_hold_answers_each_kind_of_reply(intent, text, expected):
    view = TurnView(intent=intent, text=text, hold=HOLD_CRISIS)
    assert plan_turn(view, FLAGS) == (expected, ACTION_LISTEN)


def test_no_and_refusal_get_different_crisis_replies():
    no = plan_turn(TurnView(intent="deny", text="no", hold=HOLD_CRISIS), FLAGS)
    refusal = plan_turn(
        TurnView(intent="decline_help", text="leave me alone", hold=HOLD_CRISIS), FLAGS
    )
    assert no[0] != refusal[0]


def test_release_after_an_emergency_does_not_offer_to_carry_on_with_a_plan():
    view = TurnView(
        intent="confirm_getting_help",
        text="I'm in the ambulance",
        hold=HOLD_EMERGENCY,
        interrupted_loop="pacing_form",
    )
    assert plan_turn(view, FLAGS) == (UTTER_CONFIRMED, ACTION_LISTEN)


def test_the_emergency_hold_varies_its_words_and_answers_a_refusal_with_111():
    first = TurnView(intent="ask_sleep", text="how do I sleep", hold=HOLD_EMERGENCY)
    assert plan_turn(first, FLAGS)[0] == UTTER_HOLD
    again = TurnView(intent="ask_sleep", text="x", hold=HOLD_EMERGENCY, hold_replies=(UTTER_HOLD,))
    assert plan_turn(again, FLAGS)[0] == "utter_urgent_care_hold_again"
    refusal = TurnView(intent="decline_help", text="I don't want to go to A&E", hold=HOLD_EMERGENCY)
    assert plan_turn(refusal, FLAGS)[0] == "utter_urgent_care_hold_declined"
    second_no = TurnView(
        intent="deny",
        text="no",
        hold=HOLD_EMERGENCY,
        hold_replies=("utter_urgent_care_hold_declined",),
    )
    assert plan_turn(second_no, FLAGS)[0] == "utter_urgent_care_hold_again"


def test_a_misclick_can_be_corrected_and_releases_the_hold():
    view = TurnView(intent="correct_answer", text="I pressed the wrong button", hold=HOLD_EMERGENCY)
    assert plan_turn(view, FLAGS) == ("utter_urgent_care_corrected", ACTION_LISTEN)


def test_the_crisis_hold_never_asks_again_after_not_safe_and_never_repeats_itself():
    said_not_safe = ("utter_crisis_not_safe",)
    refusal = TurnView(
        intent="decline_help", text="leave me alone", hold=HOLD_CRISIS, hold_replies=said_not_safe
    )
    assert plan_turn(refusal, FLAGS)[0] == "utter_crisis_declined_not_safe"
    unclear = TurnView(
        intent="affirm", text="ok", hold=HOLD_CRISIS, hold_replies=("utter_crisis_ask_again",)
    )
    assert plan_turn(unclear, FLAGS)[0] == "utter_crisis_stay"
    second_no = TurnView(intent="deny", text="no", hold=HOLD_CRISIS, hold_replies=said_not_safe)
    assert plan_turn(second_no, FLAGS)[0] == "utter_crisis_stay"


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (TurnView(intent="cancel", text="cancel"), "utter_nothing_to_cancel"),
        (
            TurnView(intent="cancel", text="cancel", loop_at_message="pacing_form"),
            "utter_cancelled",
        ),
        (
            TurnView(
                intent="cancel",
                text="quit",
                asked_before_message="utter_ask_screen_fever_infection",
            ),
            "utter_cancelled",
        ),
    ],
)
def test_cancel_says_what_it_stopped(view, expected):
    assert expected in plan_turn(view, FLAGS)


def test_new_red_flag_during_hold_escalates_again():
    view = TurnView(
        intent="red_flag_soon", red_flags=(("weight_loss", "soon"),), hold=HOLD_EMERGENCY
    )
    assert plan_turn(view, FLAGS)[0] == "utter_urgent_care_soon"


@pytest.mark.parametrize(
    ("intent", "text"),
    [("resume", "can we carry on with my walking plan?"), ("learn_next", "carry on")],
)
def test_carry_on_restarts_the_interrupted_form(intent, text):
    view = TurnView(intent=intent, text=text, interrupted_loop="pacing_form")
    assert plan_turn(view, FLAGS) == ("pacing_form", ACTION_LISTEN)


def test_carry_on_with_nothing_interrupted():
    assert plan_turn(TurnView(intent="resume", text="where were we"), FLAGS) == (
        UTTER_NOTHING_TO_RESUME,
        ACTION_LISTEN,
    )
    assert plan_turn(TurnView(intent="learn_next", text="carry on"), FLAGS) == ()


def test_next_action_follows_the_plan_step_by_step():
    base = dict(intent="red_flag_emergency", red_flags=(("cauda_equina_bladder", "emergency"),))
    plan = plan_turn(TurnView(**base), FLAGS)
    for done in range(len(plan)):
        view = TurnView(**base, actions_since_message=plan[:done])
        assert next_action(view, FLAGS) == plan[done]
    assert next_action(TurnView(**base, actions_since_message=plan), FLAGS) is None


def test_next_action_gives_up_if_another_action_intervened():
    view = TurnView(
        intent="red_flag_emergency",
        red_flags=(("cauda_equina_bladder", "emergency"),),
        actions_since_message=("utter_greet",),
    )
    assert next_action(view, FLAGS) is None


def test_missing_steps_are_what_the_dialogue_did_not_send():
    base = dict(intent="red_flag_emergency", red_flags=(("cauda_equina_bladder", "emergency"),))
    assert missing_steps(TurnView(**base), FLAGS) == (UTTER_EMERGENCY, UTTER_CHECK)
    looped = TurnView(**base, actions_since_message=("action_suggest_topics",))
    assert missing_steps(looped, FLAGS) == (UTTER_EMERGENCY, UTTER_CHECK)
    done = TurnView(**base, actions_since_message=(UTTER_EMERGENCY, UTTER_CHECK))
    assert missing_steps(done, FLAGS) == ()


def test_missing_steps_cover_a_hold():
    view = TurnView(intent="ask_sleep", text="how do I sleep", hold=HOLD_EMERGENCY)
    assert missing_steps(view, FLAGS) == (UTTER_HOLD,)


EMERGENCY_VIEW = dict(intent="red_flag_emergency", red_flags=(("cauda_equina_bladder", "emergency"),))


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        # A red flag while a clinician holds the conversation: the urgent reply and check.
        (TurnView(**EMERGENCY_VIEW), (UTTER_EMERGENCY, UTTER_CHECK)),
        (TurnView(**EMERGENCY_VIEW, hold=HOLD_EMERGENCY), (UTTER_EMERGENCY, UTTER_CHECK)),
        (TurnView(**EMERGENCY_VIEW, actions_since_message=(UTTER_EMERGENCY,)), (UTTER_CHECK,)),
        # Crisis words get the crisis reply and its check.
        (
            TurnView(intent="red_flag_crisis", red_flags=(("suicidal_thoughts", "emergency"),)),
            ("utter_urgent_care_crisis", UTTER_CRISIS_CHECK),
        ),
        # An urgent flag in the middle of a form: no offer to carry on while paused.
        (
            TurnView(
                intent="red_flag_urgent",
                red_flags=(("fever_infection", "urgent"),),
                loop_at_message="pacing_form",
            ),
            ("utter_urgent_care_same_day",),
        ),
        # A possible red flag: the clarifying question.
        (TurnView(intent="greet", text="been leaking a bit", ask="continence"), (
            "utter_ask_safety_continence",
        )),
        # Anything else, a hold's reminders included, is the clinician's to answer.
        (TurnView(intent="ask_sleep", text="how do I sleep", hold=HOLD_EMERGENCY), ()),
        (TurnView(intent="affirm", text="ok", hold=HOLD_CRISIS), ()),
        (TurnView(intent="greet", text="hello"), ()),
        (TurnView(intent="resume", text="carry on", interrupted_loop="pacing_form"), ()),
    ],
)
def test_paused_steps_answer_only_what_the_detector_raises(view, expected):
    assert paused_steps(view, FLAGS) == expected


@pytest.mark.parametrize(
    ("guess", "released"),
    [("confirm_getting_help", True), ("affirm", True), ("ask_sleep", False), (None, False)],
)
def test_unsure_classifier_between_yes_and_getting_help_still_releases(guess, released):
    view = TurnView(
        intent="nlu_fallback", text="yes getting help", hold=HOLD_EMERGENCY, best_guess=guess
    )
    assert plan_turn(view, FLAGS)[0] == (UTTER_CONFIRMED if released else UTTER_HOLD)


@pytest.mark.parametrize("text", ["maybe", "Not sure", "I don't know", "dunno", "a bit"])
def test_not_sure_to_a_symptom_check_question_counts_as_yes(text):
    view = TurnView(
        intent="deny", text=text, asked_before_message="utter_ask_screen_fever_infection"
    )
    trigger = find_trigger(view, FLAGS)
    assert trigger is not None and trigger.flag_ids == ("fever_infection",)


def test_a_plain_no_to_a_symptom_check_question_is_no():
    view = TurnView(
        intent="deny", text="no", asked_before_message="utter_ask_screen_fever_infection"
    )
    assert find_trigger(view, FLAGS) is None


def test_a_sign_that_suggests_a_red_flag_gets_one_direct_question():
    view = TurnView(intent="ask_sleep", text="I can't hold my water", ask="continence")
    assert plan_turn(view, FLAGS) == ("utter_ask_safety_continence", ACTION_LISTEN)
    mid_form = TurnView(intent="x", text="...", ask="crisis", loop_at_message="pacing_form")
    assert plan_turn(mid_form, FLAGS)[:2] == (ACTION_DEACTIVATE_LOOP, "utter_ask_safety_crisis")


@pytest.mark.parametrize(("intent", "text", "escalates"), PLANS["clarifying_answers"])
def test_any_answer_to_a_clarifying_question_but_a_clear_no_escalates(intent, text, escalates):
    view = TurnView(intent=intent, text=text, asked_before_message="utter_ask_safety_crisis")
    trigger = find_trigger(view, FLAGS)
    if escalates:
        assert trigger is not None
        assert (trigger.response, trigger.flag_ids) == (UTTER_CRISIS, ("suicidal_thoughts",))
    else:
        assert trigger is None
        assert plan_turn(view, FLAGS) == ("utter_ask_safety_no", ACTION_LISTEN)


@pytest.mark.parametrize("intent", ["ask_sleep", "nlu_fallback", "greet"])
def test_a_symptom_check_question_answered_with_something_else_is_asked_again(intent):
    view = TurnView(
        intent=intent,
        text="and I had a couple of accidents",
        asked_before_message="utter_ask_screen_fever_infection",
    )
    assert plan_turn(view, FLAGS) == (
        "utter_screen_answer_yes_no",
        "utter_ask_screen_fever_infection",
        ACTION_LISTEN,
    )


@pytest.mark.parametrize("intent", ["deny", "cancel", "show_menu"])
def test_no_cancel_and_menu_leave_the_question_to_the_rules(intent):
    view = TurnView(
        intent=intent, text="x", asked_before_message="utter_ask_screen_fever_infection"
    )
    assert "utter_screen_answer_yes_no" not in plan_turn(view, FLAGS)


@pytest.mark.parametrize("text", ["8", "asdf", "?", "carry on", "what", "7.5"])
def test_an_unclear_answer_the_classifier_guesses_as_yes_never_releases_the_hold(text):
    for hold in (HOLD_EMERGENCY, HOLD_CRISIS):
        view = TurnView(intent="nlu_fallback", text=text, hold=hold, best_guess="affirm")
        assert plan_turn(view, FLAGS)[0] not in (UTTER_CONFIRMED, "utter_crisis_safe")


@pytest.mark.parametrize("text", ["8", "10", "?", "..."])
def test_a_number_or_symbol_never_releases_the_hold_whatever_the_classifier_says(text):
    view = TurnView(intent="affirm", text=text, hold=HOLD_EMERGENCY)
    assert plan_turn(view, FLAGS)[0] != UTTER_CONFIRMED


@pytest.mark.parametrize(
    ("text", "released"),
    [
        ("asdf", False),
        ("xyz", False),
        ("yes", True),
        ("y", True),
        ("aye", True),
        ("yeah my son is taking me", True),
        ("/affirm", True),
    ],
)
def test_a_typed_general_yes_releases_only_when_it_says_yes_or_help(text, released):
    view = TurnView(intent="affirm", text=text, hold=HOLD_EMERGENCY)
    assert (plan_turn(view, FLAGS)[0] == UTTER_CONFIRMED) is released


@pytest.mark.parametrize(
    "text", ["yeah I'm not going", "no I won't call anyone", "yes but I can't get to hospital"]
)
def test_a_guessed_yes_with_a_negative_never_releases_the_hold(text):
    for intent, guess in (("affirm", None), ("nlu_fallback", "affirm")):
        view = TurnView(intent=intent, text=text, hold=HOLD_EMERGENCY, best_guess=guess)
        assert plan_turn(view, FLAGS)[0] != UTTER_CONFIRMED
