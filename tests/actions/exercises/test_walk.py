"""The walk-through: reading "done", "too hard" and "show me again", and moving on."""

from __future__ import annotations

import pytest

from actions.exercises.messages import get_programme_content
from actions.exercises.walk import (
    AGAIN,
    DONE,
    EASIER,
    FULL,
    PROMPT,
    TOO_HARD,
    WalkState,
    next_state,
    read_walk_answer,
    step_of,
)

BUTTONS = get_programme_content().node("buttons")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("done", DONE),
        ("Done!", DONE),
        ("did it", DONE),
        ("ok next", DONE),
        ("finished that one", DONE),
        ("too hard", TOO_HARD),
        ("that was too difficult", TOO_HARD),
        ("done but it was too hard", TOO_HARD),
        ("I can\u2019t do that", TOO_HARD),
        ("it hurts", TOO_HARD),
        ("show me again", AGAIN),
        ("again please", AGAIN),
        ("not sure I did it right", AGAIN),
        ("banana", None),
        ("", None),
        (None, None),
    ],
)
def test_answers_are_read(text, answer):
    assert read_walk_answer(text) == answer


@pytest.mark.parametrize(
    ("key", "answer"), [("done", DONE), ("too_hard", TOO_HARD), ("again", AGAIN)]
)
def test_each_button_payload_reads_as_its_answer(key, answer):
    assert read_walk_answer(BUTTONS[key]["payload"]) == answer
    assert read_walk_answer(BUTTONS[key]["title"]) == answer


@pytest.mark.parametrize(
    ("answer", "step", "count", "state"),
    [
        (DONE, 0, 3, WalkState(step=1)),
        (DONE, 1, 3, WalkState(step=2)),
        (DONE, 2, 3, WalkState(step=2, finished=True)),
        (DONE, 0, 1, WalkState(step=0, finished=True)),
        (TOO_HARD, 1, 3, WalkState(step=1, view=EASIER)),
        (AGAIN, 1, 3, WalkState(step=1, view=FULL)),
        (None, 2, 3, WalkState(step=2, view=PROMPT)),
    ],
)
def test_next_state(answer, step, count, state):
    assert next_state(answer, step, count) == state


def test_a_walk_of_only_done_answers_ends_after_the_last_exercise():
    for count in range(1, 6):
        state, answers = WalkState(step=0), 0
        while not state.finished:
            state = next_state(DONE, state.step, count)
            answers += 1
        assert answers == count


@pytest.mark.parametrize(
    ("value", "step"), [(None, 0), (2, 2), (2.0, 2), (-1, 0), ("2", 0), (True, 0)]
)
def test_step_of_a_slot_value(value, step):
    assert step_of(value) == step
