import pytest

from bot.policies.safety_plan import (
    ACTION_DEACTIVATE_LOOP,
    ACTION_ESCALATE,
    ACTION_LISTEN,
    UTTER_CHECK,
    UTTER_CONFIRMED,
    UTTER_HOLD,
    FlagInfo,
    TurnView,
    find_trigger,
    highest,
    next_action,
    plan_turn,
)

FLAGS = {
    "cauda_equina_bladder": FlagInfo("emergency", "utter_urgent_care_emergency"),
    "suicidal_thoughts": FlagInfo("emergency", "utter_urgent_care_crisis"),
    "fever_infection": FlagInfo("urgent", "utter_urgent_care_same_day"),
    "weight_loss": FlagInfo("soon", "utter_urgent_care_soon"),
}


@pytest.mark.parametrize(
    ("tiers", "expected"),
    [([], "none"), (["soon"], "soon"), (["soon", "emergency", "urgent"], "emergency")],
)
def test_highest_tier_wins(tiers, expected):
    assert highest(tiers) == expected


def test_emergency_finding_plans_message_alert_check_and_listen():
    view = TurnView(intent="red_flag_emergency", red_flags=(("cauda_equina_bladder", "emergency"),))
    assert plan_turn(view, FLAGS) == (
        "utter_urgent_care_emergency",
        ACTION_ESCALATE,
        UTTER_CHECK,
        ACTION_LISTEN,
    )


def test_active_form_is_deactivated_first():
    view = TurnView(
        intent="red_flag_urgent",
        red_flags=(("fever_infection", "urgent"),),
        loop_at_message="pacing_form",
    )
    assert plan_turn(view, FLAGS) == (
        ACTION_DEACTIVATE_LOOP,
        "utter_urgent_care_same_day",
        ACTION_ESCALATE,
        ACTION_LISTEN,
    )


def test_crisis_wording_wins_among_emergency_findings():
    view = TurnView(
        intent="red_flag_crisis",
        red_flags=(("cauda_equina_bladder", "emergency"), ("suicidal_thoughts", "emergency")),
    )
    trigger = find_trigger(view, FLAGS)
    assert trigger is not None
    assert trigger.response == "utter_urgent_care_crisis"
    assert trigger.flag_ids == ("cauda_equina_bladder", "suicidal_thoughts")


def test_highest_tier_of_several_findings_decides_the_response():
    view = TurnView(
        intent="red_flag_urgent",
        red_flags=(("weight_loss", "soon"), ("fever_infection", "urgent")),
    )
    trigger = find_trigger(view, FLAGS)
    assert trigger is not None
    assert (trigger.tier, trigger.response) == ("urgent", "utter_urgent_care_same_day")


def test_classifier_only_red_flag_intent_still_escalates():
    trigger = find_trigger(TurnView(intent="red_flag_soon"), FLAGS)
    assert trigger is not None
    assert (trigger.tier, trigger.response, trigger.flag_ids) == ("soon", "utter_urgent_care_soon", ())


def test_yes_to_a_screening_question_is_that_flag():
    view = TurnView(intent="affirm", asked_before_message="utter_ask_screen_fever_infection")
    trigger = find_trigger(view, FLAGS)
    assert trigger is not None
    assert (trigger.tier, trigger.flag_ids) == ("urgent", ("fever_infection",))


def test_yes_to_an_unknown_screening_question_is_treated_as_emergency():
    view = TurnView(intent="affirm", asked_before_message="utter_ask_screen_new_sign")
    trigger = find_trigger(view, FLAGS)
    assert trigger is not None
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


@pytest.mark.parametrize(
    ("intent", "expected"),
    [("ask_sleep", UTTER_HOLD), ("deny", UTTER_HOLD), ("confirm_getting_help", UTTER_CONFIRMED), ("affirm", UTTER_CONFIRMED)],
)
def test_hold_after_emergency_until_help_is_confirmed(intent, expected):
    view = TurnView(intent=intent, hold=True)
    assert plan_turn(view, FLAGS) == (expected, ACTION_LISTEN)


def test_new_red_flag_during_hold_escalates_again():
    view = TurnView(intent="red_flag_soon", red_flags=(("weight_loss", "soon"),), hold=True)
    assert plan_turn(view, FLAGS)[0] == "utter_urgent_care_soon"


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


@pytest.mark.parametrize(
    ("guess", "released"), [("confirm_getting_help", True), ("affirm", True), ("ask_sleep", False), (None, False)]
)
def test_unsure_classifier_between_yes_and_getting_help_still_releases(guess, released):
    view = TurnView(intent="nlu_fallback", hold=True, best_guess=guess)
    assert plan_turn(view, FLAGS)[0] == (UTTER_CONFIRMED if released else UTTER_HOLD)
