"""Every turn is answered, and a red flag is answered and alerted whatever the state.

Real Rasa server and action server over REST (the shared ``stack``), and a stack of its
own for killing the action server mid-conversation. Assertions name responses and
content ids, never prose.
"""

from __future__ import annotations

import os
import signal
import uuid

import pytest

from tests.conftest import own_stack, responses, say_to, stored
from tests.main_menu import MAIN_MENU

pytestmark = pytest.mark.e2e

EMERGENCY = "utter_urgent_care_emergency"
CRISIS = "utter_urgent_care_crisis"
FALLBACKS = {"utter_turn_fallback", "ui.suggest.rephrase", "ui.suggest.prompt"}


def alerts(db_path, sender):
    return stored(db_path, "care_team_outbox", "tier, flag_ids, message, question", sender)


def rasa_log(stack):
    return (stack.log_dir / "rasa.log").read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize(
    "reply", ["ok", "yes", "no", "no thanks", "maybe", "I don't know", "asdf", "\U0001f44d", "?"]
)
def test_a_short_reply_after_the_greeting_gets_one_answer_and_the_next_message_too(
    stack, rest_say, sender, reply
):
    rest_say(sender, "hello")
    answer = rest_say(sender, reply)
    assert 1 <= len(answer) <= 2
    # A red flag after it is answered and alerted: the conversation is alive.
    flagged = rest_say(sender, "I can't feel my bum and I wet myself")
    assert responses(flagged)[0] == EMERGENCY
    assert len(alerts(stack.database_path, sender)) == 1


def test_ok_after_the_greeting_offers_the_options(rest_say, sender):
    rest_say(sender, "hello")
    assert responses(rest_say(sender, "ok")) == ["utter_short_reply_prompt"]


def test_the_loop_guard_never_fires_in_these_tests(stack, rest_say, sender):
    for text in ["hello", "ok", "ok", "asdf", "no", "yes", "maybe"]:
        rest_say(sender, text)
    assert "Circuit breaker tripped" not in rasa_log(stack)
    assert "loop guard:" not in rasa_log(stack)


MENU = MAIN_MENU


@pytest.mark.parametrize("payload", MENU)
def test_every_menu_button_starts_its_flow_like_typing(rest_say, sender, payload):
    rest_say(sender, "menu")
    replies = rest_say(sender, payload)
    assert 1 <= len(replies) <= 4
    assert not set(responses(replies)) & FALLBACKS
    texts = [m.get("text", "") for m in replies]
    assert not any(t.startswith("Sorry") for t in texts)


def test_learn_about_pain_asks_its_question_and_waits_for_the_answer(rest_say, sender):
    rest_say(sender, "hello")
    replies = rest_say(sender, "/start_learning")
    assert responses(replies) == ["lessons.intro", "pain_science", "pain_science.teach_back.question"]
    answer = rest_say(sender, "pain is an alarm that protects me")
    assert responses(answer) == ["pain_science.teach_back.praise"]


def test_a_yes_takes_the_offer_and_not_now_is_a_way_out(rest_say, sender):
    rest_say(sender, "show my flare-up plan")  # none yet: "would you like to make one?"
    started = rest_say(sender, "yes please")
    assert responses(started)[0] == "flare_ups.start.new"
    other = "o-" + sender
    rest_say(other, "show my flare-up plan")
    assert responses(rest_say(other, "not now")) == ["utter_no_problem"]


def test_a_red_flag_mid_form_keeps_the_answers_and_carry_on_resumes(rest_say, sender):
    rest_say(sender, "I'd like to make a pacing plan for walking")  # the activity is kept
    rest_say(sender, "minutes")
    rest_say(sender, "20")
    flagged = rest_say(sender, "I've had a fever and chills since yesterday")
    assert responses(flagged) == ["utter_urgent_care_same_day", "utter_resume_offer"]
    resumed = rest_say(sender, "can we carry on with my walking plan?")
    assert responses(resumed) == ["pacing.ask.pacing_bad_day.minutes"]


def test_after_an_emergency_the_plan_waits_until_the_patient_asks_for_it(rest_say, sender):
    rest_say(sender, "make a pacing plan")
    rest_say(sender, "walking")
    rest_say(sender, "my legs have gone weak and I keep falling")
    assert responses(rest_say(sender, "carry on")) == ["utter_urgent_care_hold"]
    released = rest_say(sender, "yes, my daughter is taking me to A&E")
    # Help comes first: no offer to go back to the plan here...
    assert responses(released) == ["utter_urgent_care_confirmed"]
    # ...but the answers were kept, and "carry on" picks up where it stopped.
    assert responses(rest_say(sender, "carry on"))[0] == "pacing.ask.pacing_unit"


def test_the_emergency_hold_is_kind_to_a_refusal_and_a_misclick_can_be_corrected(
    stack, rest_say, sender
):
    rest_say(sender, "check my symptoms")
    assert responses(rest_say(sender, "/affirm"))[0] == EMERGENCY
    assert responses(rest_say(sender, "no"))[0] == "utter_urgent_care_hold_declined"
    assert responses(rest_say(sender, "what?"))[0] == "utter_urgent_care_hold_again"
    # A number, a stray word or "carry on" is not "I'm getting help".
    for unclear in ("8", "asdf", "carry on"):
        assert responses(rest_say(sender, unclear))[0] == "utter_urgent_care_hold_again"
    assert responses(rest_say(sender, "/correct_answer")) == ["utter_urgent_care_corrected"]
    assert len(alerts(stack.database_path, sender)) == 1  # the care team still knows


