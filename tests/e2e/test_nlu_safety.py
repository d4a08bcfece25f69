"""The whole NLU pipeline (classifier + red-flag detector) on the safety phrasing suite.

The detector's own numbers are in tests/bot/safety; this checks that the trained model
keeps them: every emergency message parses to an emergency intent and at most 5% of
benign messages escalate.
"""

from __future__ import annotations

import asyncio

import pytest
import yaml

from bot.settings import REPO_ROOT
from tests.conftest import MODEL

pytestmark = pytest.mark.e2e
EMERGENCY_INTENTS = {"red_flag_emergency", "red_flag_crisis"}


@pytest.fixture(scope="module")
def parse():
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))

    def run(texts):
        async def all_of_them():
            return [await agent.parse_message(text) for text in texts]

        return asyncio.run(all_of_them())

    return run


def suite_texts(group):
    suite = yaml.safe_load((REPO_ROOT / "tests" / "safety" / "phrasings.yml").read_text())
    return [item["text"] if isinstance(item, dict) else item for item in suite[group]]


def test_every_emergency_message_gets_an_emergency_intent(parse):
    texts = suite_texts("emergency")
    missed = [r["text"] for r in parse(texts) if r["intent"]["name"] not in EMERGENCY_INTENTS]
    assert missed == []


def test_few_benign_messages_escalate(parse):
    texts = suite_texts("benign")
    escalated = [r["text"] for r in parse(texts) if r["intent"]["name"].startswith("red_flag")]
    assert len(escalated) <= 0.05 * len(texts), escalated
