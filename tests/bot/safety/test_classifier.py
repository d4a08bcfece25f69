"""The learned second opinion: deterministic, fast, and only ever asks."""

from __future__ import annotations

import numpy as np
import pytest

from bot.safety import RedFlagDetector, Tier
from bot.safety import classifier as C
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
    def ask(self, text: str) -> str | None:
        return "crisis"


def test_the_second_opinion_can_only_ask(detector: RedFlagDetector) -> None:
    stub = RedFlagDetector(detector.catalogue, detector._norm.nlp, _AlwaysCrisis())
    benign = stub.detect("is heat or ice better for my back?")
    assert benign.tier is Tier.NONE and benign.findings == () and benign.ask == "crisis"
    flagged = stub.detect("I can't feel my bum")
    assert flagged.tier is Tier.EMERGENCY and flagged.ask is None
    question = stub.detect("what if I lose bladder control?")
    assert question.ask is None  # a warning-sign question gets education, not a question


def test_the_default_detector_has_a_trained_second_opinion(detector: RedFlagDetector) -> None:
    opinion = detector.second_opinion
    assert isinstance(opinion, C.SecondOpinion)
    assert set(opinion.classes) >= {"none", "crisis", "continence", "saddle", "leg_weakness"}
    assert opinion.fingerprint == C.fingerprint(C.source_files())


def test_the_flag_to_ask_map_names_real_asks(detector: RedFlagDetector) -> None:
    threshold, flag_asks = C.settings(detector.catalogue)
    assert 0.0 < threshold < 1.0
    flags = {f.id for f in detector.catalogue.flags}
    assert set(flag_asks) <= flags
    assert set(flag_asks.values()) <= {a.id for a in detector.catalogue.asks}
