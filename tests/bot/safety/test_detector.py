"""Trap tables for the red-flag detector: negation, experiencer, time, hypotheticals."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
import yaml

from bot.safety import Assessment, Finding, RedFlagDetector, Tier
from bot.safety.batches import detection_times


def check(detector: RedFlagDetector, text: str, tier: Tier, flag: str | None) -> Assessment:
    result = detector.detect(text)
    assert result.tier is tier, (text, result.to_json())
    if flag is not None:
        assert flag in result.flag_ids, (text, result.to_json())
    return result


TRAPS = yaml.safe_load(Path(__file__).with_name("traps.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "tier", "flag"),
    [
        (text, Tier(tier), flag[0] if flag else None)
        for rows in TRAPS.values()
        for text, tier, *flag in rows
    ],
)
def test_trap_table(detector: RedFlagDetector, text: str, tier: Tier, flag: str | None) -> None:
    check(detector, text, tier, flag)


@pytest.mark.parametrize(
    "text",
    [
        "what if I lose bladder control?",
        "should I worry if my legs go numb?",
        "what are the warning signs?",
        "What are the danger signs?",
    ],
)
def test_warning_sign_questions_are_flagged_as_questions(
    detector: RedFlagDetector, text: str
) -> None:
    result = detector.detect(text)
    assert result.warning_sign_question
    assert result.findings == ()


def test_real_report_is_not_a_warning_question(detector: RedFlagDetector) -> None:
    assert not detector.detect("I can't feel my bum").warning_sign_question


def test_several_findings_highest_tier_wins(detector: RedFlagDetector) -> None:
    result = detector.detect(
        "I've lost a stone without trying, I've got a fever and I've wet myself"
    )
    assert result.tier is Tier.EMERGENCY
    assert {"weight_loss", "fever_infection", "cauda_equina_bladder"} <= set(result.flag_ids)
    assert [f.tier for f in result.findings] == sorted(
        (f.tier for f in result.findings), reverse=True
    )


def test_evidence_is_the_matched_text(detector: RedFlagDetector) -> None:
    result = detector.detect("Honestly, I CNT feel my bum today.")
    finding = result.findings[0]
    assert isinstance(finding, Finding)
    assert finding.evidence in result.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n",
        "😭😭 my back 🔥",
        "<p>my <b>legs</b> are numb</p><script>alert(1)</script>",
        "word " * 2000,
        ("I can't feel my bum. " * 500)[:10_000],
        "\u200b\u00a0\t",
        "???!!!...",
    ],
)
def test_odd_input_does_not_raise(detector: RedFlagDetector, text: str) -> None:
    result = detector.detect(text)
    assert result.text == text
    assert isinstance(result.to_json()["flags"], list)


def test_html_message_still_detected(detector: RedFlagDetector) -> None:
    assert detector.detect("<p>both my <b>legs</b> are numb</p>").tier is Tier.EMERGENCY


def test_tier_ordering() -> None:
    assert Tier.EMERGENCY > Tier.URGENT > Tier.SOON > Tier.NONE
    assert max([Tier.SOON, Tier.EMERGENCY, Tier.NONE]) is Tier.EMERGENCY
    assert Tier("urgent") is Tier.URGENT
    assert Tier.URGENT == "urgent"


def test_to_json_shape(detector: RedFlagDetector) -> None:
    data = detector.detect("I've wet myself and I have a fever").to_json()
    assert data["text"] == "I've wet myself and I have a fever"
    assert data["tier"] == "emergency"
    assert {"id", "tier", "evidence"} <= set(data["flags"][0])
    assert {f["id"] for f in data["flags"]} >= {"cauda_equina_bladder", "fever_infection"}


def test_detection_is_fast(detector: RedFlagDetector) -> None:
    messages = ["my back hurts when I bend", "cnt feel my bum", "I had cancer 5 years ago"]
    runs = detection_times(detector.detect, messages, passes=50)
    # Generous bound for a shared CI machine; the target is well under 2 ms.
    assert statistics.median(runs) < 10


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # A carer writing for the patient whose account it is: "he" is the patient.
        ("I'm his carer. Since lunch he hasn't been able to pass water at all.", Tier.EMERGENCY),
        ("I look after my mum and she has been wetting the bed without knowing.", Tier.EMERGENCY),
        # A relative's symptoms told as happening now are a carer's report too...
        ("My dad hasn't been able to pass water since lunch, is that bad?", Tier.EMERGENCY),
        # ...but not when past, already in hand, or beside the writer's own question.
        ("My dad couldn't pass water after his op last year, is that common?", Tier.NONE),
        ("My dad hasn't passed water since lunch, he's at the GP now.", Tier.NONE),
        ("My dad can't pass water since lunch; my own back is just stiff.", Tier.NONE),
        # A carer whose person's problem is already in hand, asking about their own back.
        (
            "Dad had a wee problem from his back and had an operation; he's peeing normally"
            " now. I'm his carer and keep straining my back helping him. Tips for me?",
            Tier.NONE,
        ),
    ],
)
def test_a_carer_writing_for_the_patient_is_read_as_the_patient(
    detector: RedFlagDetector, text: str, tier: Tier
) -> None:
    assert detector.detect(text).tier is tier


def test_a_carer_named_in_an_earlier_turn_carries_through_the_conversation(
    detector: RedFlagDetector,
) -> None:
    turns = [
        "Hello, I'm writing for my dad. I'm his carer and I set this app up for him.",
        "His back has been sore for about a week.",
        "Today he sat on the toilet for ages and nothing came out.",
    ]
    assert detector.detect(turns[-1]).tier is Tier.NONE
    assert detector.detect_conversation(turns).tier is Tier.EMERGENCY


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("Dad's 79, he's had a temperature and chills since lunchtime", True),
        ("my wife can't feel her bottom on the toilet seat since this morning", True),
        ("I'm his carer. Since lunch he hasn't been able to pass water at all.", False),
        ("I've had a temperature and chills since lunchtime", False),
        ("my dad had a fever last year, it's gone", False),
    ],
)
def test_a_relatives_report_is_marked_as_about_someone_else(
    detector: RedFlagDetector, text: str, about: bool
) -> None:
    result = detector.detect(text)
    assert result.about_someone_else is about, result.to_json()
    assert result.to_json()["about_someone_else"] is about


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # The denial answers the list in the sentence before.
        (
            "My physio gave me a card about cauda equina with a list of symptoms. I don't have"
            " any of them, but which ones mean I'd need to go to A&E?",
            Tier.NONE,
        ),
        # Two sentences back is out of its reach.
        (
            "Since this morning I can't feel my bum on the toilet seat. I'm scared. I don't"
            " have any of them other signs though.",
            Tier.EMERGENCY,
        ),
    ],
)
def test_a_denial_reaches_the_sentence_before_and_no_further(
    detector: RedFlagDetector, text: str, tier: Tier
) -> None:
    assert detector.detect(text).tier is tier
