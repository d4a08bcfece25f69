"""Red-flag detector: find urgent-care warning signs in patient messages.

Used by the Rasa NLU component (``bot.nlu.red_flag_component``), the CLI
(``python -m bot.safety``) and the phrasing report. Build it once and call
:meth:`RedFlagDetector.detect` per message, or
:meth:`RedFlagDetector.detect_conversation` with the last few messages of a session::

    detector = RedFlagDetector.from_catalogue()
    assessment = detector.detect("I cnt feel my bum when I wipe")
    assessment.tier  # Tier.EMERGENCY
    detector.detect("my legs feel funny").ask  # "leg_weakness"

How a message is read:

1. :class:`~bot.safety.normalise.Normaliser` cleans the text (surrogates, zero-width and
   look-alike letters), tokenizes it and sets spelling-corrected norms and lemmas (no
   spaCy components run, which keeps a message well under 2 ms).
2. Two ``PhraseMatcher`` s (lemma and lower-case text) find every catalogue term, on a
   view of the message without filler words ("doesn't *really* feel"); a concept's
   ``exclude`` phrases cancel overlapping terms. Ages, durations, temperatures and past
   years are read from numbers ("I'm 62", "45 mins", "38.9", "in 2015").
3. :mod:`bot.safety.context` marks each mention as negated, someone else's, resolved,
   distant past or hypothetical.
4. Concept frames: each flag's rules fire when all their concepts have usable mentions
   in one clause, sentence or message, in any order (optionally within a token window
   and unless some other concept is present). The message tier is the highest tier.
5. With no finding, the ``asks`` frames may give a clarifying question, and the learned
   second opinion (:mod:`bot.safety.classifier`, when built) may add one too.

``detect`` never raises: an internal error is logged (without the patient's words) and
the message is read again as plain ASCII; the result is marked ``degraded``.
"""

from __future__ import annotations

import datetime
import logging
import re
import traceback
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.safety.catalogue import Ask, Catalogue, FlagSpec, Rule, Scope, load_catalogue
from bot.safety.context import Layout, Mention, drop_absorbed, layout, mark, valid_triggers
from bot.safety.model import Assessment, Finding, Tier
from bot.safety.normalise import Normaliser

logger = logging.getLogger(__name__)

