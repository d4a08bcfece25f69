import pytest

from bot.channels.sms_format import (
    GSM_PART,
    UCS2_PART,
    InvalidChoice,
    channel_words,
    compose_turn,
    fill,
    fits,
    is_gsm,
    keyword_of,
    load_channel_words,
    mask_number,
    normalise,
    options_line,
    resolve_reply,
    segment_count,
    truncate,
    units,
)

WORDS = channel_words()
SMS = WORDS.sms
NOTE = SMS["shortened"]
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def test_the_content_file_has_every_word_the_channels_need():
    words = load_channel_words()
    assert "{emergency_number}" in words.emergency_line
    for key in ("stop", "start", "help"):
        assert "{emergency_number}" in words.sms[key]
        assert segment_count(fill(words.sms[key], {"emergency_number": "999"})) <= 2
    for key in ("title", "launcher_open", "input_label", "send", "typing", "urgent_badge"):
        assert words.web[key].strip()
    assert "utter_urgent_care_emergency" in words.urgency["emergency"]


@pytest.mark.parametrize(
    ("text", "gsm", "length", "segments"),
    [
        ("", True, 0, 1),
        ("a" * 160, True, 160, 1),
        ("a" * 161, True, 161, 2),
        ("a" * 306, True, 306, 2),
        ("a" * 307, True, 307, 3),
        ("[]" * 10, True, 40, 1),  # extension characters cost two
        ("é£¥", True, 3, 1),
        ("a" * 69 + "ж", False, 70, 1),
        ("a" * 70 + "ж", False, 71, 2),
        ("😀", False, 2, 1),  # one emoji is two UTF-16 units
        ("ok 👍" * 30, False, 150, 3),
    ],
)
def test_lengths_and_segments_follow_the_encoding(text, gsm, length, segments):
    assert is_gsm(text) is gsm
    assert units(text) == length
    assert segment_count(text) == segments


def test_normalise_keeps_content_in_gsm7():
    text = "It\u2019s \u201cfine\u201d \u2013 really\u2026\u00a0**Call** [NHS](https://nhs.uk)"
    assert normalise(text) == "It's \"fine\" - really... Call NHS: https://nhs.uk"
    assert is_gsm(normalise(text))


THREE = [
    {"title": "Learn about pain", "payload": "/start_learning"},
    {"title": "Check my symptoms", "payload": "/request_symptom_check"},
    {"title": "Pacing plan", "payload": "/request_pacing_plan"},
]


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


def test_truncate_prefers_a_sentence_end_and_leaves_short_text_alone():
    assert truncate("Short.", NOTE) == "Short."
    text = "First sentence is here. " * 30
    cut = truncate(text, NOTE, max_segments=1)
    assert cut.endswith("here. " + NOTE) or cut.endswith("here. " + NOTE.strip())
    assert segment_count(cut) == 1


def test_limits_use_the_part_sizes():
    assert fits("a" * GSM_PART * 3, 3)
    assert not fits("a" * (GSM_PART * 3 + 1), 3)
    assert fits("ж" * UCS2_PART * 3, 3)
    assert not fits("ж" * (UCS2_PART * 3 + 1), 3)


def test_empty_turns_send_nothing():
    assert compose_turn([], SMS).bodies == []
    assert compose_turn([{"text": "  "}], SMS).bodies == []


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
    assert keyword_of(text, SMS["keywords"]) == kind


@pytest.mark.parametrize(
    ("number", "masked"),
    [("+447700900123", "+44*******123"), ("+15005550006", "+15******006"), ("12345", "***45")],
)
def test_numbers_are_masked_for_logs(number, masked):
    assert mask_number(number) == masked
