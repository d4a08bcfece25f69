"""Find the catalogue's terms in a message: concept mentions and context cues.

Two ``PhraseMatcher`` s (lemma and lower-case text) find every catalogue term, on a
view of the message without filler words ("doesn't *really* feel"); a concept's
``exclude`` phrases cancel overlapping terms, and ages, durations, temperatures and
past years are read from numbers (:mod:`bot.safety.numbers`). The detector
(:mod:`bot.safety.detector`) builds one at load and asks it per message::

    terms = TermMatcher(catalogue, nlp, normaliser)
    mentions, cues = terms.find(normaliser.annotate("I cnt feel my bum"))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.safety.context import Mention
from bot.safety.entries import Catalogue
from bot.safety.normalise import Normaliser
from bot.safety.numbers import NumberReader

_EXCLUDE = "!exclude"


class TermMatcher:
    """The catalogue's concept and context terms, compiled into phrase matchers."""

    def __init__(self, catalogue: Catalogue, nlp: Language, normaliser: Normaliser) -> None:
        self._norm = normaliser
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
        self._numbers = NumberReader(catalogue.derived)

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

    def find(self, doc: Doc) -> tuple[list[Mention], dict[str, list[Mention]]]:
        """Return the concept mentions in ``doc``, and the context cues by cue name."""
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
        found.extend(self._numbers.mentions(doc))
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
