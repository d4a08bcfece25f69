"""What the second opinion learns from: the suites, the NLU data, and variants."""

from __future__ import annotations

from bot.safety import RedFlagDetector, Tier
from bot.safety.examples import nlu_texts, suite_texts, variants
from tests.bot.safety.samples import SMALL


def test_variants_are_deterministic_and_keep_labels(detector: RedFlagDetector) -> None:
    one = variants(SMALL, detector.catalogue)
    two = variants(SMALL, detector.catalogue)
    assert one == two and one
    assert {v.label for v in one} <= {e.label for e in SMALL} - {"none"}


def test_the_suites_and_the_nlu_data_give_both_kinds_of_message() -> None:
    positives, negatives = suite_texts()
    red, everyday = nlu_texts()
    assert positives and negatives and red and everyday
    assert all(tier is not Tier.NONE for _, tier in positives)
    assert not any("[" in text for text in red)  # entity annotations are removed
