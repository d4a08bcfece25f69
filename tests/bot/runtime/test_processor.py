"""The message processor's last line of defence while a clinician holds a conversation.

The processor is built without a model: only :meth:`SafeMessageProcessor.finish_turn`
and the session check run, with the actions it would send recorded instead of run.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.actions.action import ActionBotResponse, ActionSessionStart
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.care_team import author_of, care_team_metadata
from bot.runtime.processor import UTTER_TURN_FALLBACK, SafeMessageProcessor
from bot.settings import REPO_ROOT

PAUSE = ConversationPaused(metadata=care_team_metadata("nurse_kim"))


class Recording(SafeMessageProcessor):
    """The processor with its actions recorded rather than run."""

    def __init__(self) -> None:  # no model, no domain: nothing here needs them
        self.sent: list[str] = []

    async def _run_net_action(self, name: str, tracker: Any, channel: Any) -> None:
        self.sent.append(name)
        tracker.update(ActionExecuted(name, policy="SafetyNet"))
        tracker.update(BotUttered(name))


def red_flag() -> UserUttered:
    return UserUttered(
        "I can't feel my bum and I wet myself",
        intent={"name": "red_flag_emergency", "confidence": 1.0},
        entities=[{"entity": "red_flag", "value": "cauda_equina_bladder", "role": "emergency"}],
    )


def hello() -> UserUttered:
    return UserUttered("hello", intent={"name": "greet", "confidence": 0.98})


def finish(*events: Any) -> tuple[list[str], DialogueStateTracker]:
    processor = Recording()
    tracker = DialogueStateTracker.from_events("p1", [ActionExecuted("action_listen"), *events])
    asyncio.run(processor.finish_turn(tracker, None))  # type: ignore[arg-type]
    return processor.sent, tracker


def test_a_red_flag_while_paused_still_gets_the_urgent_reply_and_its_check():
    sent, tracker = finish(PAUSE, red_flag())
    assert sent == ["utter_urgent_care_emergency", "utter_urgent_care_check"]
    assert tracker.latest_action_name == "action_listen"
    assert tracker.is_paused()


@pytest.mark.parametrize(
    "events",
    [
        [PAUSE, hello()],
        # An emergency earlier on: the hold's reminders are the clinician's while paused.
        [red_flag(), ActionExecuted("utter_urgent_care_emergency"), PAUSE, hello()],
    ],
    ids=["ordinary", "held"],
)
def test_anything_else_while_paused_gets_no_reply_at_all(events):
    sent, tracker = finish(*events)
    assert sent == []
    assert tracker.latest_action_name == "action_listen"


def test_after_hand_back_a_turn_without_a_reply_gets_the_fallback_again():
    sent, _ = finish(PAUSE, ConversationResumed(), hello())
    assert sent == [UTTER_TURN_FALLBACK]


def test_a_new_session_during_a_takeover_starts_paused(monkeypatch):
    async def new_session(self, tracker, output_channel, metadata=None):
        tracker.update(SessionStarted())  # un-pauses, as in Rasa
        tracker.update(ActionExecuted("action_listen"))

    monkeypatch.setattr(MessageProcessor, "_update_tracker_session", new_session)
    tracker = DialogueStateTracker.from_events("p1", [ActionExecuted("action_listen"), PAUSE])
    asyncio.run(Recording()._update_tracker_session(tracker, None))  # type: ignore[arg-type]
    assert tracker.is_paused()
    assert author_of(tracker.events[-1].metadata) == "nurse_kim"
    # A conversation that was not paused is not paused by a new session.
    tracker = DialogueStateTracker.from_events("p2", [ActionExecuted("action_listen")])
    asyncio.run(Recording()._update_tracker_session(tracker, None))  # type: ignore[arg-type]
    assert not tracker.is_paused()


# A read-only action runs on the tracker itself; anything else on Rasa's copy.
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