_EXCLUDE = "!exclude"
# Messages of a session weighed together by detect_conversation.
CONVERSATION_WINDOW = 4
# "38.9", "101F", "39c": a temperature typed as one token.
_TEMPERATURE = re.compile(r"^(\d{2,3}(?:\.\d{1,2})?)(c|f|°|°c|°f)?$")
_TEMPERATURE_CUES = frozenset(
    {
        "temp",
        "temperature",
        "thermometer",
        "fever",
        "feverish",
        "degrees",
        "degree",
        "°",
        "°c",
        "°f",
        "c",
        "f",
        "celsius",
        "fahrenheit",
        "deg",
        "temps",
    }
)
# "started 3 weeks ago", "only began a fortnight ago": a recent onset.
_ONSET_VERBS = frozenset({"started", "start", "starting", "began", "begun", "begin"})
_YEAR_LEADS = frozenset({"in", "back", "during", "of", "from", "around", "circa"})
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

    def __init__(
        self,
        catalogue: Catalogue,
        nlp: Language | None = None,
        second_opinion: SecondOpinion | None = None,
    ):
        """Compile the catalogue's terms into matchers.

        Args:
            catalogue: the parsed catalogue.
            nlp: spaCy pipeline to reuse; defaults to ``bot.runtime.nlp.load_base_pipeline()``.
            second_opinion: a learned classifier consulted when the frames find
                nothing (see :mod:`bot.safety.classifier`); None for frames only.
        """
        self.second_opinion = second_opinion
        if nlp is None:
            from bot.runtime.nlp import load_base_pipeline

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
        self.asks: tuple[Ask, ...] = catalogue.asks
        self._ask_needed = {
            ask.id: frozenset(name for rule in ask.rules for name in rule.all) for ask in self.asks
        }
        derived = catalogue.derived
        self._age_over = int(derived.get("age_over", 50))
        self._age_under = int(derived.get("age_under", 20))
        self._age_min = int(derived.get("age_min", 10))
        self._age_young = int(derived.get("age_young_under", 20))
        self._long_minutes = int(derived.get("long_duration_minutes", 30))

    @classmethod
    def from_catalogue(
        cls, path: Path | None = None, nlp: Any = None, second_opinion: Any = "default"
    ) -> RedFlagDetector:
        """Load the catalogue (default ``content/red_flags.yml``) and build a detector.

        ``second_opinion`` is ``"default"`` for the learned classifier of the default
        catalogue (loaded from ``var/safety/`` or trained by
        :func:`bot.safety.classifier.load_second_opinion`; none for a custom catalogue
        path), None for frames only, or a ready :class:`SecondOpinion`.
        """
        detector = cls(load_catalogue(path), nlp)
        if second_opinion == "default":
            if path is None:
                from bot.safety.classifier import load_second_opinion

                detector.second_opinion = load_second_opinion(detector)
        else:
            detector.second_opinion = second_opinion
        return detector

    def _add(self, matcher: PhraseMatcher, name: str, terms: Iterable[str]) -> None:
        docs = []
        for term in terms:
            doc = self._norm.annotate(term, fuzzy=False)
            squeezed = self._norm.squeeze(doc)
            if squeezed is None:
                docs.append(doc)
            elif len(squeezed[0]) > 1:
                docs.append(squeezed[0])
            # else: a phrase that is one word plus fillers ("even lying still", "gone
            # completely") would match that bare word everywhere; it is left out.
        matcher.add(name, [doc for doc in docs if len(doc)])

    # ------------------------------------------------------------------ detection

    def detect(self, text: str) -> Assessment:
        """Assess one message and return its tier, findings and clarifying question.

        Never raises: an internal error is logged with the message length only (no
        patient words in logs) and the message is read again as plain ASCII; if that
        fails too, the result is tier none with ``degraded`` set.
        """
        try:
            return self._detect(text)
        except Exception as exc:  # the patient must still get a reply and the alert
            _log_failure("first reading", exc, text)
        try:
            folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
            return replace(self._detect(folded), text=text, degraded=True)
        except Exception as exc:
            _log_failure("ASCII reading", exc, text)
            return Assessment(text=text, tier=Tier.NONE, findings=(), degraded=True)

    def detect_conversation(self, messages: Sequence[str]) -> Assessment:
        """Assess the latest message in the light of the few before it.

        Args:
            messages: the session's patient messages, oldest first, latest last; only
                the last :data:`CONVERSATION_WINDOW` are read.

        Returns:
            The latest message's own assessment when it has a finding (or when the
            window adds nothing); otherwise the findings that the window as a whole
            reveals and that no earlier message (nor the window without the latest
            message) already raised, e.g. "been having accidents" then "with my bladder
            I mean". A clarifying question the window raises is kept the same way.
        """
        if not messages:
            return Assessment(text="", tier=Tier.NONE, findings=())
        latest = self.detect(messages[-1])
        recent = [m for m in messages[-CONVERSATION_WINDOW:] if m and m.strip()]
        if latest.tier is not Tier.NONE or len(recent) < 2:
            return latest
        joined = self.detect(_join(recent))
        if joined.tier is Tier.NONE and joined.ask is None:
            return latest
        earlier = [self.detect(_join(recent[:-1])), *(self.detect(m) for m in recent[:-1])]
        raised = {flag_id for a in earlier for flag_id in a.flag_ids}
        new = tuple(f for f in joined.findings if f.id not in raised)
        if new:
            return Assessment(
                text=messages[-1],
                tier=max(f.tier for f in new),
                findings=new,
                warning_sign_question=latest.warning_sign_question,
            )
        asked = {a.ask for a in earlier}
        if latest.ask is None and joined.ask is not None and joined.ask not in asked:
            return replace(latest, ask=joined.ask)
        return latest

    def _detect(self, text: str) -> Assessment:
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
        mark(
            doc,
            lay,
            mentions,
            context,
            cat.self_words,
            cat.negation_window,
            cat.generic_words,
            cat.self_actions,
        )
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
        ask = None
        if tier is Tier.NONE and not warning:
            ask = self._ask(lay, by_concept)
            # The classifier cannot read "no", "my sister" or "what if": where the
            # frames saw such a cue, their reading stands.
            explained = any(m.negated or m.other or m.hypothetical for m in mentions)
            if ask is None and self.second_opinion is not None and not explained:
                ask = self.second_opinion.ask(text)
        return Assessment(
            text=text, tier=tier, findings=findings, warning_sign_question=warning, ask=ask
        )

    def _ask(self, lay: Layout, by_concept: dict[str, list[Mention]]) -> str | None:
        """Return the first ask whose frame fires on usable mentions, or None."""
        for ask in self.asks:
            needed = self._ask_needed[ask.id]
            strict = {
                name: [m for m in by_concept[name] if _usable(m, False, True, False)]
                for name in needed
                if name in by_concept
            }
            historical = {
                name: [m for m in by_concept[name] if _usable(m, True, False, False)]
                for name in needed
                if name in by_concept
            }
            for rule in ask.rules:
                usable = historical if rule.history_counts else strict
                if _fire(rule, lay, usable, by_concept) is not None:
                    return ask.id
        return None

    def _mentions(self, doc: Doc) -> tuple[list[Mention], dict[str, list[Mention]]]:
        found: list[Mention] = []
        excluded: dict[str, list[tuple[int, int]]] = defaultdict(list)
        strings = self._strings
        squeezed = self._norm.squeeze(doc)
        target, keep = squeezed if squeezed else (doc, None)
        for matcher in (self._lemma_matcher, self._text_matcher):
            for match_id, start, end in matcher(target):
                if keep is not None:
                    start, end = keep[start], keep[end - 1] + 1
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
                if norms[i + 1 : i + 4] == ["y", "/", "o"]:
                    unit, end = "y/o", i + 4
            else:
                joined = _NUMBER_UNIT.match(norm)
                if joined:
                    value, unit = int(joined.group(1)), joined.group(2)
            if norm in _ONSET_VERBS and "ago" in norms[i + 1 : i + 6]:
                out.append(Mention("new_onset", i, norms.index("ago", i + 1) + 1))
            temperature = _TEMPERATURE.match(norm)
            if temperature and self._is_fever(norms, i, temperature):
                out.append(Mention("fever_number", max(i - 1, 0), i + 1))
            if (
                len(norm) == 4
                and norm.isdigit()
                and 1940 <= int(norm) < datetime.date.today().year
                and i > 0
                and norms[i - 1] in _YEAR_LEADS
            ):
                # "fell off a ladder in 2015": an old event, like "years ago".
                out.append(Mention("distant_past", i - 1, i + 1))
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

    @staticmethod
    def _is_fever(norms: list[str], i: int, match: re.Match[str]) -> bool:
        """Return True for a feverish temperature with a temperature word nearby."""
        value = float(match.group(1))
        unit = match.group(2) or ""
        near = set(norms[max(i - 4, 0) : i]) | set(norms[i + 1 : i + 3])
        if not (unit or near & _TEMPERATURE_CUES):
            return False
        if unit.endswith("f") or value >= 90:
            return 100.4 <= value <= 108
        return 37.8 <= value <= 43

    def _is_age(self, norms: list[str], i: int, value: int, unit: str | None) -> bool:
        if value < self._age_min or value > 110:
            return False
        prev = norms[i - 1] if i > 0 else ""
        if i == 0 and unit == ",":
            # "17, back pain started in september": a number opening the message.
            return True
        if unit in _AGE_UNITS:
            # "62 years old" / "17yo" are ages; "for 10 years" is a duration; "I have 58
            # years" is how several languages give an age.
            after = " ".join(norms[i + 2 : i + 4])
            of_age = after.startswith("old") or after == "of age"
            # ... but "I have 10 years of pain" is a duration.
            said_have = prev == "have" and i >= 2 and norms[i - 2] == "i"
            said_have = said_have and not after.startswith("of")
            return unit in _AGE_SHORT or of_age or prev in _AGE_LEADS or said_have
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
            needed = [name for name in self._needed[flag.id] if name in by_concept]
            usable = {
                name: [
                    m
                    for m in by_concept[name]
                    if _usable(m, flag.history_counts, flag.ignore_distant_past, allow_hypothetical)
                ]
                for name in needed
            }
            historical: dict[str, list[Mention]] | None = None
            for rule in flag.rules:
                if rule.history_counts:
                    if historical is None:
                        historical = {
                            name: [
                                m
                                for m in by_concept[name]
                                if _usable(m, True, False, allow_hypothetical)
                            ]
                            for name in needed
                        }
                    hit = _fire(rule, lay, historical, by_concept)
                else:
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


def _usable(
    m: Mention, history_counts: bool, ignore_distant_past: bool, allow_hypothetical: bool
) -> bool:
    if m.negated or m.other:
        return False
    if m.hypothetical and not allow_hypothetical:
        return False
    if m.resolved and not history_counts:
        return False
    return not (m.distant and ignore_distant_past)


def _log_failure(what: str, exc: BaseException, text: str) -> None:
    """Log an error with its type and place but not its message (it may quote the text)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    logger.error(
        "red-flag detection failed (%s): %s at %s on a %d-character message",
        what,
        type(exc).__name__,
        where,
        len(text),
    )


def _join(messages: Sequence[str]) -> str:
    """Join a session's messages into one sentence, each message its own clause.

    Sentence-scoped frames can then combine words from several messages, while a
    negation ("not worse") never reaches into the next message.
    """
    return " ; ".join(m.strip().rstrip(".!") for m in messages)


class SecondOpinion(Protocol):
    """A learned reading consulted when the frames find nothing."""

    def ask(self, text: str) -> str | None:
        """Return an ask id when the message looks like a red flag, else None."""


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
