"""Mentions read from numbers: ages, long durations, fever temperatures, past years."""

from __future__ import annotations

import pytest
import spacy

from bot.safety.numbers import NumberReader

READER = NumberReader({})  # the catalogue's defaults
NLP = spacy.blank("en")


def concepts(text: str) -> set[str]:
    return {m.concept for m in READER.mentions(NLP(text.lower()))}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I'm 62 and my back hurts", {"age_risk"}),
        ("17yo with back pain", {"age_risk", "age_young"}),
        ("I'm 35", set()),
        ("I have 10 years of back pain", set()),
        ("stiff for 45 mins every morning", {"long_duration_number"}),
        ("stiff for 10 mins", set()),
        ("my temperature is 38.9", {"fever_number"}),
        ("I walked 38 steps", set()),
        ("I fell off a ladder in 2015", {"distant_past"}),
        ("it started 3 weeks ago", {"new_onset"}),
        # Ages written in words, and an age in brackets.
        ("fifty-eight, first time my back has hurt", {"age_risk"}),
        ("I am seventy one years of age", {"age_risk"}),
        ("I'm seventeen and my back aches", {"age_risk", "age_young"}),
        ("I'm thirty-five", set()),
        ("back pain for twenty years", {"longstanding"}),
        ("a numb patch for about 10 years", {"longstanding"}),
        ("at my age (70) it came out of nowhere", {"age_risk"}),
        # A pain score that went up, told as "from ... to" or "was ... now".
        ("it's gone from a 3 to a 7 out of 10", {"score_rise"}),
        ("it was a 3 at the start of the month, now it's a 6", {"score_rise"}),
        ("it went from a 7 to a 3 with the physio", set()),
        ("it was a 3. now I walk to work", set()),
    ],
)
def test_numbers_become_mentions_only_in_their_context(text: str, found: set[str]) -> None:
    assert concepts(text) == found
