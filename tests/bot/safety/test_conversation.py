"""Risk across turns: detect_conversation escalates when the window makes a flag clear."""

from __future__ import annotations

import pytest

from bot.safety import RedFlagDetector, Tier
from bot.safety.detector import CONVERSATION_WINDOW

E, U, S, N = Tier.EMERGENCY, Tier.URGENT, Tier.SOON, Tier.NONE


def verdicts(detector: RedFlagDetector, turns: list[str]) -> list[Tier]:
    return [detector.detect_conversation(turns[: i + 1]).tier for i in range(len(turns))]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["been having accidents", "with my bladder I mean"], [N, E]),
        (["my right leg has been numb for a while", "now the left one has gone the same"], [S, E]),
        (["I'm so tired of being a burden", "I've got my tablets all saved up in a box"], [N, E]),
        (
            [
                "whats the best way to sleep",
                "its there pretty much every night",
                "nothing eases it",
            ],
            [N, N, U],  # night pain: urgent (NHS: urgent GP appointment or 111)
        ),
        # Raised on the first turn; the second adds nothing new, so no second alarm.
        (["I take methotrexate", "and now my back hurts"], [U, N]),
    ],
)
def test_risk_escalates_on_the_turn_it_becomes_clear(
    detector: RedFlagDetector, turns: list[str], expected: list[Tier]
) -> None:
    assert verdicts(detector, turns) == expected


@pytest.mark.parametrize(
    "turns",
    [
        ["hi there", "my back is sore after gardening", "any stretches you recommend?"],
        [
            "hi my back's a bit stiff",
            "no numbness or anything, no bladder problems",
            "heat or ice?",
        ],
        ["my mum has cancer", "I'm looking after her", "my back hurts from lifting her"],
        ["I had a fall years ago", "it was checked and fine", "now I just get stiff"],
    ],
)
def test_benign_chats_never_escalate(detector: RedFlagDetector, turns: list[str]) -> None:
    assert verdicts(detector, turns) == [N] * len(turns)


def test_a_hint_first_gets_the_question(detector: RedFlagDetector) -> None:
    assert detector.detect_conversation(["I'm so tired of being a burden"]).ask == "crisis"


def test_an_old_finding_is_not_raised_again(detector: RedFlagDetector) -> None:
    turns = ["I've wet myself twice since my back went", "I'm going to A&E", "what should I take?"]
    first = detector.detect_conversation(turns[:1])
    assert first.tier is E
    for i in (2, 3):
        assert detector.detect_conversation(turns[:i]).tier is N


def test_the_latest_message_s_own_finding_wins(detector: RedFlagDetector) -> None:
    result = detector.detect_conversation(["hello", "I can't feel my bum"])
    assert result.tier is E and result.text == "I can't feel my bum"
    assert result.flag_ids == ("cauda_equina_saddle",)


def test_only_the_last_few_messages_are_read(detector: RedFlagDetector) -> None:
    filler = ["ok"] * CONVERSATION_WINDOW
    assert (
        detector.detect_conversation(
            ["been having accidents", *filler, "with my bladder I mean"]
        ).tier
        is N
    )


def test_empty_and_blank_conversations(detector: RedFlagDetector) -> None:
    assert detector.detect_conversation([]).tier is N
    assert detector.detect_conversation(["", "  "]).tier is N


def test_a_negation_does_not_reach_into_the_next_message(detector: RedFlagDetector) -> None:
    turns = [
        "my left leg has been tingly for weeks",
        "not worse",
        "today the right one has started too",
    ]
    assert detector.detect_conversation(turns).tier is E
