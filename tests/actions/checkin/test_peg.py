import pytest

from actions.checkin.peg import compare, parse_score, peg_score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("about a 7", 7),
        ("7/10", 7),
        ("7 out of 10", 7),
        ("seven", 7),
        ("0", 0),
        ("none", 0),
        ("10", 10),
        ("6.5", 7),
        ("11", None),
        ("-3", None),
        ("5 or 6", None),
        ("bad", None),
        ("", None),
        (None, None),
        ("😀", None),
    ],
)
def test_parse_score(text, expected):
    assert parse_score(text) == expected


@pytest.mark.parametrize(
    ("answers", "score"),
    [((0, 0, 0), 0.0), ((10, 10, 10), 10.0), ((7, 5, 6), 6.0), ((1, 2, 2), 1.7)],
)
def test_peg_score_is_the_mean(answers, score):
    assert peg_score(*answers) == score


@pytest.mark.parametrize(
    ("previous", "current", "verdict"),
    [
        (None, 5.0, "first"),
        (6.0, 4.2, "better"),
        (6.0, 4.3, "same"),
        (6.0, 7.8, "worse"),
        (6.0, 6.0, "same"),
        (0.0, 0.0, "same"),
        (0.0, 1.0, "worse"),
    ],
)
def test_compare_uses_a_thirty_percent_change(previous, current, verdict):
    assert compare(previous, current) == verdict