def test_the_crisis_hold_answers_ok_no_and_refusal_differently_and_never_lets_go_on_ok(
    stack, rest_say, sender
):
    first = rest_say(sender, "I don't want to be here anymore, everyone would be better off")
    assert responses(first) == [CRISIS, "utter_crisis_check"]
    assert "tel:" in first[0]["text"]
    assert responses(rest_say(sender, "ok")) == ["utter_crisis_ask_again"]
    assert responses(rest_say(sender, "no")) == ["utter_crisis_not_safe"]
    refusal = rest_say(sender, "I don't want to talk to anyone")
    # After "no, I'm not safe", nothing asks again whether they are safe.
    assert responses(refusal) == ["utter_crisis_declined_not_safe"]
    assert responses(rest_say(sender, "how do I sleep better?")) == ["utter_crisis_stay"]
    assert responses(rest_say(sender, "yes I'm safe, my sister is here")) == ["utter_crisis_safe"]
    # Refusal before any "no" gets the text service and the question, once.
    other = sender + "-2"
    rest_say(other, "I don't want to be here anymore, everyone would be better off")
    assert responses(rest_say(other, "I don't want to talk to anyone")) == ["utter_crisis_declined"]
    assert len(alerts(stack.database_path, sender)) == 1


def test_crisis_and_cauda_equina_together_get_both_messages(rest_say, sender):
    replies = rest_say(sender, "I've wet myself and can't feel my bum, I just want to die")
    assert responses(replies) == [CRISIS, EMERGENCY, "utter_crisis_check"]


def test_not_sure_to_a_symptom_check_question_is_taken_as_yes(stack, rest_say, sender):
    rest_say(sender, "check my symptoms")
    replies = rest_say(sender, "not sure")
    assert responses(replies)[0] == EMERGENCY
    [(tier, flags, message, question)] = alerts(stack.database_path, sender)
    assert (tier, message) == ("emergency", "not sure")
    assert "cauda_equina_saddle" in flags
    assert question  # the question the patient answered, in the care team's alert


def test_a_long_message_is_read_for_red_flags_in_full_and_the_patient_is_told(
    stack, rest_say, sender
):
    filler = "I have been doing my exercises every morning and walking the dog. " * 40
    replies = rest_say(sender, filler + "Also since yesterday I can't feel my bum at all.")
    # The urgent advice and its question, nothing after them.
    assert responses(replies) == [EMERGENCY, "utter_urgent_care_check"]
    assert len(alerts(stack.database_path, sender)) == 1
    other = rest_say(sender + "-2", filler + "What is the best chair for my back?")
    assert responses(other)[-1] == "utter_message_cut"


@pytest.mark.parametrize("text", ["I can\u2019t feel my bum \ud800", "\x00\x00", "\u200b\u200b"])
def test_text_that_breaks_parsers_still_gets_an_answer(rest_say, sender, text):
    assert rest_say(sender, text)


def test_a_red_flag_with_the_action_server_killed_mid_conversation(e2e_dir):
    with own_stack(e2e_dir, "killed") as stack:
        db = stack.database_path
        say = say_to(stack)
        sender = "killed-" + uuid.uuid4().hex[:8]
        say(sender, "hello")
        say(sender, "make a pacing plan")
        actions = stack.processes[0]
        os.kill(actions.pid, signal.SIGKILL)
        actions.wait(timeout=10)
        replies = say(sender, "walking")  # the form needs the action server: still answered
        assert replies
        flagged = say(sender, "I fell off a ladder and now I can't move my legs")
        assert responses(flagged)[0].startswith(EMERGENCY)
        assert len(alerts(db, sender)) == 1
        assert responses(say(sender, "ok")) == ["utter_urgent_care_hold"]


def test_a_suggestive_sign_gets_one_direct_question_and_yes_escalates(stack, rest_say, sender):
    asked = rest_say(sender, "my legs feel funny today")
    assert responses(asked) == ["utter_ask_safety_leg_weakness"]
    flagged = rest_say(sender, "I'm not sure")  # unclear counts as yes
    assert responses(flagged)[0] == EMERGENCY
    [(tier, flags, message, question)] = alerts(stack.database_path, sender)
    assert (tier, flags) == ("emergency", '["leg_weakness_progressive"]')
    assert question and message == "I'm not sure"


def test_no_to_the_direct_question_carries_on(rest_say, sender):
    assert responses(rest_say(sender, "my legs feel funny today")) == ["utter_ask_safety_leg_weakness"]
    assert responses(rest_say(sender, "no")) == ["utter_ask_safety_no"]


def test_risk_told_over_several_messages_escalates_when_it_becomes_clear(
    stack, rest_say, sender
):
    rest_say(sender, "my back has been bad all week")
    rest_say(sender, "and I've had a couple of accidents")
    clear = rest_say(sender, "with my bladder I mean, I didn't feel it happen")
    assert responses(clear)[0] == EMERGENCY
    assert len(alerts(stack.database_path, sender)) == 1
