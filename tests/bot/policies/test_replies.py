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


# Each reader, the replies it recognises, and replies it must not.
READERS = [
    (is_unsure, ["Not sure.", "I don't know"], ["no"]),
    (says_resume, ["Let's carry on!"], ["carry on with my plan please"]),
    (names_getting_help, ["yeah calling 999 now"], ["yeah I'm not going", "8"]),
    (starts_with_no, ["No, it's gone now", "not at all"], ["know what, yes"]),
]


@pytest.mark.parametrize(
    ("reader", "text", "expected"),
    [(reader, text, True) for reader, yes, _ in READERS for text in yes]
    + [(reader, text, False) for reader, _, no in READERS for text in no],
)
def test_short_replies_are_read_by_their_words(reader, text, expected):
    assert reader(text) is expected
