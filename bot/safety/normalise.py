"""Turn a message into a spaCy ``Doc`` whose lemmas and norms are spelling-corrected.

Patients text "cnt feel my bum", "incontinance" and "pins n needles". Instead of
writing every variant into the catalogue, each token gets a corrected lower-case form
(``token.norm_``) and a lemma of that form (``token.lemma_``); the catalogue terms go
through the same function, so both sides meet in the middle. Three steps, all data from
the catalogue's ``normalisation`` section:

0. HTML tags are removed and runs of spaces collapsed (evidence quotes this text).
1. ``split``: a few run-together forms the tokenizer keeps whole ("cnt") are split into
   tokens that still spell the original text, so evidence spans stay faithful.
2. ``words``: a curated map of text-speak and common misspellings ("probs" -> problems).
3. fuzzy: an unknown word of 5+ letters that is very close (rapidfuzz ratio >= 88, same
   first letter) to one of a short list of clinical target words is replaced by it.
   Known English words (the lemma table) are never corrected, which keeps "never" from
   becoming "fever".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.tokens import Doc

from bot.safety.catalogue import Normalisation

# Markup from web widgets: tags are replaced by a space.
_TAG = re.compile(r"<[^<>]{0,200}>")
_SPACES = re.compile(r"[ \t\u00a0\u200b]{2,}|[\t\u00a0\u200b]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_CACHE_LIMIT = 50_000


class Normaliser:
    """Annotate docs with corrected norms and lemmas; build once, reuse per message."""

    def __init__(self, nlp: Language, config: Normalisation, vocabulary: Iterable[str] = ()):
        """Prepare lookups.

        Args:
            nlp: pipeline whose tokenizer and vocab are reused (no components run).
            config: the catalogue's normalisation settings.
            vocabulary: words used in catalogue terms, never fuzzy-corrected.
        """
        self.nlp = nlp
        self._config = config
        self._lemmas = _lemma_table(nlp)
        self._lemma_values = frozenset(str(value) for value in self._lemmas.values())
        self._known = set(config.fuzzy_ignore) | {word.lower() for word in vocabulary}
        self._targets = list(config.fuzzy_targets)
        self._fuzzy_cache: dict[str, str | None] = {}

    def lemma_of(self, word: str) -> str:
        """Return the lookup lemma of a lower-case word (the word itself if unknown)."""
        lemma = self._lemmas.get(word)
        return str(lemma) if lemma is not None else word

    def annotate(self, text: str, fuzzy: bool = True) -> Doc:
        """Tokenize ``text`` and set ``norm_`` and ``lemma_`` on every token."""
        if "<" in text:
            text = _TAG.sub(" ", text)
        # Runs of spaces become whitespace tokens that would break multi-word terms.
        text = _SPACES.sub(" ", text)
        doc = self.nlp.make_doc(text)
        if self._config.split and any(tok.lower_ in self._config.split for tok in doc):
            doc = self._split(doc)
        words = self._config.words
        for token in doc:
            lower = token.lower_.translate(_QUOTES)
            norm = words.get(lower)
            if norm is None:
                norm = (self._fuzzy(lower) if fuzzy else None) or lower
            token.norm_ = norm
            token.lemma_ = self.lemma_of(norm)
        return doc

    def _split(self, doc: Doc) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for token in doc:
            parts = self._config.split.get(token.lower_)
            if not parts:
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
                continue
            offset = 0
            for index, part in enumerate(parts):
                # Slice the original text so case and spelling are preserved.
                words.append(token.text[offset : offset + len(part)])
                offset += len(part)
                spaces.append(bool(token.whitespace_) if index == len(parts) - 1 else False)
        return Doc(doc.vocab, words=words, spaces=spaces)

    def _fuzzy(self, word: str) -> str | None:
        if len(word) < self._config.fuzzy_min_length or not word.isalpha():
            return None
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        result: str | None = None
        if not self._is_known(word):
            best = process.extractOne(
                word,
                self._targets,
                scorer=fuzz.ratio,
                score_cutoff=self._config.fuzzy_min_score,
            )
            # Typos rarely change the first letter; requiring it avoids odd swaps.
            if best is not None and best[0][0] == word[0]:
                result = str(best[0])
        if len(self._fuzzy_cache) < _CACHE_LIMIT:
            self._fuzzy_cache[word] = result
        return result

    def _is_known(self, word: str) -> bool:
        return word in self._known or word in self._lemmas or word in self._lemma_values


def _lemma_table(nlp: Language) -> Table:
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        if lookups.has_table("lemma_lookup"):
            table: Table = lookups.get_table("lemma_lookup")
            return table
    # A pipeline without a lookup lemmatizer still works: load the same table directly.
    loaded: Table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    return loaded
