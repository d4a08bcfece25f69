"""Trap tables for the red-flag detector: negation, experiencer, time, hypotheticals."""

from __future__ import annotations

import statistics

import pytest

from bot.safety import Assessment, Finding, RedFlagDetector, Tier
from bot.safety.batches import detection_times

E, U, S, N = Tier.EMERGENCY, Tier.URGENT, Tier.SOON, Tier.NONE


def check(detector: RedFlagDetector, text: str, tier: Tier, flag: str | None) -> Assessment:
    result = detector.detect(text)
    assert result.tier is tier, (text, result.to_json())
    if flag is not None:
        assert flag in result.flag_ids, (text, result.to_json())
    return result


NEGATION = [
    ("no numbness", N, None),
    ("I don't have any numbness in my bum", N, None),
    ("I haven't had any problems with my bladder", N, None),
    ("there's no tingling in either leg", N, None),
    ("I can't feel any tingling in my legs", N, None),
    ("I don't have a fever but I've lost 10kg", U, "weight_loss"),
    ("no fever, however I cant feel my bum", E, "cauda_equina_saddle"),
    ("I'm not losing weight", N, None),
    ("my legs aren't weak", N, None),
]

NEGATIVE_WORD_IS_THE_SYMPTOM = [
    ("I have no feeling in my bottom", E, "cauda_equina_saddle"),
    ("can't feel my bum", E, "cauda_equina_saddle"),
    ("cnt feel my private parts", E, "cauda_equina_saddle"),
    ("I don't know when my bladder is full", E, "cauda_equina_bladder"),
    ("I can't tell when I need a poo", E, "cauda_equina_bowel"),
    ("no control over my bladder", E, "cauda_equina_bladder"),
]

EXPERIENCER_AND_TIME = [
    ("my dad had cancer", N, None),
    ("my mum has osteoporosis", N, None),
    ("cancer runs in my family", N, None),
    ("I had breast cancer 5 years ago", U, "cancer_history"),
    ("I had a fever with flu last month, it's gone", N, None),
    ("I had a water infection but it cleared up", N, None),
    ("I fell off a ladder years ago", N, None),
    ("I fell off a ladder this morning", E, "major_trauma"),
    ("I fell over yesterday but A&E checked me and nothing was broken", N, None),
    ("I fell over yesterday and haven't been checked", U, "unassessed_trauma"),
]

HYPOTHETICAL = [
    ("what if I lose bladder control?", N, None),
    ("should I worry if my legs go numb?", N, None),
    ("what are the warning signs?", N, None),
    ("If I get numbness in my bottom what should I do?", N, None),
    ("I think I'm losing control of my bladder, what should I do?", E, "cauda_equina_bladder"),
    ("both my legs are numb, is that a red flag?", E, "bilateral_leg_symptoms"),
]

IDIOMS_AND_CRISIS = [
    ("this pain is killing me", N, None),
    ("I'm dying to get back to the gym", N, None),
    ("dead tired", N, None),
    ("I'd rather be dead than live like this", E, "suicidal_thoughts"),
    ("I want to end it all", E, "suicidal_thoughts"),
    ("no point going on", E, "suicidal_thoughts"),
    ("thinking of killing myself", E, "suicidal_thoughts"),
    ("I've been cutting myself", E, "self_harm"),
    ("I want to hurt myself", E, "self_harm"),
    ("I hurt myself lifting a box", N, None),
    ("I'm not suicidal", N, None),
]

SPELLING = [
    ("cnt feel my bum", E, "cauda_equina_saddle"),
    ("incontinance", E, "cauda_equina_bladder"),
    ("numbess in both legs", E, "bilateral_leg_symptoms"),
    ("feaver and back pain", U, "fever_infection"),
    ("wee'd myself", E, "cauda_equina_bladder"),
    ("peed myself", E, "cauda_equina_bladder"),
    ("pooed myself", E, "cauda_equina_bowel"),
    ("cant hold my wee", E, "cauda_equina_bladder"),
    ("bladder probs", E, "cauda_equina_bladder"),
    ("pins n needles in both feet", E, "bilateral_leg_symptoms"),
    ("legs givin way", E, "leg_weakness_progressive"),
]

ONE_VERSUS_BOTH_LEGS = [
    ("sciatica down my left leg again", N, None),
    ("numbness down my left leg, same as for months", S, "unilateral_leg_numbness"),
    ("numbness down both legs", E, "bilateral_leg_symptoms"),
    ("my legs ache after walking", N, None),
]

BENIGN = [
    ("my back hurts when I bend", N, None),
    ("I feel stiff in the morning for a few minutes", N, None),
    ("I'm tired", N, None),
    ("I fell asleep on the sofa", N, None),
    ("I'm worried about my scan", N, None),
    ("what is pacing", N, None),
    ("I feel weak after the flu", N, None),
    ("I need to pee more at night since I started drinking more tea", N, None),
    ("I have a slipped disc", N, None),
]


@pytest.mark.parametrize(
    ("text", "tier", "flag"),
    NEGATION
    + NEGATIVE_WORD_IS_THE_SYMPTOM
    + EXPERIENCER_AND_TIME
    + HYPOTHETICAL
    + IDIOMS_AND_CRISIS
    + SPELLING
    + ONE_VERSUS_BOTH_LEGS
    + BENIGN,
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
        # A negated resolution cue resolves nothing; a plain one still does.
        ("since the weekend I've had pins and needles in both legs and it hasn't gone away",
         Tier.EMERGENCY),
        ("I had pins and needles in both legs after sitting cross-legged, it went away", Tier.NONE),
        # Ages written as people write them; durations are not ages.
        ("17, back pain started in september, nothing to do with sport", Tier.SOON),
        ("I have 58 years and is the first time in my life the back hurts me", Tier.SOON),
        ("I have 10 years of back pain", Tier.NONE),
        ("5 years of pain and counting", Tier.NONE),
        ("62 years of age, new back pain this month", Tier.SOON),
    ],
)
def test_resolution_and_age_context(detector: RedFlagDetector, text: str, tier: Tier) -> None:
    assert detector.detect(text).tier is tier, detector.detect(text)
