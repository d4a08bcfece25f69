"""Red-flag detector: find urgent-care warning signs in one patient message.

Used by the Rasa NLU component (``bot.nlu.red_flag_component``), the CLI
(``python -m bot.safety``) and the phrasing report. Build it once and call
:meth:`RedFlagDetector.detect` per message::

    detector = RedFlagDetector.from_catalogue()
    assessment = detector.detect("I cnt feel my bum when I wipe")
    assessment.tier  # Tier.EMERGENCY

How a message is read:

1. :class:`~bot.safety.normalise.Normaliser` tokenizes it and sets spelling-corrected
   norms and lemmas (no spaCy components run, which keeps a message well under 2 ms).
2. Two ``PhraseMatcher`` s (lemma and lower-case text) find every catalogue term; a
   concept's ``exclude`` phrases cancel overlapping terms. Age and duration numbers are
   read separately ("I'm 62", "45 mins").
3. :mod:`bot.safety.context` marks each mention as negated, someone else's, resolved,
   distant past or hypothetical.
4. Each flag's rules fire when all their concepts have usable mentions in one clause,
   sentence or message (optionally within a token window and unless some other concept
   is present). The message tier is the highest tier found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.safety.catalogue import Catalogue, FlagSpec, Rule, Scope, load_catalogue
from bot.safety.context import Layout, Mention, drop_absorbed, layout, mark, valid_triggers
from bot.safety.model import Assessment, Finding, Tier
from bot.safety.normalise import Normaliser

_EXCLUDE = "!exclude"
_MAX_EVIDENCE_TOKENS = 16
# "55yo", "30mins", "2hrs": number and unit typed as one token.
_NUMBER_UNIT = re.compile(r"^(\d{1,3})([a-z/]+)$")
_AGE_UNITS = frozenset({"yo", "y/o", "yrs", "yr", "years", "year", "yearsold"})
_AGE_SHORT = frozenset({"yo", "y/o", "yearsold"})
_MINUTE_UNITS = frozenset({"min", "mins", "minute", "minutes", "m"})
_HOUR_UNITS = frozenset({"hour", "hours", "hr", "hrs", "h"})
# Words after "I'm 17" that show the number is not an age ("I'm 18 weeks pregnant").
_NOT_AGE_NEXT = frozenset(
    {
        "week",
        "weeks",
        "month",
        "months",
        "day",
        "days",
        "kg",
        "kilo",
        "kilos",
        "stone",
        "lbs",
        "pound",
        "pounds",
        "minute",
        "minutes",
        "min",
        "mins",
        "hour",
        "hours",
        "%",
        "percent",
        "out",
        "on",
        "times",
        "x",
        "feet",
        "ft",
        "cm",
        "miles",
        "steps",
    }
)
_AGE_LEADS = frozenset({"'m", "m", "am", "aged", "age", "im"})


class RedFlagDetector:
    """Detect red flags in patient messages using the clinician-edited catalogue."""

    def __init__(self, catalogue: Catalogue, nlp: Language | None = None):
        """Compile the catalogue's terms into matchers.

        Args:
            catalogue: the parsed catalogue.
            nlp: spaCy pipeline to reuse; defaults to ``bot.nlp.load_base_pipeline()``.
        """
        if nlp is None:
            from bot.nlp import load_base_pipeline

            nlp = load_base_pipeline()
        self.catalogue = catalogue
        self.flags: tuple[FlagSpec, ...] = catalogue.flags
        vocabulary = {
            word.lower()
            for concept in (*catalogue.concepts.values(), *catalogue.context.values())
            for term in concept.terms
            for word in term.split()
        }
        self._norm = Normaliser(nlp, catalogue.normalisation, vocabulary)
        self._lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._text_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self._context_names = set(catalogue.context)
        for concept in (*catalogue.concepts.values(), *catalogue.context.values()):
            matcher = self._text_matcher if concept.match_on == "text" else self._lemma_matcher
            self._add(matcher, concept.name, concept.terms)
            if concept.exclude:
                # Exclusions are matched on lemmas whatever the concept's own mode.
                self._add(self._lemma_matcher, concept.name + _EXCLUDE, concept.exclude)
        self._strings = nlp.vocab.strings
        self._needed = {
            flag.id: frozenset(name for rule in flag.rules for name in rule.all)
            for flag in self.flags
        }
        derived = catalogue.derived
        self._age_over = int(derived.get("age_over", 50))
        self._age_under = int(derived.get("age_under", 20))
        self._age_min = int(derived.get("age_min", 10))
        self._age_young = int(derived.get("age_young_under", 20))
        self._long_minutes = int(derived.get("long_duration_minutes", 30))

    @classmethod
    def from_catalogue(cls, path: Path | None = None, nlp: Any = None) -> RedFlagDetector:
        """Load the catalogue (default ``content/red_flags.yml``) and build a detector."""
        return cls(load_catalogue(path), nlp)

    def _add(self, matcher: PhraseMatcher, name: str, terms: Iterable[str]) -> None:
        docs = [self._norm.annotate(term, fuzzy=False) for term in terms]
        matcher.add(name, [doc for doc in docs if len(doc)])

    # ------------------------------------------------------------------ detection

    def detect(self, text: str) -> Assessment:
        """Assess one message and return its tier and findings."""
        if not text or not text.strip():
            return Assessment(text=text, tier=Tier.NONE, findings=())
        doc = self._norm.annotate(text)
        mentions, cues = self._mentions(doc)
        cat = self.catalogue
        lay = layout(doc, cat.clause_breaks, cat.clause_joiners, cat.clause_subjects)
        mentions = drop_absorbed(doc, mentions, cues.get("negation", []))
        shields = [*mentions, *cues.get("pseudo_negation", [])]
        context = {
            "negation": valid_triggers(cues.get("negation", []), shields),
            "other_person": cues.get("other_person", []),
            "other_person_after": cues.get("other_person_after", []),
            "resolved": cues.get("resolved", []),
            "distant_past": cues.get("distant_past", []),
            "hypothetical_forward": cues.get("hypothetical_forward", []),
            "hypothetical_clause": cues.get("hypothetical_clause", []),
            "if": cues.get("conditional", []),
        }
        mark(doc, lay, mentions, context, cat.self_words, cat.negation_window)
        by_concept: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_concept[m.concept].append(m)

        findings = self._findings(doc, lay, by_concept, allow_hypothetical=False)
        warning = False
        if any(m.hypothetical for m in mentions):
            hypothetical = self._findings(doc, lay, by_concept, allow_hypothetical=True)
            warning = bool({f.id for f in hypothetical} - {f.id for f in findings})
        if not warning and cues.get("warning_sign_words"):
            warning = any(
                lay.sentence_is_question[lay.sentence[m.start]] for m in cues["warning_sign_words"]
            ) or bool(cues.get("hypothetical_forward"))
        tier = max((f.tier for f in findings), default=Tier.NONE)
        return Assessment(text=text, tier=tier, findings=findings, warning_sign_question=warning)

    def _mentions(self, doc: Doc) -> tuple[list[Mention], dict[str, list[Mention]]]:
        found: list[Mention] = []
        excluded: dict[str, list[tuple[int, int]]] = defaultdict(list)
        strings = self._strings
        for matcher in (self._lemma_matcher, self._text_matcher):
            for match_id, start, end in matcher(doc):
                name = strings[match_id]
                if name.endswith(_EXCLUDE):
                    excluded[name[: -len(_EXCLUDE)]].append((start, end))
                else:
                    found.append(Mention(name, start, end))
        found.extend(self._derived(doc))
        mentions: list[Mention] = []
        cues: dict[str, list[Mention]] = defaultdict(list)
        for m in found:
            spans = excluded.get(m.concept)
            if spans and any(s < m.end and m.start < e for s, e in spans):
                continue
            if m.concept in self._context_names:
                cues[m.concept].append(m)
            else:
                mentions.append(m)
        return mentions, cues

    def _derived(self, doc: Doc) -> list[Mention]:
        """Find ages (outside 20-50, and under 20) and 30+ minute durations in numbers."""
        out: list[Mention] = []
        norms = [tok.norm_ for tok in doc]
        n = len(norms)
        for i, norm in enumerate(norms):
            value: int | None = None
            unit: str | None = None
            end = i + 1
            if norm.isdigit() and len(norm) <= 3:
                value = int(norm)
                unit = norms[i + 1] if i + 1 < n else None
                end = i + 2 if unit is not None else i + 1
            else:
                joined = _NUMBER_UNIT.match(norm)
                if joined:
                    value, unit = int(joined.group(1)), joined.group(2)
            if value is None:
                continue
            long_minutes = unit in _MINUTE_UNITS and value >= self._long_minutes
            if long_minutes or (unit in _HOUR_UNITS and value >= 1):
                out.append(Mention("long_duration_number", i, end))
            if self._is_age(norms, i, value, unit):
                start = max(i - 1, 0)
                if not self._age_under <= value <= self._age_over:
                    out.append(Mention("age_risk", start, end))
                if value < self._age_young:
                    out.append(Mention("age_young", start, end))
        return out

    def _is_age(self, norms: list[str], i: int, value: int, unit: str | None) -> bool:
        if value < self._age_min or value > 110:
            return False
        prev = norms[i - 1] if i > 0 else ""
        if unit in _AGE_UNITS:
            # "62 years old" / "17yo" are ages; "for 10 years" is a duration.
            after = norms[i + 2] if i + 2 < len(norms) else ""
            return unit in _AGE_SHORT or after in {"old", "of"} or prev in _AGE_LEADS
        return prev in _AGE_LEADS and (unit is None or unit not in _NOT_AGE_NEXT)

    def _findings(
        self,
        doc: Doc,
        lay: Layout,
        by_concept: dict[str, list[Mention]],
        allow_hypothetical: bool,
    ) -> tuple[Finding, ...]:
        findings: list[tuple[int, Finding]] = []
        for flag in self.flags:
            if any(_present(by_concept.get(name, ())) for name in flag.suppressed_by):
                continue
            usable = {
                name: [m for m in by_concept[name] if _usable(m, flag, allow_hypothetical)]
                for name in self._needed[flag.id]
                if name in by_concept
            }
            for rule in flag.rules:
                hit = _fire(rule, lay, usable, by_concept)
                if hit is not None:
                    findings.append(
                        (hit[0].start, Finding(flag.id, flag.tier, _evidence(doc, lay, hit)))
                    )
                    break
        findings.sort(key=lambda item: (-item[1].tier.rank, item[0]))
        return tuple(finding for _, finding in findings)


def _present(mentions: Iterable[Mention]) -> bool:
    return any(not m.negated for m in mentions)


def _usable(m: Mention, flag: FlagSpec, allow_hypothetical: bool) -> bool:
    if m.negated or m.other:
        return False
    if m.hypothetical and not allow_hypothetical:
        return False
    if m.resolved and not flag.history_counts:
        return False
    return not (m.distant and flag.ignore_distant_past)


def _key(lay: Layout, scope: Scope, index: int) -> int:
    if scope == "clause":
        return lay.clause[index]
    if scope == "sentence":
        return lay.sentence[index]
    return 0


def _fire(
    rule: Rule,
    lay: Layout,
    usable: dict[str, list[Mention]],
    raw: dict[str, list[Mention]],
) -> list[Mention] | None:
    """Return the mentions that make ``rule`` fire, or None."""
    first, *others = rule.all
    for anchor in usable.get(first, ()):
        key = _key(lay, rule.scope, anchor.start)
        chosen = [anchor]
        for name in others:
            candidates = [m for m in usable.get(name, ()) if _key(lay, rule.scope, m.start) == key]
            if not candidates:
                break
            chosen.append(min(candidates, key=lambda m: abs(m.start - anchor.start)))
        else:
            if rule.window is not None:
                starts = [m.start for m in chosen]
                if max(starts) - min(starts) > rule.window:
                    continue
            if rule.unless and _blocked(rule, lay, anchor, raw):
                continue
            return chosen
    return None


def _blocked(rule: Rule, lay: Layout, anchor: Mention, raw: dict[str, list[Mention]]) -> bool:
    key = _key(lay, rule.unless_scope, anchor.start)
    return any(
        not m.negated and _key(lay, rule.unless_scope, m.start) == key
        for name in rule.unless
        for m in raw.get(name, ())
    )


def _evidence(doc: Doc, lay: Layout, mentions: list[Mention]) -> str:
    start = min(m.start for m in mentions)
    end = max(m.end for m in mentions)
    same_sentence = len({lay.sentence[m.start] for m in mentions}) == 1
    if same_sentence and end - start <= _MAX_EVIDENCE_TOKENS:
        return doc[start:end].text
    ordered = sorted(mentions, key=lambda m: m.start)
    return " ... ".join(doc[m.start : m.end].text for m in ordered)
