"""STarT Back scoring: Keele's rules, checked on worked examples and on every answer set."""

from __future__ import annotations

import itertools

import pytest

from actions.start_back.scoring import (
    HIGH,
    LOW,
    MEDIUM,
    ScoringError,
    group_of,
    points,
    score,
)

# Every possible set of answers: 2^8 agree/disagree patterns times item 9's five answers.
ALL_ANSWERS = [(*statements, bother) for statements in itertools.product((0, 1), repeat=8) for bother in range(5)]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "total", "psychosocial", "group"),
    [
        ((0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 0, LOW),
        # Item 9: "moderately" (2) scores nothing, "very much" (3) and "extremely" (4) one.
        ((1, 1, 1, 0, 0, 0, 0, 0, 2), 3, 0, LOW),
        ((1, 1, 1, 0, 0, 0, 0, 0, 3), 4, 1, MEDIUM),
        # 4 or more in all but only 3 of the psychosocial items 5-9: medium.
        ((1, 1, 1, 1, 1, 1, 0, 0, 4), 7, 3, MEDIUM),
        ((1, 1, 1, 1, 1, 1, 1, 1, 0), 8, 4, HIGH),
        ((0, 0, 0, 0, 1, 1, 1, 0, 3), 4, 4, HIGH),
        ((0, 0, 0, 0, 1, 1, 1, 1, 4), 5, 5, HIGH),
        ((1, 1, 1, 1, 1, 1, 1, 1, 4), 9, 5, HIGH),
        # A total of 3 is low even when all 3 points are psychosocial.
        ((0, 0, 0, 0, 1, 1, 0, 0, 3), 3, 3, LOW),
    ],
)
def test_worked_examples(answers, total, psychosocial, group):
    result = score(answers)
    assert (result.total, result.psychosocial, result.group) == (total, psychosocial, group)
    assert result.answers == answers


def test_item_9_scores_a_point_only_for_very_much_and_extremely():
    assert [points((0,) * 8 + (bother,))[-1] for bother in range(5)] == [0, 0, 0, 1, 1]


def test_groups_follow_keele_on_every_answer_set():
    groups = set()
    for answers in ALL_ANSWERS:
        result = score(answers)
        item_points = (*answers[:8], int(answers[8] >= 3))
        assert result.total == sum(item_points)
        assert result.psychosocial == sum(item_points[4:])
        assert 0 <= result.psychosocial <= min(result.total, 5)
        if result.total <= 3:
            assert result.group == LOW
        elif result.psychosocial >= 4:
            assert result.group == HIGH
        else:
            assert result.group == MEDIUM
        groups.add(result.group)
    assert groups == {LOW, MEDIUM, HIGH}


def test_one_more_agreement_never_lowers_the_group():
    order = {LOW: 0, MEDIUM: 1, HIGH: 2}
    for answers in ALL_ANSWERS:
        for item in range(8):
            if answers[item] == 0:
                more = (*answers[:item], 1, *answers[item + 1 :])
                assert order[score(more).group] >= order[score(answers).group]


@pytest.mark.parametrize(
    ("total", "psychosocial", "group"),
    [(0, 0, LOW), (3, 3, LOW), (4, 0, MEDIUM), (4, 3, MEDIUM), (4, 4, HIGH), (9, 5, HIGH)],
)
def test_group_of_the_boundaries(total, psychosocial, group):
    assert group_of(total, psychosocial) == group


@pytest.mark.parametrize(
    "answers",
    [
        (),
        (0,) * 8,
        (0,) * 10,
        (2, 0, 0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0, -1, 0),
        (0,) * 8 + (5,),
        (0,) * 8 + (-1,),
        (True,) + (0,) * 8,
    ],
)
def test_anything_but_nine_valid_answers_is_refused(answers):
    with pytest.raises(ScoringError):
        score(answers)
