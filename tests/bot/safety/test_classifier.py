"""The learned second opinion: deterministic, fast; asks when likely, escalates when confident."""

from __future__ import annotations

import numpy as np
import pytest

from bot.safety import RedFlagDetector, Tier
from bot.safety import classifier as C
from bot.safety.model import Opinion
from tests.bot.safety.samples import SMALL


def test_training_is_deterministic() -> None:
    a = C.train(SMALL, 0.5, "a")
    b = C.train(list(reversed(SMALL)), 0.5, "b")
    coef_a = a.pipeline.named_steps["model"].coef_
    coef_b = b.pipeline.named_steps["model"].coef_
    assert np.array_equal(coef_a, coef_b)


@pytest.mark.parametrize("text", ["I can't feel my bum at all", "hello there", "", "\u00e9\u00e9"])
def test_fast_scores_match_scikit_learn(text: str) -> None:
    opinion = C.train(SMALL, 0.5, "x")
    fast = opinion.scores(text)
    slow = opinion.pipeline.predict_proba([C._prepare(text)])[0]
    assert np.allclose([fast[c] for c in opinion.classes], slow)


class _AlwaysCrisis:
    """A stub reading every message as a likely crisis, confident or not."""

    def __init__(self, confident: bool = False):
        self.confident = confident
        self.read: list[str] = []

    def opinion(self, text: str) -> Opinion:
        self.read.append(text)
        return Opinion("crisis", self.confident, 0.95 if self.confident else 0.7)


def test_a_likely_reading_asks(detector: RedFlagDetector) -> None:
    stub = RedFlagDetector(detector.catalogue, detector._norm.nlp, _AlwaysCrisis())
    benign = stub.detect("is heat or ice better for my back?")
    assert benign.tier is Tier.NONE and benign.findings == () and benign.ask == "crisis"
    flagged = stub.detect("I can't feel my bum")
    assert flagged.tier is Tier.EMERGENCY and flagged.ask is None
    assert flagged.flag_ids == ("cauda_equina_saddle",)  # the frames' finding, not the stub's
    question = stub.detect("what if I lose bladder control?")
    assert question.ask is None  # a warning-sign question gets education, not a question


def test_a_confident_reading_escalates_to_the_asks_flag(detector: RedFlagDetector) -> None:
    stub = RedFlagDetector(detector.catalogue, detector._norm.nlp, _AlwaysCrisis(True))
    text = "Sorted the   garage out today. Feels like the right time."
    verdict = stub.detect(text)
    assert verdict.tier is Tier.EMERGENCY and verdict.ask is None
    assert [f.id for f in verdict.findings] == ["suicidal_thoughts"]
    assert verdict.findings[0].evidence == "Sorted the garage out today. Feels like the right time."
    long = stub.detect("word " * 100)
    assert len(long.findings[0].evidence) <= 200 and long.findings[0].evidence.endswith("word")


@pytest.mark.parametrize(
    "text",
    [
        "no numbness in my bum, I checked",  # negated
        "my mum has been wetting herself since her fall",  # someone else
        "what if my legs went weak one day?",  # hypothetical
        "I had a numb bum after the op in 2015 but it went away",  # resolved
    ],
)
def test_the_second_opinion_is_not_read_where_the_frames_saw_context(
    detector: RedFlagDetector, text: str
) -> None:
    confident = _AlwaysCrisis(True)
    stub = RedFlagDetector(detector.catalogue, detector._norm.nlp, confident)
    verdict = stub.detect(text)
    assert verdict.tier is Tier.NONE and verdict.findings == ()
    assert confident.read == []


