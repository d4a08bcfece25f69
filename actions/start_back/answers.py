"""Read a patient's answer to one STarT Back item: agree or disagree, or how bothersome.

Plain functions, no Rasa imports. The buttons send their own words ("agree", "very
much"); on SMS the channel turns a lettered reply back into those words. People also
type their own short answers, so these are read too::

    read_agreement("I agree")         # 1
    read_agreement("no")              # 0
    read_bother("very much")          # 3
    read_bother("2")                  # 1 (the answers are numbered 1 to 5 for typing)
    read_bother("quite a lot really") # None: asked again

Anything unclear is ``None`` and the question is asked again: a guessed answer would
change the patient's risk group.
"""

from __future__ import annotations

import re
from typing import Final

AGREE: Final = 1
DISAGREE: Final = 0

_DISAGREE = re.compile(
    r"^(?:i\s+)?(?:disagree|don'?t agree|do not agree|no|nope|nah|n|not really|not true|"
    r"false|untrue|not me|no it hasn'?t|no i haven'?t|no it isn'?t)$"
)
_AGREE = re.compile(
    r"^(?:i\s+)?(?:agree|yes|yeah|yep|y|true|that'?s true|that'?s right|that'?s me|"
    r"definitely|yes it has|yes i have|yes it is)$"
)
# Item 9's answers, in order: the words a patient may use for each.
_BOTHER = (
    re.compile(r"^(?:not at all|none|not|no|never|not bothersome|no bother)$"),
    re.compile(r"^(?:slightly|slight|a little|a bit|a little bit|mildly|mild)$"),
    re.compile(r"^(?:moderately|moderate|medium|somewhat|quite)$"),
    re.compile(r"^(?:very much|very|a lot|lots|very bothersome)$"),
    re.compile(r"^(?:extremely|extreme|extremly|totally|completely)$"),
)
_NUMBER = re.compile(r"^([1-5])$")
_FILLER = re.compile(r"^(?:i'?d say|i think|i guess|um+|er+|well)\s+|\s+(?:please|thanks)$")


def _normal(text: str | None) -> str:
    words = (text or "").lower().replace("\u2019", "'")
    words = re.sub(r"[^\w\s']", " ", words)
    words = " ".join(words.split())
    previous = None
    while previous != words:
        previous, words = words, _FILLER.sub("", words).strip()
    return words


def read_agreement(text: str | None) -> int | None:
    """Return 1 for agree, 0 for disagree, or ``None`` when the answer is unclear."""
    words = _normal(text)
    if _DISAGREE.match(words):
        return DISAGREE
    if _AGREE.match(words):
        return AGREE
    return None


def read_bother(text: str | None) -> int | None:
    """Return item 9's answer as an index, 0 ("not at all") to 4 ("extremely"), or ``None``.

    A number from 1 to 5 picks the answer in that place.
    """
    words = _normal(text)
    number = _NUMBER.match(words)
    if number:
        return int(number.group(1)) - 1
    for index, pattern in enumerate(_BOTHER):
        if pattern.match(words):
            return index
    return None
