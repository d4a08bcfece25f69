import pytest

from bot.channels.sms.segments import segment_count
from bot.channels.words import channel_words, fill, load_channel_words, urgency_of


def test_the_content_file_has_every_word_the_channels_need():
    words = load_channel_words()
    assert "{emergency_number}" in words.emergency_line
    for key in ("stop", "start", "help"):
        assert "{emergency_number}" in words.sms[key]
        assert segment_count(fill(words.sms[key], {"emergency_number": "999"})) <= 2
    for key in ("title", "launcher_open", "input_label", "send", "typing", "urgent_badge", "care_team"):
        assert words.web[key].strip()
    assert "utter_urgent_care_emergency" in words.urgency["emergency"]
    assert words.sms["care_team"].strip() and segment_count(words.sms["care_team"]) == 1


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ({"text": "x", "utter_action": "utter_urgent_care_emergency"}, "emergency"),
        ({"text": "x", "utter_action": "utter_urgent_care_crisis"}, "emergency"),
        ({"text": "x", "utter_action": "utter_urgent_care_same_day"}, "urgent"),
        ({"text": "x", "custom": {"urgency": "emergency"}}, "emergency"),
        ({"text": "x", "custom": {"urgency": "urgent"}, "utter_action": "utter_greet"}, "urgent"),
        ({"text": "x", "custom": {"urgency": "whatever"}}, None),
        # The greeting mentions the emergency number but is not an urgent-care message.
        ({"text": "In an emergency, call 999.", "utter_action": "utter_greet"}, None),
        ({"text": "x"}, None),
    ],
)
def test_urgency_comes_from_the_response_not_from_the_words(message, level):
    assert urgency_of(message, channel_words().urgency) == level