def test_beside_a_cue_only_the_sentences_without_one_are_read(detector: RedFlagDetector) -> None:
    confident = _AlwaysCrisis(True)
    stub = RedFlagDetector(detector.catalogue, detector._norm.nlp, confident)
    verdict = stub.detect(
        "No numbness in my bum, I checked. Sorted the garage out and it feels like the right time."
    )
    assert confident.read == ["Sorted the garage out and it feels like the right time."]
    assert verdict.tier is Tier.EMERGENCY
    assert verdict.findings[0].evidence == confident.read[0]
    # A likely (not confident) reading of that sentence asks.
    likely = RedFlagDetector(detector.catalogue, detector._norm.nlp, _AlwaysCrisis())
    assert likely.detect("No numbness in my bum, I checked. Sorted the garage out.").ask == "crisis"
    # Sentences too short to read alone are left to the frames.
    short = _AlwaysCrisis(True)
    alone = RedFlagDetector(detector.catalogue, detector._norm.nlp, short)
    assert alone.detect("No numbness in my bum, I checked. Bye now.").tier is Tier.NONE
    assert short.read == []


def test_a_lower_tier_finding_rises_only_on_a_confident_reading(detector: RedFlagDetector) -> None:
    text = "I'm 15 and my back hurts from the brace. Everyone at school is vile."
    frames_only = detector.detect(text)
    assert frames_only.tier is Tier.SOON
    confident = RedFlagDetector(detector.catalogue, detector._norm.nlp, _AlwaysCrisis(True))
    risen = confident.detect(text)
    assert risen.tier is Tier.EMERGENCY and risen.ask is None
    assert [f.id for f in risen.findings] == ["age_onset", "suicidal_thoughts"]
    # A likely reading does not ask beside the finding's own reply.
    likely = RedFlagDetector(detector.catalogue, detector._norm.nlp, _AlwaysCrisis())
    kept = likely.detect(text)
    assert kept.tier is Tier.SOON and kept.ask is None


def test_the_real_second_opinion_escalates_only_when_confident(
    detector: RedFlagDetector,
) -> None:
    opinion = detector.second_opinion
    assert isinstance(opinion, C.SecondOpinion) and opinion.escalate_at is not None
    view = opinion.opinion("is heat or ice better for my back?")
    assert view.ask is None and not view.confident
    strong = opinion.opinion("I have been saving up my pills for when I decide to end it")
    assert strong.ask == "crisis" and strong.confident == (strong.probability >= 0.9)


def test_the_default_detector_has_a_trained_second_opinion(detector: RedFlagDetector) -> None:
    opinion = detector.second_opinion
    assert isinstance(opinion, C.SecondOpinion)
    assert set(opinion.classes) >= {"none", "crisis", "continence", "saddle", "leg_weakness"}
    assert opinion.fingerprint == C.fingerprint(C.source_files())


def test_the_flag_to_ask_map_names_real_asks(detector: RedFlagDetector) -> None:
    section = C.settings(detector.catalogue)
    threshold, escalate_at, flag_asks = section.threshold, section.escalate_at, section.asks
    assert 0.0 < threshold < (escalate_at or 1.0) <= 1.0
    assert set(section.categories) <= {a.id for a in detector.catalogue.asks}
    flags = {f.id for f in detector.catalogue.flags}
    assert set(flag_asks) <= flags
    assert set(flag_asks.values()) <= {a.id for a in detector.catalogue.asks}


@pytest.mark.parametrize(
    "section",
    [{"threshold": 0.9, "escalate_at": 0.6}, {"threshold": 0.0}, {"escalate_at": 1.5}],
)
def test_thresholds_out_of_order_are_refused(detector: RedFlagDetector, section: dict) -> None:
    with pytest.raises(ValueError, match="threshold"):
        C.settings(detector.catalogue, {"second_opinion": section})


def test_escalation_is_off_without_escalate_at(detector: RedFlagDetector) -> None:
    section = C.settings(detector.catalogue, {"second_opinion": {"threshold": 0.6}})
    assert section.escalate_at is None
    opinion = C.train(SMALL, 0.01, "x", section.escalate_at)
    assert not any(opinion.opinion(t).confident for t in ["I can't feel my bum", "hello"])


def test_categories_must_name_real_asks(detector: RedFlagDetector) -> None:
    raw = {"second_opinion": {"threshold": 0.6, "categories": {"nonsense": ["x"]}}}
    with pytest.raises(ValueError, match="categories"):
        C.settings(detector.catalogue, raw)
