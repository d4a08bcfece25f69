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
2. :mod:`bot.safety.terms`: two ``PhraseMatcher`` s (lemma and lower-case text) find
   every catalogue term, on a view of the message without filler words ("doesn't
   *really* feel"); a concept's ``exclude`` phrases cancel overlapping terms. Ages,
   durations, temperatures and past years are read from numbers ("I'm 62", "45 mins",
   "38.9", "in 2015").
3. :mod:`bot.safety.context` marks each mention as negated, someone else's, resolved,
   distant past or hypothetical.
4. Concept frames (:mod:`bot.safety.frames`): each flag's rules fire when all their
   concepts have usable mentions in one clause, sentence or message, in any order
   (optionally within a token window and unless some other concept is present). The
   message tier is the highest tier.
5. With no finding, the ``asks`` frames may give a clarifying question. When they give
   none either, the learned second opinion (:mod:`bot.safety.classifier`, when built)
   reads the message whole, or, where a mention was read as negated, someone else's,
   hypothetical or resolved, each sentence without such a mention on its own: a
   confident reading escalates to the flag its ask would establish (evidence: what it
   read), a likely one asks. Below an emergency finding it also reads the message whole,
   and only a confident higher tier counts.

``detect`` never raises: an internal error is logged (without the patient's words) and
the message is read again as plain ASCII; the result is marked ``degraded``.
"""

from __future__ import annotations

import logging
import traceback
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from spacy.language import Language
from spacy.tokens import Doc

from bot.safety.catalogue import load_catalogue
from bot.safety.context import (
    Layout,
    Mention,
    drop_absorbed,
    layout,
    mark,
    sentence_texts,
    valid_triggers,
)
from bot.safety.entries import Ask, Catalogue, FlagSpec
from bot.safety.frames import Onset, any_present, evidence, fire, is_usable
from bot.safety.model import Assessment, Finding, Opinion, Tier
from bot.safety.normalise import Normaliser
from bot.safety.terms import TermMatcher

# A sentence read alone by the second opinion has at least this many words.
_LEAST_SENTENCE_WORDS = 3
logger = logging.getLogger(__name__)

# Longest evidence quoted for a finding the second opinion makes (the whole message).
EVIDENCE_CHARS = 200

# Messages of a session weighed together by detect_conversation.
CONVERSATION_WINDOW = 4


class Reading(NamedTuple):
    """A message as the detector reads it, before any frame fires."""

    doc: Doc
    layout: Layout
    mentions: list[Mention]
    cues: dict[str, list[Mention]]


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
        self._onset = Onset(catalogue.onset_cues, catalogue.onset_blockers)
        vocabulary = {
            word.lower()
            for concept in (*catalogue.concepts.values(), *catalogue.context.values())
            for term in concept.terms
            for word in term.split()
        }
        self._norm = Normaliser(nlp, catalogue.normalisation, vocabulary)
        self._terms = TermMatcher(catalogue, nlp, self._norm)
        self._needed = {
            flag.id: frozenset(name for rule in flag.rules for name in rule.all)
            for flag in self.flags
        }
        self.asks: tuple[Ask, ...] = catalogue.asks
        self._asks_by_id = {ask.id: ask for ask in self.asks}
        self._ask_needed = {
            ask.id: frozenset(name for rule in ask.rules for name in rule.all) for ask in self.asks
        }

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
                about_someone_else=joined.about_someone_else,
            )
        asked = {a.ask for a in earlier}
        if latest.ask is None and joined.ask is not None and joined.ask not in asked:
            return replace(latest, ask=joined.ask)
        return latest

    def read(self, text: str) -> Reading:
        """Return how the detector reads ``text``: its mentions marked for context.

        The tools that explain or compare the detector's reading
        (``scripts/safety_explain.py``, ``scripts/medspacy_compare.py``) use this; it may
        raise, unlike :meth:`detect`.
        """
        doc = self._norm.annotate(text)
        mentions, cues = self._terms.find(doc)
        cat = self.catalogue
        lay = layout(doc, cat.clause_breaks, cat.clause_joiners, cat.clause_subjects)
        mentions = drop_absorbed(doc, mentions, cues.get("negation", []))
        shields = [*mentions, *cues.get("pseudo_negation", [])]
        # "I'm his carer and we use this app together": he is the patient, unless what
        # happened to him is in hand and the question is the writer's own ("he had an
        # operation ... tips for me?"). So is a relative whose symptoms are told as
        # happening now and not yet in hand.
        carer = bool(cues.get("carer") and not cues.get("relative_handled")) or relative_now(cues)
        context = {
            "negation": valid_triggers(cues.get("negation", []), shields),
            "other_person": [] if carer else cues.get("other_person", []),
            "other_person_after": [] if carer else cues.get("other_person_after", []),
            "resolved": cues.get("resolved", []),
            "resolved_next": cues.get("resolved_next", []),
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
        # "Retired at 70 last spring": an age told beside a past time is still an age.
        for m in mentions:
            if m.concept in cat.timeless:
                m.distant = False
        # "Weakness in the legs, numbness in the saddle - I've had none of them", or the
        # list in the sentence before: "a card with the symptoms. I don't have any of them."
        for denial in cues.get("denial_after", []):
            sentence = lay.sentence[denial.start]
            for m in mentions:
                if m.end <= denial.start and sentence - 1 <= lay.sentence[m.start] <= sentence:
                    m.negated = True
        return Reading(doc, lay, mentions, cues)

    def _detect(self, text: str) -> Assessment:
        if not text or not text.strip():
            return Assessment(text=text, tier=Tier.NONE, findings=())
        doc, lay, mentions, cues = self.read(text)
        by_concept: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_concept[m.concept].append(m)

        findings = self._findings(doc, lay, by_concept, allow_hypothetical=False)
        warning = False
        hypothetical_ids: set[str] = set()
        if any(m.hypothetical for m in mentions):
            hypothetical = self._findings(doc, lay, by_concept, allow_hypothetical=True)
            hypothetical_ids = {f.id for f in hypothetical}
            warning = bool(hypothetical_ids - {f.id for f in findings})
        if not warning and cues.get("warning_sign_words"):
            warning = any(
                lay.sentence_is_question[lay.sentence[m.start]] for m in cues["warning_sign_words"]
            ) or bool(cues.get("hypothetical_forward"))
        tier = max((f.tier for f in findings), default=Tier.NONE)
        ask = None
        if tier is Tier.NONE and warning:
            ask = self._own_question_ask(doc, lay, mentions, hypothetical_ids)
            # The patient's own question is not a question about the leaflet's words.
            warning = ask is None
        if tier is Tier.NONE and not warning and ask is None:
            ask = self._ask(lay, by_concept)
        if not warning and ask is None and tier is not Tier.EMERGENCY:
            learned, ask = self._learned(text, doc, lay, mentions, tier)
            if learned is not None:
                findings = (*findings, learned)
                tier = learned.tier
        about = bool(findings) and not cues.get("carer") and relative_now(cues)
        return Assessment(
            text=text,
            tier=tier,
            findings=findings,
            warning_sign_question=warning,
            ask=ask,
            about_someone_else=about,
        )

    def _learned(
        self, text: str, doc: Doc, lay: Layout, mentions: Sequence[Mention], tier: Tier
    ) -> tuple[Finding | None, str | None]:
        """Read the message with the learned second opinion; return a finding or an ask.

        Consulted when the frames found no emergency and asked nothing. With no finding,
        the whole message is read; where the frames saw "no", "my sister", "what if" or
        "it went away" the classifier cannot read it, so only the sentences without such
        a cue are read, one at a time ("I haven't told my health visitor" does not hide
        the sentence before it). With a lower-tier finding ("I'm 15 and my back hurts"),
        the whole message is read and only a confident higher tier counts: a question
        would compete with the finding's own reply.
        """
        if self.second_opinion is None:
            return None, None
        explained = {
            lay.sentence[m.start]
            for m in mentions
            if m.negated or m.other or m.hypothetical or m.resolved
        }
        if tier is not Tier.NONE or not explained:
            texts = [text]
        else:
            texts = [
                sentence
                for index, sentence in enumerate(sentence_texts(doc, lay))
                if index not in explained and len(sentence.split()) >= _LEAST_SENTENCE_WORDS
            ]
        ask = None
        for part in texts:
            view = self.second_opinion.opinion(part)
            proposed = self._asks_by_id.get(view.ask) if view.ask else None
            if proposed is None or proposed.tier <= tier:
                continue
            if view.confident:
                return Finding(proposed.flag, proposed.tier, _whole(part)), None
            if tier is Tier.NONE and ask is None:
                ask = proposed.id
        return None, ask

    def _own_question_ask(
        self,
        doc: Doc,
        lay: Layout,
        mentions: list[Mention],
        hypothetical_ids: set[str],
    ) -> str | None:
        """Return the ask for a question about the patient's own crisis, or None.

        "If I took all the amitriptyline at once, would I just drift off?" reads as
        hypothetical, yet it is the patient's own. Where a hypothetical finding is the
        flag of an ask marked ``own_questions`` (``hypothetical_ids``: the flags found when
        hypothetical mentions count) and a sentence of that finding speaks
        of the patient ("I", "me", "my"), the direct question is asked; asking about
        suicide does not raise risk.
        """
        self_words = self.catalogue.self_words
        own_sentences = {lay.sentence[t.i] for t in doc if t.norm_ in self_words}
        own_hypothetical = any(
            m.hypothetical and lay.sentence[m.start] in own_sentences for m in mentions
        )
        for ask in self.asks:
            if ask.own_questions and ask.flag in hypothetical_ids and own_hypothetical:
                return ask.id
        return None

    def _ask(self, lay: Layout, by_concept: dict[str, list[Mention]]) -> str | None:
        """Return the first ask whose frame fires on usable mentions, or None."""
        for ask in self.asks:
            needed = self._ask_needed[ask.id]
            strict = {
                name: [m for m in by_concept[name] if is_usable(m, False, True, False)]
                for name in needed
                if name in by_concept
            }
            historical = {
                name: [m for m in by_concept[name] if is_usable(m, True, False, False)]
                for name in needed
                if name in by_concept
            }
            for rule in ask.rules:
                usable = historical if rule.history_counts else strict
                if fire(rule, lay, usable, by_concept, self._onset) is not None:
                    return ask.id
        return None

    def _findings(
        self,
        doc: Doc,
        lay: Layout,
        by_concept: dict[str, list[Mention]],
        allow_hypothetical: bool,
    ) -> tuple[Finding, ...]:
        findings: list[tuple[int, Finding]] = []
        for flag in self.flags:
            if any(any_present(by_concept.get(name, ())) for name in flag.suppressed_by):
                continue
            needed = [name for name in self._needed[flag.id] if name in by_concept]
            usable = {
                name: [
                    m
                    for m in by_concept[name]
                    if is_usable(
                        m, flag.history_counts, flag.ignore_distant_past, allow_hypothetical
                    )
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
                                if is_usable(m, True, False, allow_hypothetical)
                            ]
                            for name in needed
                        }
                    hit = fire(rule, lay, historical, by_concept, self._onset)
                else:
                    hit = fire(rule, lay, usable, by_concept, self._onset)
                if hit is not None:
                    findings.append(
                        (hit[0].start, Finding(flag.id, flag.tier, evidence(doc, lay, hit)))
                    )
                    break
        findings.sort(key=lambda item: (-item[1].tier.rank, item[0]))
        return tuple(finding for _, finding in findings)


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


def relative_now(cues: Mapping[str, Sequence[Any]]) -> bool:
    """Return whether a relative's symptoms are told as happening now and not in hand.

    A family word, a time within the last few days and none of the signs that it is
    already in hand or beside the writer's own question (catalogue ``relative_word``,
    ``relative_time``, ``relative_handled``).
    """
    return bool(
        cues.get("relative_word") and cues.get("relative_time") and not cues.get("relative_handled")
    )


def _whole(text: str) -> str:
    """Return a message as the evidence of a learned finding, cut at a word near 200 chars."""
    text = " ".join(text.split())
    if len(text) <= EVIDENCE_CHARS:
        return text
    return text[:EVIDENCE_CHARS].rsplit(" ", 1)[0]


class SecondOpinion(Protocol):
    """A learned reading consulted when the frames find nothing."""

    def opinion(self, text: str) -> Opinion:
        """Return the ask the message suggests and whether the reading is confident."""
