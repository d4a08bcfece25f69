"""Read the context of each mention: negation, whose symptom, when, and how it is asked.

Why our own NegEx-style rules and not negspacy: negspacy 1.0.4 needs entities in
``doc.ents`` (we have no NER), applies one termination list to every entity and has no
idea that "no feeling" or "can't feel" *is* the symptom. Red-flag reading needs scope
rules we can state and test precisely, with all cue words held as data in the
catalogue:

* negation: a trigger ("no", "not", "n't", "never", "denies"...) negates mentions that
  start within ``negation_window`` tokens after it *in the same clause*; clauses end at
  sentence ends, "but"/"however"/"although"..., and at "and"/","/"so" followed by a new
  subject ("..., I've lost 10kg"). A trigger that is part of a longer matched term ("no
  feeling", "can't feel", "don't know when") or a pseudo-negation ("no longer", "not
  getting better") is not a trigger: there the negative word states the symptom.
* other people: a mention is someone else's when an other-person cue ("my dad", "my
  mum", "she", "family history") is in the same clause with no "I"/"me" between them.
* resolved: a resolution cue ("it's gone", "cleared up") marks mentions in its own
  clause and in the clause just before it ("I had a fever, it's gone"), and a mention
  whose own clause is distant past when the cue comes later in the sentence ("I had it
  years ago, but I'm fine now"); a negated cue ("it hasn't gone away", "never
  cleared") resolves nothing.
* distant past: "years ago", "as a child" in the same sentence (used for acute flags).
* hypothetical: forward cues ("what if", "should I worry if", "in case") cover the rest
  of the sentence; clause cues ("warning sign", "red flag") cover their clause; a
  question containing "if" is hypothetical from the "if" on; a general question with no
  first-person word ("can sciatica affect your bladder?") is hypothetical throughout, and
  so is any question about people in general ("is it normal for your bum to go numb on a
  bike ride?": ``generic_words`` such as "your", "people", "anyone", and no "I"/"my").

All functions work on token indices of one annotated ``Doc``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

# Words that open a question (used to spot general, non-first-person questions).
# "Is it normal to have numbness in both legs?" is left out on purpose: patients ask
# it about their own symptoms.
_QUESTION_OPENERS = frozenset({"can", "could", "does", "do", "will", "would", "what", "how", "why"})


# Words that, just before a resolution cue, say it did not happen ("hasn't gone away").
# Not "no": in "no, it's gone now" the cue still resolves.
_NEGATORS = frozenset({"not", "n't", "never", "nt"})


@dataclass
class Mention:
    """One matched term with the context flags the detector assigns to it."""

    concept: str
    start: int
    end: int
    negated: bool = False
    other: bool = False
    hypothetical: bool = False
    resolved: bool = False
    distant: bool = False


@dataclass(frozen=True)
class Layout:
    """Sentence and clause number of every token."""

    sentence: tuple[int, ...]
    clause: tuple[int, ...]
    sentence_is_question: tuple[bool, ...]


def sentence_texts(doc: Doc, lay: Layout) -> list[str]:
    """Return the text of each sentence of ``doc`` in order, as ``lay`` numbers them."""
    parts: list[list[str]] = []
    for token in doc:
        number = lay.sentence[token.i]
        while len(parts) <= number:
            parts.append([])
        parts[number].append(token.text_with_ws)
    return ["".join(p).strip() for p in parts]


def layout(
    doc: Doc, breaks: frozenset[str], joiners: frozenset[str], subjects: frozenset[str]
) -> Layout:
    """Number the sentences and clauses of ``doc``.

    Args:
        doc: the annotated message (sentencizer not required; punctuation is used).
        breaks: lemmas that start a new clause ("but", "however").
        joiners: words that start a new clause when a subject follows ("and", ",").
        subjects: words that count as a new subject ("i", "my", "it").
    """
    sentence: list[int] = []
    clause: list[int] = []
    sent_no = 0
    clause_no = 0
    norms = [tok.norm_ for tok in doc]
    for i, tok in enumerate(doc):
        norm = norms[i]
        if i > 0 and _sentence_start(doc, i):
            sent_no += 1
            clause_no += 1
        elif i > 0 and _clause_start(tok.lemma_, norm, norms[i - 1], breaks, joiners, subjects):
            clause_no += 1
        sentence.append(sent_no)
        clause.append(clause_no)
    questions = [False] * (sent_no + 1)
    for i, norm in enumerate(norms):
        if norm == "?":
            questions[sentence[i]] = True
    return Layout(tuple(sentence), tuple(clause), tuple(questions))


def _clause_start(
    lemma: str,
    norm: str,
    prev: str,
    breaks: frozenset[str],
    joiners: frozenset[str],
    subjects: frozenset[str],
) -> bool:
    if lemma in breaks or norm in breaks or prev == ";":
        return True
    return prev in joiners and norm in subjects


def _sentence_start(doc: Doc, i: int) -> bool:
    # The message may come from a doc without the sentencizer, so split on end
    # punctuation and line breaks directly.
    prev = doc[i - 1]
    if prev.text in {".", "!", "?", "...", "\u2026"} or prev.text.strip("!?.") == "":
        return not doc[i].is_punct
    return "\n" in prev.whitespace_ or doc[i].is_space


_FILLERS = frozenset({"any", "a", "an", "the", "much", "my"})


def drop_absorbed(doc: Doc, mentions: list[Mention], triggers: list[Mention]) -> list[Mention]:
    """Drop a negative term directly followed by a term of the same concept.

    "I can't feel any tingling" matches "can't feel" (numb) and "tingling" (numb): here
    the negative word denies the tingling, so "can't feel" must not count as numbness
    and its "n't" must act as a negation trigger.
    """
    trigger_starts = {t.start for t in triggers}
    starts = {(m.concept, m.start) for m in mentions}
    absorbed: list[tuple[int, int]] = []
    for m in mentions:
        if m.end - m.start < 2 or not any(i in trigger_starts for i in range(m.start, m.end)):
            continue
        nxt = m.end
        if nxt < len(doc) and doc[nxt].norm_ in _FILLERS:
            nxt += 1
        if (m.concept, nxt) in starts:
            absorbed.append((m.start, m.end))
    if not absorbed:
        return mentions
    # Other concepts' terms on the same words ("can't feel" is also a bladder term)
    # go too, or they would keep shielding the negation.
    return [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in absorbed)]


def valid_triggers(triggers: list[Mention], shields: list[Mention]) -> list[Mention]:
    """Drop negation triggers that sit inside a longer term or a pseudo-negation."""
    if not triggers:
        return []
    wanted = {t.start for t in triggers}
    covering: dict[int, list[Mention]] = {}
    for s in shields:
        if s.end - s.start < 2:
            continue
        for i in range(s.start, s.end):
            if i in wanted:
                covering.setdefault(i, []).append(s)
    return [
        t
        for t in triggers
        if not any(
            s.start <= t.start and t.end <= s.end and (s.end - s.start) > (t.end - t.start)
            for s in covering.get(t.start, ())
        )
    ]


def mark(
    doc: Doc,
    lay: Layout,
    mentions: list[Mention],
    cues: dict[str, list[Mention]],
    self_words: frozenset[str],
    negation_window: int,
    generic_words: frozenset[str] = frozenset(),
    self_actions: frozenset[str] = frozenset(),
) -> None:
    """Set the context flags of each clinical mention in place.

    Args:
        doc: the annotated message.
        lay: its sentence and clause layout.
        mentions: clinical concept mentions to mark.
        cues: context cue mentions by kind: ``negation`` (already filtered by
            :func:`valid_triggers`), ``other_person`` (before the mention),
            ``other_person_after`` (after it), ``resolved``, ``distant_past``,
            ``hypothetical_forward``, ``hypothetical_clause``, ``if``.
        self_words: words that refer to the patient ("i", "me").
        negation_window: tokens a negation reaches forward.
        generic_words: words that make a question general ("your", "people").
        self_actions: concepts that are the patient's own acts towards others ("gave my
            sister my jewellery"): another person nearby does not make them someone else's.
    """
    clause, sentence = lay.clause, lay.sentence
    norms = [tok.norm_ for tok in doc]
    general_question = _general_questions(doc, lay, self_words, generic_words)
    first_clause: dict[int, int] = {}
    for i in range(len(doc)):
        first_clause.setdefault(sentence[i], clause[i])
    # "it hasn't gone away", "never cleared": a negated resolution cue resolves nothing.
    cues = {
        **cues,
        "resolved": [
            r
            for r in cues.get("resolved", [])
            if not any(norms[i] in _NEGATORS for i in range(max(0, r.start - 2), r.start))
        ],
        "resolved_next": [
            r
            for r in cues.get("resolved_next", [])
            if not any(norms[i] in _NEGATORS for i in range(max(0, r.start - 2), r.start))
        ],
    }
    # Index cues by sentence so that long messages stay close to linear.
    by_sentence: dict[str, dict[int, list[Mention]]] = {}
    for kind, found in cues.items():
        index: dict[int, list[Mention]] = {}
        for cue in found:
            index.setdefault(sentence[cue.start], []).append(cue)
        by_sentence[kind] = index
    for m in mentions:
        c, s = clause[m.start], sentence[m.start]
        local = {kind: index.get(s, []) for kind, index in by_sentence.items()}
        # "for my family if I wasn't around": a mention that names the patient is theirs.
        own = m.concept in self_actions or any(
            norms[i] in self_words for i in range(m.start, m.end)
        )
        m.negated = any(
            clause[t.start] == c and t.end <= m.start and m.start - t.end < negation_window
            for t in local["negation"]
        )
        m.other = not own and (
            any(
                clause[o.start] == c
                and o.start < m.start
                and not _self_between(norms, o, m, self_words)
                for o in local["other_person"]
            )
            or any(
                clause[o.start] == c
                and o.start >= m.end
                and not _self_between(norms, o, m, self_words)
                for o in local["other_person_after"]
            )
        )
        m.distant = any(sentence[d.start] == s for d in local["distant_past"])
        # "I used to self-harm as a teenager, but that was years ago and I'm in a good
        # place now": an event told as distant past in its own clause, with a resolution
        # cue later in the message, is over even when the cue is clauses or sentences on
        # ("Back in March my foot went floppy. Had the operation, back to normal since").
        distant_here = any(clause[d.start] == c for d in local["distant_past"])
        m.resolved = any(clause[r.start] in (c, c + 1) for r in local["resolved"]) or (
            distant_here and any(r.start > m.start for r in cues["resolved"])
        )
        # "My legs were like lead by the end. Fine the next morning.": a recovery cue
        # (catalogue ``resolved_next``) opening the next sentence resolves this one.
        m.resolved = m.resolved or any(
            sentence[r.start] == s + 1 and clause[r.start] == first_clause[s + 1]
            for r in cues.get("resolved_next", [])
        )
        m.hypothetical = (
            general_question[s]
            or any(
                sentence[h.start] == s and h.start <= m.start for h in local["hypothetical_forward"]
            )
            or any(clause[h.start] == c for h in local["hypothetical_clause"])
            or any(
                sentence[h.start] == s and lay.sentence_is_question[s] and h.start <= m.start
                for h in local["if"]
            )
        )


def _self_between(norms: list[str], a: Mention, b: Mention, self_words: frozenset[str]) -> bool:
    lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
    return any(norms[i] in self_words for i in range(lo, hi))


def _general_questions(
    doc: Doc, lay: Layout, self_words: frozenset[str], generic_words: frozenset[str]
) -> list[bool]:
    """Flag question sentences that do not talk about the patient at all."""
    result = [False] * len(lay.sentence_is_question)
    first: dict[int, str] = {}
    has_self: dict[int, bool] = {}
    has_generic: dict[int, bool] = {}
    for i, tok in enumerate(doc):
        s = lay.sentence[i]
        if s not in first and not tok.is_punct and not tok.is_space:
            first[s] = tok.norm_
        if tok.norm_ in self_words or tok.norm_ == "my":
            has_self[s] = True
        if tok.norm_ in generic_words:
            has_generic[s] = True
    for s, is_question in enumerate(lay.sentence_is_question):
        opener = first.get(s, "") in _QUESTION_OPENERS or has_generic.get(s, False)
        result[s] = is_question and opener and not has_self.get(s, False)
    return result
