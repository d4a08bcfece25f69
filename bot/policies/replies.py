"""Read a patient's short reply to a safety question: ok, not sure, getting help, no.

The safety plan (:mod:`bot.policies.safety_plan`) and the offer reader
(:mod:`bot.runtime.offers`) ask these before trusting a classified intent, because the
classifier cannot tell "ok" (an acknowledgement, not an answer) from "yes"::

    is_acknowledgement("ok \U0001f44d")      # True: not "I'm getting help"
    names_getting_help("yeah calling 999")   # True
    names_getting_help("yeah I'm not going") # False: a negative voids it
    is_unsure("not sure")                    # True: read as yes to a symptom check

Pure functions, no Rasa imports.
"""

from __future__ import annotations

import re

# A bare "carry on" is also read as "next lesson"; with an interrupted form it resumes.
_RESUME_WORDS = frozenset(
    {"carry on", "continue", "go on", "keep going", "lets carry on", "lets continue", "resume"}
)
# A bare acknowledgement is not an answer to "are you getting help / are you safe?".
_ACKNOWLEDGEMENTS = frozenset(
    {
        "ok", "okay", "okey", "k", "kk", "okk", "oki", "fine", "alright", "all right",
        "right", "cool", "noted", "got it", "understood", "thanks", "thank you", "ta",
        "cheers", "hmm", "mm", "oh", "i see", "whatever", "sure", "maybe", "dunno",
        "\U0001f44d", "\U0001f44c",
    }
)  # fmt: skip

# "Not sure" to a symptom-check question is treated as a yes: the safe reading.
_UNSURE = frozenset(
    {
        "maybe", "not sure", "im not sure", "i am not sure", "unsure", "dont know",
        "i dont know", "dunno", "idk", "possibly", "perhaps", "kind of", "sort of", "a bit",
        "a little", "i think so", "might be", "could be", "not really sure", "hard to say",
        "maybe a bit", "sometimes", "not sure really", "no idea",
    }
)  # fmt: skip

# When the classifier is unsure, a hold is released only by words that say so: a bare
# number, a typo or a stray word ("8", "asdf") is not "I'm getting help".
_RELEASE_WORDS = re.compile(
    r"\b(yes|yess|yeah|yea|yeh|yep|yup|yh|ya|y|aye|help|helped|safe|calling|called|call|rang|ringing|going|"
    r"gone|went|ambulance|paramedics?|hospital|a&e|999|111|doctor|gp|nurse|on my way)\b"
)

# "I'm not going", "won't call": a negative word means the words above say the opposite.
_NEGATIVE_WORDS = re.compile(r"\b(no|not|never|nope|won'?t|can'?t|don'?t|isn'?t|aren'?t)\b|n't\b")
_STARTS_WITH_NO = re.compile(r"^\W*(no|nope|nah|not at all|never|definitely not)\b", re.I)


def _phrase(text: str, drop: str = r"[^\w\s]", by: str = "") -> str:
    """Return ``text`` lower-cased, ``drop`` characters replaced by ``by``, spaces single."""
    return " ".join(re.sub(drop, by, text.lower()).split())


def is_unsure(text: str) -> bool:
    """Return whether ``text`` is only "maybe", "not sure", "I don't know" or the like."""
    return _phrase(text) in _UNSURE


def says_resume(text: str) -> bool:
    """Return whether ``text`` is only "carry on", "continue" or the like."""
    return _phrase(text) in _RESUME_WORDS


def is_acknowledgement(text: str) -> bool:
    """Return whether ``text`` is only "ok", "fine", a thumbs-up or the like."""
    return _phrase(text, r"[^\w\s\U0001f300-\U0001faff]", " ") in _ACKNOWLEDGEMENTS


def names_getting_help(text: str) -> bool:
    """Return whether ``text`` says, without a negative, that the patient is getting help."""
    lowered = text.lower()
    return bool(_RELEASE_WORDS.search(lowered)) and not _NEGATIVE_WORDS.search(lowered)


def starts_with_no(text: str) -> bool:
    """Return whether ``text`` opens with "no", "nope", "not at all" or the like."""
    return bool(_STARTS_WITH_NO.match(text))
