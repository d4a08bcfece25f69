"""Turn a message into a spaCy ``Doc`` whose lemmas and norms are spelling-corrected.

Patients text "cnt feel my bum", "incontinance" and "pins n needles", and some text
arrives disguised by accident or on purpose: a Cyrillic "a" (U+0430) in "can't", a
zero-width space inside "b\u200bum", full-width letters (U+FF4E for "n"), or a lone
surrogate from a broken client that would crash spaCy. Instead of
writing every variant into the catalogue, each token gets a corrected lower-case form
(``token.norm_``) and a lemma of that form (``token.lemma_``); the catalogue terms go
through the same function, so both sides meet in the middle. Three steps, all data from
the catalogue's ``normalisation`` section:

0. :func:`clean_text` makes the text safe and plain: lone surrogates become U+FFFD,
   format characters (zero-width spaces and joiners, soft hyphens, bidi marks, BOM)
   are removed, Unicode NFKC folds full-width and other compatibility forms, and
   Cyrillic/Greek letters that look like Latin ones are mapped to their Latin skeleton
   (Unicode TR39 style) in any message that contains Latin letters. HTML tags are
   removed and runs of spaces collapsed (evidence quotes this cleaned text).
1. ``split``: a few run-together forms the tokenizer keeps whole ("cnt") are split into
   tokens that still spell the original text, so evidence spans stay faithful.
2. ``words``: a curated map of text-speak and common misspellings ("probs" -> problems);
   ``contractions`` ("ca" -> can) apply only before a negation, so "breast ca" (cancer)
   keeps its meaning.
3. fuzzy: an unknown word of 5+ letters that is very close (rapidfuzz ratio >= 88, same
   first letter) to one of a short list of clinical target words is replaced by it.
   Known English words (the lemma table) are never corrected, which keeps "never" from
   becoming "fever".

:meth:`Normaliser.squeeze` then gives the detector a second view of the message without
filler words ("really", "sort of", "properly"), so "my bottom doesn't really feel the
seat properly" meets the term "not feel" with no gap. Catalogue terms are squeezed the
same way, and every match is mapped back to the original tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.lookups import Table, load_lookups
from spacy.tokens import Doc

from bot.safety.entries import Normalisation

# Markup from web widgets: tags are replaced by a space.
_TAG = re.compile(r"<[^<>]{0,200}>")
_SPACES = re.compile(r"[ \t\u00a0\u200b]{2,}|[\t\u00a0\u200b]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_CACHE_LIMIT = 50_000
_NEGATIONS = frozenset({"n't", "nt", "not", "t"})
_SURROGATE = re.compile("[\ud800-\udfff]")
_LATIN = re.compile("[A-Za-z]")
# Cyrillic and Greek letters whose glyphs are Latin ones (TR39 confusables, the subset
# that turns up in English text), mapped to the Latin skeleton letter, pairwise.
_CONFUSABLE_PAIRS = (
    # Cyrillic lower case
    ("\u0430\u0432\u0435\u0451\u043a\u043c\u043d\u043e", "abeekmho"),
    ("\u0440\u0441\u0442\u0443\u0445\u0455\u0456\u0457", "pctyxsii"),
    ("\u0458\u04bb\u0501\u051b\u051d\u0491\u044c\u04cf", "jhdqwrbl"),
    # Cyrillic upper case
    ("\u0410\u0412\u0415\u0401\u041a\u041c\u041d\u041e", "ABEEKMHO"),
    ("\u0420\u0421\u0422\u0423\u0425\u0405\u0406\u0408", "PCTYXSIJ"),
    ("\u04c0\u051a\u051c", "IQW"),
    # Greek lower case
    ("\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1", "abeikvop"),
    ("\u03c4\u03c5\u03c7\u03b3\u03c9\u03ae\u03cc\u03af", "tuxywnoi"),
    ("\u03ac\u03ad", "ae"),
    # Greek upper case
    ("\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c", "ABEZHIKM"),
    ("\u039d\u039f\u03a1\u03a4\u03a5\u03a7", "NOPTYX"),
    # Latin-looking letters and dashes that NFKC keeps
    ("\u0131\u0269\u0261\u2010\u2011\u2012\u2013\u2014", "iig-----"),
    ("\u2212", "-"),
)
_CONFUSABLES = str.maketrans(
    "".join(a for a, _ in _CONFUSABLE_PAIRS), "".join(b for _, b in _CONFUSABLE_PAIRS)
)


def clean_text(text: str) -> str:
    """Return ``text`` made safe for the tokenizer and stripped of disguises.

    Lone surrogates are replaced (spaCy cannot encode them), format characters
    (Unicode category Cf: zero-width spaces and joiners, soft hyphens, bidi marks, the
    BOM) are removed, NFKC folds full-width and compatibility forms (full-width
    "numb" -> "numb"), and Cyrillic/Greek look-alike letters become Latin when the message has
    any Latin letter ("can't" with a Cyrillic U+0430 -> "can't"). Plain ASCII text comes
    back unchanged.
    """
    if text.isascii():
        return text
    text = _SURROGATE.sub("\ufffd", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    letters = [ch for ch in text if ch.isalpha()]
    # Map look-alikes in mixed-script text, or when every letter has a Latin skeleton
    # ("BOTTOM" typed in Greek capitals); a message really written in Greek or Russian is
    # left alone.
    if _LATIN.search(text) or all(ch in _CONFUSABLES for ch in map(ord, letters)):
        text = text.translate(_CONFUSABLES)
    return text


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
        text = clean_text(text)
        if "<" in text:
            text = _TAG.sub(" ", text)
        # Runs of spaces become whitespace tokens that would break multi-word terms.
        text = _SPACES.sub(" ", text)
        doc = self.nlp.make_doc(text)
        if self._config.split and any(tok.lower_ in self._config.split for tok in doc):
            doc = self._split(doc)
        words = self._config.words
        contractions = self._config.contractions
        for token in doc:
            lower = token.lower_.translate(_QUOTES)
            norm = words.get(lower)
            if norm is None and lower in contractions:
                following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
                if following.translate(_QUOTES) in _NEGATIONS:
                    norm = contractions[lower]
            if norm is None:
                norm = (self._fuzzy(lower) if fuzzy else None) or lower
            token.norm_ = norm
            token.lemma_ = self.lemma_of(norm)
        return doc

    def squeeze(self, doc: Doc) -> tuple[Doc, list[int]] | None:
        """Return ``doc`` without filler words, and each kept token's original index.

        Returns None when the message has no filler word (the usual case), so callers
        match the original doc only. One- and two-word fillers are read from the
        catalogue (``normalisation.fillers``: "really", "sort of").
        """
        fillers = self._config.fillers
        if not fillers:
            return None
        norms = [tok.norm_ for tok in doc]
        keep: list[int] = []
        i = 0
        while i < len(norms):
            pair = f"{norms[i]} {norms[i + 1]}" if i + 1 < len(norms) else ""
            if pair in fillers:
                i += 2
                continue
            if norms[i] not in fillers:
                keep.append(i)
            i += 1
        if len(keep) == len(doc) or not keep:
            return None
        squeezed = Doc(
            doc.vocab,
            words=[doc[i].text for i in keep],
            spaces=[True] * len(keep),
        )
        for new, old in zip(squeezed, keep, strict=True):
            new.norm_ = doc[old].norm_
            new.lemma_ = doc[old].lemma_
        return squeezed, keep

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
