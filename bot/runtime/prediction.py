"""Predict the next action with the dialogue policies one by one, stopping once it is settled.

Rasa runs every policy for every prediction through its Dask graph runner, then its
ensemble picks the winner: a "no user" prediction beats all others, then an end-to-end
one, then the highest confidence, then the highest priority. A turn makes two or three
predictions, and profiling showed the graph runner's own bookkeeping and the policies
that cannot win costing a sixth of the Rasa server's time.

:class:`PolicyRunner` runs the same graph nodes in the ensemble's order (here the safety
policy, the rule policy, memoization, TED), calling each node directly, and after each
asks :func:`outcome_is_settled`: the policies left are skipped only if none of them
could change the ensemble's choice, whatever they predicted. That is the case for
policies that never predict events, "no user" or end-to-end predictions (memoization;
TED while it has no trained model) when a policy already run made a "no user" or
end-to-end prediction (the others are then not eligible), or predicted with full
confidence at a higher priority than every policy left. Rasa's own ensemble then
combines the predictions made, so events, tie-breaks and the rest are Rasa's.

A model whose prediction graph has another shape (another ensemble, a policy that needs
more than the domain, rule data and tracker) is left to Rasa's graph runner
(:meth:`PolicyRunner.from_graph` returns ``None``), as is a turn whose last action was
rejected (Rasa then zeroes that action's confidence in every prediction)::

    runner = PolicyRunner.from_graph(processor.model_metadata, processor.graph_runner)
    prediction = runner.predict(tracker)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import AugmentedMemoizationPolicy, MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.graph import GraphSchema
from rasa.engine.storage.storage import ModelMetadata
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker

TRACKER = "__tracker__"
# What a policy node may need besides the tracker: nodes that provide without inputs.
PROVIDED = frozenset({"domain", "rule_only_data"})
# Policies that never predict events, "no user" or end-to-end (TED only untrained).
_NEVER_DECISIVE = (MemoizationPolicy, AugmentedMemoizationPolicy)


def outcome_is_settled(made: Sequence[PolicyPrediction], priorities_left: Sequence[int]) -> bool:
    """Return whether policies with ``priorities_left`` could no longer win the ensemble.

    The policies left must be ones that never predict events, "no user" or
    end-to-end (see the module docstring), with confidences of at most 1.
    """
    if not priorities_left:
        return True
    if any(p.is_no_user_prediction or p.is_end_to_end_prediction for p in made):
        return True
    highest_left = max(priorities_left)
    return any(p.max_confidence >= 1.0 and p.policy_priority > highest_left for p in made)


def never_decisive(component: Any) -> bool:
    """Return whether a policy never predicts events, "no user" or end-to-end."""
    # Exact classes: the rule policy, for one, is a subclass of memoization.
    if type(component) in _NEVER_DECISIVE:
        return True
    return type(component) is TEDPolicy and component.model is None


@dataclass(frozen=True)
class PolicyNode:
    """One policy of the ensemble, as a node of the prediction graph."""

    name: str
    run: Callable[..., tuple[str, Any]]
    inputs: dict[str, str]  # parameter -> node (a provider or the tracker)
    priority: int
    skippable: bool


class PolicyRunner:
    """Run the policies of a prediction graph directly, in the ensemble's order."""

    def __init__(
        self,
        policies: list[PolicyNode],
        providers: dict[str, Callable[..., tuple[str, Any]]],
        ensemble: DefaultPolicyPredictionEnsemble,
        domain_node: str,
    ) -> None:
        self.policies = policies
        self.providers = providers
        self.ensemble = ensemble
        self.domain_node = domain_node
        self.skipped = 0  # predictions made without every policy (for tests and profiles)

    @classmethod
    def from_graph(cls, metadata: ModelMetadata, graph_runner: Any) -> PolicyRunner | None:
        """Return a runner for the model's prediction graph, or None if it has another shape."""
        schema: GraphSchema = metadata.predict_schema
        target = metadata.core_target
        nodes = getattr(graph_runner, "_instantiated_nodes", None)
        if not target or not isinstance(nodes, dict) or target not in schema.nodes:
            return None
        ensemble_node = schema.nodes[target]
        if ensemble_node.uses is not DefaultPolicyPredictionEnsemble:
            return None
        providers: dict[str, Callable[..., tuple[str, Any]]] = {}
        policies: list[PolicyNode] = []
        domain_node = ensemble_node.needs.get("domain")
        for parameter, name in ensemble_node.needs.items():
            if parameter in ("domain", "tracker"):
                continue
            node = schema.nodes.get(name)
            if node is None or name not in nodes:
                return None
            for needed, provider in node.needs.items():
                if provider == TRACKER and needed == "tracker":
                    continue
                if needed not in PROVIDED or schema.nodes[provider].needs or provider not in nodes:
                    return None
                providers[provider] = nodes[provider]
            component = getattr(nodes[name], "_component", None)
            priority = getattr(component, "priority", None)
            if not isinstance(priority, int):
                return None
            policies.append(
                PolicyNode(name, nodes[name], dict(node.needs), priority, never_decisive(component))
            )
        if domain_node is None or domain_node not in nodes:
            return None
        providers[domain_node] = nodes[domain_node]
        return cls(policies, providers, DefaultPolicyPredictionEnsemble(), domain_node)

    def predict(self, tracker: DialogueStateTracker) -> PolicyPrediction:
        """Return the ensemble's prediction, running only the policies that can matter."""
        provided = {name: provide()[1] for name, provide in self.providers.items()}
        provided[TRACKER] = tracker
        domain: Domain = provided[self.domain_node]
        may_skip = not _last_action_rejected(tracker)
        made: list[PolicyPrediction] = []
        for index, policy in enumerate(self.policies):
            left = self.policies[index:]
            if (
                may_skip
                and made
                and all(p.skippable for p in left)
                and outcome_is_settled(made, [p.priority for p in left])
            ):
                self.skipped += 1
                break
            inputs = [(node, provided[node]) for node in policy.inputs.values()]
            made.append(policy.run(*inputs)[1])
        return self.ensemble.combine_predictions(made, tracker, domain)


def _last_action_rejected(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False
