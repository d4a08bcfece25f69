"""STarT Back scoring: nine answers to a total, the psychosocial subscale and a risk group.

Plain functions with no Rasa imports, used by :mod:`actions.start_back.actions` and the
console. Answers are kept as given: items 1 to 8 as 1 (agree) or 0 (disagree), item 9 as
the index of its answer (0 "not at all" ... 4 "extremely"); :func:`score` turns them into
points as Keele University's scoring says::

    result = score((1, 0, 1, 1, 0, 1, 0, 0, 3))
    result.total, result.psychosocial, result.group   # 5, 2, "medium"

- items 1-8: agree = 1 point, disagree = 0;
- item 9: "very much" or "extremely" = 1 point, the other three = 0;
- total = all nine (0-9); psychosocial subscale = items 5-9 (0-5);
- low risk: total 0-3; medium: total 4 or more and subscale 3 or less; high: subscale 4
  or more (which needs a total of 4 or more too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

ITEM_COUNT: Final = 9
# Item 9's five answers, as indexes: 0 not at all, 1 slightly, 2 moderately, 3 very much,
# 4 extremely. The last two score a point.
BOTHER_OPTIONS: Final = 5
BOTHER_POINT_FROM: Final = 3
# Items 5 to 9 (1-based) make the psychosocial subscale.
PSYCHOSOCIAL_ITEMS: Final = (5, 6, 7, 8, 9)
LOW: Final = "low"
MEDIUM: Final = "medium"
HIGH: Final = "high"
GROUPS: Final = (LOW, MEDIUM, HIGH)
LOW_TOTAL_MAX: Final = 3
HIGH_SUBSCALE_MIN: Final = 4


class ScoringError(ValueError):
    """Raised for answers that are not nine valid answers."""


@dataclass(frozen=True)
class StartBackResult:
    """One completed STarT Back: the answers as given, the scores and the group.

    Attributes:
        answers: items 1-8 as 0 or 1, item 9 as its answer's index (0-4).
        total: the total score, 0-9.
        psychosocial: the psychosocial subscale (items 5-9), 0-5.
        group: ``"low"``, ``"medium"`` or ``"high"``.
    """

    answers: tuple[int, ...]
    total: int
    psychosocial: int
    group: str


def points(answers: Sequence[int]) -> tuple[int, ...]:
    """Return each item's points (0 or 1) for nine answers.

    Raises:
        ScoringError: not nine answers, an item 1-8 answer other than 0 or 1, or an item
            9 answer outside 0-4.
    """
    if len(answers) != ITEM_COUNT:
        raise ScoringError(f"expected {ITEM_COUNT} answers, got {len(answers)}")
    *statements, bother = answers
    if any(answer not in (0, 1) or isinstance(answer, bool) for answer in statements):
        raise ScoringError(f"items 1-8 must be 0 or 1: {list(statements)}")
    if isinstance(bother, bool) or bother not in range(BOTHER_OPTIONS):
        raise ScoringError(f"item 9 must be 0-{BOTHER_OPTIONS - 1}: {bother!r}")
    return (*statements, int(bother >= BOTHER_POINT_FROM))


def group_of(total: int, psychosocial: int) -> str:
    """Return the risk group for a total and a psychosocial subscale score."""
    if total <= LOW_TOTAL_MAX:
        return LOW
    if psychosocial >= HIGH_SUBSCALE_MIN:
        return HIGH
    return MEDIUM


def score(answers: Sequence[int]) -> StartBackResult:
    """Score nine answers (see the module docstring).

    Raises:
        ScoringError: the answers are not nine valid answers.
    """
    item_points = points(answers)
    total = sum(item_points)
    psychosocial = sum(item_points[item - 1] for item in PSYCHOSOCIAL_ITEMS)
    return StartBackResult(
        answers=tuple(int(answer) for answer in answers),
        total=total,
        psychosocial=psychosocial,
        group=group_of(total, psychosocial),
    )
