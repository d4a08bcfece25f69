"""What the second opinion learns from: the suites, the NLU data, and variants."""

from __future__ import annotations

from bot.safety import RedFlagDetector, Tier
from bot.safety.examples import (
    ask_from_category,
    label_examples,
    nlu_texts,
    suite_categories,
    suite_texts,
    variants,
)
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


CATEGORY_ASKS = {
    "crisis": ["suicid", "self-harm"],
    "continence": ["bladder", "incontinen"],
    "saddle": ["saddle"],
}


def test_a_category_names_the_ask_it_mentions_first() -> None:
    assert ask_from_category("cauda equina - new incontinence", CATEGORY_ASKS) == "continence"
    assert ask_from_category("suicide - stockpiling means", CATEGORY_ASKS) == "crisis"
    assert ask_from_category("Saddle numbness, then bladder", CATEGORY_ASKS) == "saddle"
    assert ask_from_category("major trauma - fall", CATEGORY_ASKS) is None
    assert ask_from_category("", CATEGORY_ASKS) is None
    assert ask_from_category("unsaddled horse", CATEGORY_ASKS) is None  # stems start words


def test_a_positive_the_frames_miss_is_labelled_by_its_category(
    detector: RedFlagDetector,
) -> None:
    missed = "zq the thing has happened again zq"  # nothing the frames can read
    found = "I can't feel my bum"
    labels = label_examples(
        detector,
        {"cauda_equina_saddle": "saddle"},
        [(missed, Tier.EMERGENCY), (found, Tier.EMERGENCY), ("zz odd day zz", Tier.URGENT)],
        [],
        ["is heat or ice better?"],
        {missed: "suicide - indirect", found: "bladder", "zz odd day zz": "trauma"},
        CATEGORY_ASKS,
    )
    by_text = {e.text: e.label for e in labels}
    assert by_text[missed] == "crisis"
    assert by_text[found] == "saddle"  # the frames' finding wins over the category
    assert by_text["zz odd day zz"] == "other"
    assert by_text["is heat or ice better?"] == "none"


def test_suite_categories_cover_the_blind_batches() -> None:
    categories = suite_categories()
    positives, _ = suite_texts()
    assert sum(text in categories for text, _ in positives) > len(positives) // 2


def test_conversation_turns_before_the_risk_are_negatives() -> None:
    _, negatives = suite_texts()
    # A benign conversation's turn and a risky one's turn before it becomes clear.
    assert "I used to have sciatica in my left leg" in negatives
    assert "Hi, my back's gone again after lifting the lawnmower into the car boot" in negatives
    # The turn where the risk becomes clear is not.
    assert not any("can't really feel the loo roll" in text for text in negatives)
