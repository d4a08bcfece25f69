"""The walk-through of a programme, one exercise at a time: reading answers, moving on.

Plain functions, no Rasa imports. The walk-through form keeps its place in two slots
(``exercise_walk_step``, the exercise's index, and ``exercise_walk_view``, what to show
of it); :func:`next_state` works out the next place from the patient's answer::

    answer = read_walk_answer("too hard")            # TOO_HARD
    next_state(answer, step=0, count=3)              # WalkState(step=0, view=EASIER)
    next_state(DONE, step=2, count=3).finished       # True: that was the last one
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

DONE: Final = "done"
TOO_HARD: Final = "too_hard"
AGAIN: Final = "again"
# What the ask action shows: the whole exercise, its easier version, or only the choices.
FULL: Final = "full"
EASIER: Final = "easier"
PROMPT: Final = "prompt"
VIEWS: Final = (FULL, EASIER, PROMPT)
# Values of the answer slot that end the form: the last exercise is done, or there is
# no programme to walk through.
FINISHED: Final = "finished"
NO_PROGRAMME: Final = "none"

_TOO_HARD = re.compile(
    r"\b(too hard|too difficult|too much|too tough|can'?t do|cannot do|easier|"
    r"struggl\w*|hurts?|painful)\b"
)
_AGAIN = re.compile(
    r"\b(again|repeat|show me|one more time|didn'?t get|not sure|once more|how do i)\b"
)
_DONE = re.compile(
    r"\b(done|did it|did that|finished|next|completed|ok|okay|yes|yep|that'?s it|got it)\b"
)


def read_walk_answer(text: str | None) -> str | None:
    """Return :data:`DONE`, :data:`TOO_HARD` or :data:`AGAIN` for an answer, or ``None``.

    "Too hard" is checked first ("I couldn't do it, too hard", "done but it was too
    hard"), then "show me again", then "done".
    """
    words = " ".join((text or "").lower().replace("\u2019", "'").split())
    for pattern, answer in ((_TOO_HARD, TOO_HARD), (_AGAIN, AGAIN), (_DONE, DONE)):
        if pattern.search(words):
            return answer
    return None


@dataclass(frozen=True)
class WalkState:
    """Where the walk-through is after an answer.

    Attributes:
        step: index of the exercise to show next.
        view: what to show of it (:data:`VIEWS`).
        finished: whether the last exercise is done.
    """

    step: int
    view: str = FULL
    finished: bool = False


def step_of(value: Any) -> int:
    """Return the step slot's value as an index; 0 for anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    return max(0, int(value))


def next_state(answer: str | None, step: int, count: int) -> WalkState:
    """Return the walk-through's next place after ``answer`` to exercise ``step`` of ``count``.

    "Done" moves on (after the last exercise the walk-through is finished), "too hard"
    shows the easier version, "show me again" the whole exercise, and anything else
    only the choices again.
    """
    if answer == DONE:
        if step + 1 >= count:
            return WalkState(step=step, finished=True)
        return WalkState(step=step + 1)
    if answer == TOO_HARD:
        return WalkState(step=step, view=EASIER)
    if answer == AGAIN:
        return WalkState(step=step, view=FULL)
    return WalkState(step=step, view=PROMPT)
