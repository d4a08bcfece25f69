"""The red-flag catalogue's typed entries, as :mod:`bot.safety.catalogue` parses them.

A :class:`Catalogue` holds concepts (term lists), context cues, flags and asks with
their rules (concept frames), and the normalisation settings; every value is frozen,
so the detector can share one catalogue between threads::

    catalogue = load_catalogue()           # bot.safety.catalogue
    catalogue.flags[0].rules[0].all        # ("saddle_area", "numb")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.safety.model import Tier

Scope = Literal["clause", "sentence", "message"]
SCOPES: frozenset[str] = frozenset({"clause", "sentence", "message"})


class CatalogueError(ValueError):
    """Raised when the catalogue is malformed."""


@dataclass(frozen=True)
class Concept:
    """A named list of terms matched in messages."""

    name: str
    terms: tuple[str, ...]
    match_on: Literal["lemma", "text"] = "lemma"
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """Concepts that must co-occur for a flag to fire.

    Attributes:
        all: concept names that must all be present.
        scope: where they must co-occur.
        window: maximum token distance between the first and last concept.
        unless: concepts that cancel the rule when present in ``unless_scope``.
        unless_scope: scope searched for ``unless`` concepts.
        history_counts: mentions marked resolved or distant past still count for this
            rule (a transplant in 2019 still weakens immunity today).
    """

    all: tuple[str, ...]
    scope: Scope = "clause"
    window: int | None = None
    unless: tuple[str, ...] = ()
    unless_scope: Scope = "sentence"
    history_counts: bool = False


@dataclass(frozen=True)
class FlagSpec:
    """One red flag as defined in the catalogue."""

    id: str
    tier: Tier
    description: str
    response: str
    sources: tuple[str, ...]
    rules: tuple[Rule, ...]
    history_counts: bool = False
    ignore_distant_past: bool = False
    suppressed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ask:
    """A clarifying question for a signal that suggests a red flag.

    Attributes:
        id: question id, e.g. ``crisis`` (the wire value of ``Assessment.ask``).
        flag: the flag a YES would establish.
        tier: that flag's tier.
        question: the question as the chat shows it.
        sms: the SMS-length variant.
        sources: source ids from the catalogue's ``sources``.
        reading_grade: the question's reading grade (7 or lower).
        rules: frames that raise the question.
        own_questions: also asked when the patient asks a question about their own
            case of the flag ("if I took all my tablets, would I just drift off?"),
            which the frames otherwise read as hypothetical.
    """

    id: str
    flag: str
    tier: Tier
    question: str
    sms: str
    sources: tuple[str, ...]
    reading_grade: float
    rules: tuple[Rule, ...]
    own_questions: bool = False


@dataclass(frozen=True)
class Normalisation:
    """Spelling and text-speak fixes applied per token before matching."""

    split: Mapping[str, tuple[str, ...]]
    words: Mapping[str, str]
    fuzzy_targets: tuple[str, ...]
    fuzzy_ignore: frozenset[str]
    fuzzy_min_length: int = 5
    fuzzy_min_score: float = 88.0
    contractions: Mapping[str, str] = field(default_factory=dict)
    fillers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Catalogue:
    """The parsed catalogue."""

    sources: tuple[Mapping[str, Any], ...]
    review: Mapping[str, Any]
    concepts: Mapping[str, Concept]
    context: Mapping[str, Concept]
    flags: tuple[FlagSpec, ...]
    normalisation: Normalisation
    clause_breaks: frozenset[str]
    clause_joiners: frozenset[str]
    clause_subjects: frozenset[str]
    self_words: frozenset[str]
    negation_window: int
    derived: Mapping[str, Any] = field(default_factory=dict)
    asks: tuple[Ask, ...] = ()
    generic_words: frozenset[str] = frozenset()
    self_actions: frozenset[str] = frozenset()
    timeless: frozenset[str] = frozenset()
    # "back trouble for years, but since yesterday I can't pass water": a duration
    # blocker (``onset_blockers``) in another clause does not cancel a rule whose clause
    # holds an onset cue (``onset_cues``).
    onset_cues: frozenset[str] = frozenset()
    onset_blockers: frozenset[str] = frozenset()
