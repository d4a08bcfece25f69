"""When the policies left can no longer change the ensemble's choice."""

import pytest
from rasa.core.policies.memoization import AugmentedMemoizationPolicy, MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.prediction import _last_action_rejected, never_decisive, outcome_is_settled


def prediction(confidence, priority, no_user=False, e2e=False):
    return PolicyPrediction(
        [0.0, confidence], "P", priority, is_no_user_prediction=no_user, is_end_to_end_prediction=e2e
    )


@pytest.mark.parametrize(
    ("made", "left", "settled"),
    [
        # A rule (priority 6) with full confidence: memoization (3) and TED (1) cannot win.
        ([prediction(0.0, 7), prediction(1.0, 6)], [3, 1], True),
        # The core fallback's 0.3: memoization could still predict with 1.0.
        ([prediction(0.0, 7), prediction(0.3, 6)], [3, 1], False),
        # Full confidence, but not a higher priority than what is left.
        ([prediction(1.0, 3)], [3, 1], False),
        ([prediction(1.0, 2)], [3], False),
        # A "no user" or end-to-end prediction made: the others are not eligible.
        ([prediction(0.2, 7, no_user=True), prediction(0.3, 6)], [3, 1], True),
        ([prediction(0.2, 6, e2e=True)], [3, 1], True),
        # Nothing left to run.
        ([prediction(0.1, 6)], [], True),
    ],
)
def test_outcome_is_settled(made, left, settled):
    assert outcome_is_settled(made, left) is settled


def test_only_policies_that_never_decide_by_themselves_are_skippable():
    assert never_decisive(MemoizationPolicy.__new__(MemoizationPolicy))
    assert never_decisive(AugmentedMemoizationPolicy.__new__(AugmentedMemoizationPolicy))
    untrained = TEDPolicy.__new__(TEDPolicy)
    untrained.model = None
    assert never_decisive(untrained)
    trained = TEDPolicy.__new__(TEDPolicy)
    trained.model = object()  # a trained TED may predict end to end
    assert not never_decisive(trained)
    assert not never_decisive(RulePolicy.__new__(RulePolicy))


def tracker(*events):
    return DialogueStateTracker.from_events("t", list(events), Domain.empty().slots)


def test_a_rejected_last_action_runs_every_policy():
    assert _last_action_rejected(tracker(ActionExecuted("action_listen"), ActionExecutionRejected("f")))
    assert not _last_action_rejected(
        tracker(ActionExecutionRejected("f"), ActionExecuted("utter_greet"), UserUttered("hi"))
    )
    assert not _last_action_rejected(tracker())
