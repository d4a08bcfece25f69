import pytest

from bot.channels.sms_format import (
    GSM_PART,
    UCS2_PART,
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


def test_options_line_numbers_the_buttons_in_one_line():
    assert options_line(YES_NO, SMS) == "Reply 1 for Yes, 2 for No."


def test_a_turn_is_packed_into_one_text_with_the_options_under_the_question():
    turn = compose_turn(
        [
            {"text": "Call 999 now."},
            {"text": "Are you getting help now?", "buttons": YES_NO},
        ],
        SMS,
    )
    assert turn.bodies == ["Call 999 now.\n\nAre you getting help now?\nReply 1 for Yes, 2 for No."]
    assert turn.buttons == YES_NO


def test_long_turns_become_several_texts_of_at_most_three_segments():
    paragraph = "This is a sentence about pacing that is quite long. " * 6  # ~310 chars
    turn = compose_turn([{"text": paragraph}, {"text": paragraph}, {"text": "Pick one.", "buttons": YES_NO}], SMS)
    assert 2 <= len(turn.bodies) <= 3
    assert all(fits(body) for body in turn.bodies)
    assert turn.bodies[-1].endswith("Reply 1 for Yes, 2 for No.")


def test_too_many_texts_keep_the_question_and_say_something_was_cut():
    block = "word " * 90  # one full text each
    messages = [{"text": f"{i} {block}"} for i in range(6)] + [{"text": "Ok?", "buttons": YES_NO}]
    turn = compose_turn(messages, SMS, max_bodies=3)
    assert len(turn.bodies) == 3
    assert NOTE in turn.bodies[1]
    assert turn.bodies[-1] == "Ok?\nReply 1 for Yes, 2 for No."


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
)
def test_a_very_long_message_is_cut_gracefully_with_a_note(text):
    turn = compose_turn([{"text": text}], SMS)
    assert len(turn.bodies) == 1
    body = turn.bodies[0]
    assert fits(body, 3)
    assert body.endswith(NOTE)
    assert "\ufffd" not in body
    # Cut where a reader expects: the note follows a whole word or sentence.
    cut = body[: -len(NOTE)].rstrip()
    assert text.startswith(cut) or normalise(text).startswith(cut)


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
    [("1", "/affirm"), (" 2 ", "/deny"), ("2.", "/deny"), ("yes", "/affirm"), ("NO", "/deny"),
     ("3", None), ("0", None), ("12", None), ("1 please", None), ("maybe", None)],
)
def test_a_reply_picks_a_button_by_number_or_title(reply, payload):
    assert resolve_reply(reply, YES_NO) == payload


def test_a_reply_without_offered_buttons_picks_nothing():
    assert resolve_reply("1", []) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("STOP", "stop"), ("stop", "stop"), (" Stop. ", "stop"), ("unsubscribe", "stop"),
     ("STOPALL", "stop"), ("cancel", "stop"), ("end", "stop"), ("Quit!", "stop"),
     ("start", "start"), ("UNSTOP", "start"), ("help", "help"), ("HELP!", "help"),
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
