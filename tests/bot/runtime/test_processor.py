"""A read-only action runs on the tracker itself; anything else on Rasa's copy."""

import asyncio

import pytest
from rasa.core.actions.action import ActionBotResponse, ActionSessionStart
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.processor import SafeMessageProcessor
from bot.settings import REPO_ROOT

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture
def processor():
    made = SafeMessageProcessor.__new__(SafeMessageProcessor)  # no model needed here
    made.domain = DOMAIN
    return made


@pytest.fixture
def seen(monkeypatch):
    trackers = []
    for cls in (ActionBotResponse, ActionSessionStart):
        original = cls.run

        async def run(self, output_channel, nlg, tracker, domain, original=original, **kwargs):
            trackers.append(tracker)
            return await original(self, output_channel, nlg, tracker, domain, **kwargs)

        monkeypatch.setattr(cls, "run", run)
    return trackers


def tracker():
    return DialogueStateTracker.from_events(
        "p", [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})], DOMAIN.slots
    )


def run(processor, action, t, prediction):
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return asyncio.run(processor._run_action(action, t, CollectingOutputChannel(), nlg, prediction))


def test_a_response_runs_on_the_tracker_itself_with_the_same_result(processor, seen):
    t = tracker()
    prediction = PolicyPrediction.for_action_name(DOMAIN, "utter_greet", "RulePolicy")
    assert run(processor, ActionBotResponse("utter_greet"), t, prediction) is True
    assert seen == [t]
    assert "copy" not in t.__dict__ and t.copy() is not t
    assert [type(e) for e in list(t.events)[-2:]] == [ActionExecuted, BotUttered]
    assert t.latest_bot_utterance.metadata["utter_action"] == "utter_greet"


def test_prediction_events_still_get_rasas_copy(processor, seen):
    t = tracker()
    prediction = PolicyPrediction.for_action_name(DOMAIN, "utter_greet", "RulePolicy")
    prediction.events = [SlotSet("emergency_number", "999")]
    run(processor, ActionBotResponse("utter_greet"), t, prediction)
    assert seen[0] is not t and seen[0].get_slot("emergency_number") == "999"
    assert t.get_slot("emergency_number") == "999"  # logged after the run, as in Rasa


def test_other_actions_still_get_rasas_copy(processor, seen):
    t = tracker()
    prediction = PolicyPrediction.for_action_name(DOMAIN, "action_session_start", "RulePolicy")
    run(processor, ActionSessionStart(), t, prediction)
    assert seen[0] is not t
    assert "copy" not in t.__dict__
