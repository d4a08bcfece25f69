"""End to end: the STarT Back questions, offered once at the first greeting and on request.

Through the real Rasa server and action server: over REST (the shared ``stack``) the
first greeting's options add the questions and the next greeting's do not; the 9 items
are answered with the buttons' words and typed replies, scored, saved and told; a red
flag in the middle is answered and alerted once, and "carry on" picks up at the next
item. Over SMS (the ``channels_stack`` with the fake Twilio API) the offer is the fifth
lettered option and letters answer the items. In the web chat (headless Chromium, on a
phone-sized screen) a patient taps through it; screenshots go to ``var/artifacts/``
(``webchat-start-back-offer.png``, ``webchat-start-back-result.png``).
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import conversation_of, responses, stored
from tests.e2e.test_sms import converse, new_number
from tests.e2e.test_web_widget import page_url, wait_for_bot_messages
from tests.fakes.browser import ARTIFACTS, PHONE, chromium

pytestmark = pytest.mark.e2e

ITEMS = [f"start_back.items.{index}" for index in range(9)]
MEDIUM = ["agree", "disagree", "agree", "yes", "disagree", "agree", "no", "disagree"]


def results(db_path, sender):
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT answers, total, psychosocial, risk_group FROM start_back_results"
            " WHERE sender_id = ? ORDER BY id",
            (sender,),
        ).fetchall()


def payloads(message):
    return [button["payload"] for button in message.get("buttons") or []]


def test_offered_once_with_the_usual_options_then_answered_scored_and_saved(
    stack, rest_say, sender
):
    greeting = rest_say(sender, "hello")
    assert responses(greeting) == ["utter_greet", "utter_offer_help"]
    assert payloads(greeting[-1]) == [
        "/start_learning",
        "/request_symptom_check",
        "/request_pacing_plan",
        "/show_menu",
        "/request_start_back",
    ]
    assert "9 short questions" in greeting[-1]["text"]
    # Offered once: the next greeting has the usual options only.
    other = "again-" + sender
    rest_say(other, "hello")
    again = rest_say(other, "hi")
    assert "/request_start_back" not in payloads(again[-1])
    assert "9 short questions" not in again[-1]["text"]

    started = rest_say(sender, "/request_start_back")
    assert responses(started) == ["start_back.intro", "start_back.intro.credit", ITEMS[0]]
    assert "Keele University" in started[1]["text"]
    assert payloads(started[-1]) == ["agree", "disagree"]
    for number, answer in enumerate(MEDIUM, start=1):
        assert responses(rest_say(sender, answer)) == [ITEMS[number]]
    told = rest_say(sender, "very much")
    assert responses(told) == ["start_back.result.medium", "start_back.result.saved"]
    assert results(stack.database_path, conversation_of(sender)) == [
        (json.dumps([1, 0, 1, 1, 0, 1, 0, 0, 3]), 5, 2, "medium")
    ]
    # Answered: a later first greeting of a new session does not offer it again.
    assert "/request_start_back" not in payloads(rest_say(sender, "hello")[-1])


def test_an_unclear_answer_is_asked_again_and_never_guessed(stack, rest_say, sender):
    rest_say(sender, "check my risk")
    assert responses(rest_say(sender, "maybe")) == ["start_back.reask.statement", ITEMS[0]]
    for answer in MEDIUM:
        rest_say(sender, answer)
    assert responses(rest_say(sender, "quite a lot really")) == [
        "start_back.reask.question",
        ITEMS[8],
    ]
    assert responses(rest_say(sender, "2")) == [
        "start_back.result.medium",
        "start_back.result.saved",
    ]
    ((answers, *_),) = results(stack.database_path, conversation_of(sender))
    assert json.loads(answers)[-1] == 1  # "2": the second answer, slightly


def test_a_red_flag_mid_questions_is_answered_and_alerted_and_carry_on_resumes(
    stack, rest_say, sender
):
    rest_say(sender, "start back questionnaire")
    rest_say(sender, "agree")
    rest_say(sender, "disagree")
    flagged = rest_say(sender, "I've had a fever and chills since yesterday")
    assert responses(flagged) == ["utter_urgent_care_same_day", "utter_resume_offer"]
    assert len(stored(stack.database_path, "care_team_outbox", "tier", sender)) == 1
    assert responses(rest_say(sender, "carry on")) == [ITEMS[2]]
    # The red flag was not taken as an answer: the result is from the 9 real answers.
    for answer in MEDIUM[2:]:
        rest_say(sender, answer)
    assert responses(rest_say(sender, "extremely"))[0] == "start_back.result.medium"


def test_by_sms_the_offer_is_the_fifth_letter_and_letters_answer(channels_stack, fake_twilio):
    number = new_number()
    (greeting,) = converse(channels_stack, fake_twilio, number, "hello")
    assert "A for Learn about pain" in greeting and "E for 9 questions on my back" in greeting
    started = " ".join(converse(channels_stack, fake_twilio, number, "E"))
    assert "Keele University" in started
    assert '1 of 9: "My back pain has spread down my leg(s)' in started
    assert "Reply A for Agree, B for Disagree." in started
    for _ in range(7):
        converse(channels_stack, fake_twilio, number, "B")
    (item_9,) = converse(channels_stack, fake_twilio, number, "B")
    assert "9 of 9: Overall, how bothersome" in item_9
    assert "A for Not at all" in item_9 and "E for Extremely" in item_9
    (result,) = converse(channels_stack, fake_twilio, number, "C")
    assert "low risk group" in result
    assert results(channels_stack.database_path, number)[0][1:] == (0, 0, "low")


@pytest.mark.browser
def test_in_the_web_chat_a_patient_taps_through_the_questions(channels_stack):
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_default_timeout(60_000)
        page.goto(page_url(channels_stack))
        shown = wait_for_bot_messages(page, 2)
        replies = page.locator(".bc-reply")
        assert replies.all_inner_texts() == [
            "Learn about pain",
            "Check my symptoms",
            "Make a pacing plan",
            "More options",
            "Answer 9 questions",
        ]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "webchat-start-back-offer.png"))
        page.get_by_role("button", name="Answer 9 questions").click()
        shown = wait_for_bot_messages(page, shown + 3)
        bot = page.locator(".bc-msg--bot")
        assert "Keele University" in bot.nth(shown - 2).inner_text()
        assert "My back pain has spread down my leg(s)" in bot.nth(shown - 1).inner_text()
        for number in range(2, 10):
            page.get_by_role("button", name="Agree", exact=True).click()
            shown = wait_for_bot_messages(page, shown + 1)
            assert f"Question {number} of 9:" in bot.nth(shown - 1).inner_text()
        assert page.locator(".bc-reply").all_inner_texts() == [
            "Not at all",
            "Slightly",
            "Moderately",
            "Very much",
            "Extremely",
        ]
        page.get_by_role("button", name="Very much").click()
        shown = wait_for_bot_messages(page, shown + 2)
        assert "high risk group" in bot.nth(shown - 2).inner_text()
        assert "does not mean something is badly wrong" in bot.nth(shown - 2).inner_text()
        assert page.locator(".bc-msg--urgent").count() == 0
        page.screenshot(path=str(ARTIFACTS / "webchat-start-back-result.png"))
        assert errors == []
        context.close()
