import pytest

from bot.channels.sms.segments import (
    GSM_PART,
    UCS2_PART,
    fits,
    is_gsm,
    normalise,
    segment_count,
    truncate,
    units,
)
from bot.channels.words import channel_words

NOTE = channel_words().sms["shortened"]


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
