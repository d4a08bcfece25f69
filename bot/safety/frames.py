"""Concept frames: when a rule fires on a message's mentions, and its evidence.

A rule (:class:`~bot.safety.catalogue.Rule`) names concepts that must all have usable
mentions in one clause, sentence or message, in any order, optionally within a token
window and unless some other concept is present. The detector
(:mod:`bot.safety.detector`) asks :func:`fire` for each flag's and ask's rules::

    hit = fire(rule, lay, usable_mentions, all_mentions)   # mentions, or None
    evidence(doc, lay, hit)   # "can't feel my bum"

Pure functions over spaCy docs and :class:`~bot.safety.context.Mention` s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from spacy.tokens import Doc

from bot.safety.context import Layout, Mention
from bot.safety.entries import Rule, Scope

# Evidence longer than this, or across sentences, is quoted a mention at a time.
MAX_EVIDENCE_TOKENS = 16


def any_present(mentions: Iterable[Mention]) -> bool:
    """Return whether any of ``mentions`` is not negated."""
    return any(not m.negated for m in mentions)


def is_usable(
    m: Mention, history_counts: bool, ignore_distant_past: bool, allow_hypothetical: bool
) -> bool:
    """Return whether mention ``m`` may count towards a rule, given its context marks."""
    if m.negated or m.other:
        return False
    if m.hypothetical and not allow_hypothetical:
        return False
    if m.resolved and not history_counts:
        return False
    return not (m.distant and ignore_distant_past)


def scope_key(lay: Layout, scope: Scope, index: int) -> int:
    """Return the clause, sentence or message (0) that token ``index`` belongs to."""
    if scope == "clause":
        return lay.clause[index]
    if scope == "sentence":
        return lay.sentence[index]
    return 0


class Onset(NamedTuple):
    """Onset cues and the duration blockers they override from another clause."""

    cues: frozenset[str] = frozenset()
    blockers: frozenset[str] = frozenset()


NO_ONSET = Onset()


def fire(
    rule: Rule,
    lay: Layout,
    usable: dict[str, list[Mention]],
    raw: dict[str, list[Mention]],
    onset: Onset = NO_ONSET,
) -> list[Mention] | None:
    """Return the mentions that make ``rule`` fire, or None."""
    first, *others = rule.all
    for anchor in usable.get(first, ()):
        key = scope_key(lay, rule.scope, anchor.start)
        chosen = [anchor]
        for name in others:
            candidates = [
                m for m in usable.get(name, ()) if scope_key(lay, rule.scope, m.start) == key
            ]
            if not candidates:
                break
            chosen.append(min(candidates, key=lambda m: abs(m.start - anchor.start)))
        else:
            if rule.window is not None:
                starts = [m.start for m in chosen]
                if max(starts) - min(starts) > rule.window:
                    continue
            if rule.unless and is_blocked(rule, lay, chosen, raw, onset):
                continue
            return chosen
    return None


def is_blocked(
    rule: Rule,
    lay: Layout,
    chosen: list[Mention],
    raw: dict[str, list[Mention]],
    onset: Onset = NO_ONSET,
) -> bool:
    """Return whether an ``unless`` concept is present in the anchor's scope.

    A blocker on the rule's own words does not count ("an accident" is both the
    continence event and a crash word). A duration blocker ("for years") in a clause
    the rule's mentions are not in does not count when one of their clauses holds an
    onset cue ("since yesterday").
    """
    anchor = chosen[0]
    key = scope_key(lay, rule.unless_scope, anchor.start)
    own_clauses = {lay.clause[m.start] for m in chosen}
    fresh = any(
        lay.clause[m.start] in own_clauses and not m.negated
        for name in onset.cues
        for m in raw.get(name, ())
    )
    return any(
        not m.negated
        and scope_key(lay, rule.unless_scope, m.start) == key
        # "had an accident in bed": the rule's own words do not block it.
        and not any(c.start <= m.start and m.end <= c.end for c in chosen)
        and not (fresh and name in onset.blockers and lay.clause[m.start] not in own_clauses)
        for name in rule.unless
        for m in raw.get(name, ())
    )


def evidence(doc: Doc, lay: Layout, mentions: list[Mention]) -> str:
    """Return the words that made a rule fire, as quoted in a finding."""
    start = min(m.start for m in mentions)
    end = max(m.end for m in mentions)
    same_sentence = len({lay.sentence[m.start] for m in mentions}) == 1
    if same_sentence and end - start <= MAX_EVIDENCE_TOKENS:
        return doc[start:end].text
    ordered = sorted(mentions, key=lambda m: m.start)
    return " ... ".join(doc[m.start : m.end].text for m in ordered)
