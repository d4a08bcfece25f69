import pytest

from bot.channels.sms.format import care_team_texts, compose_turn, options_line
from bot.channels.sms.replies import resolve_reply
from bot.channels.sms.segments import fits, segment_count
from bot.channels.words import channel_words
from tests.bot.channels.buttons import THREE, YES_NO

SMS = channel_words().sms
NOTE = SMS["shortened"]


def test_options_are_letters_never_numbers():
    assert options_line(THREE, SMS) == (
        "Reply A for Learn about pain, B for Check my symptoms, C for Pacing plan."
    )


def test_a_yes_no_question_says_yes_or_no():
    assert options_line(YES_NO, SMS) == "Reply YES or NO."
    help_check = [
        {"title": "Yes, I'm getting help", "payload": "/confirm_getting_help"},
        {"title": "No", "payload": "/deny"},
    ]
    assert options_line(help_check, SMS) == "Reply YES or NO."
    assert resolve_reply("YES", help_check) == "/confirm_getting_help"
    assert resolve_reply("n", help_check) == "/deny"
    offer = [{"title": "Yes, make my plan", "payload": "/x"}, {"title": "Not now", "payload": "/deny"}]
    assert options_line(offer, SMS) == "Reply A for Yes, make my plan, B for Not now."


def test_a_turn_is_packed_into_one_text_with_the_options_under_the_question():
    turn = compose_turn(
        [
            {"text": "Call 999 now."},
            {"text": "Are you getting help now?", "buttons": YES_NO},
        ],
        SMS,
    )
    assert turn.bodies == ["Call 999 now.\n\nAre you getting help now?\nReply YES or NO."]
    assert turn.buttons == YES_NO
    assert turn.pages == []


def test_a_long_turn_is_one_text_of_two_segments_and_the_rest_waits_for_more():
    paragraph = "This is a sentence about pacing that is quite long. " * 6  # ~310 chars
    turn = compose_turn(
        [{"text": paragraph}, {"text": paragraph}, {"text": "Pick one.", "buttons": THREE}], SMS
    )
    assert len(turn.bodies) == 1
    texts = turn.bodies + turn.pages
    assert len(texts) >= 3
    assert all(segment_count(text) <= 2 for text in texts)
    assert all(text.count(SMS["more"]) == 1 for text in texts[:-1])
    # The options come with the first text (a reply can pick at once) and the last.
    assert turn.bodies[0].endswith("C for Pacing plan.")
    assert texts[-1].endswith("C for Pacing plan.")
    assert SMS["more"] not in texts[-1]
    # Nothing is lost: every sentence is in some text.
    joined = " ".join(texts)
    assert joined.count("quite long.") == 12


def test_an_urgent_turn_is_sent_whole_and_never_paged():
    advice = "Please get help now. Call 999 or go to A&E. Do not wait. " * 5
    turn = compose_turn(
        [{"text": advice}, {"text": "Are you getting help now?", "buttons": YES_NO}],
        SMS,
        urgent=True,
    )
    assert turn.pages == []
    assert all(fits(body, 3) for body in turn.bodies)
    assert turn.bodies[-1].endswith("Are you getting help now?\nReply YES or NO.")


def test_too_many_urgent_texts_keep_the_question_and_say_something_was_cut():
    block = "word " * 90  # one full text each
    messages = [{"text": f"{i} {block}"} for i in range(6)] + [{"text": "Ok?", "buttons": YES_NO}]
    turn = compose_turn(messages, SMS, max_bodies=3, urgent=True)
    assert len(turn.bodies) == 3
    assert NOTE in turn.bodies[1]
    assert turn.bodies[-1] == "Ok?\nReply YES or NO."


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "word " * 2_000,
        "Back pain. " * 1_000,
        "боль в спине " * 500,
        "😀 ok " * 2_000,
        "腰痛" * 3_000,
    ],
    ids=["x", "words", "sentences", "cyrillic", "emoji", "cjk"],
)
def test_a_very_long_message_is_paged_and_cut_gracefully(text):
    turn = compose_turn([{"text": text}], SMS)
    assert len(turn.bodies) == 1
    texts = turn.bodies + turn.pages
    assert all(segment_count(t) <= 2 for t in texts)
    assert all("\ufffd" not in t for t in texts)
    assert texts[-1].endswith(NOTE)


def test_empty_turns_send_nothing():
    assert compose_turn([], SMS).bodies == []
    assert compose_turn([{"text": "  "}], SMS).bodies == []


LABEL = SMS["care_team"]


@pytest.mark.parametrize(
    "text",
    [
        "See you at 3pm.",
        "Please rest today and take your painkillers as prescribed. " * 15,
        "Bitte ruhen Sie sich aus \U0001f60a " * 40,  # UCS-2: far less room a text
        "x" * 1000,  # no space to split at
    ],
)
def test_a_care_team_message_is_split_into_labelled_texts_and_nothing_is_lost(text):
    texts = care_team_texts(text, SMS)
    assert all(t.startswith(LABEL + "\n") and fits(t, 3) for t in texts)
    words = "".join(t[len(LABEL) + 1 :].replace(" ", "") for t in texts)
    assert words == text.replace(" ", "").strip()


def test_an_empty_care_team_message_is_no_text():
    assert care_team_texts("  ", SMS) == []
