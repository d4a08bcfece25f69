"""Rasa policy that puts red flags ahead of everything else in the dialogue.

Rules (``data/stories/safety.yml``) map each red-flag tier to its static response, but
rules cannot say "whatever form is active" or "until the patient confirms help". This
policy can: it reads the turn from the tracker, asks :mod:`bot.policies.safety_plan`
what comes next, and predicts it with a priority above the rule policy. Its predictions
are marked as not depending on user input so that they also beat an active form's
happy path. It needs no action server: the urgent-care messages are domain responses.

Configure it first in ``config.yml``::

    policies:
      - name: bot.policies.safety.SafetyPolicy
        priority: 7
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.care_team import is_care_team
from bot.nlu.red_flag_logic import ABOUT_ENTITY, ASK_ENTITY
from bot.policies.safety_names import ACTION_DEACTIVATE_LOOP, CANCEL_INTENT, HOLD_REPLIES
from bot.policies.safety_plan import TurnView, find_trigger, hold_of, load_flag_infos, next_action
from bot.settings import REPO_ROOT

DEFAULT_CATALOGUE = REPO_ROOT / "content" / "red_flags.yml"
POLICY_NAME = "SafetyPolicy"
# Actions Rasa runs by itself around a user message; they are not part of a plan.
_HOUSEKEEPING_ACTIONS = frozenset({"action_extract_slots"})
# Actions that are not the bot's last question to the patient.
_NOT_ASKING = frozenset({"action_listen", "action_extract_slots", "action_session_start"})


def _guesses(message: UserUttered) -> list[str | None]:
    ranking = message.parse_data.get("intent_ranking") or []
    return [r.get("name") for r in ranking if r.get("name") != message.intent_name]


def _message_view(message: UserUttered, **context: Any) -> TurnView:
    guesses = _guesses(message)
    return TurnView(
        intent=message.intent_name,
        text=message.text or "",
        best_guess=guesses[0] if guesses else None,
        **context,
    )


def _by_safety(event: ActionExecuted) -> bool:
    return POLICY_NAME in (event.policy or "") or "SafetyNet" in (event.policy or "")


def turn_view_at(events: Sequence[Event], index: int) -> TurnView:
    """Summarise the conversation as it stood when the user message at ``index`` arrived.

    Args:
        events: the tracker's events (as :class:`rasa.shared.core.events.Event`).
        index: position of a :class:`UserUttered` in ``events``.
    """
    message = events[index]
    assert isinstance(message, UserUttered)
    loop: str | None = None
    asked: str | None = None
    hold: str | None = None
    interrupted: str | None = None
    last_intent: str | None = None
    replies: list[str] = []
    for event in events[:index]:
        if isinstance(event, ActiveLoop):
            if event.name:
                interrupted = None
            loop = event.name
        elif isinstance(event, ActionExecuted):
            if event.action_name not in _NOT_ASKING:
                asked = event.action_name
            if hold_of(event.action_name):
                hold = hold_of(event.action_name)
                replies = []
            elif hold is not None and event.action_name in HOLD_REPLIES:
                replies.append(event.action_name)
            elif (
                event.action_name == ACTION_DEACTIVATE_LOOP
                and loop
                and _by_safety(event)
                and last_intent != CANCEL_INTENT
            ):
                interrupted = loop
        elif isinstance(event, BotUttered) and is_care_team(event.metadata):
            # After a clinician's message the patient answers them, not the last question.
            asked = None
        elif isinstance(event, SessionStarted):
            hold = None
            interrupted = None
        elif isinstance(event, UserUttered):
            last_intent = event.intent_name
            if hold is not None and _message_view(event, hold=hold).releases_hold():
                hold = None
    red_flags = tuple(
        (str(entity.get("value")), str(entity.get("role") or "emergency"))
        for entity in message.entities
        if entity.get("entity") == "red_flag"
    )
    asks = [str(e.get("value")) for e in message.entities if e.get("entity") == ASK_ENTITY]
    done: list[str] = []
    for event in events[index + 1 :]:
        if isinstance(event, UserUttered):
            break
        if (
            isinstance(event, ActionExecuted)
            and event.action_name
            and event.action_name not in _HOUSEKEEPING_ACTIONS
        ):
            done.append(event.action_name)
    return _message_view(
        message,
        red_flags=red_flags,
        loop_at_message=loop,
        asked_before_message=asked,
        actions_since_message=tuple(done),
        hold=hold,
        interrupted_loop=interrupted,
        ask=asks[0] if asks else None,
        hold_replies=tuple(replies) if hold else (),
        about_someone_else=any(e.get("entity") == ABOUT_ENTITY for e in message.entities),
    )


def latest_user_index(events: Sequence[Event]) -> int:
    """Return the position of the latest user message in ``events``, or -1."""
    return max((i for i, event in enumerate(events) if isinstance(event, UserUttered)), default=-1)


def turn_view(tracker: DialogueStateTracker) -> TurnView:
    """Summarise the tracker's latest turn for the safety decision."""
    events = list(tracker.events)
    last_user = latest_user_index(events)
    if last_user < 0:
        return TurnView(intent=None)
    return turn_view_at(events, last_user)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class SafetyPolicy(Policy):
    """Predict the urgent-care steps for red flags ahead of forms, rules and models."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the default configuration (see the module docstring)."""
        return {"priority": 7, "catalogue": str(DEFAULT_CATALOGUE)}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._flags = load_flag_infos(Path(config.get("catalogue", DEFAULT_CATALOGUE)))

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Do nothing: the policy follows the catalogue, not the training stories."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predict the next safety step, or nothing so that other policies decide."""
        view = turn_view(tracker)
        events = self._turn_events(view)
        action = next_action(view, self._flags)
        probabilities = self._default_predictions(domain)
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(probabilities, events=events)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)

    def _turn_events(self, view: TurnView) -> list[Event]:
        """Return the slot events that record a red flag, once, before the turn's first action."""
        if view.actions_since_message:
            return []
        trigger = find_trigger(view, self._flags)
        if trigger is None:
            return []
        return [
            SlotSet("safety_tier", trigger.tier),
            SlotSet("safety_flags", list(trigger.flag_ids)),
        ]
