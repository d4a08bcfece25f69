"""Clarifying questions: the catalogue's asks section and when the detector gives one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.safety import RedFlagDetector, Tier, load_catalogue
from bot.safety.catalogue import DEFAULT_CATALOGUE, CatalogueError, parse_catalogue
from tests.readability import reading_grade

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
ASKS = load_catalogue().asks
MAX_GRADE = 7.0
SMS_LIMIT = 160


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


READINGS = yaml.safe_load(Path(__file__).with_name("asks.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "tier", "ask"),
    [(text, Tier(tier), ask[0] if ask else None) for text, tier, *ask in READINGS["readings"]],
)
def test_a_question_only_for_suggestive_words_never_with_a_finding(
    detector: RedFlagDetector, text: str, tier: Tier, ask: str | None
) -> None:
    result = detector.detect(text)
    assert (result.tier, result.ask) == (tier, ask), result.to_json()
    assert result.to_json()["ask"] == ask
