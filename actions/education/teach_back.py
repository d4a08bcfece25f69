"""Assess a teach-back answer: did the patient get the key idea of a lesson?

After each lesson the patient is asked to put the key idea in their own words. The
answer is free text, so the check is deliberately forgiving: it looks for cue phrases
from the topic's ``teach_back`` content and never traps the patient in a loop. Every
verdict leads to a reply from content (praise, a gentle correction or a nudge that
restates the idea), and the course moves on either way::

    from actions.education.teach_back import assess

    verdict = assess("it's the body's alarm", topic.teach_back, course.unsure)
    verdict.kind         # "good"
    verdict.message_key  # "praise"

How cues match (all case-insensitive):

- A cue is a short phrase. Its words must appear in the answer in the same order, with
  at most :data:`MAX_GAP` other words between them ("not damage" matches "does not
  mean damage").
- A cue word of :data:`MIN_PREFIX` letters or more also matches longer words that start
  with it, so content can list stems ("protect" matches "protects", "protection").
- A cue must lie within one clause. Clauses end at punctuation and at words such as
  "but" or "because".
- A cue that follows a negation ("not", "no", "never"...) in its clause does not
  count, unless the negation is part of the cue itself: "it's not safe" does not match
  "safe", but "it doesn't mean I'm doing harm" does match "not harm".
- Contractions are expanded first: "doesn't" reads as "does not".

The order of checks matters: an "I don't know" answer gets the nudge; a misconception
is corrected even if the answer also contains a good cue, because leaving a wrong idea
unchallenged does more harm than an extra reassurance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from actions.education.topics import TeachBackSpec

VerdictKind = Literal["good", "misconception", "unclear"]

# Words that turn a following cue around, up to the end of the clause.
NEGATIONS = frozenset({"not", "no", "never", "nothing", "none", "without", "nor", "neither"})
# Words that start a new clause, ending the reach of a negation.
CLAUSE_WORDS = frozenset({"but", "because", "so", "although", "though", "however", "yet"})
# Most words allowed between two consecutive words of a cue.
MAX_GAP = 3
# Shorter cue words must match a whole word: "no" must not match "nothing".
MIN_PREFIX = 4

# Irregular contractions first; the general "n't" rule would make "won't" into "wo not".
_CONTRACTIONS = (("won't", "will not"), ("can't", "can not"), ("cannot", "can not"))
_NOT_SUFFIX = re.compile(r"n't\b")
_CLAUSE_END = re.compile(r"[.,;:!?()\n]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Verdict:
    """The outcome of a teach-back check.

    Attributes:
        kind: ``"good"``, ``"misconception"`` or ``"unclear"``.
        message_key: which reply to send, for :meth:`TeachBackSpec.message`:
            ``"praise"``, ``"misconceptions.<index>"`` or ``"nudge"``.
    """

    kind: VerdictKind
    message_key: str


def _expand(text: str) -> str:
    lowered = text.lower().replace("\u2019", "'")
    for contraction, expansion in _CONTRACTIONS:
        lowered = lowered.replace(contraction, expansion)
    return _NOT_SUFFIX.sub(" not", lowered)


def words(text: str) -> list[str]:
    """Return the lower-case words of ``text`` with contractions expanded."""
    return [word for word in _NON_WORD.split(_expand(text)) if word]


def clauses(text: str) -> list[list[str]]:
    """Return the words of ``text`` grouped into clauses (empty clauses dropped)."""
    found: list[list[str]] = []
    for chunk in _CLAUSE_END.split(_expand(text)):
        current: list[str] = []
        for word in words(chunk):
            if word in CLAUSE_WORDS and current:
                found.append(current)
                current = []
            current.append(word)
        if current:
            found.append(current)
    return found


def _word_matches(cue_word: str, word: str) -> bool:
    if len(cue_word) >= MIN_PREFIX:
        return word.startswith(cue_word)
    return word == cue_word


def find_cue(answer_words: Sequence[str], cue_words: Sequence[str]) -> tuple[int, ...] | None:
    """Return the positions where ``cue_words`` occur in order, or ``None``.

    Tries every start, so a cue is found even when its first word also appears
    earlier in a place where the rest does not follow.
    """

    def search(cue_index: int, lower: int, upper: int) -> tuple[int, ...] | None:
        if cue_index == len(cue_words):
            return ()
        for position in range(lower, min(upper, len(answer_words))):
            if _word_matches(cue_words[cue_index], answer_words[position]):
                rest = search(cue_index + 1, position + 1, position + 2 + MAX_GAP)
                if rest is not None:
                    return (position, *rest)
        return None

    if not cue_words:
        return None
    return search(0, 0, len(answer_words))


def is_negated(clause: Sequence[str], positions: Sequence[int]) -> bool:
    """Return whether a negation that is not part of the cue comes before its end."""
    return any(i not in positions and clause[i] in NEGATIONS for i in range(positions[-1] + 1))


def has_cue(answer_clauses: Sequence[Sequence[str]], cues: Sequence[str]) -> int | None:
    """Return the index of the first cue that the answer affirms, or ``None``."""
    for index, cue in enumerate(cues):
        cue_words = words(cue)
        for clause in answer_clauses:
            positions = find_cue(clause, cue_words)
            if positions is not None and not is_negated(clause, positions):
                return index
    return None


def assess(answer: str, spec: TeachBackSpec, unsure: Sequence[str] = ()) -> Verdict:
    """Judge a teach-back answer against a topic's expectations.

    Args:
        answer: what the patient wrote.
        spec: the topic's teach-back content.
        unsure: cues meaning "I don't know" (``lessons.yml`` ``teach_back.unsure``).

    Returns:
        A misconception verdict for the first misconception the answer shows; else
        good if it shows any expected cue; else unclear (including empty answers and
        "I don't know").
    """
    answer_clauses = clauses(answer)
    if not answer_clauses:
        return Verdict("unclear", "nudge")
    # Unsure cues are phrased with their negation ("not sure"), so match them plainly.
    if any(find_cue(clause, words(cue)) is not None for cue in unsure for clause in answer_clauses):
        return Verdict("unclear", "nudge")
    for index, misconception in enumerate(spec.misconceptions):
        if has_cue(answer_clauses, misconception.match) is not None:
            return Verdict("misconception", f"misconceptions.{index}")
    if has_cue(answer_clauses, spec.expect_any) is not None:
        return Verdict("good", "praise")
    return Verdict("unclear", "nudge")
