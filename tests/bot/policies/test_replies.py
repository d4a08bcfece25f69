import pytest

from bot.policies.replies import (
    is_acknowledgement,
    is_unsure,
    names_getting_help,
    says_resume,
    starts_with_no,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ok", True), ("OK.", True), ("Okay!", True), ("\U0001f44d", True), ("fine", True),
     ("yes", False), ("yes I'm safe", False), ("ok I'm calling 999", False)],
)
def test_acknowledgements(text, expected):
    assert is_acknowledgement(text) is expected


@pytest.mark.parametrize(
    ("reader", "text", "expected"),
    [
        (is_unsure, "Not sure.", True),
        (is_unsure, "I don't know", True),
        (is_unsure, "no", False),
        (says_resume, "Let's carry on!", True),
        (says_resume, "carry on with my plan please", False),
        (names_getting_help, "yeah calling 999 now", True),
        (names_getting_help, "yeah I'm not going", False),
        (names_getting_help, "8", False),
        (starts_with_no, "No, it's gone now", True),
        (starts_with_no, "not at all", True),
        (starts_with_no, "know what, yes", False),
    ],
)
def test_short_replies_are_read_by_their_words(reader, text, expected):
    assert reader(text) is expected
