import pytest

from bot.channels.sms.replies import InvalidChoice, keyword_of, resolve_reply
from bot.channels.words import channel_words
from tests.bot.channels.buttons import THREE, YES_NO

KEYWORDS = channel_words().sms["keywords"]


@pytest.mark.parametrize(
    ("reply", "payload"),
    [("A", "/start_learning"), (" b ", "/request_symptom_check"), ("c)", "/request_pacing_plan"),
     ("(a)", "/start_learning"), ("pacing plan", "/request_pacing_plan"),
     ("1", None), ("2", None), ("15", None), ("a please", None), ("maybe", None), ("k", None)],
)
def test_a_reply_picks_a_button_by_letter_or_title_and_numbers_are_answers(reply, payload):
    assert resolve_reply(reply, THREE) == payload


@pytest.mark.parametrize("reply", ["D", "z", "g."])
def test_a_letter_that_was_not_offered_is_an_invalid_choice(reply):
    picked = resolve_reply(reply, THREE)
    assert isinstance(picked, InvalidChoice)
    assert picked.count == 3


@pytest.mark.parametrize(
    ("reply", "payload"),
    [("yes", "/affirm"), ("NO", "/deny"), ("y", "/affirm"), ("n", "/deny"), ("Yes.", "/affirm")],
)
def test_yes_and_no_answer_a_yes_no_question(reply, payload):
    assert resolve_reply(reply, YES_NO) == payload


def test_a_reply_without_offered_buttons_picks_nothing():
    assert resolve_reply("A", []) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("STOP", "stop"), ("stop", "stop"), (" Stop. ", "stop"), ("unsubscribe", "stop"),
     ("STOPALL", "stop"), ("cancel", "stop"), ("end", "stop"), ("Quit!", "stop"),
     ("start", "start"), ("UNSTOP", "start"), ("help", "help"), ("HELP!", "help"),
     ("more", "more"), ("MORE", "more"), ("optout", "stop"),
     ("please stop", None), ("help me my back hurts", None), ("", None), ("yes", None)],
)
def test_keywords_are_whole_messages(text, kind):
    assert keyword_of(text, KEYWORDS) == kind
