"""Plain logic behind the red-flag NLU component: how a verdict changes a parse.

Kept free of Rasa imports so it can be tested with dictionaries. The component calls
:func:`apply_verdict` with the classifier's intent, ranking and entities and stores what
it returns on the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.policies.safety_names import INTENT_RESPONSES, TIER_ORDER
from bot.policies.safety_plan import load_flag_infos
from bot.safety import Assessment
from bot.settings import REPO_ROOT, Settings

CATALOGUE = REPO_ROOT / "content" / "red_flags.yml"
RED_FLAG_INTENTS = frozenset(INTENT_RESPONSES)
WARNING_SIGNS_INTENT = "ask_warning_signs"
EXTRACTOR = "RedFlagDetector"
# Entity naming the clarifying question to ask (``asks`` in the catalogue).
ASK_ENTITY = "red_flag_ask"
# Entity marking findings that are a relative's, told as happening now.
ABOUT_ENTITY = "red_flag_about"
SOMEONE_ELSE = "someone_else"


@dataclass(frozen=True)
class VerdictFinding:
    """One red flag found in a message."""

    flag_id: str
    tier: str
    evidence: str


@dataclass(frozen=True)
class DetectorVerdict:
    """What the detector concluded about one message."""

    tier: str
    findings: tuple[VerdictFinding, ...]
    warning_sign_question: bool
    ask: str | None = None
    about_someone_else: bool = False

    @property
    def flag_ids(self) -> list[str]:
        """Return the ids of all findings."""
        return [finding.flag_id for finding in self.findings]

    @classmethod
    def from_assessment(cls, assessment: Assessment) -> DetectorVerdict:
        """Convert the detector's assessment."""
        return cls(
            tier=assessment.tier.value,
            findings=tuple(
                VerdictFinding(f.id, f.tier.value, f.evidence) for f in assessment.findings
            ),
            warning_sign_question=assessment.warning_sign_question,
            ask=assessment.ask,
            about_someone_else=assessment.about_someone_else,
        )


@lru_cache(maxsize=4)
def _crisis_flags(path: Path = CATALOGUE) -> frozenset[str]:
    crisis = INTENT_RESPONSES["red_flag_crisis"]
    return frozenset(k for k, v in load_flag_infos(path).items() if v.response == crisis)


def intent_for(verdict: DetectorVerdict) -> str:
    """Return the red-flag intent for the verdict's highest tier."""
    if verdict.tier == "emergency":
        top = [f.flag_id for f in verdict.findings if f.tier == "emergency"]
        if any(flag_id in _crisis_flags() for flag_id in top):
            return "red_flag_crisis"
        return "red_flag_emergency"
    return "red_flag_urgent" if verdict.tier == "urgent" else "red_flag_soon"


def _span(text: str, evidence: str) -> tuple[int, int]:
    start = text.lower().find(evidence.lower()) if evidence else -1
    if start < 0:
        return 0, len(text)
    return start, start + len(evidence)


def _entities_for(text: str, verdict: DetectorVerdict) -> list[dict[str, Any]]:
    entities = []
    for finding in verdict.findings:
        start, end = _span(text, finding.evidence)
        entities.append(
            {
                "entity": "red_flag",
                "value": finding.flag_id,
                "role": finding.tier,
                "start": start,
                "end": end,
                "confidence_entity": 1.0,
                "extractor": EXTRACTOR,
            }
        )
    return entities


def apply_verdict(
    text: str,
    verdict: DetectorVerdict,
    intent: dict[str, Any],
    ranking: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    classifier_threshold: float,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the intent, ranking and entities after applying the detector's verdict.

    Args:
        text: the message text.
        verdict: the detector's verdict.
        intent: the classifier's intent (``{"name", "confidence"}``).
        ranking: the classifier's intent ranking, best first.
        entities: entities found so far.
        classifier_threshold: minimum confidence to keep a red-flag intent that the
            classifier predicted without any detector finding.
    """
    entities = [e for e in entities if e.get("extractor") != EXTRACTOR]
    if verdict.ask and not verdict.findings:
        # A sign that suggests but does not establish a red flag: the safety policy
        # asks one direct question; the classifier's intent stays for everything else.
        entities = [*entities, _ask_entity(verdict.ask)]
    if verdict.findings and TIER_ORDER.get(verdict.tier, 0) > 0:
        chosen, promoted = _promote({"name": intent_for(verdict), "confidence": 1.0}, ranking)
        about = [_about_entity()] if verdict.about_someone_else else []
        return chosen, promoted, entities + _entities_for(text, verdict) + about
    if verdict.warning_sign_question and intent.get("name") not in RED_FLAG_INTENTS:
        chosen, promoted = _promote({"name": WARNING_SIGNS_INTENT, "confidence": 1.0}, ranking)
        return chosen, promoted, entities
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    if name in RED_FLAG_INTENTS and confidence < classifier_threshold:
        # The classifier alone is not sure: fall back to its best other guess rather
        # than escalating on a weak signal the detector did not confirm.
        others = [r for r in ranking if r.get("name") not in RED_FLAG_INTENTS]
        if others:
            return others[0], others, entities
    return intent, ranking, entities


def _about_entity() -> dict[str, Any]:
    return {
        "entity": ABOUT_ENTITY,
        "value": SOMEONE_ELSE,
        "start": 0,
        "end": 0,
        "confidence_entity": 1.0,
        "extractor": EXTRACTOR,
    }


def _ask_entity(ask: str) -> dict[str, Any]:
    return {
        "entity": ASK_ENTITY,
        "value": ask,
        "start": 0,
        "end": 0,
        "confidence_entity": 1.0,
        "extractor": EXTRACTOR,
    }


def _promote(
    chosen: dict[str, Any], ranking: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rest = [r for r in ranking if r.get("name") != chosen["name"]]
    return chosen, [chosen, *rest]


def dial(number: str) -> str:
    """Return a phone number as a ``tel:`` link wants it: digits and a leading plus."""
    kept = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return kept or number


def config_entities(settings: Settings) -> list[dict[str, Any]]:
    """Return entities carrying the configured help numbers for the responses."""
    values = {
        "emergency_number": settings.emergency_number,
        "crisis_line": settings.crisis_line,
        "crisis_line_name": settings.crisis_line_name,
        "crisis_text": settings.crisis_text,
        "urgent_advice_line": settings.urgent_advice_line,
        "emergency_dial": dial(settings.emergency_number),
        "crisis_dial": dial(settings.crisis_line),
    }
    return [
        {"entity": name, "value": value, "start": 0, "end": 0, "extractor": EXTRACTOR}
        for name, value in values.items()
    ]
